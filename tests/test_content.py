"""The real handbook in content/ held against its source documents.

The cleaned full texts in content/documents/*.md are the copies of the sources these tests read (the
originals in ../shared/sources may not exist where the tests run). They prove: discussion questions
at three levels in every month guide; every quotation word for word inside the section it cites, and
an altered quotation stopping `sotay check` at its line; numbers, dates, titles and orientations as
the documents write them; a glossary covering every abbreviation, shown as tooltips on built pages.
"""

from __future__ import annotations

import html
import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from conftest import ROOT, run_sotay
from generator import schema
from generator.checks import normalise_for_quote, walk_citations
from generator.cli import load_site
from generator.content import load_content

CONTENT = ROOT / "content"
DOCUMENTS = CONTENT / "documents"


@pytest.fixture(scope="module")
def site():
    return load_site(CONTENT)  # raises ContentError, failing every test here, if a check fails


@pytest.fixture(scope="module")
def files():
    return load_content(CONTENT)


@pytest.fixture(scope="module")
def texts(files) -> dict[str, str]:
    """Document id → its cleaned full text, for the documents that have one."""
    return {doc_id: (DOCUMENTS / entry.model.full_text).read_text(encoding="utf-8")
            for doc_id, entry in files.documents.items() if entry.model.full_text}


def entries(files) -> list:
    """Every content file that can hold citations."""
    found = [files.handbook, files.glossary, *files.documents.values()]
    for campaign in files.campaigns.values():
        found += [e for e in (campaign.campaign, campaign.orientations, campaign.themes, campaign.readings) if e]
        found += list(campaign.months.values())
    return found


def norm(text: str) -> str:
    return normalise_for_quote(text)


def plain(text: str) -> str:
    """Compared loosely: quotation marks dropped, case folded, whitespace folded."""
    return " ".join(re.sub(r"[“”\"*_\\]", "", text).casefold().split())


# ---- the sections of a full text, as the content cites them ---------------------------------

ROMAN = re.compile(r"^([IVX]+)\.\s")
NUMBER = re.compile(r"^(\d+(?:\.\d+)*)\\?\.\s")
LETTER = re.compile(r"^([a-z])\.\s")


def document_sections(text: str) -> dict[str, str]:
    """Section label → the text under it, subsections included. Labels as authors cite them:
    numbered ("2.1", "II.3.5", "III.2.1.a", Roman parts prefixed as the plans nest them), "đoạn N"
    (the Nth paragraph after a bold title), "phần mở đầu" (before the first numbered part), "phần kết"
    (from "Trên đây..."), "phần Nơi nhận" and "phần chữ ký" (the signature after the recipients)."""
    sections: dict[str, str] = {}
    roman = number = letter = tail = None
    paragraph = 0
    for block in (b.strip() for b in re.split(r"\n\s*\n", text.strip())):
        if not block:
            continue
        first = block.splitlines()[0]
        head = first.lstrip("#").strip().lstrip("*").strip()
        starts_part = not first.startswith(("-", "+", " "))
        if tail is None and head.startswith("Trên đây"):
            tail = "phần kết"
        elif head.startswith("Nơi nhận"):
            tail = "phần Nơi nhận"
        elif tail == "phần Nơi nhận" and not first.startswith("-"):
            tail = "phần chữ ký"
        elif tail is None and starts_part:
            if match := ROMAN.match(head):
                roman, number, letter = match.group(1), None, None
            elif match := NUMBER.match(head):
                number, letter = match.group(1), None
            elif (match := LETTER.match(head)) and number:
                letter = match.group(1)
        labels = []
        title = paragraph == 0 and "\n" not in block and block.startswith("**") and block.endswith("**")
        if not title:
            paragraph += 1
            labels.append(f"đoạn {paragraph}")
        if tail:
            labels.append(tail)
        elif roman or number:
            parts = [p for p in (roman, number, letter) if p]
            labels += [".".join(parts[:i]) for i in range(1, len(parts) + 1)]
        else:
            labels.append("phần mở đầu")
        for label in labels:
            sections[label] = sections.get(label, "") + "\n\n" + block
    return sections


