"""The search box as Vietnamese readers use it, in real Chromium on the real content: with or without
tone marks, "d" for "đ", NFD, any case, unfinished words, old or new tone placement, document
numbers; from file:// (a copy on a USB stick) and from http://; nothing requested outside the site.

The cases are in tests/search_cases.yml. Run with -s to see the accuracy printed per mode.
"""

from __future__ import annotations

import json
import re
import statistics
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from browser import chromium, guarded_context, serve_directory, site_url, worker_probe

CASES_FILE = Path(__file__).with_name("search_cases.yml")
FIRST_AT_LEAST = 0.90
TOP_FIVE_AT_LEAST = 0.98
KINDS = {"accented", "unaccented", "d-for-dd", "nfd", "case", "partial", "punctuation", "tone-place",
         "mixed", "number"}

# Material's page sends every query to its search worker (message type 2) and renders each answer
# (type 3). The probe wraps whichever Worker the page installs (the browser's, or the file:// iframe
# polyfill) and counts both, so the test reads the results of the last query typed, not of an
# earlier keystroke. It observes; the worker and Material's code run unchanged.
WORKER_PROBE = worker_probe("""
  const probe = window.__searchProbe = { sent: [], sentAt: [], received: 0, receivedAt: [] };
  function watch(worker) {
    const post = worker.postMessage;
    worker.postMessage = function (message) {
      if (message && message.type === 2) {
        probe.sent.push(message.data);
        probe.sentAt.push(performance.now());
      }
      return post.apply(this, arguments);
    };
    worker.addEventListener("message", event => {
      if (event.data && event.data.type === 3) {
        probe.received += 1;
        probe.receivedAt.push(performance.now());
      }
    });
    return worker;
  }
""")

ANSWERED = """query => {
  const probe = window.__searchProbe;
  return probe.sent.length > 0 && probe.sent[probe.sent.length - 1] === query
    && probe.received === probe.sent.length;
}"""

NEXT_FRAME = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"


@dataclass(frozen=True)
class Case:
    kind: str
    query: str
    page: str
    also: tuple[str, ...] = ()

    @property
    def pages(self) -> tuple[str, ...]:
        return (self.page, *self.also)

    def rank(self, results: list[str]) -> int | None:
        """1 for first; None when no right page is among the results shown."""
        ranks = [results.index(page) + 1 for page in self.pages if page in results]
        return min(ranks) if ranks else None

    @property
    def typed(self) -> str:
        """What the reader's keyboard sends: NFD cases are decomposed here, the file stays NFC."""
        return unicodedata.normalize("NFD", self.query) if self.kind == "nfd" else self.query


def load_cases() -> list[Case]:
    entries = yaml.safe_load(CASES_FILE.read_text(encoding="utf-8"))
    cases = [Case(**{**entry, "also": tuple(entry.get("also", ()))}) for entry in entries]
    for case in cases:
        assert case.kind in KINDS, f"{case}: unknown kind"
        assert isinstance(case.query, str) and case.query.strip(), f"{case}: the query must be text"
        if case.kind == "nfd":
            assert case.typed != case.query, f"{case}: an NFD case needs letters with marks"
    return cases


@pytest.fixture(scope="module")  # Playwright's sync API runs one browser at a time: each module its own
def browser():
    with chromium() as browser:
        yield browser


@pytest.fixture(scope="session")
def http_root(real_site):
    with serve_directory(real_site) as base:
        yield base


@pytest.fixture(params=["file", "http"])
def mode(request) -> str:
    return request.param


@pytest.fixture
def opened(mode, browser, real_site, request):
    """(search box, request log) on the home page, opened from file:// or from http://127.0.0.1."""
    root = site_url(real_site) if mode == "file" else request.getfixturevalue("http_root")
    context, log = guarded_context(browser, root, viewport={"width": 1280, "height": 900})
    context.add_init_script(WORKER_PROBE)
    page = context.new_page()
    page.goto(root + "index.html")
    yield SearchBox(page, root), log
    context.close()


