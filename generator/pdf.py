"""Print the printable pages to A4 PDF handouts with WeasyPrint.

Each page's generated Markdown becomes HTML with Python-Markdown (the site's extensions) and is laid
out with the theme's print stylesheet, the one the browser uses, plus the few rules only WeasyPrint
understands (running footer). DejaVu Sans (fonts-dejavu-core, every Vietnamese letter) is embedded;
a URL fetcher lets WeasyPrint open those font files and data: URLs only; the PDF dates are the build
time. So the same content and SOURCE_DATE_EPOCH give byte-identical PDFs.
"""

from __future__ import annotations

import html
import logging
import re
from datetime import datetime
from pathlib import Path

import markdown
import weasyprint

from . import slugs
from .plan import Page

FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/share/fonts/TTF")
FONT_FACES = (  # file, weight, style; the first two are in fonts-dejavu-core, the rest are used if present
    ("DejaVuSans.ttf", "normal", "normal"),
    ("DejaVuSans-Bold.ttf", "bold", "normal"),
    ("DejaVuSans-Oblique.ttf", "normal", "italic"),
    ("DejaVuSans-BoldOblique.ttf", "bold", "italic"),
)
MARKDOWN_EXTENSIONS = ["attr_list", "tables", "toc"]  # as mkdocs.yml
PDF_CSS = """
html { font-family: "DejaVu Sans", sans-serif; }
@page {
  @bottom-left { content: string(running); font: 8pt "DejaVu Sans"; color: #000; }
  @bottom-right { content: "Trang " counter(page) "/" counter(pages); font: 8pt "DejaVu Sans"; color: #000; }
}
.sotay-running { string-set: running content(text); }
/* the ruled lines' ink (print.css): WeasyPrint paints a plain gradient over the whole box */
.sotay-lines { --ink: url("data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='1' height='1'%3E%3Crect width='1' height='1'/%3E%3C/svg%3E"); }
"""
_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)  # page settings for the site engine, not text
_INTERNAL_LINK = re.compile(r'(<a\b[^>]*?)\s+href="(?![a-z][a-z0-9+.-]*:)[^"]*"', re.IGNORECASE)


class FontMissing(OSError):
    pass


def find_fonts() -> dict[Path, tuple[str, str]]:
    """The DejaVu Sans files to embed, with their weight and style."""
    for folder in map(Path, FONT_DIRS):
        if (folder / FONT_FACES[0][0]).is_file() and (folder / FONT_FACES[1][0]).is_file():
            return {folder / name: (weight, style) for name, weight, style in FONT_FACES
                    if (folder / name).is_file()}
    raise FontMissing(f"PDF handouts need the DejaVu Sans fonts (Debian: apt-get install fonts-dejavu-core); "
                      f"looked in {', '.join(FONT_DIRS)}")


def _fetcher_class():
    base = getattr(weasyprint.urls, "URLFetcher", None)

    class OnlyFonts(base or object):
        """Opens the embedded font files and data: URLs (the stylesheet's own images, which carry
        their bytes: the ruled lines); refuses, and remembers, any other URL."""

        def __init__(self, allowed: dict[str, Path]):
            if base:
                super().__init__(fail_on_errors=False, allowed_protocols=("data",))
            self.allowed = allowed
            self.refused: list[str] = []

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers) if base else weasyprint.default_url_fetcher(url)
            path = self.allowed.get(url)
            if path is None:
                self.refused.append(url)
                raise ValueError(f"Sổ tay handouts fetch nothing but their fonts: {url}")
            if base:
                return weasyprint.urls.URLFetcherResponse(url, path.read_bytes(), {"Content-Type": "font/ttf"})
            return {"string": path.read_bytes(), "mime_type": "font/ttf", "redirected_url": url}

        def __call__(self, url, *args, **kwargs):
            return self.fetch(url)

    return OnlyFonts


def page_html(page: Page, text: str, stamp: datetime) -> str:
    """A standalone HTML document of one page's Markdown, ready for print."""
    text = _FRONT_MATTER.sub("", text, count=1)
    body = markdown.markdown(text, extensions=MARKDOWN_EXTENSIONS, output_format="html")
    body = _INTERNAL_LINK.sub(r"\1", body)  # links to other pages mean nothing on paper: keep the words
    when = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        '<!DOCTYPE html>\n<html lang="vi">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(page.title)}</title>\n"
        '<meta name="generator" content="Sổ tay">\n'
        f'<meta name="dcterms.created" content="{when}">\n<meta name="dcterms.modified" content="{when}">\n'
        f'</head>\n<body class="sotay-handout sotay-handout--{page.handout}">\n'
        f'<article class="md-content md-typeset">\n{body}\n</article>\n</body>\n</html>\n'
    )


def render_handouts(pages: list[Page], files: dict[str, bytes], stamp: datetime,
                    stylesheet: Path) -> dict[str, bytes]:
    """PDF bytes of every printable page, keyed by their paths (slugs.handout_pdf)."""
    fonts = find_fonts()
    allowed = {path.as_uri(): path for path in fonts}
    faces = "".join(f'@font-face {{ font-family: "DejaVu Sans"; src: url("{path.as_uri()}"); '
                    f"font-weight: {weight}; font-style: {style}; }}\n"
                    for path, (weight, style) in fonts.items())
    fetcher = _fetcher_class()(allowed)
    logging.getLogger("weasyprint").setLevel(logging.ERROR)  # unsupported screen-only CSS is expected
    font_config = weasyprint.text.fonts.FontConfiguration()
    stylesheets = [
        weasyprint.CSS(string=stylesheet.read_text(encoding="utf-8"), url_fetcher=fetcher, font_config=font_config),
        weasyprint.CSS(string=faces + PDF_CSS, url_fetcher=fetcher, font_config=font_config),
    ]
    handouts = {}
    for page in pages:
        if not page.handout:
            continue
        document = weasyprint.HTML(string=page_html(page, files[page.path].decode("utf-8"), stamp),
                                   url_fetcher=fetcher)
        handouts[slugs.handout_pdf(page.path)] = document.write_pdf(
            stylesheets=stylesheets, font_config=font_config, uncompressed_pdf=False)
    if fetcher.refused:
        raise RuntimeError(f"a handout tried to fetch outside the build: {', '.join(sorted(set(fetcher.refused)))}")
    return handouts
