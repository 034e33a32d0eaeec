/*
 * Only in the offline zip: offline_zip.py adds this script on every page of
 * the file:// copy, right before Material's bundle, which starts its search
 * worker. The served site never loads it.
 */
/*
 * Opened from disk (file://), browsers refuse to start a Web Worker from a
 * file, which Material's search needs. The offline zip's search_index.js
 * (which Material loads with a script tag there) carries the worker's source
 * too: it starts a real worker from a Blob, so the index is built off the
 * page's thread and typing stays responsive. Where it is missing (a site
 * folder opened from disk), or the site searches in other languages
 * (whose lunr files the worker would import from disk), the worker runs in a
 * hidden frame of this page instead. The zip's index carries its documents
 * as JSON text, parsed by the worker (offline_zip.WORKER_PRELUDE), or here
 * for the frame. Only ever used on file://.
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
      /* A worker's importScripts runs the scripts before it returns; a frame can only load them in turn. Material's
         worker awaits what importScripts returns before it uses a language's lunr files, so return the loads. */
      inner.importScripts = function () {
        Array.prototype.forEach.call(arguments, function (src) {
          var absolute = new URL(src, scriptUrl).href;
          pending = pending.then(function () {
            return loadScript(inner, absolute);
          });
        });
        return pending;
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

  var SEARCH_SETUP = 0; /* Material's message type for the index. */

  /* Decides on the first message (the index, with its languages) between a Blob worker and the frame. */
  function OfflineWorker(url) {
    this.onmessage = null;
    this._listeners = [];
    this._url = new URL(url, location.href).href;
    this._inner = null;
  }
  OfflineWorker.prototype._emit = FileWorker.prototype._emit;
  OfflineWorker.prototype.addEventListener = FileWorker.prototype.addEventListener;
  OfflineWorker.prototype.removeEventListener = FileWorker.prototype.removeEventListener;
  OfflineWorker.prototype._start = function (first) {
    var proxy = this;
    var config = first && first.type === SEARCH_SETUP && first.data && first.data.config;
    var english = !config || !config.lang || (config.lang.length === 1 && config.lang[0] === "en");
    var source = self.__selfhelpWorkerSource; /* set by the zip's search_index.js, loaded before the index is sent */
    var inner = null;
    if (typeof source === "string" && english) {
      try {
        inner = new Worker(URL.createObjectURL(new Blob([source], { type: "text/javascript" })));
      } catch (error) {
        inner = null;
      }
    }
    if (!inner) {
      inner = new FileWorker(proxy._url);
      proxy._parse = true; /* the frame's worker has no prelude: the documents are parsed here */
    }
    inner.addEventListener("message", function (event) {
      proxy._emit(event.data);
    });
    return Promise.resolve(inner);
  };
  OfflineWorker.prototype.postMessage = function (data) {
    var proxy = this;
    if (!this._inner) this._inner = this._start(data);
    if (data && data.type === SEARCH_SETUP && data.data && typeof data.data.docs === "string") {
      this._inner = this._inner.then(function (inner) {
        if (proxy._parse) data.data.docs = JSON.parse(data.data.docs);
        return inner;
      });
    }
    this._inner = this._inner.then(function (inner) {
      inner.postMessage(data);
      return inner;
    });
  };
  OfflineWorker.prototype.terminate = function () {
    if (this._inner) this._inner.then(function (inner) { inner.terminate(); });
  };

  var Worker = window.Worker;
  window.Worker = OfflineWorker;
})();