@pytest.fixture(scope="module")
def sections(texts) -> dict[str, dict[str, str]]:
    return {doc_id: document_sections(text) for doc_id, text in texts.items()}


# ---- (a) discussion questions -----------------------------------------------------------------


def test_every_month_guide_has_six_questions_at_the_three_levels(site):
    guides = [(book, month) for book in site.campaigns for month in book.months]
    assert len(guides) == 5
    for book, month in guides:
        questions = month.guide.questions
        where = f"{book.id}/{month.month}"
        assert len(questions) >= 6, where
        assert {q.level for q in questions} == set(schema.QuestionLevel), where
        for question in questions:
            assert question.text.strip() and question.hint.strip(), (where, question.id)
            assert question.hint != question.text, (where, question.id)
            # grounded in what this campaign's own documents ask the cell to discuss
            assert question.grounded_in.source in book.campaign.documents, (where, question.id)


def test_questions_are_grouped_understand_relate_act(site):
    order = list(schema.QuestionLevel)
    for book in site.campaigns:
        for month in book.months:
            levels = [order.index(q.level) for q in month.guide.questions]
            assert levels == sorted(levels), f"{book.id}/{month.month}"


# ---- (c) fidelity -----------------------------------------------------------------------------


def test_every_quotation_occurs_in_the_full_text_of_its_document(files, texts):
    checked = 0
    for entry in entries(files):
        for loc, citation in walk_citations(entry.model):
            if not isinstance(citation, schema.Passage):
                continue
            # no quotation escapes the check by citing a document the handbook has no text of
            assert citation.source in texts, (entry.file.path, loc, citation.source)
            haystack = norm(texts[citation.source])
            for quote in citation.quotes:
                assert norm(quote) in haystack, (entry.file.path, loc, quote)
                checked += 1
    assert checked > 200  # the walk reached every file (255 quotations when this was written)


def test_every_citation_names_a_section_that_holds_what_it_cites(files, sections):
    """Section numbers are right: a quotation lies inside the cited section, not just the document;
    a question, reading or glossary entry cites a section that exists."""
    cited = 0
    for entry in entries(files):
        document_cites = {id(c) for c in getattr(entry.model, "cites", ())}
        for loc, citation in walk_citations(entry.model):
            if id(citation) in document_cites or citation.source not in sections:
                continue  # a document's `cites` name its own sections (tested below)
            where = (entry.file.path, loc, citation.source, citation.section)
            known = sections[citation.source]
            assert citation.section in known, where
            if isinstance(citation, schema.Passage):
                for quote in citation.quotes:
                    assert norm(quote) in norm(known[citation.section]), (*where, quote)
            cited += 1
    assert cited > 150


def test_document_cites_and_implements_are_written_in_the_documents(site, sections):
    for doc_id, document in site.documents.items():
        for citation in document.meta.cites:
            number = site.documents[citation.source].meta.number
            assert number and number in sections[doc_id][citation.section], (doc_id, citation)
    # lineage: an implementing document says "Thực hiện <number>" in its own text, or, when the
    # handbook has no text of it, a paragraph elsewhere says so next to its number
    def paragraphs(doc_id: str) -> list[str]:
        return [p for label, p in sections.get(doc_id, {}).items() if label.startswith("đoạn ")]

    everywhere = [p for doc_id in sections for p in paragraphs(doc_id)]
    for doc_id, document in site.documents.items():
        for target in document.meta.implements:
            number = site.documents[target].meta.number
            if document.text:
                candidates = paragraphs(doc_id)
            else:
                candidates = [p for p in everywhere if document.meta.number in p]
            assert any("Thực hiện" in p and number in p for p in candidates), (doc_id, target)
    assert site.implemented_by["284-kh-tu"] == ("2788-cv-btgtu", "347-kh-qu", "kh-huyen-uy-ung-hoa")
    assert {d for d, _ in site.cited_by["2700-cv-hu"]} == {"kh-huyen-uy-ung-hoa"}


