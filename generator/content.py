"""Find every content file, read it and validate it against its schema.

This is the gathering phase: every file is read and validated, and every problem in every file is
collected, before anything is checked across files or written anywhere.

    content/handbook.yml
    content/glossary.yml
    content/documents/<id>.yml          (+ the .md full text each one names)
    content/campaigns/<id>/campaign.yml
    content/campaigns/<id>/orientations.yml | themes.yml | readings.yml
    content/campaigns/<id>/months/<yyyy-mm>.yml
"""

from __future__ import annotations

import hashlib
import re
import types
import typing
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Generic, TypeVar

from pydantic import BaseModel, ValidationError

from . import schema
from .diagnostics import ContentError, Diagnostic, at, in_file, suggest
from .yamlreader import YamlFile, read_yaml

M = TypeVar("M", bound=BaseModel)

CAMPAIGN_FILES = {
    "campaign.yml": schema.Campaign,
    "orientations.yml": schema.OrientationsFile,
    "themes.yml": schema.ThemesFile,
    "readings.yml": schema.ReadingsFile,
}
MONTH_NAME = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


@dataclass
class Entry(Generic[M]):
    """One validated file: its positioned YAML (for locating later problems) and its model."""

    file: YamlFile
    model: M


@dataclass
class CampaignFiles:
    id: str
    folder: str
    campaign: Entry[schema.Campaign]
    orientations: Entry[schema.OrientationsFile] | None = None
    themes: Entry[schema.ThemesFile] | None = None
    readings: Entry[schema.ReadingsFile] | None = None
    months: dict[str, Entry[schema.StudyGuide]] = field(default_factory=dict)


@dataclass
class ContentFiles:
    root: Path
    handbook: Entry[schema.Handbook]
    glossary: Entry[schema.GlossaryFile] | None
    documents: dict[str, Entry[schema.Document]]
    campaigns: dict[str, CampaignFiles]
    # every file read, by its path under root ("campaigns/x/months/2024-12.yml") → digest of its bytes:
    # what each planned page was made from (plan.Page.inputs), for `sotay serve` to render only
    # the pages whose files changed (cache.py)
    sources: dict[str, str] = field(default_factory=dict)


def display_path(path: Path) -> str:
    """The path as an author's editor wants it: relative to the working directory when possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def source_name(root: Path, path: Path) -> str:
    """A content file's name in ContentFiles.sources: its path under the content folder."""
    return path.relative_to(root).as_posix()


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


# What each file gave the last time it was read. `sotay serve` reloads all content after every save:
# a file with the same bytes gives the same result (models are never changed after validation),
# so only the saved file is parsed and validated again.
_PARSED: dict[tuple[str, type, str], tuple[bytes, Entry | None, list[Diagnostic]]] = {}


def _parse(shown: str, data: bytes, model: type[M], what: str) -> tuple[Entry[M] | None, list[Diagnostic]]:
    yaml_file, problems = read_yaml(shown, data)
    if yaml_file is None:
        return None, problems
    value = yaml_file.value
    if not isinstance(value, dict):
        return None, problems + [
            at(yaml_file.span(()), "invalid-value", f"{what} must be a block of fields ('name: value' lines)",
               "see content/README.md for an example of this file")
        ]
    try:
        return Entry(yaml_file, model.model_validate(value)), problems
    except ValidationError as error:
        return None, problems + validation_diagnostics(yaml_file, error, model, what)


class _Gatherer:
    def __init__(self, root: Path):
        self.root = root
        self.problems: list[Diagnostic] = []
        self.sources: dict[str, str] = {}

    def load(self, path: Path, model: type[M], what: str) -> Entry[M] | None:
        shown = display_path(path)
        try:
            data = path.read_bytes()
        except OSError as error:
            self.problems.append(in_file(shown, "unreadable-file", f"cannot read file: {error.strerror}"))
            return None
        self.sources[source_name(self.root, path)] = digest(data)
        key = (shown, model, what)
        if key in _PARSED and _PARSED[key][0] == data:
            entry, problems = _PARSED[key][1:]
        else:
            entry, problems = _parse(shown, data, model, what)
            _PARSED[key] = (data, entry, problems)
        self.problems += problems
        return entry

    def unknown_file(self, path: Path, allowed: str) -> None:
        self.problems.append(
            in_file(display_path(path), "unknown-file", f"'{path.name}' is not a content file Sổ tay knows",
                    f"allowed here: {allowed}; move notes elsewhere or name the file correctly")
        )

    def bad_name(self, path: Path, message: str, hint: str) -> None:
        self.problems.append(in_file(display_path(path), "invalid-file-name", message, hint))


