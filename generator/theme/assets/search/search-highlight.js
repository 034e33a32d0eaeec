/*
 * Highlights the words of the search result the reader followed to this page, which site.js kept in
 * sessionStorage (this tab only, never sent) and removed from the link. Loaded by site.js only when
 * such words are waiting, so a visit that did not come from a search result never loads it; it highlights once
 * as it loads, and site.js calls window.selfhelpHighlight after each instant navigation that has words.
 */
(function () {
  "use strict";

  function highlight(KEY) {
    var saved = null;
    try {
      saved = JSON.parse(sessionStorage.getItem(KEY));
      sessionStorage.removeItem(KEY);
    } catch (error) {
      return;
    }
    var content = document.querySelector(".md-content article");
    if (!saved || saved.path !== location.pathname || !content || typeof saved.words !== "string") return;
    var words = saved.words.split(/\s+/).filter(Boolean).map(function (word) {
      return word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    });
    if (!words.length) return;
    var pattern = new RegExp("(" + words.join("|") + ")", "gi");
    var walker = document.createTreeWalker(content, NodeFilter.SHOW_TEXT);
    var found = [];
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.parentElement.closest("script, style, textarea, mark, form") && pattern.test(node.data)) found.push(node);
      pattern.lastIndex = 0;
    }
    found.forEach(function (text) {
      var parts = text.data.split(pattern), fragment = document.createDocumentFragment();
      parts.forEach(function (part, index) {
        if (!part) return;
        if (index % 2) {
          var mark = document.createElement("mark");
          mark.setAttribute("data-md-highlight", "");
          mark.textContent = part;
          fragment.appendChild(mark);
        } else {
          fragment.appendChild(document.createTextNode(part));
        }
      });
      text.replaceWith(fragment);
    });
  }

  window.selfhelpHighlight = highlight;
  highlight("selfhelp:search-highlight");
})();