def copy_content(tmp_path: Path) -> Path:
    shutil.copytree(CONTENT, tmp_path / "content", ignore=shutil.ignore_patterns(".schema"))
    return tmp_path / "content"


def alter_quote(path: Path, quote: str, old_word: str, new_word: str) -> tuple[int, int]:
    """Change one word inside a quotation of a file; return the (line, column) of that quotation."""
    lines = path.read_text(encoding="utf-8").split("\n")
    for number, line in enumerate(lines, start=1):
        if f'"{quote}"' in line:
            assert line.count(old_word) == 1 or old_word in quote
            lines[number - 1] = line.replace(quote, quote.replace(old_word, new_word, 1))
            path.write_text("\n".join(lines), encoding="utf-8")
            return number, line.index(f'"{quote}"') + 1
    raise AssertionError(f"{quote!r} not found in {path}")


def test_altered_quotations_stop_the_check_at_their_lines(tmp_path: Path, texts):
    content = copy_content(tmp_path)
    campaign = content / "campaigns" / "ky-nguyen-moi" / "campaign.yml"
    month = content / "campaigns" / "ky-nguyen-moi" / "months" / "2025-01.yml"
    observer = "Đánh giá không khí thảo luận."
    bottleneck = ("Trong 3 điểm nghẽn lớn nhất hiện nay là thể chế, hạ tầng và nhân lực, thì thể chế là "
                  "“điểm nghẽn” của “điểm nghẽn”, đặt ra yêu cầu cấp thiết phải tăng cường phát huy tính "
                  "Đảng trong xây dựng Nhà nước pháp quyền Xã hội chủ nghĩa.")
    at_campaign = alter_quote(campaign, observer, "thảo luận", "sinh hoạt")
    at_month = alter_quote(month, bottleneck, "lớn nhất", "lớn nhì")
    assert norm("Đánh giá không khí sinh hoạt.") not in norm(texts["2788-cv-btgtu"])  # truly altered

    result = run_sotay("check", cwd=tmp_path)
    assert result.returncode == 1, result.stdout
    assert "Traceback" not in result.stderr
    problems = [line for line in result.stderr.splitlines() if ": error[" in line]
    assert problems == [
        f"content/campaigns/ky-nguyen-moi/campaign.yml:{at_campaign[0]}:{at_campaign[1]}: error[quote-mismatch]: "
        "this quotation does not occur word for word in document '2788-cv-btgtu'",
        f"content/campaigns/ky-nguyen-moi/months/2025-01.yml:{at_month[0]}:{at_month[1]}: error[quote-mismatch]: "
        "this quotation does not occur word for word in document 'kh-huyen-uy-ung-hoa'",
    ]
    assert result.stderr.rstrip().endswith("error: 2 problems in 2 files; nothing was built.")


def test_a_quotation_reflowed_over_lines_still_matches(tmp_path: Path):
    content = copy_content(tmp_path)
    campaign = content / "campaigns" / "ky-nguyen-moi" / "campaign.yml"
    quote = "Phạm vi: triển khai tới cấp chi bộ."
    text = campaign.read_text(encoding="utf-8")
    assert f'      - "{quote}"\n' in text
    folded = "      - >-\n        Phạm vi:   triển khai\n        tới cấp    chi bộ.\n"
    campaign.write_text(text.replace(f'      - "{quote}"\n', folded, 1), encoding="utf-8")
    result = run_sotay("check", cwd=tmp_path)
    assert result.returncode == 0, result.stderr


# ---- (d) facts as the documents write them ------------------------------------------------------


