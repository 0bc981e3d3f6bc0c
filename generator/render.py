"""Render planned pages to Markdown with Jinja2.

Every value printed with {{ }} is escaped for Markdown and HTML unless it is `Markup` made here
(links, citations): text from YAML can never become markup, a script or a link. StrictUndefined
turns a template typo into an error in tests instead of an empty hole in a page.
"""

from __future__ import annotations

import math
import re
import urllib.parse
from datetime import date

import jinja2
from markupsafe import Markup

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
    text = " ".join(str(value).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _INLINE_SPECIAL.sub(r"\\\1", text)
    return _LINE_START.sub(_escape_line_start, text)


def _escape_line_start(match: re.Match) -> str:
    if match.group(2):
        return match.group(1) + "\\" + match.group(2)
    return match.group(1) + match.group(3) + "\\" + match.group(4)


def _finalize(value: object) -> Markup:
    """Applied to every {{ }} value; with autoescape on, the Markup it returns is printed as is."""
    if value is None:
        raise ValueError("a template printed None; guard optional fields with {% if %}")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return Markup(str(value))
    return Markup(escape_markdown(value))


def format_date(day: date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def format_long_date(day: date) -> str:
    return f"{WEEKDAYS[day.weekday()]}, {format_date(day)}"


def web_url(url: str) -> Markup | None:
    """An http(s) address made safe as a Markdown link target (None for anything else)."""
    url = url.strip()
    if not re.match(r"https?://[^\s/]", url, re.IGNORECASE):
        return None
    return Markup(urllib.parse.quote(url, safe=":/?#@!$&'*+,;=%~-._"))


def reading_minutes(words: int) -> int:
    return max(1, math.ceil(words / WORDS_PER_MINUTE))


class Renderer:
    def __init__(self, site: Site):
        self.site = site
        self.env = jinja2.Environment(
            loader=jinja2.PackageLoader("generator", "templates"),
            undefined=jinja2.StrictUndefined,
            finalize=_finalize,
            autoescape=True,  # macro results become Markup; values are escaped by _finalize
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters.update(
            date=format_date,
            long_date=format_long_date,
            month_label=month_label,
            web_url=web_url,
            heading_id=lambda text: Markup("{#" + slugs.slugify(str(text)) + "}"),
        )
        self.env.globals.update(site=site, slugs=slugs, schema=schema, Markup=Markup)
        # abbreviations become tooltips (the Markdown abbr extension) on the pages that use them
        self.abbreviations = {
            term.term: f"*[{term.term}]: {escape_markdown(term.expansion)}"
            for term in site.glossary
            if term.kind is schema.TermKind.VIET_TAT and "]" not in term.term
        }
        names = sorted(self.abbreviations, key=len, reverse=True)
        self.abbreviation_pattern = (
            re.compile(r"(?<!\w)(" + "|".join(map(re.escape, names)) + r")(?!\w)") if names else None
        )

    def render_page(self, page: Page) -> str:
        template = self.env.get_template(page.template)
        context = dict(page.context, page=page, link=self._linker(page.path),
                       doc_link=self._doc_linker(page.path), doc_ref=self._doc_referrer(page.path),
                       minutes=self.minutes, full_text=full_text)
        text = template.render(context)
        text = re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
        return text + self._abbreviations(text)

    def _linker(self, from_page: str):
        def link(title: object, to_page: str, anchor: str | None = None) -> Markup:
            return Markup(f"[{escape_markdown(title)}]({slugs.link(from_page, to_page, anchor)})")
        return link

    def _doc_referrer(self, from_page: str):
        def doc_ref(document_id: str) -> Markup:
            label = self.site.documents[document_id].label
            target = slugs.link(from_page, slugs.document_page(document_id))
            return Markup(f"[{escape_markdown(label)}]({target})")
        return doc_ref

    def _doc_linker(self, from_page: str):
        doc_ref = self._doc_referrer(from_page)

        def doc_link(citation: schema.Citation) -> Markup:
            return doc_ref(citation.source) + Markup(f", mục {escape_markdown(citation.section)}")
        return doc_link

    def minutes(self, reading: schema.Reading) -> int | None:
        if reading.minutes:
            return reading.minutes
        if reading.document:
            text = self.site.documents[reading.document].text
            if text:
                return reading_minutes(len(text.split()))
        return None

    def _abbreviations(self, text: str) -> str:
        """Definitions of the abbreviations this page uses, in glossary order."""
        if self.abbreviation_pattern is None:
            return ""
        used = set(self.abbreviation_pattern.findall(text))
        lines = [line for term, line in self.abbreviations.items() if term in used]
        return ("\n" + "\n".join(lines) + "\n") if lines else ""


_ALLOWED_TAG = re.compile(r"</?(?:br|sup|sub|u|mark|small)\s*/?>", re.IGNORECASE)
_UNSAFE_LINK = re.compile(r"(\]\(\s*<?|^\s*\[[^\]]+\]:\s*<?)\s*(?:javascript|vbscript|data):[^)\s]*",
                          re.IGNORECASE | re.MULTILINE)


def sanitize_markdown(text: str) -> str:
    """Author Markdown with raw HTML limited to a few attribute-free inline tags and no script URLs."""
    kept: list[str] = []

    def keep(match: re.Match) -> str:
        kept.append(match.group())
        return f"\x00{len(kept) - 1}\x00"

    text = _ALLOWED_TAG.sub(keep, text.replace("\x00", ""))
    text = text.replace("<", "&lt;")
    text = re.sub(r"\x00(\d+)\x00", lambda m: kept[int(m.group(1))], text)
    return _UNSAFE_LINK.sub(lambda m: m.group(1) + "#", text)


def full_text(document) -> Markup:
    """A document's full text, sanitised, its headings moved one level down under 'Toàn văn'."""
    text = sanitize_markdown(document.text)
    text = re.sub(r"^(#{1,5})(?=\s)", lambda m: "#" * max(3, len(m.group(1)) + 1), text, flags=re.MULTILINE)
    return Markup(text.strip())
