"""Read one YAML content file into plain values that remember where each key and value stands.

PyYAML's loaders guess types (`no` → False, `010` → 8, dates → objects), expand aliases without
limit and keep the last of two duplicate keys. This reader walks PyYAML's event stream instead:
every scalar stays text (NFC-normalised), every key and value keeps its line and column, and
duplicate keys, anchors, aliases, merge keys, explicit tags, tabs, bad encodings, invisible or
control characters, legacy Vietnamese encodings and excessive nesting are reported as located
problems. Nothing here raises for bad content: problems are returned.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import yaml

from .diagnostics import Diagnostic, Span, at, in_file

try:  # the C parser is much faster; both produce the same events
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

MAX_FILE_BYTES = 1024 * 1024
MAX_DEPTH = 24

Loc = tuple  # a path into the value tree: ("months", 0, "date")

# Characters that never belong in authored text: C0/C1 controls (except tab and newlines),
# zero-width characters and bidirectional overrides that hide or reorder text.
_BAD_CHARS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
    "\u200b\u200c\u200d\u2060\ufeff"
    "\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
_CHAR_NAMES = {
    "\u200b": "zero-width space",
    "\u200c": "zero-width non-joiner",
    "\u200d": "zero-width joiner",
    "\u2060": "word joiner",
    "\ufeff": "zero-width no-break space",
    "\u200e": "left-to-right mark",
    "\u200f": "right-to-left mark",
}
# Vietnamese typed in the legacy TCVN3 (ABC) or VNI encodings and then read as Unicode shows
# letters that Vietnamese never uses: "§¶ng" for "Đảng" (TCVN3), "Ñaûng" (VNI).
_TCVN3_LETTERS, _VNI_LETTERS = "§¶µ¸¹¨©ª«¬®¯°±²³´½¾¼»º", "øûïöëñÑÿåäÖËÏ"
_TCVN3_MARKS = re.compile(f"[{_TCVN3_LETTERS}]")
_VNI_MARKS = re.compile(f"[{_VNI_LETTERS}]")
_LEGACY_MARKS = re.compile(f"[{_TCVN3_LETTERS}{_VNI_LETTERS}]")  # either of the two


Position = tuple  # (line, column, length), 0-based, as the parser reports them


@dataclass
class YamlFile:
    """The plain value tree of one file, with the position of every value and every mapping key."""

    path: str
    value: object
    lines: list[str] = field(default_factory=list, repr=False)
    value_positions: dict[Loc, Position] = field(default_factory=dict, repr=False)
    key_positions: dict[Loc, Position] = field(default_factory=dict, repr=False)

    def _span(self, position: Position) -> Span:
        return _span(self.path, self.lines, *position)

    def span(self, loc: Loc) -> Span:
        """The best span for a location: the value there, else its key, else the nearest parent."""
        loc = tuple(loc)
        while True:
            if loc in self.value_positions:
                return self._span(self.value_positions[loc])
            if loc in self.key_positions:
                return self._span(self.key_positions[loc])
            if not loc:
                return Span(self.path, 1, 1, 1, "")
            loc = loc[:-1]

    def key_span(self, loc: Loc) -> Span:
        loc = tuple(loc)
        if loc in self.key_positions:
            return self._span(self.key_positions[loc])
        return self.span(loc)


def read_yaml(path: str, data: bytes) -> tuple[YamlFile | None, list[Diagnostic]]:
    """Parse the bytes of one file. Returns the tree (None when unusable) and every problem."""
    if len(data) > MAX_FILE_BYTES:
        return None, [
            in_file(
                path,
                "file-too-large",
                f"file is {len(data):,} bytes; content files may be at most {MAX_FILE_BYTES:,}",
                "split it into smaller files, or move long text into a document's full_text file",
            )
        ]
    text, problems = _decode(path, data)
    if text is None:
        return None, problems
    lines = text.split("\n")
    problems += _check_characters(path, lines)
    if any(problem.code == "tab-indent" for problem in problems):
        return None, problems  # the parser's own complaints about tabs would only repeat these
    builder = _TreeBuilder(path, lines)
    builder.problems = problems
    if problems:  # already reported; blank them out (same length) so the parser sees the rest
        text = _BAD_CHARS.sub(" ", text)
    try:
        for event in yaml.parse(text, Loader=_Loader):
            builder.feed(event)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = (error.problem or error.context or "invalid YAML").strip()
        span = _span(path, lines, mark.line, mark.column, 1) if mark else Span(path, 1, 1)
        builder.problems.append(
            at(span, "yaml-syntax", f"YAML syntax error: {message}", _syntax_hint(message))
        )
        return None, builder.problems
    except yaml.YAMLError as error:  # reader errors carry no mark
        builder.problems.append(in_file(path, "yaml-syntax", f"YAML error: {error}"))
        return None, builder.problems
    if builder.problems:
        return None, builder.problems
    return YamlFile(path, builder.root, lines, builder.value_positions, builder.key_positions), []


def _decode(path: str, data: bytes) -> tuple[str | None, list[Diagnostic]]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        before = data[: error.start]
        line = before.count(b"\n") + 1
        line_start = before.rfind(b"\n") + 1
        column = len(data[line_start : error.start].decode("utf-8", errors="replace")) + 1
        shown = data[line_start:].split(b"\n", 1)[0].decode("utf-8", errors="replace")
        span = Span(path, line, column, 1, shown)
        return None, [
            at(
                span,
                "not-utf8",
                f"file is not UTF-8: byte 0x{data[error.start]:02x} cannot be decoded",
                "save the file as UTF-8 (in Notepad: Save As → Encoding: UTF-8; "
                "legacy TCVN3/VNI text: convert it to Unicode with Unikey first)",
            )
        ]
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return text, []


_TAB_INDENT = re.compile(r"^[ ]*\t", re.MULTILINE)


def _check_characters(path: str, lines: list[str]) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    text = "\n".join(lines)
    if not _BAD_CHARS.search(text) and not _TAB_INDENT.search(text):
        return problems
    for number, line in enumerate(lines, start=1):
        indent = len(line) - len(line.lstrip(" \t"))
        tab = line.find("\t", 0, indent)
        if tab >= 0:
            problems.append(
                at(
                    Span(path, number, tab + 1, 1, line),
                    "tab-indent",
                    "a tab is used for indentation; YAML allows only spaces",
                    "replace the tab with spaces (2 spaces per level)",
                )
            )
        problems += invisible_characters(path, number, line)
    return problems


def invisible_characters(path: str, number: int, line: str) -> list[Diagnostic]:
    """Control, zero-width and bidi characters in one line (number is 1-based); full texts too."""
    problems = []
    for match in _BAD_CHARS.finditer(line):
        char = match.group()
        name = _CHAR_NAMES.get(char) or unicodedata.name(char, f"control character U+{ord(char):04X}")
        problems.append(
            at(
                Span(path, number, match.start() + 1, 1, line),
                "invalid-character",
                f"invisible or control character U+{ord(char):04X} ({name.lower()})",
                "delete it; such characters often come from pasting out of Word or a web page",
            )
        )
    return problems


def _span(path: str, lines: list[str], line: int, column: int, length: int) -> Span:
    text = lines[line] if 0 <= line < len(lines) else ""
    return Span(path, line + 1, column + 1, max(1, length), text)


def _syntax_hint(message: str) -> str | None:
    if "mapping values are not allowed" in message:
        return "a value that contains ': ' must be put in quotes"
    if "found character '\\t'" in message:
        return "replace tabs with spaces"
    if "expected <block end>" in message or "did not find expected" in message:
        return "check the indentation of this line against the lines above it"
    return None


class _TreeBuilder:
    """Builds plain values from PyYAML events, keeping a span for every key and value."""

    def __init__(self, path: str, lines: list[str]):
        self.path = path
        self.lines = lines
        self.root: object = None
        self.value_positions: dict[Loc, Position] = {}
        self.key_positions: dict[Loc, Position] = {}
        self.problems: list[Diagnostic] = []
        # each frame: [container, loc, pending_key or None]
        self.stack: list[list] = []
        self.documents = 0
        self.skip_depth = 0  # > 0 while inside a subtree nested too deeply to keep

    def position_of(self, event, whole_line_if_multiline: bool = True) -> Position:
        start, end = event.start_mark, event.end_mark
        if end.line == start.line:
            return (start.line, start.column, end.column - start.column)
        length = len(self.lines[start.line]) - start.column if whole_line_if_multiline else 1
        return (start.line, start.column, length)

    def span_of(self, event, whole_line_if_multiline: bool = True) -> Span:
        return _span(self.path, self.lines, *self.position_of(event, whole_line_if_multiline))

    def feed(self, event) -> None:
        if isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                self.problems.append(
                    at(
                        self.span_of(event),
                        "multiple-documents",
                        "a content file holds one YAML document; found a second one",
                        "remove the '---' line, or move the second part into its own file",
                    )
                )
            return
        if isinstance(event, (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent)):
            return
        if self.documents > 1:
            return
        if self.skip_depth:
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                self.skip_depth += 1
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                self.skip_depth -= 1
            return
        self._reject_anchor_and_tag(event)
        if isinstance(event, yaml.AliasEvent):
            self.problems.append(
                at(
                    self.span_of(event),
                    "yaml-alias",
                    f"YAML alias '*{event.anchor}' is not allowed in content files",
                    "write the value out in full where it is needed",
                )
            )
            self._add_value(None, event)
        elif isinstance(event, yaml.ScalarEvent):
            self._scalar(event)
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            if self.stack and isinstance(self.stack[-1][0], dict) and self.stack[-1][2] is None:
                self.problems.append(
                    at(self.span_of(event, False), "yaml-syntax", "a key must be plain text",
                       "a key is a single word such as 'title:'")
                )
                self.stack[-1][2] = f"\u0000complex-key{len(self.problems)}"
            if len(self.stack) >= MAX_DEPTH:
                self.problems.append(
                    at(
                        self.span_of(event),
                        "too-deep",
                        f"nesting deeper than {MAX_DEPTH} levels",
                        "content files never need this much nesting; check the brackets and indentation",
                    )
                )
                self.skip_depth = 1
                self._add_value(None, event)
                return
            container: object = {} if isinstance(event, yaml.MappingStartEvent) else []
            loc = self._next_loc()
            if loc is not None:
                self.value_positions[loc] = self.position_of(event, whole_line_if_multiline=False)
            self.stack.append([container, loc, None])
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            container, loc, _ = self.stack.pop()
            self._attach(container, loc)

    def _reject_anchor_and_tag(self, event) -> None:
        anchor = getattr(event, "anchor", None)
        if anchor is not None and not isinstance(event, yaml.AliasEvent):
            self.problems.append(
                at(
                    self.span_of(event, whole_line_if_multiline=False),
                    "yaml-anchor",
                    f"YAML anchor '&{anchor}' is not allowed in content files",
                    "remove the anchor; repeat the value where it is needed",
                )
            )
        tag = getattr(event, "tag", None)
        implicit = getattr(event, "implicit", None)
        explicit = tag is not None and (
            not isinstance(event, yaml.ScalarEvent) or implicit == (False, False)
        )
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            explicit = tag is not None and not event.implicit
        if explicit:
            self.problems.append(
                at(
                    self.span_of(event, whole_line_if_multiline=False),
                    "yaml-tag",
                    f"YAML tag '{tag}' is not allowed in content files",
                    "remove the tag; every value is read as text",
                )
            )

    def _next_loc(self) -> Loc | None:
        """Where the next value goes, or None for the root. Also handles a frame's pending key."""
        if not self.stack:
            return ()
        container, loc, pending = self.stack[-1]
        if isinstance(container, list):
            return (*loc, len(container))
        if pending is None:
            return None  # a key that is a mapping or sequence: reported in _attach
        return (*loc, pending)

    def _scalar(self, event) -> None:
        value = unicodedata.normalize("NFC", event.value)
        if self.stack and isinstance(self.stack[-1][0], dict) and self.stack[-1][2] is None:
            self._key(value, event)
            return
        # a plain scalar's style is None from PyYAML's Python parser and '' from the C one
        if not event.style and value == "":
            self._add_value(None, event)  # `key:` with nothing after it
            return
        position = self.position_of(event)
        legacy = legacy_encoding(value)
        if legacy:
            self.problems.append(
                at(
                    self.span_of(event),
                    "legacy-encoding",
                    f"text looks like Vietnamese typed in the legacy {legacy} encoding",
                    f"convert it to Unicode (Unikey: Công cụ → chuyển mã, from {legacy} to Unicode) "
                    "and paste it again",
                )
            )
        if not event.style:
            comment = self._trailing_comment(event)
            if comment is not None:
                self.problems.append(
                    at(
                        comment,
                        "truncated-value",
                        "text after ' #' on this line is a YAML comment, so the value stops before it",
                        "put the whole value in quotes if '#' belongs to it; put comments on their own line",
                    )
                )
        self._add_value(value, event, position)

    def _trailing_comment(self, event) -> Span | None:
        end = event.end_mark
        if end.line != event.start_mark.line:
            return None
        line = self.lines[end.line]
        if "#" not in line:
            return None
        rest = line[end.column :]
        position = rest.find("#")
        if position >= 0 and rest[:position].strip() == "" and (position > 0):
            return _span(self.path, self.lines, end.line, end.column + position, len(rest) - position)
        return None

    def _key(self, key: str, event) -> None:
        frame = self.stack[-1]
        container, loc = frame[0], frame[1]
        position = self.position_of(event)
        if key == "<<" and not event.style:
            self.problems.append(
                at(self.span_of(event), "yaml-merge-key", "YAML merge key '<<' is not allowed in content files",
                   "write the fields out in full")
            )
        if key in container:
            first = self.key_positions.get((*loc, key))
            where = f" (first at line {first[0] + 1})" if first else ""
            self.problems.append(
                at(self.span_of(event), "duplicate-key", f"key '{key}' appears twice in the same block{where}",
                   "keep one of them; YAML would silently drop the first")
            )
            key = f"{key}\u0000duplicate{len(self.problems)}"
        self.key_positions[(*loc, key)] = position
        frame[2] = key

    def _add_value(self, value: object, event, position: Position | None = None) -> None:
        loc = self._next_loc()
        if loc is not None:
            self.value_positions[loc] = position or self.position_of(event)
        self._attach(value, loc, event)

    def _attach(self, value: object, loc: Loc | None, event=None) -> None:
        if not self.stack:
            self.root = value
            return
        frame = self.stack[-1]
        container = frame[0]
        if isinstance(container, list):
            container.append(value)
        else:
            container[frame[2]] = value
            frame[2] = None


def legacy_encoding(text: str) -> str | None:
    """The legacy encoding a piece of text was typed in, when its letters give it away; else None."""
    if text.isascii() or not _LEGACY_MARKS.search(text):
        return None
    if len(_TCVN3_MARKS.findall(text)) >= 2:
        return "TCVN3 (ABC)"
    if len(_VNI_MARKS.findall(text)) >= 2:
        return "VNI"
    return None
