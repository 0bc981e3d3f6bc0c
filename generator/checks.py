"""Checks across files, then the linked Site model.

Every reference must resolve, ids must be unique, dates must fall inside their campaign, and every
quotation must occur word for word in the full text of the document it cites. All problems are
collected and raised together; the Site is built only when there are none.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from datetime import date

from pydantic import BaseModel

from . import schema
from .content import CampaignFiles, ContentFiles, Entry, digest, display_path, source_name
from .diagnostics import ContentError, Diagnostic, at, in_file, suggest
from .fulltext import check_full_text
from .model import CampaignBook, MonthGuide, Site, SourceDocument, Topic
from .yamlreader import MAX_FILE_BYTES


def normalise_for_quote(text: str) -> str:
    """Text as compared for quotation: NFC, Markdown emphasis and line breaks dropped, spaces folded."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("*", "").replace("_", "").replace("\\", "")
    text = re.sub(r"[“”]", '"', text)
    return " ".join(text.split())


class _Checker:
    def __init__(self, files: ContentFiles):
        self.files = files
        self.problems: list[Diagnostic] = []
        self.texts: dict[str, str | None] = {}
        self.haystacks: dict[str, str] = {}  # full texts as compared for quotation
        # where documents are defined, as hints name it (resolved once: 0.1 s for 1,000 pages)
        self.documents_folder = display_path(files.root / "documents") + "/"

    def report(self, entry: Entry, loc: tuple, code: str, message: str, hint: str | None = None,
               key: bool = False) -> None:
        span = entry.file.key_span(loc) if key else entry.file.span(loc)
        self.problems.append(at(span, code, message, hint))

    def reference(self, entry: Entry, loc: tuple, value: str, known: dict | set, what: str,
                  defined_in: str) -> bool:
        if value in known:
            return True
        close = suggest(value, list(known))
        hint = f"known ids are defined in {defined_in}" + (f"; closest id: '{close}'" if close else "")
        self.report(entry, loc, "unknown-reference", f"'{value}' is not a known {what}", hint)
        return False

    # ---- documents -------------------------------------------------------------------------

    def check_documents(self) -> None:
        documents = self.files.documents
        folder = display_path(self.files.root / "documents")
        for doc_id, entry in documents.items():
            for index, target in enumerate(entry.model.implements):
                self.reference(entry, ("implements", index), target, documents, "document", folder + "/")
            self.texts[doc_id] = self.read_full_text(doc_id, entry)

    def read_full_text(self, doc_id: str, entry: Entry[schema.Document]) -> str | None:
        name = entry.model.full_text
        if name is None:
            return None
        folder = self.files.root / "documents"
        path = folder / name
        hint = f"put the text in {display_path(folder)}/{doc_id}.md and write 'full_text: {doc_id}.md'"
        if "/" in name or "\\" in name or name.startswith(".") or ":" in name:
            self.report(entry, ("full_text",), "invalid-value",
                        f"full_text: '{name}' is a path; it must name a file beside the document, "
                        f"in {display_path(folder)}/", hint)
            return None
        if not name.endswith(".md") or not path.is_file():
            self.report(entry, ("full_text",), "missing-file",
                        f"document '{doc_id}' names full text '{name}', which is not a .md file beside it", hint)
            return None
        if not path.resolve().is_relative_to(folder.resolve()):
            self.report(entry, ("full_text",), "invalid-value",
                        f"full_text: '{name}' is a link to a file outside {display_path(folder)}/", hint)
            return None
        if path.stat().st_size > MAX_FILE_BYTES:
            self.problems.append(in_file(display_path(path), "file-too-large",
                                         f"file is {path.stat().st_size:,} bytes; full texts may be at most "
                                         f"{MAX_FILE_BYTES:,}", "split the document, or keep only its text"))
            return None
        try:
            data = path.read_bytes()
            self.files.sources[source_name(self.files.root, path)] = digest(data)
            # as read_text() reads it: universal newlines
            text = data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n").removeprefix("\ufeff")
        except (UnicodeDecodeError, OSError) as error:
            self.report(entry, ("full_text",), "not-utf8", f"full text '{name}' cannot be read as UTF-8: {error}",
                        "save the file as UTF-8")
            return None
        problems = check_full_text(display_path(path), text)
        if problems:
            self.problems += problems
            return None
        return unicodedata.normalize("NFC", text)

    # ---- citations, anywhere ---------------------------------------------------------------

    def check_citations(self, entry: Entry) -> None:
        for loc, citation in walk_citations(entry.model):
            if not self.reference(entry, (*loc, "source"), citation.source, self.files.documents,
                                  "document", self.documents_folder):
                continue
            text = self.texts.get(citation.source)
            if text is None or not isinstance(citation, schema.Passage):
                continue
            haystack = self.haystacks.get(citation.source)
            if haystack is None:
                haystack = self.haystacks[citation.source] = normalise_for_quote(text)
            for index, quote in enumerate(citation.quotes):
                if normalise_for_quote(quote) not in haystack:
                    self.report(entry, (*loc, "quotes", index), "quote-mismatch",
                                f"this quotation does not occur word for word in document '{citation.source}'",
                                "copy the sentence exactly from the document's full text; "
                                "put words of your own in a field that is not a quotation")

    # ---- campaigns --------------------------------------------------------------------------

    def check_campaign(self, files: CampaignFiles) -> CampaignBook | None:
        before = len(self.problems)
        entry = files.campaign
        campaign = entry.model
        for index, doc_id in enumerate(campaign.documents):
            self.reference(entry, ("documents", index), doc_id, self.files.documents, "document",
                           self.documents_folder)
        period = campaign.period
        if period.end is not None and period.start > period.end:
            self.report(entry, ("period", "end"), "invalid-value",
                        f"the campaign ends ({period.end:%d/%m/%Y}) before it starts ({period.start:%d/%m/%Y})")
        for index, milestone in enumerate(campaign.timeline):
            self.within_period(entry, ("timeline", index, "date"), milestone.date, period, "timeline date")
        self.check_citations(entry)

        orientations = self.topics(files.orientations, "orientations", "orientation")
        themes = self.topics(files.themes, "themes", "theme")
        topic_ids = {t.id: t for t in orientations + themes}
        for entry_topics, key in ((files.orientations, "orientations"), (files.themes, "themes")):
            if entry_topics:
                self.check_citations(entry_topics)
        seen_topics: dict[str, str] = {}
        for topic in orientations + themes:
            if topic.id in seen_topics and seen_topics[topic.id] != topic.kind:
                self.problems.append(at(self.topic_span(files, topic), "duplicate-id",
                                        f"id '{topic.id}' is used by an orientation and a theme",
                                        "give the theme another id"))
            seen_topics[topic.id] = topic.kind

        readings: tuple[schema.Reading, ...] = ()
        reading_ids: set[str] = set()
        if files.readings:
            readings = tuple(files.readings.model.readings)
            self.unique_ids(files.readings, "readings", [r.id for r in readings], "reading")
            reading_ids = {r.id for r in readings}
            for index, reading in enumerate(readings):
                if reading.document:
                    self.reference(files.readings, ("readings", index, "document"), reading.document,
                                   self.files.documents, "document", self.documents_folder)
                for t_index, topic in enumerate(reading.topics):
                    self.reference(files.readings, ("readings", index, "topics", t_index), topic, topic_ids,
                                   "orientation or theme", f"{files.folder}/orientations.yml or themes.yml")
            self.check_citations(files.readings)

        months = []
        for month, guide_entry in files.months.items():
            months.append(self.check_month(month, guide_entry, period, topic_ids, reading_ids, files.folder))
        if len(self.problems) > before:
            return None
        return self.link_campaign(files, orientations, themes, readings, tuple(months))

    def topics(self, entry: Entry | None, key: str, kind: str) -> tuple[Topic, ...]:
        if entry is None:
            return ()
        items = getattr(entry.model, key)
        self.unique_ids(entry, key, [item.id for item in items], kind)
        return tuple(
            Topic(
                id=item.id,
                kind=kind,
                title=item.title,
                short_title=getattr(item, "short_title", item.title),
                number=getattr(item, "number", None),
                key_points=tuple(item.key_points),
            )
            for item in items
        )

    def topic_span(self, files: CampaignFiles, topic: Topic):
        entry = files.themes if topic.kind == "theme" else files.orientations
        key = "themes" if topic.kind == "theme" else "orientations"
        index = [t.id for t in getattr(entry.model, key)].index(topic.id)
        return entry.file.span((key, index, "id"))

    def unique_ids(self, entry: Entry, key: str, ids: list[str], what: str) -> None:
        first: dict[str, int] = {}
        for index, item_id in enumerate(ids):
            if item_id in first:
                line = entry.file.span((key, first[item_id], "id")).line
                self.report(entry, (key, index, "id"), "duplicate-id",
                            f"{what} id '{item_id}' is already used (line {line})", "ids must be unique")
            else:
                first[item_id] = index

    def within_period(self, entry: Entry, loc: tuple, day: date, period: schema.Period, what: str) -> None:
        if day < period.start or (period.end is not None and day > period.end):
            end = f"{period.end:%d/%m/%Y}" if period.end else "…"
            self.report(entry, loc, "date-out-of-range",
                        f"{what} {day:%d/%m/%Y} is outside the campaign's period "
                        f"({period.start:%d/%m/%Y} – {end})",
                        "correct the date, or the campaign's period in campaign.yml")

    def check_month(self, month: str, entry: Entry[schema.StudyGuide], period: schema.Period,
                    topics: dict, reading_ids: set[str], folder: str) -> MonthGuide:
        guide = entry.model
        year, number = (int(part) for part in month.split("-"))
        for index, session in enumerate(guide.sessions):
            self.within_period(entry, ("sessions", index, "date"), session.date, period, "session date")
            if (session.date.year, session.date.month) != (year, number):
                self.report(entry, ("sessions", index, "date"), "date-out-of-range",
                            f"session date {session.date:%d/%m/%Y} is not in {number:02d}/{year}, "
                            f"the month this guide is for", f"rename the file or correct the date")
        for key in ("focus", "choices"):
            for index, topic in enumerate(getattr(guide, key)):
                self.reference(entry, (key, index), topic, topics, "orientation or theme",
                               f"{folder}/orientations.yml or themes.yml")
        for index, reading in enumerate(guide.readings):
            self.reference(entry, ("readings", index), reading, reading_ids, "reading", f"{folder}/readings.yml")
        self.unique_ids(entry, "questions", [q.id for q in guide.questions], "question")
        first = MonthGuide(month, guide).first_day
        if guide.report_deadline and guide.report_deadline < first:
            self.report(entry, ("report_deadline",), "date-out-of-range",
                        f"the report deadline {guide.report_deadline:%d/%m/%Y} is before the first session "
                        f"({first:%d/%m/%Y})")
        self.check_citations(entry)
        return MonthGuide(month=month, guide=guide)

    def link_campaign(self, files: CampaignFiles, orientations: tuple[Topic, ...], themes: tuple[Topic, ...],
                      readings: tuple[schema.Reading, ...], months: tuple[MonthGuide, ...]) -> CampaignBook:
        by_topic: dict[str, list[schema.Reading]] = {}
        for reading in readings:
            for topic in reading.topics:
                by_topic.setdefault(topic, []).append(reading)
        months_by_topic: dict[str, list[MonthGuide]] = {}
        for month in sorted(months, key=lambda m: m.month):
            for topic in dict.fromkeys(month.guide.focus + month.guide.choices):
                months_by_topic.setdefault(topic, []).append(month)
        return CampaignBook(
            id=files.id,
            campaign=files.campaign.model,
            orientations=tuple(sorted(orientations, key=lambda t: [int(p) for p in (t.number or "0").split(".")])),
            themes=themes,
            readings=readings,
            months=tuple(sorted(months, key=lambda m: m.month)),
            readings_by_topic={k: tuple(v) for k, v in by_topic.items()},
            months_by_topic={k: tuple(v) for k, v in months_by_topic.items()},
        )

    def check_glossary(self) -> tuple[schema.GlossaryTerm, ...]:
        entry = self.files.glossary
        if entry is None:
            return ()
        terms = entry.model.terms
        self.unique_ids(entry, "terms", [t.term for t in terms], "glossary term")
        self.check_citations(entry)
        return tuple(terms)


