"""Checks on the full text of a document (Markdown an author pasted from Word or a web page), before
anything renders it.

It gets the character checks of YAML values (control, zero-width and bidi characters; Vietnamese in
the legacy TCVN3 or VNI encodings), and limits on Markdown that would be too costly to render:
Python-Markdown recurses once per level of nested lists, quotations and admonitions (a thousand
levels crash it), and from every '[' or '(' left open it scans the rest of the paragraph for a match
(40 KB of '[' took minutes). Real documents nest a few levels and close their brackets; the limits
are far above that and far below the cost. Positions are those of the file as written (before NFC).
"""

from __future__ import annotations

import re

from .diagnostics import Diagnostic, Span, at
from .yamlreader import invisible_characters, legacy_encoding

MAX_NESTING = 16  # lists, quotations and admonitions around one line
MAX_OPEN = 32  # '[' (or '(') open at once in one paragraph
SHOWN_LINE = 200  # longer lines are not echoed under the message (the position is still exact)

# what opens a nested block at the start of a line: a quotation, a list item, an admonition
_CONTAINER = re.compile(r">|(?:[-*+]|\d{1,9}[.)]|!!!|\?\?\?\+?)(?=[ \t]|$)")
_RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")  # "- - -" is a line across, not lists
_BRACKET = re.compile(r"\\.|[\[\]()]")


def check_full_text(path: str, text: str) -> list[Diagnostic]:
    """Every problem of one full text, located in the file at path (as shown to the author)."""
    lines = text.split("\n")
    problems: list[Diagnostic] = []
    for number, line in enumerate(lines, start=1):
        problems += invisible_characters(path, number, line)
        legacy = legacy_encoding(line)
        if legacy:
            column = next(i for i, char in enumerate(line) if not char.isascii()) + 1
            problems.append(at(_span(path, number, column, line), "legacy-encoding",
                               f"text looks like Vietnamese typed in the legacy {legacy} encoding",
                               f"convert it to Unicode (Unikey: Công cụ → chuyển mã, from {legacy} to Unicode) "
                               "and paste it again"))
    problems += _nesting_problems(path, lines)
    problems += _bracket_problems(path, lines)
    return problems


def nesting(line: str) -> tuple[int, int]:
    """How many blocks a line opens or sits in: the containers at its start, plus one for every 4
    columns of indentation before the first of them; and the 0-based column where MAX_NESTING is
    passed (-1 if it is not). A line with no container at its start is a paragraph or code: 0."""
    indentation = containers = 0
    index, passed = 0, -1
    while index < len(line):
        char = line[index]
        if char in " \t":
            if not containers:  # spaces after a marker belong to the marker
                indentation += 4 - indentation % 4 if char == "\t" else 1
            index += 1
            continue
        match = _CONTAINER.match(line, index)
        if not match:
            break
        containers += 1
        if containers + indentation // 4 > MAX_NESTING and passed < 0:
            passed = index
        index = match.end()
    return (containers + indentation // 4 if containers else 0), passed


def _nesting_problems(path: str, lines: list[str]) -> list[Diagnostic]:
    problems = []
    reported = False  # one report per top-level block: the rest of it is the same story
    after_blank = True
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            after_blank = True
            continue
        if after_blank and line[:1] not in " \t":
            reported = False  # a new block begins at the margin
        after_blank = False
        if _RULE.match(line):
            continue
        depth, passed = nesting(line)
        if passed >= 0 and not reported:
            reported = True
            problems.append(at(_span(path, number, passed + 1, line), "unsafe-markdown",
                               f"lists or quotations nested {depth} levels deep here (at most {MAX_NESTING})",
                               "flatten the list or quotation; a '>', '-', '+', '*' or '1.' that begins a line "
                               "as plain text is written with a '\\' before it"))
    return problems


def _bracket_problems(path: str, lines: list[str]) -> list[Diagnostic]:
    problems = []
    open_count = {"[": 0, "(": 0}
    reported = set()
    for number, line in enumerate(lines, start=1):
        if not line.strip():  # a blank line ends the paragraph, and Markdown's search with it
            open_count = {"[": 0, "(": 0}
            reported = set()
            continue
        for match in _BRACKET.finditer(line):
            char = match.group()
            if char in open_count:
                open_count[char] += 1
                if open_count[char] > MAX_OPEN and char not in reported:
                    reported.add(char)
                    closing = "]" if char == "[" else ")"
                    problems.append(at(_span(path, number, match.start() + 1, line), "unsafe-markdown",
                                       f"more than {MAX_OPEN} '{char}' open at once in one paragraph; "
                                       "rendering it would take minutes",
                                       f"close each '{char}' with '{closing}'; a '{char}' meant as plain text is "
                                       f"written '\\{char}'"))
            elif char in "])":
                opening = "[" if char == "]" else "("
                open_count[opening] = max(0, open_count[opening] - 1)
    return problems


def _span(path: str, number: int, column: int, line: str) -> Span:
    return Span(path, number, column, 1, line if len(line) <= SHOWN_LINE else "")
