/*
 * How search is set up on every page, in three parts below: Material's search
 * uses our forgiving worker; on file:// a stand-in for Web Workers; search words
 * never reach a server in a URL.
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
 * Opened from disk (file://), browsers refuse to start a Web Worker from a
 * file, which Material's search needs. The offline zip's search_index.js
 * (which Material loads with a script tag there) carries the worker's source
 * too: it starts a real worker from a Blob, so the index is built off the
 * page's thread and typing stays responsive. Where it is missing (a site
 * folder opened from disk), or the site searches in other languages
 * (whose lunr files the worker would import from disk), the worker runs in a
 * hidden frame of this page instead. Only ever used on file://.
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
    if (!inner) inner = new FileWorker(proxy._url);
    inner.addEventListener("message", function (event) {
      proxy._emit(event.data);
    });
    return Promise.resolve(inner);
  };
  OfflineWorker.prototype.postMessage = function (data) {
    if (!this._inner) this._inner = this._start(data);
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


/*
 * Search words stay in the browser. With Material's `search.highlight`, every result
 * link carries the words (`page/?h=laid+off`), so following it would send them to the
 * server and its logs (instant navigation fetches that URL; a plain click requests it).
 * Links lose the parameter as soon as they are drawn; a click keeps the words for the
 * next page in sessionStorage (this tab only, never sent), where they are highlighted here.
 */
(function () {
  "use strict";
  var KEY = "selfhelp:search-highlight";

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

  function highlight() {
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