def test_the_seven_orientations_are_those_of_the_ung_hoa_plan(site, texts):
    headings = re.findall(r"^#### (3\.\d)\. (.+)$", texts["kh-huyen-uy-ung-hoa"], re.M)
    book = next(b for b in site.campaigns if b.id == "ky-nguyen-moi")
    assert [(t.number, t.title) for t in book.orientations] == headings
    assert [n for n, _ in headings] == [f"3.{i}" for i in range(1, 8)]
    # the explanations quoted are those of the orientation's own section
    for topic in book.orientations:
        assert {p.section for p in topic.key_points} == {f"II.{topic.number}"}, topic.id
    # and 2788-CV/BTGTU (2.1) lists the same seven for the cells to choose from
    choice_list = plain(texts["2788-cv-btgtu"].split("lựa chọn các chủ đề sinh hoạt chính trị")[1].split("\n")[0])
    for topic in book.orientations:
        assert plain(re.sub(r"^Về ", "", topic.title)) in choice_list, topic.id
    later = [m for m in book.months if m.month != "2024-12"]
    assert [m.month for m in book.months] == ["2024-12", "2025-01", "2025-02"]
    for month in later:  # the later months let the cell choose among all seven
        assert month.guide.choices == [t.id for t in book.orientations]
        assert month.guide.choices_passage.section == "2.1"


def test_the_five_orientations_of_the_capital_are_those_of_the_ward_letter(site, texts):
    listed = re.findall(r"^\s*- \((\d)\) (.+?)[;.]$", texts["cv-dang-uy-phuong-dong-da-2026"], re.M)
    book = next(b for b in site.campaigns if b.id == "tham-luan-dai-hoi-xiv")
    assert [(t.number, t.title) for t in book.orientations] == listed
    assert len(listed) == 5
    themes = " ".join(q for t in book.themes for p in t.key_points for q in p.quotes)
    for words in ("6 rõ", "6 dám", "Một mô hình", "Năm trụ cột đột phá", "Bốn cam kết"):
        assert words in themes


def test_key_dates_of_the_campaigns(site, texts):
    books = {b.id: b for b in site.campaigns}
    new_era = books["ky-nguyen-moi"]
    assert "từ tháng 12/2024 đến tháng 2/2025" in texts["2788-cv-btgtu"]
    assert (new_era.campaign.period.start, new_era.campaign.period.end) == (date(2024, 12, 1), date(2025, 2, 28))
    december = new_era.months[0]
    assert [s.date for s in december.guide.sessions] == [date(2024, 12, 16)]
    assert "vào ngày 16/12/2024" in texts["2788-cv-btgtu"]
    assert "tiếp tục vào tháng 01 và 02-2025" in texts["tin-quan-uy-dong-da-2024-12-17"]
    assert "trước ngày 25 hàng tháng" in texts["2788-cv-btgtu"]
    assert [m.guide.report_deadline for m in new_era.months] == [
        date(2024, 12, 25), date(2025, 1, 25), date(2025, 2, 25)]
    milestones = {t.date for t in new_era.campaign.timeline}
    assert {date(2024, 12, 6), date(2024, 12, 15), date(2024, 12, 16)} <= milestones
    assert "vào sáng 6-12" in texts["tin-quan-uy-dong-da-2024-12-17"]
    assert "(trước ngày 15/12/2024)" in texts["kh-huyen-uy-ung-hoa"]

    congress = books["tham-luan-dai-hoi-xiv"]
    assert "trước ngày **10/02/2026**" in texts["cv-dang-uy-phuong-dong-da-2026"]
    assert congress.campaign.period.end == date(2026, 2, 10)
    assert [m.guide.report_deadline for m in congress.months] == [date(2026, 2, 10)]
    assert congress.campaign.reporting.deadline == "trước ngày 10/02/2026"
    fields = [q for p in congress.campaign.reporting.fields for q in p.quotes]
    assert len(fields) == 6 and fields[0] == "Thời gian tổ chức sinh hoạt chính trị."

    pride = books["tu-hao-va-tin-tuong"]
    assert pride.campaign.period.start == date(2024, 4, 16) and pride.campaign.period.end is None
    assert "Hoàn thành trong tháng 4/2024" in texts["kh-dang-uy-khoi-136"]
    assert date(2024, 4, 30) in {t.date for t in pride.campaign.timeline}


