/*
 * Register the site's service worker (sw.js at the site root) so pages,
 * search and worksheets keep working without a connection. Skipped where
 * service workers cannot run: file://, plain http (not a secure context).
 */
(function () {
  "use strict";
  if (!("serviceWorker" in navigator) || !window.isSecureContext || location.protocol === "file:") return;
  var element = document.getElementById("__config");
  if (!element) return;
  try {
    var root = new URL(JSON.parse(element.textContent).base, location.href);
    if (!/\/$/.test(root.pathname)) root = new URL("./", root);
    navigator.serviceWorker.register(new URL("sw.js", root).href, { scope: root.pathname }).catch(function () {
      /* Offline use is a bonus: the site works the same without it. */
    });
  } catch (error) {
    /* Malformed config: leave the page as it is. */
  }
})();
