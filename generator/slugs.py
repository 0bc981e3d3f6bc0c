"""The one Vietnamese slug function, and every page path and URL of the site.

Slugs name files, URLs and heading ids: "Đảng bộ phường" → "dang-bo-phuong" (đ → d, marks
stripped, never empty). Page paths are relative to the docs directory; links between pages are
made relative here too, so the site works from file:// and under any sub-path.
"""

from __future__ import annotations

import functools
import hashlib
import posixpath
import re
import unicodedata

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Vietnamese text without marks: NFD, drop combining marks, đ → d (it has no decomposition)."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def slugify(text: str) -> str:
    slug = _NON_ALNUM.sub("-", fold(text).lower()).strip("-")
    if slug:
        return slug[:80].rstrip("-")
    return "muc-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]


# ---- page paths (relative to build/docs) -----------------------------------------------------

HOME = "index.md"
GLOSSARY = "thuat-ngu.md"
DOCUMENTS = "van-ban/index.md"
CALENDAR = "lich.md"
CALENDAR_ICS = "lich.ics"
HELP = "huong-dan-su-dung.md"


def campaign_page(campaign_id: str) -> str:
    return f"{campaign_id}/index.md"


def orientation_page(campaign_id: str, orientation_id: str) -> str:
    return f"{campaign_id}/dinh-huong/{orientation_id}.md"


def theme_page(campaign_id: str, theme_id: str) -> str:
    return f"{campaign_id}/chu-de/{theme_id}.md"


def readings_page(campaign_id: str) -> str:
    return f"{campaign_id}/tai-lieu.md"


def month_page(campaign_id: str, month: str) -> str:
    return f"{campaign_id}/thang-{month}.md"


def month_secretary_page(campaign_id: str, month: str) -> str:
    return f"{campaign_id}/thang-{month}-bi-thu.md"


def questions_page(campaign_id: str) -> str:
    return f"{campaign_id}/cau-hoi-thao-luan.md"


def form_page(campaign_id: str, kind: str) -> str:
    """A blank form to print: kind is an OutputKind value ('thu-hoach', 'bao-cao', ...)."""
    return f"{campaign_id}/mau/{kind}.md"


def campaign_ics(campaign_id: str) -> str:
    return f"{campaign_id}/lich.ics"


def handout_pdf(page_path: str) -> str:
    """The PDF handout of a printable page sits beside it: thang-2024-12.md → thang-2024-12.pdf."""
    return posixpath.splitext(page_path)[0] + ".pdf"


def document_page(document_id: str) -> str:
    return f"van-ban/{document_id}.md"


def link(from_page: str, to_page: str, anchor: str | None = None) -> str:
    """A relative Markdown link target from one page to another (MkDocs rewrites .md to .html)."""
    return link_from_folder(posixpath.dirname(from_page), to_page, anchor)


def link_from_folder(folder: str, to_page: str, anchor: str | None = None) -> str:
    """The same, from a page in `folder` (the page's posixpath.dirname)."""
    target = _relative(to_page, folder)
    return f"{target}#{anchor}" if anchor else target


@functools.lru_cache(maxsize=1 << 16)
def _relative(to_page: str, from_dir: str) -> str:
    # cached: a site links the same pages from the same folders thousands of times, and relpath
    # asks the operating system for the working directory on every call
    return posixpath.relpath(to_page, from_dir or ".")
