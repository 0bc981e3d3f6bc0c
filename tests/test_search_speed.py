"""What keeps the search light and quick, in real Chromium on the real content, from file:// and http:
a page downloads the search index only once the reader starts a search (search-index.js), the
page a search result opens marks the words without it (search-highlight.js), and the worker's
faster lunr (lunr.speedup.js) builds lunr's own index and gives lunr's own scores.

How quick it is, is measured by bench/search.py, never here.
"""

from __future__ import annotations

import re

import pytest
import yaml

from browser import chromium, guarded_context, serve_directory, site_url
from conftest import ROOT

PHONE = {"width": 412, "height": 860}
WANTED = "ky-nguyen-moi/dinh-huong/chong-lang-phi.html"


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


@pytest.fixture(params=["file", "http"])
def root(request, real_site):
    if request.param == "file":
        yield site_url(real_site)
    else:
        with serve_directory(real_site) as base:
            yield base


@pytest.fixture
def phone(browser, root):
    """(page, requested URLs, log) in a phone-sized window; nothing opened yet."""
    context, log = guarded_context(browser, root, viewport=PHONE)
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    yield page, requested, log
    context.close()


def index_requests(urls: list[str]) -> list[str]:
    return [url for url in urls if "/search/search_index." in url]


def search_on_phone(page, text: str) -> None:
    """Tap the magnifier, type text and wait until the wanted page is the first result."""
    page.locator("label.md-header__button[for=__search]").click()
    box = page.locator("input.md-search__input")
    box.press_sequentially(text)
    box.press("Shift")  # Material searches on keyup (see test_search.SearchBox.search)
    wait_first_result(page, WANTED)


def wait_first_result(page, path: str) -> None:
    page.wait_for_function("path => { const a = document.querySelector('.md-search-result__item a');"
                           " return a !== null && new URL(a.href).pathname.endsWith(path); }", arg=path,
                           timeout=60_000)


def test_index_is_downloaded_when_the_reader_starts_a_search(phone, root):
    page, requested, log = phone
    page.goto(root + "index.html")
    page.wait_for_load_state("networkidle")
    # Material has set its search up (its worker is there) and waits: the index is not downloaded
    assert any("/workers/search." in url for url in requested), requested
    assert index_requests(requested) == []
    search_on_phone(page, "chong lang phi")
    expected = "search_index.js" if root.startswith("file:") else "search_index.json"
    assert [url.rsplit("/", 1)[1] for url in index_requests(requested)] == [expected]
    assert log.outside == [], f"requests outside the site: {log.outside}"
    assert log.errors == [], f"errors in the page: {log.errors}"


def test_result_page_marks_the_words_without_the_index(phone, root):
    page, requested, log = phone
    page.goto(root + "index.html")
    search_on_phone(page, "chong lang ph")
    requested.clear()
    with page.expect_navigation():
        page.locator(".md-search-result__item a").first.click()
    page.wait_for_load_state("networkidle")
    assert page.url.split("?")[0].endswith(WANTED) and "h=" not in page.url
    marks = page.eval_on_selector_all("mark[data-md-highlight]", "marks => marks.map(m => m.textContent)")
    assert {"chống", "lãng", "phí"} <= {mark.lower() for mark in marks}, marks
    assert page.eval_on_selector_all("mark mark", "marks => marks.length") == 0
    assert index_requests(requested) == []
    # searching on that page afterwards marks nothing twice
    search_on_phone(page, "chong lang phi")
    assert page.eval_on_selector_all("mark mark", "marks => marks.length") == 0
    assert log.outside == [] and log.errors == [], (log.outside, log.errors)


def test_search_link_downloads_the_index_at_once(phone, root):
    """Material's shared search links (?q=) open the search with the query typed."""
    page, requested, log = phone
    page.goto(root + "index.html?q=chong+lang+phi")
    wait_first_result(page, WANTED)
    assert len(index_requests(requested)) == 1
    assert log.outside == [] and log.errors == [], (log.outside, log.errors)


# in the file:// worker frame: lunr's own Builder against lunr.speedup's, and lunr.vi's search
# with lunr.speedup's scoring against the same search with lunr's own query loop
COMPARE = """queries => {
  const docs = parent.__index.docs;
  function build() {
    return lunr(function () {
      this.ref("location");
      this.field("title", { boost: 5 });
      this.field("text");
      this.metadataWhitelist = ["position"];
      this.use(lunr.vi);
      docs.forEach(doc => this.add(doc));
    });
  }
  const fast = build();
  const prototype = lunr.Builder.prototype;
  const own = { add: prototype.add, createFieldVectors: prototype.createFieldVectors };
  Object.assign(prototype, lunr.speedup.replaced);
  const slow = build();
  Object.assign(prototype, own);
  const speedup = lunr.speedup;
  // the words matched, and per field the positions to mark (which of a word and its twin keeps a
  // shared position depends on the order the words were matched in)
  const matched = metadata => {
    const fields = {};
    Object.values(metadata).forEach(byField => Object.entries(byField).forEach(([field, data]) => {
      fields[field] = (fields[field] || []).concat(data.position);
    }));
    return [Object.keys(metadata).sort(), Object.keys(fields).sort().map(f => [f, fields[f].sort()])];
  };
  const run = query => JSON.stringify(fast.search(query).map(r =>
    [r.ref, r.score.toPrecision(12), matched(r.matchData.metadata)]).sort());
  const differ = queries.filter(query => {
    const ours = run(query);
    lunr.speedup = undefined;
    const lunrs = run(query);
    lunr.speedup = speedup;
    return ours !== lunrs;
  });
  const found = queries.filter(query => fast.search(query).length > 0).length;
  return { sameIndex: JSON.stringify(fast.toJSON()) === JSON.stringify(slow.toJSON()), differ, found };
}"""


@pytest.mark.parametrize("root", ["file"], indirect=True)
def test_speedup_gives_lunrs_own_index_and_scores(phone, root):
    page, _, log = phone
    page.goto(root + "index.html")
    search_on_phone(page, "chong lang phi")
    frame = next(frame for frame in page.frames if frame != page.main_frame)
    assert frame.evaluate("() => typeof lunr.speedup.scoreClauses") == "function"
    cases = yaml.safe_load((ROOT / "tests" / "search_cases.yml").read_text(encoding="utf-8"))
    # as Material hands queries to lunr: every word may be unfinished
    queries = [" ".join(word + "*" for word in re.split(r"[\s\-/.,;:!?\"“”()]+", case["query"]) if word)
               for case in cases]
    queries += ["+đảng viên", "đảng -viên", "title:kế hoạch*", "đảng^5 bộ", "*phí", "+khôngcó đảng"]
    result = frame.evaluate(COMPARE, queries)
    assert result["sameIndex"], "lunr.speedup's Builder built another index than lunr's"
    assert result["differ"] == [], "queries scored differently from lunr's own loop"
    assert result["found"] >= len(cases)
    assert log.outside == [] and log.errors == [], (log.outside, log.errors)
