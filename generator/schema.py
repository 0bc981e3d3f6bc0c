"""The shape of each kind of content file, as pydantic models that forbid unknown fields.

Field names are English (stable for tools and the JSON Schema); values are Vietnamese. Every value
arrives as text from the YAML reader, so dates, numbers and choices are parsed here, strictly, with
messages an author can act on. Choices accept the Vietnamese label in any spelling ("Bài viết",
"bai viet", "bai-viet") because they are compared by slug.
"""

from __future__ import annotations

import re
from datetime import date
from enum import Enum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema

from .slugs import slugify

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _check_id(value: str) -> str:
    if not ID_PATTERN.match(value) or len(value) > 64:
        raise ValueError(
            f"'{value}' is not a valid id: use lower-case letters without marks, digits and '-' "
            f"(for example '{slugify(value)}')"
        )
    return value


def _parse_date(value: object) -> object:
    if not isinstance(value, str):
        return value
    text = value.strip()
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text) or None
    if match:
        year, month, day = (int(g) for g in match.groups())
    else:
        match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
        if not match:
            raise ValueError(f"'{text}' is not a date; write it as 16/12/2024 or 2024-12-16")
        day, month, year = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"'{text}' is not a real date") from None


def _text(value: object) -> object:
    if isinstance(value, str):
        value = " ".join(value.split()) if "\n" not in value.strip() else value.strip()
        if not value:
            raise ValueError("text is empty")
    return value


Id = Annotated[
    str,
    AfterValidator(_check_id),
    WithJsonSchema({"type": "string", "pattern": ID_PATTERN.pattern, "maxLength": 64}),
]
DATE_PATTERN = r"^\s*(\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{1,2}-\d{1,2})\s*$"
Date = Annotated[
    date,
    BeforeValidator(_parse_date),
    WithJsonSchema({"type": "string", "pattern": DATE_PATTERN, "description": "ngày, ví dụ 16/12/2024"}),
]
Text = Annotated[str, BeforeValidator(_text), Field(min_length=1)]


class Choice(str, Enum):
    """A closed list of values, each with the Vietnamese label shown on the site."""

    label: str

    def __new__(cls, value: str, label: str):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema, handler):
        # authors may write the value or its Vietnamese label; both validate
        return {"enum": [m.value for m in cls] + [m.label for m in cls], "type": "string"}

    @classmethod
    def _missing_(cls, value: object):
        if isinstance(value, str):
            wanted = slugify(value)
            for member in cls:
                if wanted in (member.value, slugify(member.label)):
                    return member
        return None


class DocumentKind(Choice):
    KE_HOACH = ("ke-hoach", "Kế hoạch")
    CONG_VAN = ("cong-van", "Công văn")
    NGHI_QUYET = ("nghi-quyet", "Nghị quyết")
    KET_LUAN = ("ket-luan", "Kết luận")
    CHI_THI = ("chi-thi", "Chỉ thị")
    QUY_DINH = ("quy-dinh", "Quy định")
    HUONG_DAN = ("huong-dan", "Hướng dẫn")
    THONG_BAO = ("thong-bao", "Thông báo")
    TIN_BAI = ("tin-bai", "Tin bài")
    THAM_LUAN = ("tham-luan", "Tham luận")


class ReadingKind(Choice):
    BAI_VIET = ("bai-viet", "Bài viết")
    PHAT_BIEU = ("phat-bieu", "Bài phát biểu")
    NGHI_QUYET = ("nghi-quyet", "Nghị quyết")
    VAN_KIEN = ("van-kien", "Văn kiện")
    CHI_THI = ("chi-thi", "Chỉ thị")
    BAO_CAO = ("bao-cao", "Báo cáo")
    TAI_LIEU = ("tai-lieu", "Tài liệu")


class ReadingLevel(Choice):
    BAT_BUOC = ("bat-buoc", "Bắt buộc")
    THAM_KHAO = ("tham-khao", "Tham khảo")


class QuestionLevel(Choice):
    HIEU = ("hieu", "Nắm vững nội dung")
    LIEN_HE = ("lien-he", "Liên hệ thực tiễn")
    HANH_DONG = ("hanh-dong", "Cam kết hành động")


class OutputKind(Choice):
    THU_HOACH = ("thu-hoach", "Bài thu hoạch")
    KE_HOACH_HANH_DONG = ("ke-hoach-hanh-dong", "Kế hoạch hành động của bản thân")
    BAO_CAO = ("bao-cao", "Báo cáo của chi bộ")
    CHUONG_TRINH_HANH_DONG = ("chuong-trinh-hanh-dong", "Chương trình hành động")


class TermKind(Choice):
    VIET_TAT = ("viet-tat", "Chữ viết tắt")
    THUAT_NGU = ("thuat-ngu", "Thuật ngữ")


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Citation(Model):
    """Where something stands in a source document: its id and the section as numbered there."""

    source: Id = Field(description="id of the document (file name in content/documents/ without .yml)")
    section: Text = Field(description="section as numbered in the document, e.g. 'II.3.1' or 'Mục 2'")


class Passage(Citation):
    """One or more sentences quoted word for word from one section of a source document."""

    quotes: list[Text] = Field(min_length=1, description="exact quotations, one per item")


# ---- content/handbook.yml -------------------------------------------------------------------


class Handbook(Model):
    title: Text
    organisation: Text = Field(description="the organisation that publishes the handbook")
    description: Text
    contact: Text | None = None


# ---- content/documents/<id>.yml ---------------------------------------------------------------


class Correction(Model):
    original: Text = Field(description="the text as transcribed")
    corrected: Text = Field(description="the text as shown in full_text")
    reason: Text


