"""The whole real site in Debian's chromium, as readers open it: every HTML page (404.html too)
from file:// (a USB stick) and from a server on 127.0.0.1 under a sub-path (/so-tay/), on a
360-px-wide phone screen, with every other host blocked. No page may request anything outside the
site, log a console or page error, lack exactly one <h1>, or scroll sideways; every link and anchor
inside the site must resolve (checked in the HTML files). Then navigation from file://, and search,
links and the 404 page under the sub-path.

Search itself is tested in tests/test_search.py and printing in tests/test_print.py.
"""

from __future__ import annotations

import os
import posixpath
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from browser import chromium, guarded_context, serve_directory, site_url

SUB_PATH = "so-tay/"
PHONE = {"width": 360, "height": 740}

PAGE_FACTS = """() => ({
  h1: document.querySelectorAll("h1").length,
  scrollWidth: document.scrollingElement.scrollWidth,
  clientWidth: document.scrollingElement.clientWidth,
})"""


class _Anchors(HTMLParser):
    """The ids a page has and the URLs it refers to: (tag, attribute, value)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.refs: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (tag == "a" and name == "name"):
                self.ids.add(value)
            elif (tag, name) in {("a", "href"), ("link", "href"), ("script", "src"), ("img", "src"),
                                 ("iframe", "src"), ("source", "src")}:
                self.refs.append((tag, name, value))


def read_pages(site: Path) -> dict[str, _Anchors]:
    pages = {}
    for html_file in sorted(site.rglob("*.html")):
        parser = _Anchors()
        parser.feed(html_file.read_text(encoding="utf-8"))
        pages[html_file.relative_to(site).as_posix()] = parser
    return pages


def heading(page) -> str:
    """The page's <h1> as read, without the permalink mark."""
    return page.locator("h1").text_content().replace("¶", "").strip()


def html_pages(site: Path) -> list[str]:
    return sorted(path.relative_to(site).as_posix() for path in site.rglob("*.html"))


@pytest.fixture(scope="module")
def site(handout_build) -> Path:
    """The real content, built once per session with its PDF handouts (tests/conftest.py)."""
    return handout_build["site"]


@pytest.fixture(scope="module")
def browser():
    with chromium() as running:
        yield running


@pytest.fixture(scope="module")
def sub_path_server(site, tmp_path_factory):
    """The site served at http://127.0.0.1:PORT/so-tay/, with its 404 page for missing paths:
    (server base URL, site URL)."""
    root = tmp_path_factory.mktemp("intranet")
    os.symlink(site, root / SUB_PATH.rstrip("/"))
    with serve_directory(root, not_found=site / "404.html") as base:
        yield base, base + SUB_PATH


def test_every_link_and_anchor_inside_the_site_resolves(site):
    pages = read_pages(site)
    assert len(pages) >= 60 and "404.html" in pages
    broken, outside, checked = [], set(), 0
    for page, anchors in pages.items():
        for tag, attribute, value in anchors.refs:
            parts = urlsplit(value)
            if parts.scheme or parts.netloc:
                assert parts.scheme in ("http", "https", "mailto", "tel"), f"{page}: {tag} {attribute}={value}"
                outside.add(value)
                continue
            if parts.path.startswith("/"):
                broken.append(f"{page}: {value} (from the server's root: fails from file:// and under a sub-path)")
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(parts.path))) \
                if parts.path else page
            checked += 1
            if target.startswith("../") or not (site / target).is_file():
                broken.append(f"{page}: {value} ({target} is not a file of the site)")
            elif parts.fragment and tag == "a":
                ids = pages[target].ids if target in pages else set()
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{page}: {value} (no id '{parts.fragment}' in {target})")
    assert broken == [], f"{len(broken)} broken links or anchors:\n" + "\n".join(broken)
    assert checked > 1000, checked  # the checker saw the site (about 60 links a page)
    # links to the web are links, not requests; the browser tests below block them all
    assert len(outside) < 50, sorted(outside)


@pytest.mark.parametrize("mode", ["file", "http"])
def test_every_page_opens_cleanly_on_a_phone(mode, site, browser, request):
    """0 outside requests, 0 console or page errors, one <h1>, nothing wider than 360 px."""
    if mode == "file":
        base = site_url(site)
    else:
        base = request.getfixturevalue("sub_path_server")[1]
    context, log = guarded_context(browser, base, viewport=PHONE)
    page = context.new_page()
    problems: dict[str, list[str]] = {}
    pages = html_pages(site)
    for path in pages:
        errors_before = len(log.errors)
        page.goto(base + path, wait_until="load")
        facts = page.evaluate(PAGE_FACTS)
        found = log.errors[errors_before:]
        if facts["h1"] != 1:
            found.append(f"{facts['h1']} <h1> elements")
        if facts["scrollWidth"] > facts["clientWidth"]:
            found.append(f"{facts['scrollWidth']} px wide on a {facts['clientWidth']} px screen")
        if found:
            problems[path] = found
    page.wait_for_timeout(200)  # the last page's late requests and errors
    context.close()
    assert log.outside == [], f"requests outside the site: {log.outside}"
    assert problems == {}, problems
    assert log.errors == [], log.errors
    assert len(pages) >= 60


