/*
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
 * Opened from disk (file://), browsers refuse to start a Web Worker, which
 * Material's search needs. This stand-in runs the worker script in a hidden
 * frame of this page instead; it is only ever used on file://.
 */
(function () {
  "use strict";
  if (location.protocol !== "file:") return;

  function loadScript(frameWindow, src) {
    return new Promise(function (resolve, reject) {
      var script = frameWindow.document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = reject;
      frameWindow.document.head.appendChild(script);
    });
  }

  function FileWorker(url) {
    var worker = this;
    var scriptUrl = new URL(url, location.href).href;
    this.onmessage = null;
    this._listeners = [];
    var frame = document.createElement("iframe");
    frame.hidden = true;
    frame.tabIndex = -1;
    frame.setAttribute("aria-hidden", "true");
    frame.srcdoc = "<!doctype html><title>search</title>";
    var loaded = new Promise(function (resolve) {
      frame.addEventListener("load", function () {
        resolve(frame.contentWindow);
      }, { once: true });
    });
    document.body.appendChild(frame);
    this._ready = loaded.then(function (inner) {
      var pending = Promise.resolve();
      inner.postMessage = function (data) {
        setTimeout(function () {
          worker._emit(data);
        }, 0);
      };
      inner.importScripts = function () {
        Array.prototype.forEach.call(arguments, function (src) {
          var absolute = new URL(src, scriptUrl).href;
          pending = pending.then(function () {
            return loadScript(inner, absolute);
          });
        });
      };
      inner.importScripts(scriptUrl);
      /* Scripts may import more scripts while they run: wait until the chain stops growing. */
      function settled() {
        var current = pending;
        return current.then(function () {
          return current === pending ? inner : settled();
        });
      }
      return settled();
    });
  }

  FileWorker.prototype._emit = function (data) {
    var event = new MessageEvent("message", { data: data });
    if (typeof this.onmessage === "function") this.onmessage(event);
    this._listeners.forEach(function (listener) {
      listener(event);
    }, this);
  };
  FileWorker.prototype.addEventListener = function (type, listener) {
    if (type === "message") this._listeners.push(listener);
  };
  FileWorker.prototype.removeEventListener = function (type, listener) {
    this._listeners = this._listeners.filter(function (other) {
      return other !== listener;
    });
  };
  FileWorker.prototype.postMessage = function (data) {
    this._ready = this._ready.then(function (inner) {
      inner.dispatchEvent(new MessageEvent("message", { data: data }));
      return inner;
    });
  };
  FileWorker.prototype.terminate = function () {};

  window.Worker = FileWorker;
})();
