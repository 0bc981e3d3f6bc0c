"""Printing from the browser: the real site opened from file:// in Debian's chromium with print
emulation. Navigation and the rest of the theme's chrome disappear, every question is there with
answer lines under it on the member's sheet, collapsed hints open on the secretary's, links read as
black text, parts start new pages, and the print button prints. Secretary hints never reach a
member page."""

from __future__ import annotations

import html
import io
import json
import re
import unicodedata

import pytest

from browser import chromium, guarded_context, site_url
from conftest import ROOT

from generator import slugs
from generator.cli import load_site
from generator.plan import FORM_KINDS, month_label

CHROME = [".md-header", ".md-tabs", ".md-sidebar", ".md-footer", ".md-search", ".md-top", ".md-source",
          ".headerlink", ".sotay-toolbar", "button", "a.md-button"]
RENDERED = """sel => Array.from(document.querySelectorAll(sel)).filter(e => {
    const box = e.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && getComputedStyle(e).visibility !== "hidden";
}).length"""


@pytest.fixture(scope="module")
def site():
    return load_site(ROOT / "content")


@pytest.fixture(scope="module")
def browser():
    with chromium() as running:
        yield running


@pytest.fixture
def open_page(browser, handout_build):
    """open_page(path of a generated page) → a chromium page showing it from file://."""
    base = site_url(handout_build["site"])
    context, log = guarded_context(browser, base, viewport={"width": 1280, "height": 900})

    def open_(path: str, init_script: str | None = None):
        page = context.new_page()
        if init_script:
            page.add_init_script(init_script)
        page.goto(base + path[:-3] + ".html", wait_until="domcontentloaded")  # the stylesheets are in by then
        return page

    yield open_
    assert log.outside == [], f"requests outside the site: {log.outside}"
    assert log.errors == [], log.errors
    context.close()


def norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def article_text(page) -> str:
    """What the article shows (innerText skips what is not rendered: hidden or collapsed)."""
    return norm(page.inner_text("article"))


def lines_drawn(png: bytes) -> int:
    """The ruled lines in a screenshot of an element."""
    from PIL import Image  # Pillow comes with WeasyPrint (the test extra)
    from test_pdf import ruled_lines

    return ruled_lines(Image.open(io.BytesIO(png)))


def assert_no_chrome(page) -> None:
    printed = page.evaluate(f"sels => sels.filter(sel => ({RENDERED})(sel) > 0)", CHROME)
    assert printed == [], f"{printed} are printed on {page.url}"


def test_member_sheet_prints_questions_with_answer_lines_and_no_chrome(open_page, site):
    months = [(book, month) for book in site.campaigns for month in book.months]
    assert months
    for book, month in months:
        page = open_page(slugs.month_page(book.id, month.month))
        questions = month.guide.questions
        # on screen: the print button, no answer lines, no paper header
        assert page.evaluate(RENDERED, ".sotay-print-button") == 1
        assert page.evaluate(RENDERED, ".sotay-lines") == 0
        assert page.evaluate(RENDERED, ".sotay-print-header") == 0
        page.emulate_media(media="print")
        assert_no_chrome(page)
        header = norm(page.inner_text(".sotay-print-header"))
        assert header.startswith(f"{norm(book.campaign.short_title)} · {month_label(month.month)}")
        assert "Chi bộ: ……" in header
        text = article_text(page)
        for question in questions:
            assert norm(question.text) in text, f"{page.url}: {question.id} is not printed"
            assert norm(question.hint) not in text
        # answer lines under every question: at least four ruled lines as wide as the text (counted
        # on a picture of them), on the same sheet as the question
        sheets = page.evaluate("""() => Array.from(document.querySelectorAll(".sotay-question"), q => {
            const lines = q.nextElementSibling, style = getComputedStyle(q);
            return [lines.matches(".sotay-lines") ? Math.round(lines.getBoundingClientRect().width) : 0,
                    style.breakAfter, getComputedStyle(lines).breakInside];
        })""")
        assert len(sheets) == len(questions)
        assert all(width > 400 and kept == "avoid" and whole == "avoid" for width, kept, whole in sheets), sheets
        pictures = page.locator(".sotay-question + .sotay-lines")
        for index in range(pictures.count()):
            assert lines_drawn(pictures.nth(index).screenshot()) >= 4
        if questions:
            assert page.evaluate("() => getComputedStyle(document.getElementById('cau-hoi-thao-luan')).breakBefore") \
                == "page"
        # links read as black text
        link = page.locator("article a[href]").first
        assert link.evaluate("e => getComputedStyle(e).color") == "rgb(0, 0, 0)"
        assert link.evaluate("e => getComputedStyle(e).textDecorationLine") == "none"
        page.close()


def test_secretary_guide_prints_collapsed_hints_open(open_page, site):
    for book in site.campaigns:
        for month in book.months:
            page = open_page(slugs.month_secretary_page(book.id, month.month))
            hints = [norm(q.hint) for q in month.guide.questions]
            screen = article_text(page)
            assert not any(hint in screen for hint in hints), "hints should start collapsed on screen"
            page.emulate_media(media="print")
            assert_no_chrome(page)
            printed = article_text(page)
            for hint in hints:
                assert hint in printed, f"{page.url}: a hint stays collapsed in print"
            fields = book.campaign.reporting.fields if book.campaign.reporting else ()
            expected_fields = sum(len(p.quotes) for p in fields) or 5
            assert page.locator(".sotay-form-field").count() == expected_fields
            page.close()