def load_content(root: Path) -> ContentFiles:
    """Read and validate every content file under root. Raises ContentError with all problems."""
    gatherer = _Gatherer(root)
    handbook_path = root / "handbook.yml"
    if not handbook_path.is_file():
        raise ContentError([
            in_file(display_path(handbook_path), "missing-file", "content has no handbook.yml",
                    "run 'sotay new handbook' or copy handbook.yml from the example content")
        ])
    handbook = gatherer.load(handbook_path, schema.Handbook, "handbook")
    glossary_path = root / "glossary.yml"
    glossary = (
        gatherer.load(glossary_path, schema.GlossaryFile, "glossary") if glossary_path.is_file() else None
    )
    documents = _load_documents(gatherer, root / "documents")
    campaigns = {}
    campaigns_dir = root / "campaigns"
    for folder in sorted(campaigns_dir.iterdir()) if campaigns_dir.is_dir() else []:
        if folder.name.startswith(".") or folder.name == "README.md":
            continue
        if not folder.is_dir():
            gatherer.unknown_file(folder, "one folder per campaign")
            continue
        loaded = _load_campaign(gatherer, folder)
        if loaded:
            campaigns[loaded.id] = loaded
    for extra in sorted(root.iterdir()):
        if extra.name.startswith(".") or extra.name in {"handbook.yml", "glossary.yml", "documents", "campaigns", "README.md"}:
            continue
        gatherer.unknown_file(extra, "handbook.yml, glossary.yml, documents/, campaigns/, README.md")
    if gatherer.problems or handbook is None:
        raise ContentError(gatherer.problems)
    return ContentFiles(root, handbook, glossary, documents, campaigns, gatherer.sources)


def _load_documents(gatherer: _Gatherer, folder: Path) -> dict[str, Entry[schema.Document]]:
    documents = {}
    for path in sorted(folder.iterdir()) if folder.is_dir() else []:
        if path.name.startswith(".") or path.suffix == ".md":
            continue  # full texts are checked when a document names them
        if path.suffix != ".yml":
            gatherer.unknown_file(path, "<id>.yml document files and the .md full texts they name")
            continue
        if not schema.ID_PATTERN.match(path.stem):
            gatherer.bad_name(path, f"'{path.name}' is not a valid document id",
                              "name document files with lower-case letters, digits and '-', e.g. 284-kh-tu.yml")
            continue
        entry = gatherer.load(path, schema.Document, f"document '{path.stem}'")
        if entry:
            documents[path.stem] = entry
    return documents


def _load_campaign(gatherer: _Gatherer, folder: Path) -> CampaignFiles | None:
    if not schema.ID_PATTERN.match(folder.name):
        gatherer.bad_name(folder, f"'{folder.name}' is not a valid campaign id",
                          "name campaign folders with lower-case letters, digits and '-', e.g. ky-nguyen-moi")
        return None
    campaign_id = folder.name
    loaded: dict[str, Entry | None] = {}
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or path.name == "README.md" or path.name == "months":
            continue
        if path.name not in CAMPAIGN_FILES:
            gatherer.unknown_file(path, ", ".join(CAMPAIGN_FILES) + ", months/")
            continue
        loaded[path.name] = gatherer.load(path, CAMPAIGN_FILES[path.name], f"campaign '{campaign_id}'")
    if "campaign.yml" not in loaded:
        gatherer.problems.append(
            in_file(display_path(folder / "campaign.yml"), "missing-file",
                    f"campaign folder '{campaign_id}' has no campaign.yml",
                    f"run 'sotay new campaign {campaign_id}' to start from a template")
        )
        return None
    months = {}
    months_dir = folder / "months"
    for path in sorted(months_dir.iterdir()) if months_dir.is_dir() else []:
        if path.name.startswith("."):
            continue
        if path.suffix != ".yml" or not MONTH_NAME.match(path.stem):
            gatherer.bad_name(path, f"'{path.name}' is not a month guide name",
                              "name month guides by year and month, e.g. 2024-12.yml")
            continue
        entry = gatherer.load(path, schema.StudyGuide, f"study guide '{path.stem}'")
        if entry:
            months[path.stem] = entry
    if loaded.get("campaign.yml") is None:
        return None
    return CampaignFiles(
        id=campaign_id,
        folder=display_path(folder),
        campaign=loaded["campaign.yml"],
        orientations=loaded.get("orientations.yml"),
        themes=loaded.get("themes.yml"),
        readings=loaded.get("readings.yml"),
        months=months,
    )


# ---- pydantic errors → located diagnostics ---------------------------------------------------


def validation_diagnostics(
    yaml_file: YamlFile, error: ValidationError, model: type[BaseModel], what: str
) -> list[Diagnostic]:
    problems = []
    for item in error.errors(include_url=False):
        loc = tuple(item["loc"])
        kind = item["type"]
        name = _field_name(loc)
        parent_model = _model_at(model, loc[:-1])
        if kind == "extra_forbidden":
            allowed = list(parent_model.model_fields) if parent_model else []
            close = _vietnamese_field(str(loc[-1]), allowed) or suggest(str(loc[-1]), allowed)
            hint = (f"did you mean '{close}'? " if close else "") + "Allowed: " + ", ".join(allowed)
            problems.append(at(yaml_file.key_span(loc), "unknown-field",
                               f"{_owner(what, loc)} has no field '{loc[-1]}'", hint))
        elif kind == "missing":
            described = parent_model.model_fields[loc[-1]].description if parent_model else None
            problems.append(at(yaml_file.key_span(loc[:-1]) if loc[:-1] else yaml_file.span(()),
                               "missing-field", f"{_owner(what, loc)} needs the field '{loc[-1]}'",
                               f"add '{loc[-1]}:'" + (f" ({described})" if described else "")))
        else:
            message, hint = _explain(item, model, loc)
            problems.append(at(yaml_file.span(loc), "invalid-value", f"{name}: {message}", hint))
    return problems