def walk_citations(model: BaseModel, loc: tuple = ()) -> Iterator[tuple[tuple, schema.Citation]]:
    """Every citation (and passage) inside a model, with its location in the file."""
    if isinstance(model, schema.Citation):
        yield loc, model
        return
    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            yield from walk_citations(value, (*loc, name))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from walk_citations(item, (*loc, name, index))


def check_site(files: ContentFiles) -> Site:
    """Run every cross-file check; return the linked Site, or raise ContentError with all problems."""
    checker = _Checker(files)
    checker.check_documents()
    checker.check_citations(files.handbook)
    for entry in files.documents.values():
        checker.check_citations(entry)
    glossary = checker.check_glossary()
    books = [checker.check_campaign(c) for c in files.campaigns.values()]
    if checker.problems:
        raise ContentError(checker.problems)
    documents = {
        doc_id: SourceDocument(doc_id, entry.model, checker.texts.get(doc_id))
        for doc_id, entry in sorted(files.documents.items())
    }
    campaigns = tuple(sorted((b for b in books if b), key=lambda b: b.campaign.period.start, reverse=True))
    by_document: dict[str, list[str]] = {}
    for book in campaigns:
        for doc_id in book.campaign.documents:
            by_document.setdefault(doc_id, []).append(book.id)
    implemented_by: dict[str, list[str]] = {}
    for doc_id, document in documents.items():
        for target in document.meta.implements:
            implemented_by.setdefault(target, []).append(doc_id)
    cited_by: dict[str, list[tuple[str, str]]] = {}
    for doc_id, document in documents.items():
        for citation in document.meta.cites:
            cited_by.setdefault(citation.source, []).append((doc_id, citation.section))
    return Site(
        implemented_by={k: tuple(v) for k, v in implemented_by.items()},
        cited_by={k: tuple(v) for k, v in cited_by.items()},
        handbook=files.handbook.model,
        documents=documents,
        campaigns=campaigns,
        glossary=glossary,
        campaigns_by_document={k: tuple(v) for k, v in by_document.items()},
        sources=dict(files.sources),
    )
