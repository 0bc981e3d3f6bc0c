"""The linked Site model: every file's content, with references resolved both ways.

Built by `checks.check_site` only after every cross-file check has passed, so code downstream
(planning, rendering) may follow any id without guarding against missing targets.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date

from . import schema


@dataclass(frozen=True)
class SourceDocument:
    id: str
    meta: schema.Document
    text: str | None  # the cleaned full text, Markdown

    @property
    def label(self) -> str:
        """How pages name it: 'Kế hoạch 284-KH/TU', or 'Kế hoạch của <issuer>' when it has no number."""
        if self.meta.number:
            return f"{self.meta.kind.label} {self.meta.number}"
        return f"{self.meta.kind.label} của {self.meta.issuer}"


@dataclass(frozen=True)
class Topic:
    """An orientation or a theme: both are things a month studies and a reading serves."""

    id: str
    kind: str  # "orientation" | "theme"
    title: str
    short_title: str
    number: str | None
    key_points: tuple[schema.Passage, ...]


@dataclass(frozen=True)
class MonthGuide:
    month: str  # "2024-12"
    guide: schema.StudyGuide

    @functools.cached_property
    def question_groups(self) -> tuple[tuple[schema.QuestionLevel, tuple[tuple[int, schema.Question], ...]], ...]:
        """The questions by level, in the order of the levels, numbered across the levels as every
        sheet of the month numbers them: (level, ((number, question), ...)) for each level used."""
        groups, number = [], 0
        for level in schema.QuestionLevel:
            items = []
            for question in self.guide.questions:
                if question.level == level:
                    number += 1
                    items.append((number, question))
            if items:
                groups.append((level, tuple(items)))
        return tuple(groups)

    @property
    def question_numbers(self) -> dict[str, tuple[int, int]]:
        """The first and last question number of each level used, by the level's value."""
        return {level.value: (items[0][0], items[-1][0]) for level, items in self.question_groups}

    @property
    def first_day(self) -> date:
        """The first session, or the first of the month when each cell picks its own day."""
        if self.guide.sessions:
            return min(session.date for session in self.guide.sessions)
        year, month = (int(part) for part in self.month.split("-"))
        return date(year, month, 1)


@dataclass(frozen=True)
class CampaignBook:
    """One campaign with everything that belongs to it."""

    id: str
    campaign: schema.Campaign
    orientations: tuple[Topic, ...]
    themes: tuple[Topic, ...]
    readings: tuple[schema.Reading, ...]
    months: tuple[MonthGuide, ...]
    readings_by_topic: dict[str, tuple[schema.Reading, ...]] = field(default_factory=dict)
    months_by_topic: dict[str, tuple[MonthGuide, ...]] = field(default_factory=dict)

    def topic(self, topic_id: str) -> Topic:
        for topic in self.orientations + self.themes:
            if topic.id == topic_id:
                return topic
        raise KeyError(topic_id)

    def reading(self, reading_id: str) -> schema.Reading:
        for reading in self.readings:
            if reading.id == reading_id:
                return reading
        raise KeyError(reading_id)


@dataclass(frozen=True)
class Site:
    handbook: schema.Handbook
    documents: dict[str, SourceDocument]
    campaigns: tuple[CampaignBook, ...]
    glossary: tuple[schema.GlossaryTerm, ...]
    campaigns_by_document: dict[str, tuple[str, ...]] = field(default_factory=dict)
    implemented_by: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # document id → (id of a document that cites it, the section of that document that does)
    cited_by: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    # the content files it was made from: path under the content folder → digest of the bytes read
    sources: dict[str, str] = field(default_factory=dict)
