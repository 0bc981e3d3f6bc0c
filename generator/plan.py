"""Decide which pages the site has: their paths, templates, titles and data, and the navigation.

Pure: takes the Site and the build date, returns values. Nothing here knows Markdown or HTML.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from . import ical, slugs
from .model import CampaignBook, MonthGuide, Site
from .schema import OutputKind

# the blank forms printed for every campaign; the cell's action programme has no form of its own
FORM_KINDS = (OutputKind.THU_HOACH, OutputKind.KE_HOACH_HANH_DONG, OutputKind.BAO_CAO)
# longer lists of campaigns or documents are grouped by year in the navigation
NAV_LIST_LIMIT = 20


@dataclass(frozen=True)
class Page:
    path: str  # relative to the docs directory, e.g. "ky-nguyen-moi/thang-2024-12.md"
    template: str
    title: str
    context: dict = field(default_factory=dict, hash=False, compare=False)
    handout: str | None = None  # printable pages: "member", "secretary", "booklet" or "form"
    # the content files the page is made from, as patterns of their paths under the content folder
    # ("*" matches "/" too); None for every file (the pages that gather all campaigns: home, calendar)
    inputs: tuple[str, ...] | None = None


# what any page may show besides its own files: document names and full texts (citations, reading
# times), the glossary (abbreviations explained on every page that uses them), the handbook
SHARED_INPUTS = ("handbook.yml", "glossary.yml", "documents/*")
# a document's page also names the campaigns that follow it (their campaign.yml)
DOCUMENT_INPUTS = SHARED_INPUTS + ("campaigns/*/campaign.yml",)


def campaign_inputs(campaign_id: str) -> tuple[str, ...]:
    """A campaign's pages are made from its own folder and the shared files only."""
    return (f"campaigns/{campaign_id}/*",) + SHARED_INPUTS


@dataclass(frozen=True)
class NavItem:
    title: str
    path: str | None = None  # a page, or None for a section
    children: tuple[NavItem, ...] = ()


def current_month(site: Site, today: date) -> tuple[CampaignBook, MonthGuide] | None:
    """The month guide a reader most likely wants on the build date: the running month's guide,
    else the next one to come, else the latest one."""
    guides = [(book, month) for book in site.campaigns for month in book.months]
    if not guides:
        return None
    this_month = f"{today:%Y-%m}"
    for book, month in guides:
        if month.month == this_month:
            return book, month
    upcoming = sorted((m.month, i) for i, (_, m) in enumerate(guides) if m.month > this_month)
    if upcoming:
        return guides[upcoming[0][1]]
    return max(guides, key=lambda pair: pair[1].month)


def month_label(month: str) -> str:
    year, number = month.split("-")
    return f"Tháng {number}/{year}"


def plan_pages(site: Site, today: date, pdf: bool = False) -> list[Page]:
    """Every page; with pdf, each printable page links to its PDF handout (slugs.handout_pdf)."""
    pages = [
        Page(slugs.HOME, "home.md.j2", site.handbook.title,
             {"current": current_month(site, today), "today": today}),
        Page(slugs.HELP, "help.md.j2", "Hướng dẫn sử dụng", inputs=SHARED_INPUTS),
    ]
    for book in site.campaigns:
        pages += _campaign_pages(book)
    pages.append(Page(slugs.CALENDAR, "calendar.md.j2", "Lịch sinh hoạt", {"events": ical.calendar_events(site), "books": {b.id: b for b in site.campaigns}}))
    pages.append(Page(slugs.DOCUMENTS, "documents.md.j2", "Văn bản", {"groups": document_groups(site)},
                      inputs=SHARED_INPUTS))
    for document in site.documents.values():
        pages.append(Page(slugs.document_page(document.id), "document.md.j2", document.label, {"document": document},
                          inputs=DOCUMENT_INPUTS))
    pages.append(Page(slugs.GLOSSARY, "glossary.md.j2", "Thuật ngữ và chữ viết tắt", inputs=SHARED_INPUTS))
    return [_with_pdf(page) if pdf and page.handout else page for page in pages]


def _with_pdf(page: Page) -> Page:
    return Page(page.path, page.template, page.title, dict(page.context, pdf=slugs.handout_pdf(page.path)),
                page.handout, page.inputs)


