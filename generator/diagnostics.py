"""Located problems in content files, and how they are shown to authors.

Every content problem becomes a `Diagnostic` that points at a file, line and column; the CLI prints
all of them in the gcc/mdBook form that editors turn into links, then one summary line.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass


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
    return Diagnostic(code=code, message=message, span=span, path=span.path, hint=hint)


def in_file(path: str, code: str, message: str, hint: str | None = None) -> Diagnostic:
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
