/*
 * Sổ tay: download the search index only when the reader starts a search.
 *
 * Material 9.8.1's bundle asks for the whole index as soon as any page opens: over http it requests
 * search/search_index.json (XMLHttpRequest); from file://, where a page may not read files, it adds
 * a <script> for search/search_index.js (`var __index = …`, written by the offline plugin) to the
 * head. At 1,000 pages that is over 300 KB gzip on every page opened, and a phone parses it on every
 * page, whether the reader searches or not.
 *
 * Loaded just before the bundle (overrides/main.html), this script holds that one request back and
 * lets it go, unchanged, when the reader starts a search: focuses the search box (a click, a tap on
 * the magnifier, Material's keyboard shortcuts), opens the search, or opens a page whose address
 * carries a search (?q=, Material's shared search links). Material waits for the index before it
 * starts its search worker, so nothing else changes. The words of a search result are marked on its
 * page by search-highlight.js, which needs no index.
 */
(function () {
  "use strict";

  var config = document.getElementById("__config");
  var form = document.forms.namedItem("search");
  if (!config || !form) {
    return;
  }
  var base = new URL(JSON.parse(config.textContent).base, location.href);
  var jsonIndex = new URL("search/search_index.json", base).href;
  var scriptIndex = new URL("search/search_index.js", base).href;
  var held = [];
  var started = false;

  var open = XMLHttpRequest.prototype.open;
  var send = XMLHttpRequest.prototype.send;
  var indexRequests = new WeakSet();
  var head = document.head;

  /* http: Material's request for search_index.json is sent when the search starts. */
  XMLHttpRequest.prototype.open = function (method, url) {
    if (new URL(String(url), location.href).href === jsonIndex) {
      indexRequests.add(this);
    }
    return open.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    var request = this;
    var args = arguments;
    if (!indexRequests.has(request)) {
      return send.apply(request, args);
    }
    indexRequests.delete(request);
    hold(function () { send.apply(request, args); });
  };

  /* file://: Material's <script> for search_index.js goes into the head when the search starts. */
  head.appendChild = function (node) {
    if (node instanceof HTMLScriptElement && node.src === scriptIndex) {
      hold(function () { Node.prototype.appendChild.call(head, node); });
      return node;
    }
    return Node.prototype.appendChild.call(this, node);
  };

  function hold(release) {
    if (started) {
      release();
    } else {
      held.push(release);
    }
  }

  function start() {
    if (started) {
      return;
    }
    started = true;
    document.removeEventListener("focusin", onFocus, true);
    held.splice(0).forEach(function (release) { release(); });
  }

  var input = form.elements.namedItem("query");
  var toggle = document.getElementById("__search");

  function onFocus(event) {
    if (event.target === input) {
      start();
    }
  }

  document.addEventListener("focusin", onFocus, true);
  if (toggle) {
    toggle.addEventListener("change", function () {
      if (toggle.checked) {
        start();
      }
    });
  }
  if (new URL(location.href).searchParams.has("q") || document.activeElement === input) {
    start();
  }
})();
