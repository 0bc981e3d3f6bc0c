"""PDF handouts of `sotay build --pdf`, read back with poppler (pdftotext, pdfinfo, pdffonts): the
right files with the right parts on the right pages, every Vietnamese question word for word,
secretary hints only in the secretary's guide, fonts embedded, nothing fetched from outside, and
byte-identical PDFs from a rebuild at the same SOURCE_DATE_EPOCH."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import unicodedata
from datetime import datetime, timezone
from pathlib import Path

import pytest

from conftest import ROOT, run_sotay

from generator import slugs
from generator.cli import load_site
from generator.plan import FORM_KINDS, Page, month_label



@pytest.fixture(autouse=True, scope="module")
def poppler():
    """A missing poppler fails these tests (never skips them): `bash tests/run` installs it."""
    if shutil.which("pdftotext") is None:
        pytest.fail("poppler-utils (pdftotext) is not installed: run the tests with 'bash tests/run'", pytrace=False)


@pytest.fixture(scope="module")
def site():
    return load_site(ROOT / "content")


def norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def pdf_pages(path: Path) -> list[str]:
    """The text of each page in the order it was laid out (pdftotext splits pages with a form feed).
    -raw keeps a hyphen or slash that ends a line ('18-' / 'NQ/TW'); such lines are joined back."""
    out = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                         check=True)
    return [re.sub(r"(?<=\S[-/–])\n(?=\S)", "", page) for page in out.stdout.split("\f")[:-1]]


def pdf_info(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", "-isodates", str(path)], capture_output=True, text=True, check=True).stdout
    return {key.strip(): value.strip() for key, _, value in (line.partition(":") for line in out.splitlines())}


def ruled_lines(picture, share: float = 0.9) -> int:
    """The horizontal rules in a picture (Pillow image): runs of rows dark across `share` of its width.
    A line of text never darkens a whole row."""
    picture = picture.convert("L")
    width, height = picture.size
    pixels = picture.load()
    dark = [sum(pixels[x, y] < 200 for x in range(width)) >= share * width for y in range(height)]
    return sum(1 for y in range(height) if dark[y] and (y == 0 or not dark[y - 1]))


def rules_per_page(pdf: Path, folder: Path) -> list[int]:
    """ruled_lines of each page of a PDF, drawn at 100 dpi by poppler (pdftoppm)."""
    from PIL import Image  # Pillow comes with WeasyPrint (the test extra)

    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-r", "100", "-gray", str(pdf), str(folder / "page")], check=True)
    return [ruled_lines(Image.open(path), 0.6) for path in sorted(folder.glob("page-*.pgm"))]


def page_starting_with(pages: list[str], words: str) -> int:
    """The 0-based index of the page whose text begins with `words`; fails when there is none."""
    for index, text in enumerate(pages):
        if norm(text).startswith(words):
            return index
    raise AssertionError(f"no page begins with {words!r}; pages begin with "
                         f"{[norm(t)[:40] for t in pages]}")


def expected_pdfs(site) -> dict[str, str]:
    """Every PDF the build must write (path in the site → kind of handout)."""
    expected = {}
    for book in site.campaigns:
        for month in book.months:
            expected[slugs.handout_pdf(slugs.month_page(book.id, month.month))] = "member"
            expected[slugs.handout_pdf(slugs.month_secretary_page(book.id, month.month))] = "secretary"
        if any(month.guide.questions for month in book.months):
            expected[slugs.handout_pdf(slugs.questions_page(book.id))] = "booklet"
        for kind in FORM_KINDS:
            expected[slugs.handout_pdf(slugs.form_page(book.id, kind.value))] = "form"
    return expected


def test_every_printable_page_has_its_pdf_linked_from_the_page(handout_build, site):
    root = handout_build["site"]
    written = {p.relative_to(root).as_posix() for p in root.rglob("*.pdf")}
    assert written == set(expected_pdfs(site))
    for pdf in written:
        page = root / (pdf[:-4] + ".html")
        assert f'href="{Path(pdf).name}"' in page.read_text(encoding="utf-8"), f"{page} does not link its PDF"
        assert pdf_info(root / pdf)["Pages"] != "0"


def test_member_handout_has_every_question_on_its_own_sheet_and_no_hint(handout_build, site, tmp_path):
    for book in site.campaigns:
        for month in book.months:
            pdf = handout_build["site"] / slugs.handout_pdf(slugs.month_page(book.id, month.month))
            pages = pdf_pages(pdf)
            first = norm(pages[0])
            # the printed header: campaign, month and a blank line for the cell's name
            assert first.startswith(f"{norm(book.campaign.short_title)} · {month_label(month.month)}"), first[:120]
            assert "Chi bộ: ……" in first
            assert norm(month.guide.title) in first
            text = norm(" ".join(pages))
            for question in month.guide.questions:
                assert norm(question.text) in text, f"{pdf.name}: question {question.id} is missing"
                assert norm(question.hint) not in text, f"{pdf.name}: the hint of {question.id} reached members"
            assert "Gợi ý cho bí thư" not in text
            if month.guide.questions:
                # the question sheet starts a page of its own, after the guide
                assert page_starting_with(pages, "Câu hỏi thảo luận") >= 1
                assert len(pages) >= 2
                # at least four ruled lines to write on under each question, seen on the pages
                rules = rules_per_page(pdf, tmp_path / pdf.stem)
                assert sum(rules) >= 4 * len(month.guide.questions), (pdf.name, rules)


def test_secretary_guide_has_every_hint_and_the_report_form_on_its_own_page(handout_build, site):
    for book in site.campaigns:
        for month in book.months:
            pdf = handout_build["site"] / slugs.handout_pdf(slugs.month_secretary_page(book.id, month.month))
            pages = pdf_pages(pdf)
            text = norm(" ".join(pages))
            assert "Chương trình buổi sinh hoạt (60 phút)" in text
            for question in month.guide.questions:
                assert norm(question.text) in text
                assert norm(question.hint) in text, f"{pdf.name}: the hint of {question.id} is missing"
            for passage in book.campaign.observer:
                for quote in passage.quotes:
                    assert norm(quote) in text
            report = page_starting_with(pages, "ĐẢNG BỘ")
            assert report >= 1 and "BÁO CÁO" in pages[report]
            if book.campaign.reporting:
                for passage in book.campaign.reporting.fields:
                    for quote in passage.quotes:
                        assert norm(quote) in norm(" ".join(pages[report:]))
            if month.guide.questions:
                assert 0 < page_starting_with(pages, "Câu hỏi thảo luận và gợi ý") < report


def test_question_booklet_has_every_month_and_no_hint(handout_build, site):
    for book in site.campaigns:
        months = [m for m in book.months if m.guide.questions]
        if not months:
            continue
        pages = pdf_pages(handout_build["site"] / slugs.handout_pdf(slugs.questions_page(book.id)))
        text = norm(" ".join(pages))
        for month in months:
            assert f"{month_label(month.month)}: {norm(month.guide.title)}" in text
            for question in month.guide.questions:
                assert norm(question.text) in text
                assert norm(question.hint) not in text
        for later in months[1:]:  # each month after the first starts a page
            page_starting_with(pages, f"{month_label(later.month)}: {norm(later.guide.title)}"[:60])


def test_forms_print_with_their_fields_on_few_pages(handout_build, site):
    titles = {"thu-hoach": "BÀI THU HOẠCH", "ke-hoach-hanh-dong": "KẾ HOẠCH HÀNH ĐỘNG CỦA BẢN THÂN",
              "bao-cao": "BÁO CÁO"}
    for book in site.campaigns:
        for kind in FORM_KINDS:
            pdf = handout_build["site"] / slugs.handout_pdf(slugs.form_page(book.id, kind.value))
            pages = pdf_pages(pdf)
            assert 1 <= len(pages) <= 3, f"{pdf}: {len(pages)} pages"
            text = norm(" ".join(pages))
            assert titles[kind.value] in text
            assert "CHI BỘ ……" in text and "(Ký, ghi rõ họ tên)" in text
            if kind.value == "bao-cao" and book.campaign.reporting:
                for passage in book.campaign.reporting.fields:
                    for quote in passage.quotes:
                        assert norm(quote) in text


def test_pdfs_embed_dejavu_and_carry_the_build_time(handout_build):
    stamp = datetime.fromtimestamp(handout_build["epoch"], tz=timezone.utc)
    for pdf in sorted(handout_build["site"].rglob("*.pdf")):
        fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
        rows = [line.split() for line in fonts.splitlines()[2:]]
        assert rows, f"{pdf}: no fonts"
        for row in rows:
            assert "DejaVu-Sans" in row[0], f"{pdf}: unexpected font {row[0]}"
            assert row[-5:-2] == ["yes", "yes", "yes"], f"{pdf}: {row[0]} is not an embedded subset with Unicode"
        info = pdf_info(pdf)
        created = datetime.fromisoformat(info["CreationDate"].replace("Z", "+00:00"))
        assert created == stamp and info["ModDate"] == info["CreationDate"]


def test_rebuild_at_the_same_epoch_gives_identical_pdfs_and_calendars(handout_build, tmp_path):
    env = dict(os.environ, SOURCE_DATE_EPOCH=str(handout_build["epoch"]))
    result = run_sotay("build", "--pdf", "--site-dir", str(tmp_path / "site"), "--build-dir",
                       str(tmp_path / "build"), cwd=ROOT, env=env, timeout=600)
    assert result.returncode == 0, result.stderr
    first, second = handout_build["site"], tmp_path / "site"
    outputs = sorted(p.relative_to(first).as_posix() for p in first.rglob("*") if p.suffix in (".pdf", ".ics"))
    assert outputs
    for name in outputs:
        assert (first / name).read_bytes() == (second / name).read_bytes(), f"{name} differs between builds"


def test_handouts_fetch_nothing_but_their_fonts(tmp_path):
    from generator.pdf import render_handouts

    markdown = ("# Trang thử\n\n![ảnh](http://example.invalid/anh.png)\n\n"
                '<img src="file:///etc/hostname" alt="">\n\n<link rel="stylesheet" href="https://cdn.invalid/a.css">\n')
    page = Page("thu/trang.md", "month.md.j2", "Trang thử", handout="member")
    stylesheet = ROOT / "overrides" / "assets" / "stylesheets" / "print.css"
    with pytest.raises(RuntimeError) as error:
        render_handouts([page], {page.path: markdown.encode()}, datetime(2026, 2, 4, tzinfo=timezone.utc), stylesheet)
    for url in ("http://example.invalid/anh.png", "file:///etc/hostname", "https://cdn.invalid/a.css"):
        assert url in str(error.value)
    # the same page without outside references prints, and its text survives
    clean = {page.path: "# Trang thử\n\nĐảng viên ghi ý kiến: ư, ơ, ă, â, ê, ô, đ, ỹ, ậ, ữ.\n".encode()}
    pdf = tmp_path / "trang.pdf"
    pdf.write_bytes(render_handouts([page], clean, datetime(2026, 2, 4, tzinfo=timezone.utc), stylesheet)["thu/trang.pdf"])
    assert "Đảng viên ghi ý kiến: ư, ơ, ă, â, ê, ô, đ, ỹ, ậ, ữ." in norm(" ".join(pdf_pages(pdf)))
