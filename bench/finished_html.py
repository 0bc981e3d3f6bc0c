"""What the engine would save if the generator wrote finished HTML instead of Markdown.

    python bench/run.py --pages 1000 --no-stock --no-zensical --no-serve   # once, for the site
    python bench/finished_html.py --pages 1000 --repeat 3

It takes a size that bench/run.py has built (bench/out/<pages>/build/ and site/) and makes variants
of the generated Markdown in bench/out/<pages>/variants/: each page's text between two headings is
replaced by the HTML the engine made of it (taken from the built site), the headings stay Markdown
for the table of contents and the search sections. Then it runs `mkdocs build` on each variant and
on the unchanged Markdown, interleaved, and prints the engine's wall and CPU seconds. The HTML is
the engine's own output, so this measures the engine only: writing that HTML from the templates
is what it would cost to do for real (see bench/README.md, "Why two targets are missed").
"""

from __future__ import annotations

import argparse
import html
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
MONTH_PAGE = re.compile(r"thang-\d{4}-\d{2}(-bi-thu)?\.md$|cau-hoi-thao-luan\.md$")
ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(.*?)</article>', re.S)
HEADING = re.compile(r"(<h[1-6][^>]*>.*?</h[1-6]>)", re.S)
HEADING_PARTS = re.compile(r"<h([1-6])([^>]*)>(.*?)</h\1>", re.S)
FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)
VARIANTS = {
    "current": (lambda rel: False, ()),
    "month-pages-html": (lambda rel: bool(MONTH_PAGE.search(rel.name)), ()),
    "all-but-documents-html": (lambda rel: rel.parts[0] != "van-ban", ()),
    "all-but-documents-html-no-abbr-md_in_html": (lambda rel: rel.parts[0] != "van-ban", ("abbr", "md_in_html")),
}


def heading_markdown(level: str, attributes: str, inner: str) -> str:
    inner = re.sub(r'<a class="headerlink".*?</a>', "", inner)
    text = html.unescape(re.sub(r"<[^>]+>", "", inner)).strip()
    text = re.sub(r"([\\`*_\[\]{}|#<&])", r"\\\1", text)
    ident = re.search(r'id="([^"]*)"', attributes)
    classes = re.search(r'class="([^"]*)"', attributes)
    marks = ([f"#{ident.group(1)}"] if ident else []) + ([f".{c}" for c in classes.group(1).split()] if classes else [])
    return "#" * int(level) + " " + text + (" { " + " ".join(marks) + " }" if marks else "")


def finished(markdown: str, built_page: str) -> str:
    """The page's Markdown with everything but its headings replaced by the engine's HTML."""
    front = FRONT_MATTER.match(markdown)
    parts = [front.group(0)] if front else []
    for part in HEADING.split(ARTICLE.search(built_page).group(1)):
        heading = HEADING_PARTS.fullmatch(part)
        if heading:
            parts.append("\n" + heading_markdown(*heading.groups()) + "\n")
        elif part.strip():
            parts.append(part.strip() + "\n")
    return "\n".join(parts)


def make_variant(work: Path, name: str) -> Path:
    convert, dropped = VARIANTS[name]
    build, site = work / "build", work / "site"
    variant = work / "variants" / name
    shutil.rmtree(variant, ignore_errors=True)
    shutil.copytree(build / "docs", variant / "docs")
    for page in sorted((variant / "docs").rglob("*.md")):
        rel = page.relative_to(variant / "docs")
        if convert(rel):
            page.write_text(finished(page.read_text(encoding="utf-8"),
                                     (site / rel.with_suffix(".html")).read_text(encoding="utf-8")), encoding="utf-8")
    config = yaml.safe_load((build / "mkdocs.yml").read_text(encoding="utf-8"))
    config["docs_dir"] = str(variant / "docs")
    config["theme"]["custom_dir"] = str((build / config["theme"]["custom_dir"]).resolve())
    config["markdown_extensions"] = [e for e in config["markdown_extensions"]
                                     if (e if isinstance(e, str) else next(iter(e))) not in dropped]
    (variant / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return variant


def engine_run(variant: Path) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(variant / "mkdocs.yml"),
                    "-d", str(variant / "site")], check=True, env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    work = HERE / "out" / str(args.pages)
    if not (work / "site" / "index.html").is_file():
        sys.exit(f"no built site in {work}: run python bench/run.py --pages {args.pages} first")
    variants = {name: make_variant(work, name) for name in VARIANTS}
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in VARIANTS}
    for _ in range(args.repeat):
        for name, variant in variants.items():
            times[name].append(engine_run(variant))
    print(f"{args.pages} pages, mkdocs build, {args.repeat} interleaved runs: median wall s (min-max), median CPU s")
    for name, runs in times.items():
        walls = [wall for wall, _ in runs]
        print(f"  {name:45} {statistics.median(walls):6.2f} ({min(walls):.2f}-{max(walls):.2f})"
              f"  {statistics.median(cpu for _, cpu in runs):6.2f}")


if __name__ == "__main__":
    main()