class Document(Model):
    number: Text | None = Field(None, description="number as written, e.g. '2788-CV/BTGTU'")
    kind: DocumentKind
    date: Date | None = None
    issuer: Text
    title: Text
    implements: list[Id] = Field(default_factory=list, description="ids of documents it implements")
    cites: list[Citation] = Field(
        default_factory=list,
        description="other documents it refers to (a resolution, a letter), each with the section that names it",
    )
    place: Text | None = None
    signer: Text | None = None
    signer_title: Text | None = None
    summary: Text | None = Field(None, description="one sentence of ours saying what it is")
    full_text: Text | None = Field(None, description="file beside this one holding the full text (.md)")
    corrections: list[Correction] = Field(default_factory=list)


# ---- content/campaigns/<id>/campaign.yml ------------------------------------------------------


class Period(Model):
    start: Date
    end: Date | None = Field(None, description="leave out when the documents say the campaign is ongoing")


class Milestone(Model):
    date: Date
    end: Date | None = None
    title: Text = Field(description="a short label for the calendar")
    passage: Passage | None = None


class Duty(Model):
    body: Text = Field(description="who: 'Chi bộ', 'Đảng ủy cơ sở', 'Ban Tuyên giáo Huyện ủy', ...")
    tasks: list[Passage] = Field(min_length=1)


class Output(Model):
    kind: OutputKind
    passage: Passage


class Reporting(Model):
    deadline: Text = Field(description="as the document says it, e.g. 'trước ngày 25 hằng tháng'")
    to: Text | None = None
    passage: Passage
    fields: list[Passage] = Field(default_factory=list, description="what the report must cover")


class Campaign(Model):
    title: Text
    short_title: Text
    period: Period
    documents: list[Id] = Field(min_length=1, description="governing documents, the main one first")
    subject: Passage | None = Field(None, description="the campaign's official subject (chủ đề), quoted")
    summary: Text | None = Field(None, description="one or two sentences of ours introducing the campaign")
    purposes: list[Passage] = Field(default_factory=list)
    requirements: list[Passage] = Field(default_factory=list)
    audiences: list[Passage] = Field(default_factory=list)
    forms: list[Passage] = Field(default_factory=list)
    timeline: list[Milestone] = Field(default_factory=list)
    duties: list[Duty] = Field(default_factory=list)
    observer: list[Passage] = Field(default_factory=list, description="what an assigned observer watches")
    outputs: list[Output] = Field(default_factory=list)
    reporting: Reporting | None = None


# ---- content/campaigns/<id>/orientations.yml, themes.yml, readings.yml ------------------------


class Orientation(Model):
    id: Id
    number: Annotated[str, Field(pattern=r"^\d+(\.\d+)*$")]
    title: Text
    short_title: Text
    key_points: list[Passage] = Field(min_length=1)


class OrientationsFile(Model):
    orientations: list[Orientation] = Field(min_length=1)


class Theme(Model):
    id: Id
    title: Text
    key_points: list[Passage] = Field(min_length=1)


class ThemesFile(Model):
    themes: list[Theme] = Field(default_factory=list)


class Reading(Model):
    id: Id
    title: Text
    author: Text | None = None
    kind: ReadingKind
    date: Date | None = None
    source: Text | None = Field(None, description="where to find it: a journal, a site, a book")
    url: Text | None = None
    level: ReadingLevel = ReadingLevel.BAT_BUOC
    minutes: Annotated[int, Field(ge=1, le=600)] | None = Field(None, description="reading time estimate")
    topics: list[Id] = Field(default_factory=list, description="orientation or theme ids it serves")
    listed_in: Citation | None = Field(None, description="where the documents list it")
    document: Id | None = Field(None, description="the source document this reading is, when we hold its text")


class ReadingsFile(Model):
    readings: list[Reading] = Field(default_factory=list)


# ---- content/campaigns/<id>/months/<yyyy-mm>.yml ----------------------------------------------


class Session(Model):
    date: Date
    title: Text | None = None
    passage: Passage | None = None


class Question(Model):
    id: Id
    level: QuestionLevel
    text: Text
    hint: Text = Field(description="for the cell secretary only; never shown to members")
    grounded_in: Citation = Field(description="what the documents ask cells to discuss")


class MemberTask(Model):
    kind: OutputKind
    due: Date | None = None
    note: Text | None = None


class StudyGuide(Model):
    title: Text
    sessions: list[Session] = Field(
        default_factory=list, description="fixed session dates; leave out when each cell picks its day in the month"
    )
    sessions_passage: Passage | None = Field(None, description="what the documents say about when cells meet")
    focus: list[Id] = Field(default_factory=list, description="orientation or theme ids studied")
    choices: list[Id] = Field(default_factory=list, description="orientations a cell may choose from")
    choices_passage: Passage | None = None
    readings: list[Id] = Field(default_factory=list)
    key_points: list[Passage] = Field(default_factory=list)
    questions: list[Question] = Field(default_factory=list)
    member_tasks: list[MemberTask] = Field(default_factory=list)
    report_deadline: Date | None = Field(None, description="reports are due before this date ('trước ngày')")
    report_passage: Passage | None = None


# ---- content/glossary.yml ---------------------------------------------------------------------


class GlossaryTerm(Model):
    term: Text
    kind: TermKind
    expansion: Text = Field(description="the full form of an abbreviation, or a short explanation")
    definition: Text | None = None
    cite: Citation | None = None


class GlossaryFile(Model):
    terms: list[GlossaryTerm] = Field(default_factory=list)
