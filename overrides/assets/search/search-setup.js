/*
 * Point Material's search at our worker wrapper (fuzzy-worker.js), which adds
 * typo tolerance. Runs before Material's bundle reads the #__config data.
 */
(function () {
  "use strict";
  var element = document.getElementById("__config");
  var script = document.currentScript;
  if (!element || !script) return;
  try {
    var config = JSON.parse(element.textContent);
    if (!config.search || config.search.indexOf("fuzzy-worker.js") !== -1) return;
    var wrapper = new URL("fuzzy-worker.js", script.src);
    wrapper.searchParams.set("worker", new URL(config.search, document.baseURI).pathname);
    config.search = wrapper.pathname + wrapper.search;
    element.textContent = JSON.stringify(config);
  } catch (error) {
    /* Leave Material's own search untouched. */
  }
})();
