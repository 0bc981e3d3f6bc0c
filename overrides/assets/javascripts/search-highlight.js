/*
 * Sổ tay: a search result opens its page with the words found in the address (?h=chong lang ph).
 * Mark those words on the page the way the search box finds them: without marks, "d" for "đ", any
 * Unicode form, any case, so that "phap quy" marks "pháp quyền". A word typed with marks marks its
 * own spelling where the page has it. A word the page has nowhere whole (an unfinished "ph") marks
 * the words it starts.
 *
 * Material would mark them itself, but only spelt exactly as typed and only once it has the whole
 * search index, which search-index.js keeps from being downloaded until the reader searches. So
 * this script marks them, and takes ?h= out of the address before Material's bundle reads it (else
 * Material would mark them again, inside these marks, when the reader searches on this page).
 * Loaded just before Material's bundle, when the page's text is already there.
 */
(function () {
  "use strict";

  var url = new URL(location.href);
  var typed = (url.searchParams.get("h") || "").normalize("NFC").toLowerCase().trim();
  if (!typed) {
    return;
  }
  url.searchParams.delete("h");
  history.replaceState(history.state, "", url.href);

  var WORD = /[\p{L}\p{N}\p{M}]+/gu;
  var LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

  // as lunr.vi.min.js folds words in the search worker
  function fold(word) {
    return word.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
  }

  var content = document.querySelector(".md-content") || document.body;
  // visible text only, as Material does: not what a closed <details> or a tooltip holds
  var nodes = [];
  var walker = document.createTreeWalker(content, NodeFilter.SHOW_TEXT);
  for (var node = walker.nextNode(); node; node = walker.nextNode()) {
    var parent = node.parentElement;
    if (parent && parent.offsetHeight && !parent.closest("script, style, mark") && LETTER_OR_DIGIT.test(node.data)) {
      nodes.push(node);
    }
  }

  var words = new Set();
  nodes.forEach(function (text) {
    (text.data.normalize("NFC").match(WORD) || []).forEach(function (word) { words.add(word); });
  });
  var marked = new Set();
  typed.split(/\s+/).forEach(function (term) {
    term = term.replace(/\*/g, "");
    if (!term) {
      return;
    }
    var plain = fold(term);
    var all = Array.from(words);
    var exact = all.filter(function (word) { return word.toLowerCase() === term; });
    var whole = all.filter(function (word) { return fold(word) === plain; });
    var started = all.filter(function (word) { return fold(word).startsWith(plain); });
    (exact.length && term !== plain ? exact : whole.length ? whole : started).forEach(function (word) {
      marked.add(word);
    });
  });
  if (!marked.size) {
    return;
  }

  nodes.forEach(function (text) {
    var data = text.data.normalize("NFC");
    var pieces = [];
    var last = 0;
    data.replace(WORD, function (word, at) {
      if (marked.has(word)) {
        pieces.push(document.createTextNode(data.slice(last, at)));
        var mark = document.createElement("mark");
        mark.setAttribute("data-md-highlight", "");
        mark.textContent = word;
        pieces.push(mark);
        last = at + word.length;
      }
      return word;
    });
    if (pieces.length) {
      pieces.push(document.createTextNode(data.slice(last)));
      text.replaceWith.apply(text, pieces);
    }
  });
})();
