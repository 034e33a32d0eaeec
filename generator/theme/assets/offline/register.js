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
 *
 * Written to be small once minified and gzipped (it is part of every page): locals the minifier shortens, no
 * Promise where a callback does, one function for both times the page asks its worker.
 */
(function () {
  "use strict";
  var container = navigator.serviceWorker;
  if (!container || !window.isSecureContext || location.protocol === "file:") return;
  /* sw.js in the site's root folder, two above this file (assets/offline/register.js; a worksheet page's
     worksheet-page.js adds it to the page where it can run); its scope is that folder. */
  var script = new URL("../../sw.js", document.currentScript.src).href;
  /* True once what is on screen came through a worker, i.e. from a build's cache. */
  var fromCache = !!container.controller;
  var registration;
  var retries = 0;
  var retryTimer;

  /* A check asked for while a new worker is still installing may be folded into that install, which can be
     failing on files fetched before the copy ended: such a check runs again once that install is over. */
  var checkAfterInstall = false;

  function lookForUpdate() {
    if (!registration || !navigator.onLine) return;
    if (registration.installing) checkAfterInstall = true;
    registration.update().catch(function () {});
  }

  /* A new worker calls skipWaiting() at the end of its install, and Chromium then asks the previous
     worker to stop as soon as it is idle, activating the new one once it has stopped. It asks once: when
     an event for the previous worker (a fetch of this page) arrives while it is stopping, it starts again
     and the new worker stays waiting until the previous one has been idle for 30 s (for 5 minutes when
     DevTools is open, as in the tests). A worker still waiting 3 s after its install is asked to skip
     waiting once more, which makes Chromium ask the previous worker to stop again. */
  function nudgeWhileWaiting(worker) {
    setTimeout(function () {
      if (worker.state === "installed") worker.postMessage({ type: "selfhelp:skip-waiting" });
    }, 3000);
  }

  /* Ask the worker in charge whether this page changed in its build, and since when it is in charge (pages
     switch to a new worker as its activation starts, before it knows: wait until it is active); reload the
     page if it changed and the worker took over after `since`, unless the reader is busy: a worksheet on the
     page, or typing. */
  function refreshIfChanged(worker, since) {
    function ask() {
      if (worker.state !== "activated") return;
      worker.removeEventListener("statechange", ask);
      var channel = new MessageChannel();
      channel.port1.onmessage = function (event) {
        var answer = event.data || {};
        var active = document.activeElement;
        if (
          answer.changed &&
          answer.activatedAt > since &&
          !document.querySelector("form[data-shs-worksheet], [data-shs-worksheet-index], [data-shs-privacy-actions]") &&
          !(active && active.matches("input, textarea, select, [contenteditable]"))
        )
          location.reload();
      };
      worker.postMessage({ type: "selfhelp:changed", url: location.href }, [channel.port2]);
    }
    worker.addEventListener("statechange", ask);
    ask();
  }

  container.addEventListener("controllerchange", function () {
    /* Not on a first visit: the page came from the server. */
    if (fromCache && container.controller) refreshIfChanged(container.controller, -1);
    fromCache = true;
  });

  /* A worker that took over while this page was loading did not serve it (its predecessor did). A worker
     started again after it stopped answers activatedAt 0: it does not know. */
  if (fromCache) refreshIfChanged(container.controller, performance.timeOrigin);

  container
    .register(script)
    .then(function (registered) {
      registration = registered;
      /* A new worker that ends redundant without taking over was refused (or replaced): look again later,
         3, 10, 30 and 60 s after the first refusals, then every 5 minutes. */
      registered.addEventListener("updatefound", function () {
        var worker = registered.installing;
        if (worker)
          worker.addEventListener("statechange", function () {
            var state = worker.state;
            if (state === "installed") nudgeWhileWaiting(worker);
            if (state === "activated") checkAfterInstall = retries = 0;
            if (state !== "redundant") return;
            clearTimeout(retryTimer);
            if (checkAfterInstall) {
              checkAfterInstall = false;
              lookForUpdate();
            } else retryTimer = setTimeout(lookForUpdate, 1000 * ([3, 10, 30, 60][retries++] || 300));
          });
      });
      if (registered.waiting) nudgeWhileWaiting(registered.waiting);
      lookForUpdate();
    })
    .catch(function () {
      /* Offline use is a bonus: the site works the same without it. */
    });

  /* Material's instant navigation changes pages without loading them: document$ emits on each change. */
  addEventListener("load", function () {
    var changes = window.document$;
    if (changes && changes.subscribe) changes.subscribe(lookForUpdate);
  });
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) lookForUpdate();
  });
  addEventListener("online", lookForUpdate);
})();