DATE_FORMS = ("{d}/{m}/{y}", "{d:02d}/{m:02d}/{y}", "{d}-{m}-{y}", "{d:02d}-{m:02d}-{y}",
              "ngày {d} tháng {m} năm {y}")


def test_document_numbers_dates_titles_and_signers_are_written_in_the_texts(site, texts):
    corpus = "\n".join(texts.values())
    flat = plain(corpus)
    for doc_id, document in site.documents.items():
        meta = document.meta
        if meta.number:
            assert meta.number in corpus, doc_id
            if meta.date:
                forms = [f.format(d=meta.date.day, m=meta.date.month, y=meta.date.year) for f in DATE_FORMS]
                near = [corpus[max(0, i - 120):i + 200]  # "ngày 11-12-2024, ... ban hành Kế hoạch số 347-KH/QU"
                        for i in (m.start() for m in re.finditer(re.escape(meta.number), corpus))]
                assert any(form in window for window in near for form in forms), doc_id
        assert plain(meta.title) in flat, doc_id  # the title as a document writes it
        if meta.signer:
            assert meta.signer in texts[doc_id], doc_id


def test_the_six_articles_are_the_six_the_plan_lists(site, texts):
    listed = re.findall(r"\((\d)\) “([^”]+)”", texts["kh-huyen-uy-ung-hoa"])
    book = next(b for b in site.campaigns if b.id == "ky-nguyen-moi")
    articles = [r for r in book.readings if r.kind is schema.ReadingKind.BAI_VIET]
    assert [n for n, _ in listed] == ["1", "2", "3", "4", "5", "6"]
    assert [r.title for r in articles] == [title for _, title in listed]
    assert all(r.author == "Tổng Bí thư Tô Lâm" and r.listed_in.section == "III.3" for r in articles)
    speeches = [r for r in book.readings if r.kind is schema.ReadingKind.PHAT_BIEU]
    assert len(speeches) == 5  # (1), (2), (3), (5) and the conclusions with the city's standing committee


# ---- (b) glossary ------------------------------------------------------------------------------

# Upper-case words that are not abbreviations, the only two kinds in the texts:
# - Roman numerals ("Đại hội XIV", "khóa XIII", "thế kỷ XX"), which number congresses, terms, centuries
#   (made of I, V, X only: "CV", a valid numeral of C and V, is the abbreviation of Công văn);
# - Vietnamese words in capitals, which carry accented vowels ("TÓ CHỨC" quoted in a correction); the
#   abbreviations themselves are unaccented letters, Đ aside ("HĐND", "VPĐU").
NOT_ABBREVIATIONS = re.compile(r"^(?:[IVX]+|.*[^A-ZĐ\-/].*)$")
WORD = re.compile(r"(?<![\w-])[^\W\d_]+(?:-[^\W\d_]+)*(?![\w-])")
SLASHED = re.compile(r"(?<![\w/])[^\W\d_]/[^\W\d_](?![\w/])")  # b/c, t/h, Đ/c, T/M
KEY_TERMS = ("6 rõ", "6 dám", "điểm nghẽn của điểm nghẽn", "Tinh - Gọn - Mạnh - Hiệu năng - Hiệu lực - Hiệu quả",
             "Một mô hình - Năm trụ cột - Bốn cam kết", "kỷ nguyên vươn mình của dân tộc")


def abbreviations_in(line: str) -> set[str]:
    """Abbreviations written in a line of running text (all-capital headings like "KẾ HOẠCH" are
    skipped: their words are Vietnamese words, not abbreviations)."""
    if not any(c.islower() for c in line):
        return set()
    found = {w for w in WORD.findall(line)
             if sum(c.isupper() for c in w) >= 2 and not any(c.islower() for c in w)
             and not NOT_ABBREVIATIONS.match(w)}
    return found | set(SLASHED.findall(line))


