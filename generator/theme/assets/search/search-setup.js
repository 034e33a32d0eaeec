/*
 * How search is set up on every page, in two parts below: Material's search
 * uses our forgiving worker; search words never reach a server in a URL. On
 * file:// (the offline zip) search-file.js follows this script and stands in
 * for Web Workers; the zip's pages load it, the served site's never do.
 *
 * Point Material's search at our worker wrapper (fuzzy-worker.js, written by
 * the build), which reads queries the way people type them. Runs before
 * Material's bundle reads the #__config data.
 */
(function () {
  "use strict";
  var element = document.getElementById("__config");
  var script = document.currentScript;
  if (!element || !script) return;
  try {
    var config = JSON.parse(element.textContent);
    if (!config.search || config.search.indexOf("fuzzy-worker.js") !== -1) return;
    config.search = new URL("fuzzy-worker.js", script.src).href;
    element.textContent = JSON.stringify(config);
  } catch (error) {
    /* Leave Material's own search untouched. */
  }
})();


/*
 * Search words stay in the browser. With Material's `search.highlight`, every result
 * link carries the words (`page/?h=laid+off`), so following it would send them to the
 * server and its logs (instant navigation fetches that URL; a plain click requests it).
 * Links lose the parameter as soon as they are drawn; a click keeps the words for the
 * next page in sessionStorage (this tab only, never sent), where search-highlight.js, loaded only then,
 * highlights them.
 */
(function () {
  "use strict";
  var KEY = "selfhelp:search-highlight";
  var here = document.currentScript && document.currentScript.src;
  var asked = false;

  function clean(link) {
    var url = new URL(link.href);
    if (!url.searchParams.has("h")) return;
    link.setAttribute("data-shs-highlight", url.searchParams.get("h"));
    url.searchParams.delete("h");
    link.href = url.href;
  }

  function remember(event) {
    var link = event.target instanceof Element && event.target.closest("a[data-shs-highlight]");
    if (!link) return;
    clean(link); /* in case it was drawn since */
    try {
      sessionStorage.setItem(KEY, JSON.stringify({ path: new URL(link.href).pathname, words: link.getAttribute("data-shs-highlight") }));
    } catch (error) {
      /* storage blocked: the page opens without highlighting */
    }
  }

  /* The highlighting itself (search-highlight.js) is loaded only when a search result was followed to this page. */
  function highlight() {
    try {
      if (!sessionStorage.getItem(KEY)) return;
    } catch (error) {
      return;
    }
    if (window.selfhelpHighlight) return window.selfhelpHighlight(KEY);
    if (asked || !here) return; /* on its way: it highlights what is waiting when it arrives */
    asked = true;
    var code = document.createElement("script");
    code.src = new URL("search-highlight.js", here).href;
    document.head.appendChild(code);
  }

  document.addEventListener("click", remember, true);
  document.addEventListener("DOMContentLoaded", function () {
    var results = document.querySelector(".md-search-result__list");
    if (results) {
      new MutationObserver(function () {
        var links = results.querySelectorAll("a[href*='h=']");
        for (var i = 0; i < links.length; i++) clean(links[i]);
      }).observe(results, { childList: true, subtree: true });
    }
    highlight();
    /* Instant navigation: document$ emits once the next page is in (it never does on file://). */
    if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(highlight);
  });
})();
