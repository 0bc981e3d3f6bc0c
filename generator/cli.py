"""The `sotay` command line: check, build, serve, new, schema.

Exit codes: 0 success, 1 content problems (located errors printed), 2 wrong usage,
3 the site engine failed, 4 an environment problem (disk, permissions), 5 another build is running.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import date, datetime, timezone
from pathlib import Path

from . import engine
from .checks import check_site
from .content import load_content
from .diagnostics import ContentError, format_report
from .model import Site
from .plan import plan_nav, plan_pages
from .render import Renderer
from .write import write_tree

EXIT_CONTENT, EXIT_USAGE, EXIT_ENGINE, EXIT_ENVIRONMENT, EXIT_LOCKED = 1, 2, 3, 4, 5


def build_date() -> date:
    """The date the site is built for: SOURCE_DATE_EPOCH when set, so rebuilds are reproducible."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc).date()
    return date.today()


def load_site(content: Path) -> Site:
    return check_site(load_content(content))


def generate(site: Site, today: date) -> tuple[dict[str, bytes], tuple]:
    """Every generated file (path → bytes) and the navigation."""
    pages = plan_pages(site, today)
    renderer = Renderer(site)
    files = {page.path: renderer.render_page(page).encode("utf-8") for page in pages}
    return files, plan_nav(site, pages)


def cmd_check(args: argparse.Namespace) -> int:
    site = load_site(args.content)
    months = sum(len(book.months) for book in site.campaigns)
    print(f"ok: {len(site.campaigns)} campaigns, {months} month guides, {len(site.documents)} documents, "
          f"{len(site.glossary)} glossary terms")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    site = load_site(args.content)
    files, nav = generate(site, build_date())
    report = write_tree(files, args.build_dir / "docs")
    generated = time.perf_counter()
    engine.build_site(args.engine, args.config, args.build_dir / "docs", args.site_dir,
                      site.handbook.title, nav, args.build_dir / "mkdocs.yml")
    finished = time.perf_counter()
    print(f"built {args.site_dir} with {args.engine}: {len(files)} pages "
          f"({len(report.written)} rewritten, {len(report.removed)} removed); "
          f"generate {generated - started:.2f}s, {args.engine} {finished - generated:.2f}s")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sotay", description="Sổ tay: build a study handbook site from YAML.")
    parser.add_argument("--content", type=Path, default=Path("content"), help="content folder (default: content)")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="validate the content; build nothing")
    check.set_defaults(run=cmd_check)
    build = sub.add_parser("build", help="check, generate Markdown into build/docs, build the site")
    build.add_argument("--site-dir", type=Path, default=Path("site"), help="where the site goes (default: site)")
    build.add_argument("--build-dir", type=Path, default=Path("build"), help="generated Markdown (default: build)")
    build.add_argument("--config", type=Path, default=Path("mkdocs.yml"), help="theme settings (default: mkdocs.yml)")
    build.add_argument("--engine", choices=engine.ENGINES, default="mkdocs")
    build.set_defaults(run=cmd_build)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except ContentError as error:
        print(format_report(error.diagnostics), file=sys.stderr)
        return EXIT_CONTENT
    except engine.BuildLocked as error:
        print(f"error: another build of this site is running (lock {error}); wait for it to finish", file=sys.stderr)
        return EXIT_LOCKED
    except engine.EngineError as error:
        print(f"error[engine]: {error}", file=sys.stderr)
        return EXIT_ENGINE
    except OSError as error:
        where = f" ({error.filename})" if error.filename else ""
        print(f"error[environment]: {error.strerror or error}{where}; the previous site is unchanged", file=sys.stderr)
        return EXIT_ENVIRONMENT
    except KeyboardInterrupt:
        print("interrupted; the previous site is unchanged", file=sys.stderr)
        return 130
