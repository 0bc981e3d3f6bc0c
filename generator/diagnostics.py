"""Located problems in content files, and how they are shown to authors.

Every content problem becomes a `Diagnostic` that points at a file, line and column; the CLI prints
all of them in the gcc/mdBook form that editors turn into links, then one summary line.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass


# Every error code, stable across releases: tests assert them and the README lists them.
CODES = {
    "yaml-syntax": "the file is not valid YAML",
    "multiple-documents": "a second YAML document ('---') in one file",
    "duplicate-key": "the same key twice in one block",
    "yaml-anchor": "an anchor (&name)",
    "yaml-alias": "an alias (*name)",
    "yaml-merge-key": "a merge key (<<)",
    "yaml-tag": "an explicit tag (!!str, !!python/...)",
    "tab-indent": "a tab used for indentation",
    "invalid-character": "an invisible or control character (zero-width, bidi, pasted from Word)",
    "legacy-encoding": "Vietnamese typed in TCVN3 (ABC) or VNI instead of Unicode",
    "truncated-value": "' #' in an unquoted value, which YAML reads as a comment",
    "too-deep": "nesting deeper than the reader accepts",
    "file-too-large": "a content file over 1 MiB",
    "not-utf8": "a file that is not UTF-8",
    "unreadable-file": "a file that cannot be read",
    "unknown-file": "a file Sổ tay does not know in the content folder",
    "invalid-file-name": "a file or folder name that is not a valid id or month",
    "missing-file": "a required file that is missing",
    "unknown-field": "a field the schema does not have",
    "missing-field": "a required field that is missing",
    "invalid-value": "a value of the wrong kind: date, number, choice, id, empty text",
    "unknown-reference": "an id that names nothing",
    "duplicate-id": "an id used twice",
    "date-out-of-range": "a date outside its campaign or month",
    "quote-mismatch": "a quotation that does not occur word for word in its document",
    "unsafe-markdown": "Markdown that would be unsafe or too costly to render",
}


@dataclass(frozen=True)
class Span:
    """A stretch of one line in a content file. Lines and columns are 1-based, as editors count."""

    path: str
    line: int
    column: int
    length: int = 1
    line_text: str = ""


@dataclass(frozen=True)
class Diagnostic:
    code: str
    message: str
    span: Span | None
    path: str
    hint: str | None = None

    def sort_key(self) -> tuple:
        if self.span is None:
            return (self.path, 0, 0, self.code)
        return (self.path, self.span.line, self.span.column, self.code)


def at(span: Span, code: str, message: str, hint: str | None = None) -> Diagnostic:
    assert code in CODES, code
    return Diagnostic(code=code, message=message, span=span, path=span.path, hint=hint)


def in_file(path: str, code: str, message: str, hint: str | None = None) -> Diagnostic:
    assert code in CODES, code
    return Diagnostic(code=code, message=message, span=None, path=path, hint=hint)


class ContentError(Exception):
    """Raised with every problem found, once all content has been read and checked."""

    def __init__(self, diagnostics: list[Diagnostic]):
        super().__init__(f"{len(diagnostics)} content problems")
        self.diagnostics = sorted(diagnostics, key=Diagnostic.sort_key)


def format_diagnostic(diagnostic: Diagnostic) -> str:
    span = diagnostic.span
    if span is None:
        lines = [f"{diagnostic.path}: error[{diagnostic.code}]: {diagnostic.message}"]
    else:
        lines = [
            f"{span.path}:{span.line}:{span.column}: error[{diagnostic.code}]: {diagnostic.message}"
        ]
        if span.line_text:
            number = str(span.line)
            gutter = " " * len(number)
            shown = span.line_text.rstrip("\n").replace("\t", " ")
            lines.append(f" {number} | {shown}")
            caret = " " * (span.column - 1) + "^" * max(1, span.length)
            lines.append(f" {gutter} | {caret}")
    if diagnostic.hint:
        lines.append(f"  hint: {diagnostic.hint}")
    return "\n".join(lines)


def format_report(diagnostics: list[Diagnostic]) -> str:
    """All problems, a blank line between them, then the summary line."""
    ordered = sorted(diagnostics, key=Diagnostic.sort_key)
    blocks = [format_diagnostic(d) for d in ordered]
    files = len({d.path for d in ordered})
    problems = "problem" if len(ordered) == 1 else "problems"
    file_word = "file" if files == 1 else "files"
    blocks.append(f"error: {len(ordered)} {problems} in {files} {file_word}; nothing was built.")
    return "\n\n".join(blocks)


def suggest(word: str, choices: list[str] | set[str]) -> str | None:
    """The closest known name to a misspelt one, or None when nothing is close."""
    matches = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return matches[0] if matches else None