def _campaign_pages(book: CampaignBook) -> list[Page]:
    inputs = campaign_inputs(book.id)
    context = {"book": book}
    pages = [Page(slugs.campaign_page(book.id), "campaign.md.j2", book.campaign.short_title, context, inputs=inputs)]
    for month in book.months:
        pages.append(Page(slugs.month_page(book.id, month.month), "month.md.j2",
                          f"{month_label(month.month)}: {month.guide.title}",
                          {"book": book, "month": month, "pdf": None}, "member", inputs))
        pages.append(Page(slugs.month_secretary_page(book.id, month.month), "month-secretary.md.j2",
                          f"{month_label(month.month)}: hướng dẫn bí thư chi bộ",
                          {"book": book, "month": month, "pdf": None}, "secretary", inputs))
    if any(month.guide.questions for month in book.months):
        pages.append(Page(slugs.questions_page(book.id), "questions.md.j2", "Câu hỏi thảo luận",
                          {"book": book, "pdf": None}, "booklet", inputs))
    for kind in FORM_KINDS:
        pages.append(Page(slugs.form_page(book.id, kind.value), "form.md.j2", f"Mẫu {kind.label.lower()}",
                          {"book": book, "kind": kind, "pdf": None}, "form", inputs))
    for topic in book.orientations:
        pages.append(Page(slugs.orientation_page(book.id, topic.id), "topic.md.j2",
                          f"{topic.number}. {topic.short_title}", {"book": book, "topic": topic}, inputs=inputs))
    for topic in book.themes:
        pages.append(Page(slugs.theme_page(book.id, topic.id), "topic.md.j2", topic.title,
                          {"book": book, "topic": topic}, inputs=inputs))
    if book.readings:
        pages.append(Page(slugs.readings_page(book.id), "readings.md.j2", "Tài liệu học tập", context,
                          inputs=inputs))
    return pages


def plan_nav(site: Site, pages: list[Page]) -> tuple[NavItem, ...]:
    titles = {page.path: page.title for page in pages}

    def item(path: str, title: str | None = None) -> NavItem:
        return NavItem(title or titles[path], path)

    nav = [item(slugs.HOME, "Trang chủ")]
    campaigns: list[tuple[int, NavItem]] = []
    for book in site.campaigns:
        children = [item(slugs.campaign_page(book.id), "Tổng quan")]
        if book.months:
            children.append(NavItem("Hướng dẫn sinh hoạt", None, tuple(
                item(slugs.month_page(book.id, m.month), month_label(m.month)) for m in book.months)))
            children.append(NavItem("Dành cho bí thư chi bộ", None, tuple(
                item(slugs.month_secretary_page(book.id, m.month), month_label(m.month)) for m in book.months)))
        if slugs.questions_page(book.id) in titles:
            children.append(item(slugs.questions_page(book.id)))
        children.append(NavItem("Mẫu biểu", None, tuple(
            item(slugs.form_page(book.id, kind.value)) for kind in FORM_KINDS)))
        if book.orientations:
            children.append(NavItem("Định hướng chiến lược", None, tuple(
                item(slugs.orientation_page(book.id, t.id)) for t in book.orientations)))
        if book.themes:
            children.append(NavItem("Chủ đề", None, tuple(
                item(slugs.theme_page(book.id, t.id)) for t in book.themes)))
        if book.readings:
            children.append(item(slugs.readings_page(book.id)))
        campaigns.append((book.campaign.period.start.year, NavItem(book.campaign.short_title, None, tuple(children))))
    nav += _grouped_by_year(campaigns)
    nav.append(item(slugs.CALENDAR))
    documents = tuple(NavItem(group, None, tuple(item(slugs.document_page(d.id)) for d in docs)) if group
                      else item(slugs.document_page(docs[0].id)) for group, docs in _document_entries(site))
    nav.append(NavItem("Văn bản", None, (item(slugs.DOCUMENTS, "Danh mục văn bản"),) + documents))
    nav.append(item(slugs.GLOSSARY))
    nav.append(item(slugs.HELP))
    return tuple(nav)


def document_groups(site: Site) -> list[tuple[str | None, list]]:
    """The documents as the documents page and the navigation list them: one group (no title) or,
    past NAV_LIST_LIMIT, one per year of issue (a page section each: Zensical refuses to index a
    section of more than 32 KB of text)."""
    documents = list(site.documents.values())
    if len(documents) <= NAV_LIST_LIMIT:
        return [(None, documents)]
    years: dict[int | None, list] = {}
    for document in documents:
        years.setdefault(document.meta.date.year if document.meta.date else None, []).append(document)
    return [(_year_title(year), years[year]) for year in _newest_first(years)]


def _document_entries(site: Site) -> list[tuple[str | None, list]]:
    """document_groups, with the ungrouped list as one entry per document."""
    groups = document_groups(site)
    return [(None, [d]) for d in groups[0][1]] if groups[0][0] is None else groups


def _newest_first(years) -> list:
    return sorted(years, key=lambda year: (year is None, -(year or 0)))


def _year_title(year: int | None) -> str:
    return f"Năm {year}" if year else "Không ghi năm"


def _grouped_by_year(items: list[tuple[int | None, NavItem]]) -> tuple[NavItem, ...]:
    """The items as they are, or, past NAV_LIST_LIMIT, in one section per year (newest first; items
    without a year last). Every page carries the navigation with the sections on its way unfolded:
    a flat list of a hundred campaigns or documents made each page's navigation, and so the build,
    grow with the number of pages."""
    if len(items) <= NAV_LIST_LIMIT:
        return tuple(entry for _, entry in items)
    years: dict[int | None, list[NavItem]] = {}
    for year, entry in items:
        years.setdefault(year, []).append(entry)
    return tuple(NavItem(_year_title(year), None, tuple(years[year])) for year in _newest_first(years))
