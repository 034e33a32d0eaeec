/*
 * Register the site's service worker (sw.js at the site root) so pages,
 * search and worksheets keep working without a connection. Skipped where
 * service workers cannot run: file://, plain http other than localhost (not a
 * secure context).
 *
 * Looks for a new build on every page load, page change (instant navigation),
 * return to the tab and return online: sw.js refuses to install until every
 * file on the server is the new build's, so a deploy in progress is simply
 * tried again at the next of these. When a new build takes over, the page on
 * screen came from the previous one: it is reloaded if its content changed,
 * unless the reader is typing or the page holds a worksheet (its answers are
 * saved, but nobody should lose their place); the next page shows the new build.
 */
(function () {
  "use strict";
  if (!("serviceWorker" in navigator) || !window.isSecureContext || location.protocol === "file:") return;
  var element = document.getElementById("__config");
  if (!element) return;
  var root;
  try {
    root = new URL(JSON.parse(element.textContent).base, location.href);
    if (!/\/$/.test(root.pathname)) root = new URL("./", root);
  } catch (error) {
    return; /* Malformed config: leave the page as it is. */
  }
  var container = navigator.serviceWorker;
  var WORKSHEET = "form[data-shs-worksheet], [data-shs-worksheet-index], [data-shs-privacy-actions]";
  /* True once what is on screen came through a worker, i.e. from a build's cache. */
  var fromCache = Boolean(container.controller);
  var registration = null;

  function lookForUpdate() {
    if (registration && navigator.onLine !== false) registration.update().catch(function () {});
  }

  function readerIsBusy() {
    if (document.querySelector(WORKSHEET)) return true;
    var active = document.activeElement;
    return Boolean(active && active.matches && active.matches("input, textarea, select, [contenteditable]"));
  }

  /* Ask the worker now in charge whether this page differs from the build it was shown from. */
  function pageChanged(worker) {
    return new Promise(function (resolve) {
      var channel = new MessageChannel();
      channel.port1.onmessage = function (event) {
        resolve(Boolean(event.data && event.data.changed));
      };
      worker.postMessage({ type: "selfhelp:changed", url: location.href }, [channel.port2]);
    });
  }

  container.addEventListener("controllerchange", function () {
    var wasFromCache = fromCache;
    fromCache = true;
    if (!wasFromCache || !container.controller) return; /* A first visit: the page came from the server. */
    pageChanged(container.controller).then(function (changed) {
      if (changed && !readerIsBusy()) location.reload();
    });
  });

  container
    .register(new URL("sw.js", root).href, { scope: root.pathname })
    .then(function (registered) {
      registration = registered;
      lookForUpdate();
    })
    .catch(function () {
      /* Offline use is a bonus: the site works the same without it. */
    });

  /* Material's instant navigation changes pages without loading them: document$ emits on each change. */
  window.addEventListener("load", function () {
    if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(lookForUpdate);
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") lookForUpdate();
  });
  window.addEventListener("online", lookForUpdate);
})();
