/*
 * Sổ tay: run Material's search worker in a hidden iframe when the handbook is opened from the file
 * system (file://, a copy on a USB stick), where browsers refuse to start a Web Worker. Material's
 * offline plugin would fetch the "iframe-worker" shim from unpkg.com for this; the handbook loads
 * nothing from outside itself, so overrides/main.html loads this file instead.
 *
 * The contract with Material's worker (search.*.min.js): it finds `IFrameWorker` on its parent
 * window, takes the base URL of its stemmers from the first script with a src in its document, and
 * awaits importScripts (which here waits, too, for the imports of the scripts it loads). Messages
 * are copied (structured clone) in both directions, as with a worker.
 */
(function () {
  "use strict";

  if (location.protocol !== "file:" || "IFrameWorker" in window) {
    return;
  }

  function copy(data, realm) {
    return typeof realm.structuredClone === "function"
      ? realm.structuredClone(data)
      : realm.JSON.parse(JSON.stringify(data));
  }

  /* Load scripts into the iframe in the order given, as importScripts does; resolve when all ran. */
  function load(scope, urls, base) {
    var doc = scope.document;
    return Promise.all(urls.map(function (url) {
      return new Promise(function (resolve, reject) {
        var script = doc.createElement("script");
        script.async = false;
        script.src = new URL(url, base).href;
        script.onload = function () { resolve(); };
        script.onerror = function () { reject(new Error("could not load " + script.src)); };
        doc.head.appendChild(script);
      });
    })).then(function () {});
  }

  class IFrameWorker extends EventTarget {
    constructor(url) {
      super();
      this.onmessage = null;
      this.onerror = null;
      this.url = new URL(String(url), document.baseURI).href;
      this.pending = [];
      this.frame = document.createElement("iframe");
      this.frame.hidden = true;
      this.frame.tabIndex = -1;
      this.frame.setAttribute("aria-hidden", "true");
      this.frame.title = "search worker";
      this.frame.srcdoc = "<!doctype html><meta charset=utf-8><title>search worker</title>";
      this.frame.addEventListener("load", this.start.bind(this), { once: true });
      (document.body || document.documentElement).appendChild(this.frame);
    }

    start() {
      var worker = this;
      var scope = this.frame && this.frame.contentWindow;
      if (!scope) {
        return;
      }
      this.scope = scope;
      var imports = Promise.resolve();
      scope.importScripts = function () {
        var own = load(scope, Array.prototype.slice.call(arguments), worker.url);
        // a script may import others while it runs (lunr.vi.min.js does), and a worker has those
        // loaded before it goes on: wait for every import made until these scripts have run
        imports = Promise.all([imports, own]);
        return own.then(function () { return imports; }).then(function () {});
      };
      scope.postMessage = function (data) {
        worker.emit(new MessageEvent("message", { data: copy(data, window) }));
      };
      scope.close = function () {
        worker.terminate();
      };
      scope.addEventListener("error", function (event) {
        worker.emit(new ErrorEvent("error", { message: event.message, filename: event.filename,
                                              lineno: event.lineno, colno: event.colno, error: event.error }));
      });
      load(scope, [this.url], this.url).then(function () {
        var pending = worker.pending;
        worker.pending = null;
        pending.forEach(function (data) { worker.deliver(data); });
      }, function (error) {
        worker.emit(new ErrorEvent("error", { message: error.message, error: error }));
      });
    }

    postMessage(data) {
      if (!this.frame) {
        return;
      }
      if (this.pending) {
        this.pending.push(copy(data, window));
      } else {
        this.deliver(data);
      }
    }

    deliver(message) {
      var scope = this.scope;
      var data = copy(message, scope);
      setTimeout(function () {
        scope.dispatchEvent(new scope.MessageEvent("message", { data: data }));
      }, 0);
    }

    emit(event) {
      var worker = this;
      setTimeout(function () {
        if (!worker.frame) {
          return;
        }
        worker.dispatchEvent(event);
        var handler = worker["on" + event.type];
        if (typeof handler === "function") {
          handler.call(worker, event);
        }
      }, 0);
    }

    terminate() {
      if (this.frame) {
        this.frame.remove();
      }
      this.frame = this.scope = this.pending = null;
    }
  }

  window.IFrameWorker = IFrameWorker;
  window.Worker = IFrameWorker;
})();
