/*
 * Register the site's service worker (sw.js at the site root) so pages,
 * search and worksheets keep working without a connection. Skipped where
 * service workers cannot run: file://, plain http other than localhost (not a
 * secure context).
 *
 * Looks for a new build on every page load, page change (instant navigation),
 * return to the tab and return online. sw.js refuses to install until every
 * file on the server is the new build's: after a refused install (a deploy in
 * progress) it tries again a few seconds later, then less and less often, while
 * the page stays open. When a new build takes over, the page on screen came from
 * the previous one (it was shown through the previous worker, or its request
 * began before the new worker took over): it is reloaded if its content changed,
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
  var RETRY_SECONDS = [3, 10, 30, 60, 300];
  var retries = 0;
  var retryTimer = null;

  /* A check asked for while a new worker is still installing may be folded into that install, which can be
     failing on files fetched before the copy ended: such a check runs again once that install is over. */
  var checkAfterInstall = false;

  function lookForUpdate() {
    if (!registration || navigator.onLine === false) return;
    if (registration.installing) checkAfterInstall = true;
    registration.update().catch(function () {});
  }

  /* A new worker calls skipWaiting() at the end of its install, and Chromium then asks the previous
     worker to stop as soon as it is idle, activating the new one once it has stopped. It asks once: when
     an event for the previous worker (a fetch of this page) arrives while it is stopping, it starts again
     and the new worker stays waiting until the previous one has been idle for 30 s (for 5 minutes when
     DevTools is open, as in the tests). A worker still waiting a few seconds after its install is asked
     to skip waiting once more, which makes Chromium ask the previous worker to stop again. */
  var NUDGE_SECONDS = 3;

  function nudgeWhileWaiting(worker) {
    setTimeout(function () {
      if (worker.state === "installed") worker.postMessage({ type: "selfhelp:skip-waiting" });
    }, 1000 * NUDGE_SECONDS);
  }

  /* A new worker that ends redundant without taking over was refused (or replaced): look again later. */
  function watchInstalls(registered) {
    registered.addEventListener("updatefound", function () {
      var worker = registered.installing;
      if (!worker) return;
      worker.addEventListener("statechange", function () {
        if (worker.state === "installed") nudgeWhileWaiting(worker);
        if (worker.state === "activated") retries = 0;
        if (worker.state === "activated") checkAfterInstall = false;
        if (worker.state !== "redundant") return;
        clearTimeout(retryTimer);
        if (checkAfterInstall) {
          checkAfterInstall = false;
          lookForUpdate();
          return;
        }
        retryTimer = setTimeout(lookForUpdate, 1000 * RETRY_SECONDS[Math.min(retries++, RETRY_SECONDS.length - 1)]);
      });
    });
  }

  function readerIsBusy() {
    if (document.querySelector(WORKSHEET)) return true;
    var active = document.activeElement;
    return Boolean(active && active.matches && active.matches("input, textarea, select, [contenteditable]"));
  }

  /* Ask the worker in charge whether this page changed in its build, and since when it is in charge.
     Pages switch to a new worker as its activation starts, before it knows: wait until it is active. */
  function askWorker(worker) {
    return new Promise(function (resolve) {
      function ask() {
        if (worker.state !== "activated") return;
        worker.removeEventListener("statechange", ask);
        var channel = new MessageChannel();
        channel.port1.onmessage = function (event) {
          resolve(event.data || {});
        };
        worker.postMessage({ type: "selfhelp:changed", url: location.href }, [channel.port2]);
      }
      worker.addEventListener("statechange", ask);
      ask();
    });
  }

  function refreshIfChanged(answer) {
    if (answer.changed && !readerIsBusy()) location.reload();
  }

  container.addEventListener("controllerchange", function () {
    var wasFromCache = fromCache;
    fromCache = true;
    if (!wasFromCache || !container.controller) return; /* A first visit: the page came from the server. */
    askWorker(container.controller).then(refreshIfChanged);
  });

  /* A worker that took over while this page was loading did not serve it (its predecessor did). */
  if (container.controller && performance.timeOrigin) {
    askWorker(container.controller).then(function (answer) {
      if (answer.activatedAt > performance.timeOrigin) refreshIfChanged(answer);
    });
  }

  container
    .register(new URL("sw.js", root).href, { scope: root.pathname })
    .then(function (registered) {
      registration = registered;
      watchInstalls(registered);
      if (registered.waiting) nudgeWhileWaiting(registered.waiting);
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