def test_the_glossary_covers_every_abbreviation_of_the_texts(site):
    terms = {t.term for t in site.glossary}
    sources = sorted(DOCUMENTS.glob("*.md")) + sorted(CONTENT.rglob("*.yml"))
    missing = {}
    seen = set()
    for path in sources:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for word in abbreviations_in(line):
                seen.add(word)
                # part of a longer glossary entry written out on the same line ("TC CT-XH", "TG và DV")
                covered = word in terms or any(
                    re.search(rf"(?<!\w){re.escape(word)}(?!\w)", t) and t in line for t in terms)
                if not covered:
                    missing.setdefault(word, f"{path.relative_to(ROOT)}:{number}")
    assert not missing, missing
    # the scan finds what the issue names, so it is not vacuous
    assert {"TU", "HU", "QU", "BTGTU", "BTGDVTU", "TCCS", "MTTQ", "HĐND", "UBND", "DLXH", "T/M"} <= seen


def test_the_glossary_holds_the_key_terms_as_the_documents_write_them(site, texts):
    terms = {t.term: t for t in site.glossary}
    flat = plain("\n".join(texts.values()))
    for key in KEY_TERMS:
        assert key in terms, key
        assert terms[key].kind is schema.TermKind.THUAT_NGU, key
        assert plain(key) in flat, key
    assert terms["6 rõ"].expansion == "Rõ người, rõ việc, rõ thời gian, rõ trách nhiệm, rõ sản phẩm, rõ thẩm quyền"


def test_each_cited_abbreviation_is_used_where_it_cites(site, sections):
    for term in site.glossary:
        if term.kind is schema.TermKind.VIET_TAT and term.cite:
            text = sections[term.cite.source][term.cite.section]
            assert re.search(rf"(?<!\w){re.escape(term.term)}(?!\w)", text), term.term


# ---- tooltips on the built site ------------------------------------------------------------------


def test_abbreviations_are_tooltips_on_every_page_that_uses_them(site, real_site):
    abbreviations = {t.term: t.expansion for t in site.glossary if t.kind is schema.TermKind.VIET_TAT}
    pages_with_tooltips = 0
    for page in sorted(real_site.rglob("*.html")):
        # the page's own text: the article, not the navigation beside it
        match = re.search(r"<article\b.*?</article>", page.read_text(encoding="utf-8"), re.S)
        if not match:
            continue
        main = match.group(0)
        tooltips = {(html.unescape(text), html.unescape(title))
                    for title, text in re.findall(r'<abbr title="([^"]*)">(.*?)</abbr>', main)}
        visible = html.unescape(re.sub(r"<[^>]+>", " ", main))
        for term, expansion in abbreviations.items():
            if re.search(rf"(?<!\w){re.escape(term)}(?!\w)", visible):
                assert (term, expansion) in tooltips, (page.relative_to(real_site).as_posix(), term)
        pages_with_tooltips += bool(tooltips)
    assert pages_with_tooltips > 20
    document = (real_site / "van-ban" / "2788-cv-btgtu.html").read_text(encoding="utf-8")
    assert '<abbr title="Ban Tuyên giáo Thành ủy">BTGTU</abbr>' in document


def test_document_pages_show_lineage_both_ways(real_site):
    cited = (real_site / "van-ban" / "2700-cv-hu.html").read_text(encoding="utf-8")
    row = re.search(r"<td>Được nêu tại</td>\s*<td>(.*?)</td>", cited, re.S)
    assert row and 'href="kh-huyen-uy-ung-hoa.html"' in row.group(1) and "mục III.4" in row.group(1)
    plan = (real_site / "van-ban" / "kh-huyen-uy-ung-hoa.html").read_text(encoding="utf-8")
    row = re.search(r"<td>Dẫn chiếu</td>\s*<td>(.*?)</td>", plan, re.S)
    assert row and all(f'href="{d}.html"' in row.group(1) for d in ("18-nq-tw", "27-nq-tw", "2700-cv-hu"))
    news = (real_site / "ky-nguyen-moi" / "thang-2025-01.html").read_text(encoding="utf-8")
    assert "Tin bài của Ban Tuyên giáo Quận ủy Đống Đa</a>, đoạn 6" in news  # not "mục đoạn 6"
