/*
 * Runs on every page, from <head>: gives the site's scripts their words and language, then does three small jobs.
 *
 * Each of our scripts as published starts with the messages it asks for (`self.selfhelpMessages`, from
 * generator/locales/<language>.json and the site's `messages:` option, generator/messages.py script_messages): a page
 * loads the words of the scripts it runs, and a script loaded on first need brings its own; cached with the scripts,
 * offline and on file:// too. The language is the page's own (`<html lang>`, which Material writes from
 * theme.language).
 *   selfhelpT(key, vars)  the message, with {name} placeholders filled from vars; a message with plural
 *                         forms ({"one": ..., "other": ...}) takes the form Intl.PluralRules gives vars.count
 *   selfhelpLang()        the page's language, for Intl.DateTimeFormat and toLocale*String
 *
 * 1. Material reads its own settings (palette, announcement) with __md_get, which
 *    touches localStorage unguarded: where a browser blocks storage, that throws
 *    before any page script runs. Wrap it so blocked storage reads as "nothing saved".
 * 2. Only the pages main.html marks (`data-shs-worksheet-tools`: a worksheet, My worksheets, privacy, My plan) load
 *    worksheets.js and worksheets.css. Instant navigation swaps the page without loading the new page's scripts,
 *    so when it brings in one of them, load them here.
 * 3. Search words stay in the browser. With Material's `search.highlight`, every result
 *    link carries the words (`page/?h=laid+off`), so following it would send them to the
 *    server and its logs (instant navigation fetches that URL; a plain click requests it).
 *    Links lose the parameter as soon as they are drawn; a click keeps the words for the
 *    next page in sessionStorage (this tab only, never sent), where search-highlight.js, loaded only then,
 *    highlights them.
 * What the build can write into the page once, main.html writes: the search dialog's name and the names of the
 * navigation sections whose label is only an icon (axe: aria-dialog-name, landmark-unique), and Material's search
 * pointed at our forgiving worker, assets/search/fuzzy-worker.js, in Material's settings (the #__config data).
 *
 * Every page loads this file, so it is written to be small once minified and gzipped: one function, locals the
 * minifier shortens, one helper that adds a stylesheet or script.
 */
(function () {
  "use strict";
  var lang = document.documentElement.lang || "en";
  var here = document.currentScript.src;
  var WORDS = "selfhelp:search-highlight";
  var highlightAsked;

  window.selfhelpLang = function () {
    return lang;
  };
  window.selfhelpT = function (key, vars) {
    var message = (self.selfhelpMessages || {})[key];
    var form;
    vars = vars || {};
    if (message && typeof message === "object") {
      form = vars.count == 1 ? "one" : "other"; /* where the language is not one Intl knows */
      try {
        form = new Intl.PluralRules(lang).select(vars.count);
      } catch (error) {}
      message = message[form] || message.other;
    }
    return typeof message !== "string"
      ? key
      : message.replace(/\{(\w+)\}/g, function (whole, name) {
          return vars.hasOwnProperty(name) ? vars[name] : whole;
        });
  };

  /* 1. */
  var read = window.__md_get;
  if (read) {
    window.__md_get = function () {
      try {
        return read.apply(this, arguments);
      } catch (error) {
        return null;
      }
    };
  }

  /* A stylesheet or script of ours (a path from this file), added to head or body. */
  function add(parent, tag, path) {
    var element = document.createElement(tag);
    if (tag === "link") element.rel = "stylesheet";
    element[tag === "link" ? "href" : "src"] = new URL(path, here).href;
    return parent.appendChild(element);
  }

  function cleanLink(link) {
    var params = new URLSearchParams(link.search);
    if (!params.has("h")) return;
    link.setAttribute("data-shs-highlight", params.get("h"));
    params.delete("h");
    link.search = params;
  }

  function onPage() {
    /* 2. */
    if (!document.querySelector("script[data-shs-worksheets]") && document.querySelector("[data-shs-worksheet-tools]")) {
      /* A worksheet page's worksheet-page.css (which Material's instant navigation brings with the page) has them. */
      if (!document.querySelector('link[href$="/worksheet-page.css"]')) add(document.head, "link", "worksheets.css");
      add(document.body, "script", "worksheets.js").setAttribute("data-shs-worksheets", "");
    }
    /* 3. The highlighting itself (search-highlight.js) is loaded only when a search result was followed to this
       page. */
    try {
      if (!sessionStorage.getItem(WORDS)) return;
    } catch (error) {
      return;
    }
    if (window.selfhelpHighlight) selfhelpHighlight(WORDS);
    else if (!highlightAsked) {
      /* Once: on its way, it highlights what is waiting when it arrives. */
      highlightAsked = add(document.head, "script", "../search/search-highlight.js");
    }
  }

  /* 3. A click on a result keeps its words for the next page. */
  document.addEventListener(
    "click",
    function (event) {
      var target = event.target;
      var link = target.closest && target.closest("a[data-shs-highlight]");
      if (!link) return;
      cleanLink(link); /* in case it was drawn since */
      try {
        sessionStorage.setItem(WORDS, JSON.stringify({ path: link.pathname, words: link.getAttribute("data-shs-highlight") }));
      } catch (error) {
        /* storage blocked: the page opens without highlighting */
      }
    },
    true
  );
  document.addEventListener("DOMContentLoaded", function () {
    /* 3. Links lose the words as soon as they are drawn. */
    var results = document.querySelector(".md-search-result__list");
    if (results) {
      new MutationObserver(function () {
        results.querySelectorAll("a[href*='h=']").forEach(cleanLink);
      }).observe(results, { childList: true, subtree: true });
    }
    onPage();
    // Material's bundle has run by now; document$ emits after each instant navigation.
    var changes = window.document$;
    if (changes && changes.subscribe) changes.subscribe(onPage);
  });
})();
