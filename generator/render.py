"""Render planned pages with Jinja2: HTML under Markdown headings.

The templates write each page as HTML blocks, which the engine passes through untouched, under
Markdown headings, which it turns into the table of contents and the search sections; a document's
full text is the one part in Markdown (its author's). Every value printed with {{ }} is escaped for
HTML unless it is `Markup` made here (links, citations), and for Markdown too in a heading
(the `md` filter): text from YAML can never become markup, a script or a link. StrictUndefined
turns a template typo into an error in tests instead of an empty hole in a page.
"""

from __future__ import annotations

import functools
import html
import math
import posixpath
import re
import urllib.parse
from datetime import date

import jinja2
from markupsafe import Markup, escape

from . import schema, slugs
from .model import Site
from .plan import Page, month_label

_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]{}|])")
_LINE_START = re.compile(r"^(\s*)(?:([#>+-])|(\d+)([.)]))")
WORDS_PER_MINUTE = 200
WEEKDAYS = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật"]


def escape_markdown(value: object) -> str:
    """Plain text → Markdown that shows exactly that text: no emphasis, links, HTML or blocks."""
    if isinstance(value, Markup):
        return str(value)
    return _escape_text(str(value))


@functools.lru_cache(maxsize=1 << 16)
def _escape_text(text: str) -> str:
    # cached: the same quotations, titles and labels are printed on many pages
    text = " ".join(text.split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _INLINE_SPECIAL.sub(r"\\\1", text)
    return _LINE_START.sub(_escape_line_start, text)


def _escape_line_start(match: re.Match) -> str:
    if match.group(2):
        return match.group(1) + "\\" + match.group(2)
    return match.group(1) + match.group(3) + "\\" + match.group(4)


def _finalize(value: object) -> object:
    """Applied to every {{ }} value before autoescape: text from YAML prints on one line."""
    if value is None:
        raise ValueError("a template printed None; guard optional fields with {% if %}")
    if type(value) is str:
        return " ".join(value.split())
    return value


def markdown_text(value: object) -> Markup:
    """The `md` filter: text as Markdown that shows exactly that text, for a heading."""
    return Markup(escape_markdown(value))


def format_date(day: date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def format_long_date(day: date) -> str:
    return f"{WEEKDAYS[day.weekday()]}, {format_date(day)}"


def web_url(url: str) -> str | None:
    """An http(s) address made safe as a link target (None for anything else); autoescape then
    writes its "&" as "&amp;" in the attribute."""
    url = url.strip()
    if not re.match(r"https?://[^\s/]", url, re.IGNORECASE):
        return None
    return urllib.parse.quote(url, safe=":/?#@!$&'*+,;=%~-._")


_NUMBERED_SECTION = re.compile(r"^(?:\d|[IVXLCDM]+(?:[.\s]|$))")


def section_label(section: str) -> str:
    """How a citation names its section: "mục 2.1", "mục II.3.5"; sections that are not numbered
    ("đoạn 6", "phần mở đầu") are printed as the author wrote them."""
    return f"mục {section}" if _NUMBERED_SECTION.match(section) else section


def reading_minutes(words: int) -> int:
    return max(1, math.ceil(words / WORDS_PER_MINUTE))


class _CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates, kept for the life of the process (checked against their source):
    `sotay serve` makes a Renderer after every save, and compiling the templates took 0.1 s."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self._code:
            bucket.bytecode_from_string(self._code[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


_COMPILED = _CompiledTemplates()


class Renderer:
    def __init__(self, site: Site, pages: list[Page]):
        self.site = site
        # the pages a link may lead to (the engine does not check links inside HTML)
        self.page_paths = {page.path for page in pages}
        self.env = jinja2.Environment(
            loader=jinja2.PackageLoader("generator", "templates"),
            bytecode_cache=_COMPILED,
            undefined=jinja2.StrictUndefined,
            auto_reload=False,  # templates do not change during a build: no stat() per {% import %}
            finalize=_finalize,
            autoescape=True,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters.update(
            date=format_date,
            long_date=format_long_date,
            month_label=month_label,
            web_url=web_url,
            section=section_label,
            md=markdown_text,
            heading_id=lambda text: Markup("{#" + slugs.slugify(str(text)) + "}"),
        )
        # link() and the other helpers are globals that link from the page being rendered (_from):
        # the macro files are then imported without context, made into modules once and not run
        # again for every page that imports them
        self._from, self._from_folder = slugs.HOME, ""
        self.env.globals.update(site=site, slugs=slugs, schema=schema, link=self.link,
                                href=self.href, doc_link=self.doc_link, doc_ref=self.doc_ref,
                                minutes=self.minutes, full_text=full_text)
        # abbreviations become tooltips (<abbr title>) wherever a page's text uses them
        self.abbreviations = {
            term.term: f'<abbr title="{html.escape(_one_line(term.expansion))}">{html.escape(term.term)}</abbr>'
            for term in site.glossary
            if term.kind is schema.TermKind.VIET_TAT
        }
        self.abbreviation_names = sorted(self.abbreviations, key=len, reverse=True)
        self._minutes: dict[str, int | None] = {}

    def render_page(self, page: Page) -> str:
        template = self.env.get_template(page.template)
        self._from, self._from_folder = page.path, posixpath.dirname(page.path)
        text = template.render(dict(page.context, page=page))
        while "\n\n\n" in text:
            text = text.replace("\n\n\n", "\n\n")
        return self._abbreviate(text.strip() + "\n")

    def href(self, to_page: str, anchor: str | None = None) -> Markup:
        """The address of a generated file from the page being rendered, as the engine writes it
        (page.md becomes page.html)."""
        if to_page.endswith(".md"):
            if to_page not in self.page_paths:
                raise ValueError(f"{self._from} links to {to_page}, which is not a page of the site")
            to_page = to_page[:-3] + ".html"
        return Markup(html.escape(slugs.link_from_folder(self._from_folder, to_page, anchor)))

    def link(self, title: object, to_page: str, anchor: str | None = None) -> Markup:
        return Markup(f'<a href="{self.href(to_page, anchor)}">{escape(_one_line(title))}</a>')

    def doc_ref(self, document_id: str) -> Markup:
        return self.link(self.site.documents[document_id].label, slugs.document_page(document_id))

    def doc_link(self, citation: schema.Citation) -> Markup:
        return self.doc_ref(citation.source) + ", " + section_label(citation.section)

    def minutes(self, reading: schema.Reading) -> int | None:
        if reading.minutes:
            return reading.minutes
        if reading.document:
            return self._document_minutes(reading.document)
        return None

    def _document_minutes(self, document_id: str) -> int | None:
        # a document's full text is counted once, not on every page that lists it as a reading
        if document_id not in self._minutes:
            text = self.site.documents[document_id].text
            self._minutes[document_id] = reading_minutes(len(text.split())) if text else None
        return self._minutes[document_id]

    def _abbreviate(self, text: str) -> str:
        """The page with each abbreviation in its text wrapped in <abbr title="expansion">: not in
        the front matter, a tag, a link target, code or an attribute list. Done here and not by the
        engine's abbr extension, which never sees inside the HTML the templates write."""
        # a plain substring test first: most terms are on few pages
        present = [name for name in self.abbreviation_names if name in text]
        if not present:
            return text
        front = _FRONT_MATTER.match(text)
        body_start = front.end() if front else 0
        parts, at = [], 0
        for start, name in whole_word_spans(text, present):
            if start < body_start or not _is_text(text, start):
                continue
            parts += [text[at:start], self.abbreviations[name]]
            at = start + len(name)
        parts.append(text[at:])
        return "".join(parts)


_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)


def _is_text(text: str, at: int) -> bool:
    """Whether the word at `at` is text a reader sees, judged on its own line (no tag, link target,
    code span or attribute list of the generated pages or the sanitised full texts spans lines):
    not inside <...>, ](...), `...` or {...}, nor on a reference definition's line."""
    start = text.rfind("\n", 0, at) + 1
    if _REFERENCE_DEFINITION.match(text, start):
        return False
    line = text[start:at]
    if line.rfind("<") > line.rfind(">"):
        return False
    brace = line.rfind("{")
    if brace > line.rfind("}") and line[brace + 1:brace + 2] in (":", "#", ".", " "):
        return False
    target = line.rfind("](")
    if target != -1 and ")" not in line[target:]:
        return False
    return line.count("`") % 2 == 0


_REFERENCE_DEFINITION = re.compile(r"[ ]{0,3}\[[^\]]*\]:")


def _one_line(value: object) -> object:
    return value if isinstance(value, Markup) else " ".join(str(value).split())


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"  # what \w is in a str pattern


def whole_words(text: str, names: list[str]) -> set[str]:
    """The names that occur in text as whole words (see whole_word_spans)."""
    return {name for _, name in whole_word_spans(text, names)}


def whole_word_spans(text: str, names: list[str]) -> list[tuple[int, str]]:
    r"""Where the names occur in text as whole words, left to right, as the regular expression of
    them all (longest first, `(?<!\w)(A|B|...)(?!\w)`) finds them scanning from the left: a name
    inside a longer one that matched there is not counted. Done with str.find: that expression,
    compiled for each page's names and tried at every position of the page, was a quarter of the
    rendering time."""
    starts: dict[int, list[str]] = {}
    for name in names:  # in the expression's order: longest first
        at = text.find(name)
        while at != -1:
            starts.setdefault(at, []).append(name)
            at = text.find(name, at + 1)
    found: list[tuple[int, str]] = []
    resume = 0
    for at in sorted(starts):
        if at < resume or (at and _is_word(text[at - 1])):
            continue
        for name in starts[at]:
            end = at + len(name)
            if end == len(text) or not _is_word(text[end]):
                found.append((at, name))
                resume = end
                break
    return found


# Author Markdown (full texts) is made safe as Markdown, before the engine renders it, by an
# allowlist: the only raw HTML left is a few inline tags without attributes; link targets keep
# their scheme only when it is http(s), mailto or tel; attribute lists ({: onclick=...}) and images
# (a request outside the site) cannot be written. nh3 sanitises HTML, not Markdown: run over the
# Markdown it would mangle Markdown syntax (">" quotes, "&" entities) and miss what only the
# rendering makes ([x](javascript:...), {: onclick=...}); the rendered HTML belongs to the engine.
_ALLOWED_TAG = re.compile(r"</?(?:br|sup|sub|u|mark|small)\s*/?>", re.IGNORECASE)
# an inline target (after an optional "<") runs to ")", a space or a tab, across a line break
# (which browsers drop from URLs) but not a blank line; a reference definition's to its line's end
_LINK_TARGET = re.compile(r"(\]\(\s*)((?:<|&lt;)?(?:[^) \t\n]|\n(?![ \t]*\n))*)"
                          r"|^([ ]{0,3}\[[^\]]*\]:\s*)(\S*)", re.IGNORECASE | re.MULTILINE)
_SCHEME = re.compile(r"[a-z][a-z0-9+.\-]*:")
SAFE_SCHEMES = ("http:", "https:", "mailto:", "tel:")


def safe_link_target(target: str) -> str:
    """target, or "#" when it names a scheme other than SAFE_SCHEMES the way a browser reads it:
    character references decoded, control characters and spaces dropped, any case."""
    seen = re.sub(r"[\x00-\x20\x7f]", "", html.unescape(target)).lower().lstrip("<")
    if _SCHEME.match(seen) and not seen.startswith(SAFE_SCHEMES):
        return "#"
    return target


def sanitize_markdown(text: str) -> str:
    """Author Markdown with raw HTML limited to a few attribute-free inline tags, no script URLs,
    no attribute lists and no images."""
    kept: list[str] = []

    def keep(match: re.Match) -> str:
        kept.append(match.group())
        return f"\x00{len(kept) - 1}\x00"

    text = _ALLOWED_TAG.sub(keep, text.replace("\x00", ""))
    text = text.replace("<", "&lt;")
    text = re.sub(r"\x00(\d+)\x00", lambda m: kept[int(m.group(1))], text)
    text = text.replace("{", "\\{")  # attr_list needs a brace; an escaped one prints as text
    text = text.replace("![", "&#33;[")  # an image becomes a link to it
    return _LINK_TARGET.sub(lambda m: m.group(1) + safe_link_target(m.group(2)) if m.group(1) is not None
                            else m.group(3) + safe_link_target(m.group(4)), text)


def full_text(document) -> Markup:
    """A document's full text, sanitised, its headings moved one level down under 'Toàn văn'."""
    text = sanitize_markdown(document.text)
    text = re.sub(r"^(#{1,5})(?=\s)", lambda m: "#" * max(3, len(m.group(1)) + 1), text, flags=re.MULTILINE)
    return Markup(text.strip())
