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
 * 2. Give each navigation section whose label is only an icon (with navigation.indexes the
 *    title is the index page's link beside it) the name of that link (axe: landmark-unique). (Material's
 *    search dialog gets its name, axe's aria-dialog-name, in the page: main.html.)
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
 *
 * Every page loads this file, so it is written to be small once minified and gzipped: one function, locals the
 * minifier shortens, one helper that adds a stylesheet or script.
 */
(function () {
  "use strict";
  var found;

  function data() {
    if (!found) {
      try {
        found = self.selfhelpMessageData || JSON.parse(document.getElementById("shs-messages").textContent);
      } catch (error) {
        found = { lang: document.documentElement.lang, messages: {} };
      }
    }
    return found;
  }

  function lang() {
    return data().lang || "en";
  }

  window.selfhelpLang = lang;
  window.selfhelpT = function (key, vars) {
    var own = self.selfhelpMessages || {};
    var message = own.hasOwnProperty(key) ? own[key] : data().messages[key];
    var count;
    vars = vars || {};
    if (message && typeof message === "object") {
      count = Number(vars.count);
      try {
        count = new Intl.PluralRules(lang()).select(count);
      } catch (error) {
        count = count === 1 ? "one" : "other";
      }
      message = message[count] || message.other;
    }
    return typeof message !== "string"
      ? key
      : message.replace(/\{(\w+)\}/g, function (whole, name) {
          return vars.hasOwnProperty(name) ? String(vars[name]) : whole;
        });
  };

  /* 1. */
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
  var WORDS = "selfhelp:search-highlight";
  var highlightAsked = false;

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
    document.querySelectorAll(".md-nav__container > label.md-nav__link[id]:not([aria-label])").forEach(function (label) {
      var index = label.parentNode.querySelector("a.md-nav__link");
      if (index && !label.textContent.trim()) label.setAttribute("aria-label", index.textContent.trim());
    });
    /* 3. */
    if (
      here &&
      !document.querySelector("script[data-shs-worksheets]") &&
      document.querySelector("form[data-shs-worksheet], [data-shs-worksheet-index], [data-shs-privacy-actions], [data-shs-plan]")
    ) {
      /* A worksheet page's worksheet-page.css (which Material's instant navigation brings with the page) has them. */
      if (!document.querySelector('link[href$="/worksheet-page.css"]')) add(document.head, "link", "worksheets.css");
      add(document.body, "script", "worksheets.js").setAttribute("data-shs-worksheets", "");
    }
    /* 4. The highlighting itself (search-highlight.js) is loaded only when a search result was followed to this
       page. */
    try {
      if (!sessionStorage.getItem(WORDS)) return;
    } catch (error) {
      return;
    }
    if (window.selfhelpHighlight) selfhelpHighlight(WORDS);
    else if (!highlightAsked && here) {
      /* Once: on its way, it highlights what is waiting when it arrives. */
      highlightAsked = true;
      add(document.head, "script", "../search/search-highlight.js");
    }
  }

  /* 4. A click on a result keeps its words for the next page. */
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
    /* 4. Links lose the words as soon as they are drawn. */
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
