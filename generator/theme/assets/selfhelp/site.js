/*
 * Runs on every page, from <head>. Three small jobs:
 * 1. Material reads its own settings (palette, announcement) with __md_get, which
 *    touches localStorage unguarded: where a browser blocks storage, that throws
 *    before any page script runs. Wrap it so blocked storage reads as "nothing saved".
 * 2. Give Material's search dialog an accessible name (axe: aria-dialog-name), and
 *    each navigation section whose label is only an icon (with navigation.indexes the
 *    title is the index page's link beside it) the name of that link (axe: landmark-unique).
 * 3. Only pages with a worksheet (or My plan) load worksheets.js and worksheets.css. Instant
 *    navigation swaps the page without loading the new page's scripts, so when it
 *    brings in a worksheet, load them here.
 */
(function () {
  "use strict";
  var read = window.__md_get;
  if (typeof read === "function") {
    window.__md_get = function () {
      try {
        return read.apply(this, arguments);
      } catch (error) {
        return null;
      }
    };
  }

  var here = document.currentScript && document.currentScript.src;
  var WORKSHEET = "form[data-shs-worksheet], [data-shs-worksheet-index], [data-shs-privacy-actions], [data-shs-plan]";

  function loadWorksheetTools() {
    if (!here || document.querySelector("script[data-shs-worksheets]") || !document.querySelector(WORKSHEET)) return;
    /* A worksheet page's worksheet-page.css (which Material's instant navigation brings with the page) has them. */
    if (!document.querySelector('link[href$="/worksheet-page.css"]')) {
      var style = document.createElement("link");
      style.rel = "stylesheet";
      style.href = new URL("worksheets.css", here).href;
      document.head.appendChild(style);
    }
    var script = document.createElement("script");
    script.src = new URL("worksheets.js", here).href;
    script.setAttribute("data-shs-worksheets", "");
    document.body.appendChild(script);
  }

  function onPage() {
    var dialogs = document.querySelectorAll(".md-search[role=dialog]:not([aria-label])");
    var name = window.selfhelpT ? window.selfhelpT("search.dialog") : "";
    for (var i = 0; i < dialogs.length && name; i++) dialogs[i].setAttribute("aria-label", name);
    var labels = document.querySelectorAll(".md-nav__container > label.md-nav__link[id]:not([aria-label])");
    for (var j = 0; j < labels.length; j++) {
      var index = labels[j].parentNode.querySelector("a.md-nav__link");
      if (index && !labels[j].textContent.trim()) labels[j].setAttribute("aria-label", index.textContent.trim());
    }
    loadWorksheetTools();
  }

  document.addEventListener("DOMContentLoaded", function () {
    onPage();
    // Material's bundle has run by now; document$ emits after each instant navigation.
    if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(onPage);
  });
})();
