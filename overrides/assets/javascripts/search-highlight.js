/*
 * Sổ tay: a search result opens its page with the reader's words in the address (?h=phap quy), and
 * Material marks them on the page only where they are spelt exactly so. Before Material reads the
 * address, add the page's own words that those words stand for, found the way the search box finds
 * them (without marks, "d" for "đ", any Unicode form): then "phap quy" marks "pháp quyền".
 * Loaded just before Material's bundle, when the page's text is already there.
 */
(function () {
  "use strict";

  var url = new URL(location.href);
  var typed = (url.searchParams.get("h") || "").normalize("NFC").trim();
  if (!typed) {
    return;
  }

  // as lunr.vi.min.js folds words in the search worker
  function fold(word) {
    return word.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
  }

  var terms = typed.split(/\s+/).map(fold);
  var last = terms.length - 1;
  var content = document.querySelector(".md-content") || document.body;
  var words = new Set(content.textContent.normalize("NFC").split(/[^\p{L}\p{N}\p{M}]+/u));
  var found = [];
  words.forEach(function (word) {
    var plain = fold(word);
    // finished words match whole, the last one (perhaps unfinished) as the start of a word
    if (word && terms.some(function (term, i) { return i === last ? plain.startsWith(term) : plain === term; })) {
      found.push(word);
    }
  });
  if (found.length) {
    // Material tries the words in the order given: the longest first, so "phí" is marked whole
    // rather than its start "ph"
    found.sort(function (a, b) { return b.length - a.length; });
    url.searchParams.set("h", found.join(" ") + " " + typed);
    history.replaceState(history.state, "", url.href);
  }
})();