def test_navigation_works_from_a_file_url(site, browser):
    """Double-clicked index.html on a USB stick: the phone's menu, a section of the navigation, a
    link in the text and the footer's next link all open their pages from file://."""
    base = site_url(site)
    context, log = guarded_context(browser, base, viewport=PHONE)
    page = context.new_page()
    page.goto(base + "index.html")
    page.click("label.md-header__button[for='__drawer']")
    with page.expect_navigation():
        page.locator(".md-nav--primary a.md-nav__link", has_text="Lịch sinh hoạt").first.click()
    assert page.url == base + "lich.html"
    assert heading(page) == "Lịch sinh hoạt"

    page.set_viewport_size({"width": 1280, "height": 900})
    with page.expect_navigation():  # a section opens its index page (navigation.indexes)
        page.locator(".md-nav--primary a.md-nav__link", has_text="Văn bản").first.click()
    assert page.url == base + "van-ban/index.html"
    first_document = page.locator("article table a").first
    title = first_document.text_content().strip()
    with page.expect_navigation():
        first_document.click()
    assert page.url.startswith(base + "van-ban/") and title in heading(page)
    next_page = page.locator("a.md-footer__link--next")
    expected = next_page.get_attribute("href")
    with page.expect_navigation():
        next_page.click()
    assert page.url == base + posixpath.normpath(posixpath.join("van-ban", expected))
    assert page.locator("h1").count() == 1
    context.close()
    assert log.outside == [] and log.errors == [], (log.outside, log.errors)


def test_search_and_links_under_a_sub_path(sub_path_server, browser):
    """At http://intranet/so-tay/ (here 127.0.0.1): search finds and opens pages, which stay
    under /so-tay/; nothing is asked of the server's root."""
    from test_search import WORKER_PROBE, SearchBox

    _, base = sub_path_server
    context, log = guarded_context(browser, base, viewport={"width": 1280, "height": 900})
    context.add_init_script(WORKER_PROBE)
    page = context.new_page()
    page.goto(base + "ky-nguyen-moi/index.html")
    box = SearchBox(page, base)
    results = box.search("chong lang phi")
    assert results[0] == "ky-nguyen-moi/dinh-huong/chong-lang-phi.html", results
    hrefs = page.eval_on_selector_all(".md-search-result__item a", "links => links.map(a => a.href)")
    assert hrefs and all(href.startswith(base) for href in hrefs), hrefs
    with page.expect_navigation():
        page.locator(".md-search-result__item a").first.click()
    assert urlsplit(page.url).path == "/" + SUB_PATH + "ky-nguyen-moi/dinh-huong/chong-lang-phi.html"
    links = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    inside = [link for link in links if link.startswith("http://127.0.0.1")]
    assert inside and all(link.startswith(base) for link in inside), [l for l in inside if not l.startswith(base)]
    context.close()
    assert log.outside == [] and log.errors == [], (log.outside, log.errors)


@pytest.mark.parametrize("missing", ["khong-co.html", "ky-nguyen-moi/khong-co.html",
                                     "ky-nguyen-moi/dinh-huong/khong-co.html"])
def test_the_404_page_at_any_depth_under_a_sub_path(missing, sub_path_server, browser):
    """A server shows 404.html for any missing address: styled, in Vietnamese, its links lead into
    the site under /so-tay/ and its search works."""
    from test_search import WORKER_PROBE, SearchBox

    _, base = sub_path_server
    context, log = guarded_context(browser, base, viewport={"width": 1280, "height": 900})
    context.add_init_script(WORKER_PROBE)
    page = context.new_page()
    response = page.goto(base + missing)
    assert response.status == 404
    assert heading(page) == "Không tìm thấy trang"
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky"
    home = page.locator("article a", has_text="Về trang chủ")
    assert home.evaluate("a => a.href") == base + "index.html"
    nav = page.eval_on_selector_all(".md-nav--primary a[href]", "links => links.map(a => a.href)")
    assert nav and all(link.startswith(base) for link in nav), nav
    assert SearchBox(page, base).search("chuyen doi so")[0].startswith("ky-nguyen-moi/")
    with page.expect_navigation():
        page.locator(".md-search-result__item a").first.click()
    assert page.url.startswith(base + "ky-nguyen-moi/") and page.locator("h1").count() == 1
    context.close()
    assert log.outside == [], log.outside
    # the browser reports the 404 status of the address itself; nothing else may fail
    assert [e for e in log.errors if "status of 404" not in e] == [], log.errors