class SearchBox:
    """Material's search box, typed into as a reader does."""

    def __init__(self, page, root: str):
        self.page = page
        self.root = root
        self.input = page.locator("input.md-search__input")

    def search(self, query: str) -> list[str]:
        """Type query; the result pages (site paths), best first."""
        self.input.click()
        self.input.press("Control+A")
        self.input.press("Backspace")
        self.input.press_sequentially(query)
        # Playwright types letters outside the US layout as text, without key events, and Material
        # searches on keyup; a Vietnamese keyboard (Telex, VNI) sends keys for every letter, so
        # release one after the last letter as the reader's fingers do
        self.input.press("Shift")
        self.page.wait_for_function(ANSWERED, arg=query, timeout=60_000)
        self.page.evaluate(NEXT_FRAME)
        links = self.page.eval_on_selector_all(
            ".md-search-result__item", "items => items.map(item => item.querySelector('a').href)")
        return [self.site_path(link) for link in links]

    def site_path(self, url: str) -> str:
        parts = urlsplit(url)
        path = f"{parts.scheme}://{parts.netloc}{parts.path}"
        return path[len(self.root):] if path.startswith(self.root) else url

    def last_latency_ms(self) -> float:
        """From the keystroke that sent the last query to its results reaching the page."""
        return self.page.evaluate(
            "() => { const p = window.__searchProbe; return p.receivedAt.at(-1) - p.sentAt.at(-1); }")

    def worker_frame(self):
        """The iframe the file:// polyfill runs the worker in."""
        frames = [frame for frame in self.page.frames if frame != self.page.main_frame]
        assert len(frames) == 1, "expected one iframe running the search worker"
        return frames[0]


def test_cases_name_pages_that_exist(real_site):
    missing = [case for case in load_cases() if not all((real_site / page).is_file() for page in case.pages)]
    assert not missing, "cases whose page is not in the built site:\n" + "\n".join(map(str, missing))
    assert len(load_cases()) >= 60


def test_search_finds_what_readers_type(opened, mode, capsys):
    box, log = opened
    cases = load_cases()
    ranks, latencies, misses = [], [], []
    for case in cases:
        results = box.search(case.typed)
        latencies.append(box.last_latency_ms())
        rank = case.rank(results)
        ranks.append(rank)
        if rank != 1:
            misses.append(f"  {case.kind:12} {case.query!r}: wanted {case.page} at {rank or '-'}; "
                          f"got {results[:3]}")
    first = sum(rank == 1 for rank in ranks) / len(cases)
    top_five = sum(rank is not None and rank <= 5 for rank in ranks) / len(cases)
    by_kind = {}
    for case, rank in zip(cases, ranks):
        hits = by_kind.setdefault(case.kind, [0, 0])
        hits[0] += rank == 1
        hits[1] += 1
    report = (f"search from {mode}: {len(cases)} cases, wanted page first {first:.1%}, in top five "
              f"{top_five:.1%}; median {statistics.median(latencies):.0f} ms from the last keystroke "
              f"to results\n  first by kind: "
              + ", ".join(f"{kind} {hit}/{total}" for kind, (hit, total) in sorted(by_kind.items()))
              + ("\n" + "\n".join(misses) if misses else ""))
    with capsys.disabled():
        print("\n" + report)
    assert first >= FIRST_AT_LEAST and top_five >= TOP_FIVE_AT_LEAST, report
    assert log.outside == [], f"requests outside the site: {log.outside}"
    assert log.errors == [], f"errors in the page: {log.errors}"


def test_result_opens_page_marking_the_words(opened):
    """The result opens its page, which marks the words typed without marks in their own spelling,
    and still nothing is requested outside the site."""
    box, log = opened
    assert box.search("chong lang ph")[0] == "ky-nguyen-moi/dinh-huong/chong-lang-phi.html"
    with box.page.expect_navigation():
        box.page.locator(".md-search-result__item a").first.click()
    assert urlsplit(box.page.url).path.endswith("ky-nguyen-moi/dinh-huong/chong-lang-phi.html")
    assert "Về chống lãng phí" in box.page.locator("h1").first.text_content()
    box.page.wait_for_selector("mark[data-md-highlight]")
    marked = box.page.eval_on_selector_all("mark[data-md-highlight]", "marks => marks.map(m => m.textContent)")
    marks = {word.lower() for text in marked for word in text.split()}  # Material joins neighbours
    assert {"chống", "lãng", "phí"} <= marks, marks
    assert all(fold(mark).startswith(("chong", "lang", "ph")) for mark in marks), marks
    assert log.outside == [], f"requests outside the site: {log.outside}"
    assert log.errors == [], f"errors in the page: {log.errors}"