def test_forms_and_booklets_print_clean_with_lines(open_page, site):
    for book in site.campaigns:
        paths = [slugs.form_page(book.id, kind.value) for kind in FORM_KINDS]
        if any(m.guide.questions for m in book.months):
            paths.append(slugs.questions_page(book.id))
        for path in paths:
            page = open_page(path)
            page.emulate_media(media="print")
            assert_no_chrome(page)
            assert page.evaluate(RENDERED, ".sotay-lines") > 0, f"{path}: no lines to write on"
            # each block of lines shows as many ruled lines as it asks for (sotay-lines--N)
            blocks = page.locator(".sotay-lines")
            for index in range(blocks.count()):
                block = blocks.nth(index)
                wanted = int(re.search(r"sotay-lines--(\d+)", block.get_attribute("class")).group(1))
                assert lines_drawn(block.screenshot()) == wanted, f"{path}: block {index}"
            assert page.evaluate(RENDERED, ".sotay-print-header") == 1
            if "/mau/" in path:
                assert page.evaluate(RENDERED, "h1") == 0  # the form's own title heads the sheet
            page.close()


def test_print_button_prints_from_a_file_url(open_page, site, handout_build):
    book = next(b for b in site.campaigns if b.months)
    path = slugs.month_page(book.id, book.months[0].month)
    page = open_page(path, init_script="window.__printed = 0; window.print = () => { window.__printed += 1; };")
    assert page.url.startswith("file://")
    page.click(".sotay-print-button")
    assert page.evaluate("window.__printed") == 1
    pdf_link = page.locator("a.md-button", has_text="Tải bản PDF")
    target = handout_build["site"] / slugs.handout_pdf(path)
    assert pdf_link.get_attribute("href") == target.name and target.is_file()
    page.close()


def test_chromium_prints_the_question_sheet_on_a_new_a4_page(open_page, site, tmp_path):
    from test_pdf import page_starting_with, pdf_pages, rules_per_page

    book, month = next((b, m) for b in site.campaigns for m in b.months if m.guide.questions)
    page = open_page(slugs.month_page(book.id, month.month))
    pdf = tmp_path / "chromium.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True)
    page.close()
    pages = [re.sub(r"^\s*Trang \d+/\d+\s*", "", text) for text in pdf_pages(pdf)]  # the footer comes first
    assert page_starting_with(pages, "Câu hỏi thảo luận") >= 1
    rules = rules_per_page(pdf, tmp_path / "pages")  # the answer lines, on paper
    assert sum(rules) >= 4 * len(month.guide.questions), rules
    text = norm(" ".join(pages))
    assert "Tìm kiếm" not in text and "Mục lục" not in text  # no search box, no table of contents
    for question in month.guide.questions:
        assert norm(question.text) in text


def squeeze(text: str) -> str:
    """Text without any white space: tags such as <abbr> inside a sentence cannot hide it."""
    return "".join(unicodedata.normalize("NFC", text).split())


def visible_text(html_text: str) -> str:
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", html_text, flags=re.S | re.I)
    return squeeze(html.unescape(re.sub(r"<[^>]+>", " ", body)))


def test_secretary_hints_never_reach_member_pages(handout_build, site):
    hints = {q.hint: (book.id, month.month) for book in site.campaigns for month in book.months
             for q in month.guide.questions}
    assert hints
    root = handout_build["site"]
    for page in sorted(root.rglob("*.html")):
        relative = page.relative_to(root).as_posix()
        text = visible_text(page.read_text(encoding="utf-8"))
        secretary = {slugs.month_secretary_page(b, m)[:-3] + ".html" for b, m in hints.values()}
        for hint, (book_id, month) in hints.items():
            if relative == slugs.month_secretary_page(book_id, month)[:-3] + ".html":
                assert squeeze(hint) in text, f"{relative} lacks its hint"
            elif relative not in secretary:
                assert squeeze(hint) not in text, f"a secretary hint of {book_id} {month} is on {relative}"
    # nor do search results show them: the secretary's pages stay out of the search index
    docs = json.loads((root / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    index = visible_text(" ".join(doc["title"] + " " + doc["text"] for doc in docs))
    for hint in hints:
        assert squeeze(hint) not in index


def test_reading_addresses_become_safe_link_targets():
    from generator.render import web_url

    assert web_url(" https://tuyengiao.vn/bai viet (1)?a=1&b=2 ") == "https://tuyengiao.vn/bai%20viet%20%281%29?a=1&b=2"
    assert web_url("https://tapchicongsan.org.vn/web/guest/tin-tuc/-/2018/123") is not None
    for unsafe in ("javascript:alert(1)", "data:text/html,x", "//example.com/x", "tai-lieu.md", "http:// x"):
        assert web_url(unsafe) is None