# Field names authors reach for in Vietnamese, mapped to the schema's names for did-you-mean hints.
_VIETNAMESE_FIELDS = {
    "tieu-de": "title", "ten": "title", "ten-goi-tat": "short_title", "ten-ngan": "short_title",
    "thoi-gian": "period", "tu-ngay": "start", "den-ngay": "end", "ngay": "date", "van-ban": "documents",
    "muc-dich": "purposes", "yeu-cau": "requirements", "doi-tuong": "audiences", "hinh-thuc": "forms",
    "moc-thoi-gian": "timeline", "nhiem-vu": "duties", "bao-cao": "reporting", "so": "number",
    "so-hieu": "number", "loai": "kind", "co-quan": "issuer", "co-quan-ban-hanh": "issuer",
    "nguoi-ky": "signer", "trich-yeu": "title", "thuc-hien": "implements", "toan-van": "full_text",
    "tac-gia": "author", "nguon": "source", "muc": "section", "trich-dan": "quotes", "cau-hoi": "questions",
    "tai-lieu": "readings", "dinh-huong": "orientations", "chu-de": "themes", "goi-y": "hint",
    "noi-dung": "text", "cap-do": "level", "muc-do": "level", "han-bao-cao": "report_deadline",
    "buoi-sinh-hoat": "sessions", "trong-tam": "focus", "diem-chinh": "key_points", "mo-ta": "description",
    "to-chuc": "organisation", "thuat-ngu": "terms", "viet-tat": "term", "nghia": "expansion",
    "so-phut": "minutes", "chu-de-sinh-hoat": "subject", "tom-tat": "summary",
    "dan-chieu": "cites", "van-ban-dan-chieu": "cites",
}


def _vietnamese_field(name: str, allowed: list[str]) -> str | None:
    from .slugs import slugify

    guess = _VIETNAMESE_FIELDS.get(slugify(name))
    return guess if guess in allowed else None


def _owner(what: str, loc: tuple) -> str:
    inner = [str(part) for part in loc[:-1]]
    if not inner:
        return what
    return f"{what} (in {'.'.join(inner)})"


def _field_name(loc: tuple) -> str:
    parts = []
    for part in loc:
        if isinstance(part, int):
            parts[-1:] = [f"{parts[-1] if parts else ''}[{part}]"]
        else:
            parts.append(str(part))
    return ".".join(parts) or "file"


def _explain(item: dict, model: type[BaseModel], loc: tuple) -> tuple[str, str | None]:
    kind, value = item["type"], item.get("input")
    if value is None and kind in {"string_type", "date_type", "int_type", "list_type", "model_type", "enum", "dict_type"}:
        return "is empty", "write a value after the colon, or remove the line"
    if kind == "enum":
        choice = _annotation_at(model, loc)
        if isinstance(choice, type) and issubclass(choice, Enum):
            labels = ", ".join(f"{m.value} ({m.label})" for m in choice)
            return f"cannot be '{value}'", f"choose one of: {labels}"
    if kind in {"list_type"}:
        return "should be a list", "write each item on its own line starting with '- '"
    if kind in {"model_type", "dict_type", "model_attributes_type"}:
        return "should be a block of fields", "indent 'name: value' lines under it"
    if kind == "too_short":
        minimum = (item.get("ctx") or {}).get("min_length", 1)
        return f"needs at least {minimum} item{'s' if minimum != 1 else ''}", None
    if kind in {"int_parsing", "int_type"}:
        return f"should be a whole number, not '{value}'", None
    if kind == "string_pattern_mismatch":
        return f"'{value}' is not a section number like 3.1", None
    if kind == "string_type":
        return "should be text", "put it in quotes"
    message = item["msg"].removeprefix("Value error, ")
    return (message if message[:1] == "'" else f"is invalid: {message}"), None


def _unwrap(annotation: object) -> list[object]:
    """The concrete types inside Optional, unions, lists and Annotated."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType, list):
        found = []
        for arg in typing.get_args(annotation):
            found += _unwrap(arg)
        return found
    return [annotation]


def _annotation_at(model: type[BaseModel], loc: tuple) -> object:
    current: object = model
    for part in loc:
        if isinstance(part, int):
            continue
        candidates = [t for t in _unwrap(current) if isinstance(t, type) and issubclass(t, BaseModel)]
        if not candidates or part not in candidates[0].model_fields:
            return None
        current = candidates[0].model_fields[part].annotation
    concrete = [t for t in _unwrap(current) if t is not type(None)]
    return concrete[0] if concrete else None


def _model_at(model: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    found = _annotation_at(model, loc) if loc else model
    return found if isinstance(found, type) and issubclass(found, BaseModel) else None