@pytest.mark.parametrize("mode", ["http"], indirect=True)
def test_highlight_marks_the_original_words(opened):
    """A query without marks highlights the accented words it matched, each exactly once."""
    box, _ = opened
    box.search("ke hoach hanh dong")
    marks = box.page.eval_on_selector_all(".md-search-result__item mark", "marks => marks.map(m => m.textContent)")
    nested = box.page.eval_on_selector_all(".md-search-result__item mark mark", "marks => marks.length")
    assert nested == 0, "a word wrapped in <mark> twice"
    assert {"kế", "hoạch", "hành", "động"} <= {mark.lower() for mark in marks}, marks
    folded = {fold(mark.lower()) for mark in marks}
    assert all(word.startswith(("ke", "hoach", "hanh", "dong")) for word in folded), marks


@pytest.mark.parametrize("mode", ["http"], indirect=True)
@pytest.mark.parametrize("query", ["dẫn dắt", "đô thị", "thủ đô", "tỉnh ủy", "lãng phí"])
def test_marks_typed_rank_exact_spelling_first(opened, real_site, query):
    """Typed with marks, words find the pages with that very spelling first; typed without, they
    also find every other spelling (dẫn dắt: dân, đất, đạt ...)."""
    box, _ = opened
    texts = page_texts(real_site)
    exact = {page for page, text in texts.items() if has_spelling(text, query)}
    assert exact, f"no page has {query!r}: pick another query"
    with_marks = box.search(query)
    shown = min(5, len(exact))
    assert set(with_marks[:shown]) <= exact, (query, with_marks[:shown], sorted(exact))
    without_marks = box.search(fold(query))
    assert exact & set(without_marks[:10])
    assert len(without_marks) >= len(with_marks)


@pytest.mark.parametrize("mode", ["file"], indirect=True)
def test_fold_and_normalize_in_the_worker(opened):
    """The Vietnamese functions of lunr.vi.min.js, evaluated where they run (the worker's iframe)."""
    box, _ = opened
    box.search("a")
    frame = box.worker_frame()
    forms = {"Đảng ủy": "đảng ủy", "Hoà": "hòa", "THUỶ": "thủy", "khoẻ": "khỏe", "quý": "quý",
             "hoàng": "hoàng", "thuyền": "thuyền", "“Kỷ": "kỷ", "(5)": "5", "284-kh": "284-kh",
             unicodedata.normalize("NFD", "Nhà nước"): "nhà nước"}
    normalized = frame.evaluate("words => words.map(w => lunr.vi.normalize(w))", list(forms))
    assert normalized == list(forms.values())
    pairs = {"đảng ủy": "dang uy", "Đống Đa": "Dong Da", "hòa": "hoa", "nghiêng": "nghieng",
             "ưu": "uu", "thuở": "thuo", "284": "284", unicodedata.normalize("NFD", "số"): "so"}
    folded = frame.evaluate("words => words.map(w => lunr.vi.fold(w))", list(pairs))
    assert folded == list(pairs.values())
    terms = frame.evaluate("terms => terms.map(t => lunr.vi.normalizeTerm(t))", ["hoà*", "“*", "*THUỶ"])
    assert terms == ["hòa*", "“*", "*thủy"]


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("đ", "d").replace("Đ", "D")


def has_spelling(text: str, query: str) -> bool:
    """Every word of query in text as a whole word, the last one as the start of a word (as the
    search box treats the word being typed)."""
    *words, last = query.lower().split()
    return all(re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text) for word in words) and bool(
        re.search(rf"(?<!\w){re.escape(last)}", text))


def page_texts(site: Path) -> dict[str, str]:
    """Each page's indexed title and text (NFC, lower case, tags removed), from the search index."""
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    texts: dict[str, str] = {}
    for doc in index["docs"]:
        page = doc["location"].split("#")[0] or "index.html"
        text = re.sub(r"<[^>]+>", " ", f"{doc['title']} {doc['text']}")
        texts[page] = texts.get(page, "") + " " + unicodedata.normalize("NFC", text).lower()
    return texts
