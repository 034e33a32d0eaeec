/*
 * Runs on every page, from <head>. First the words the site's scripts show, in the site's language (theme.language),
 * then four small jobs.
 *
 * The build puts the language at the top of this file as published (`self.selfhelpMessageData = {lang, messages: {}};`)
 * and, at the top of each script, the messages that script asks for (`self.selfhelpMessages`, from
 * generator/locales/<language>.json and the site's `messages:` option, generator/messages.py script_messages): a page
 * loads the words of the scripts it runs, and a script loaded on first need brings its own; cached with the scripts,
 * offline and on file:// too. A page that still carries them as JSON data (<script type="application/json"
 * id="shs-messages">, from an older main.html in a site's custom_dir) is read the same way.
 *   selfhelpT(key, vars)  the message, with {name} placeholders filled from vars; a message with plural
 *                         forms ({"one": ..., "other": ...}) takes the form Intl.PluralRules gives vars.count
 *   selfhelpLang()        the page's language, for Intl.DateTimeFormat and toLocale*String
 *
 * 1. Material reads its own settings (palette, announcement) with __md_get, which
 *    touches localStorage unguarded: where a browser blocks storage, that throws
 *    before any page script runs. Wrap it so blocked storage reads as "nothing saved".
 * 2. Give Material's search dialog an accessible name (axe: aria-dialog-name), and
 *    each navigation section whose label is only an icon (with navigation.indexes the
 *    title is the index page's link beside it) the name of that link (axe: landmark-unique).
 * 3. Only pages with a worksheet (or My plan) load worksheets.js and worksheets.css. Instant
 *    navigation swaps the page without loading the new page's scripts, so when it
 *    brings in a worksheet, load them here.
 * 4. Search words stay in the browser. With Material's `search.highlight`, every result
 *    link carries the words (`page/?h=laid+off`), so following it would send them to the
 *    server and its logs (instant navigation fetches that URL; a plain click requests it).
 *    Links lose the parameter as soon as they are drawn; a click keeps the words for the
 *    next page in sessionStorage (this tab only, never sent), where search-highlight.js, loaded only then,
 *    highlights them.
 * (Material's search uses our forgiving worker, assets/search/fuzzy-worker.js: main.html writes its address into
 * Material's settings, the #__config data.)
 */
(function () {
  "use strict";
  var found = null;

  function data() {
    if (found) return found;
    if (self.selfhelpMessageData) return (found = self.selfhelpMessageData);
    var el = document.getElementById("shs-messages");
    try {
      found = JSON.parse(el.textContent);
    } catch (error) {
      found = { lang: document.documentElement.lang || "en", messages: {} };
    }
    return found;
  }

  function lang() {
    return data().lang || "en";
  }

  function plural(count) {
    try {
      return new Intl.PluralRules(lang()).select(count);
    } catch (error) {
      return count === 1 ? "one" : "other";
    }
  }

  window.selfhelpLang = lang;
  window.selfhelpT = function (key, vars) {
    var own = self.selfhelpMessages || {};
    var message = Object.prototype.hasOwnProperty.call(own, key) ? own[key] : data().messages[key];
    vars = vars || {};
    if (message && typeof message === "object") message = message[plural(Number(vars.count))] || message.other;
    if (typeof message !== "string") return key;
    return message.replace(/\{(\w+)\}/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(vars, name) ? String(vars[name]) : whole;
    });
  };
})();

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

  var WORDS = "selfhelp:search-highlight";
  var highlightAsked = false;

  function cleanLink(link) {
    var url = new URL(link.href);
    if (!url.searchParams.has("h")) return;
    link.setAttribute("data-shs-highlight", url.searchParams.get("h"));
    url.searchParams.delete("h");
    link.href = url.href;
  }

  function rememberWords(event) {
    var link = event.target instanceof Element && event.target.closest("a[data-shs-highlight]");
    if (!link) return;
    cleanLink(link); /* in case it was drawn since */
    try {
      sessionStorage.setItem(WORDS, JSON.stringify({ path: new URL(link.href).pathname, words: link.getAttribute("data-shs-highlight") }));
    } catch (error) {
      /* storage blocked: the page opens without highlighting */
    }
  }

  /* The highlighting itself (search-highlight.js) is loaded only when a search result was followed to this page. */
  function highlight() {
    try {
      if (!sessionStorage.getItem(WORDS)) return;
    } catch (error) {
      return;
    }
    if (window.selfhelpHighlight) return window.selfhelpHighlight(WORDS);
    if (highlightAsked || !here) return; /* on its way: it highlights what is waiting when it arrives */
    highlightAsked = true;
    var code = document.createElement("script");
    code.src = new URL("../search/search-highlight.js", here).href;
    document.head.appendChild(code);
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
    highlight();
  }

  document.addEventListener("click", rememberWords, true);
  document.addEventListener("DOMContentLoaded", function () {
    var results = document.querySelector(".md-search-result__list");
    if (results) {
      new MutationObserver(function () {
        var links = results.querySelectorAll("a[href*='h=']");
        for (var i = 0; i < links.length; i++) cleanLink(links[i]);
      }).observe(results, { childList: true, subtree: true });
    }
    onPage();
    // Material's bundle has run by now; document$ emits after each instant navigation.
    if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(onPage);
  });
})();
