"""The `sotay` command line: check, build, package, serve, new, schema.

Exit codes: 0 success, 1 content problems (located errors printed), 2 wrong usage,
3 the site engine failed, 4 an environment problem (disk, permissions), 5 another build is running.
"""

from __future__ import annotations

import argparse
import errno
import os
import sys
import time
from datetime import date, datetime, time as clock_time, timezone
from pathlib import Path

from . import engine, parallel
from .cache import RenderCache
from .checks import check_site
from .content import load_content
from .diagnostics import ContentError, format_report
from .ical import calendar_events, calendar_files
from .model import Site
from .plan import Page, plan_nav, plan_pages
from .render import Renderer
from .write import write_tree

EXIT_CONTENT, EXIT_USAGE, EXIT_ENGINE, EXIT_ENVIRONMENT, EXIT_LOCKED = 1, 2, 3, 4, 5


def build_date() -> date:
    """The date the site is built for: SOURCE_DATE_EPOCH when set, so rebuilds are reproducible."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc).date()
    return date.today()


def build_time() -> datetime:
    """The moment stamped into calendars and PDFs: SOURCE_DATE_EPOCH when set, else today's midnight
    (UTC), so rebuilding the same content on the same day changes no byte."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
    return datetime.combine(build_date(), clock_time(), timezone.utc)


def print_stylesheet(config: Path) -> Path:
    """The theme's print stylesheet, which the PDF handouts share with the browser's print."""
    return config.parent / "overrides" / "assets" / "stylesheets" / "print.css"


def load_site(content: Path) -> Site:
    return check_site(load_content(content))


def generate(site: Site, today: date, stamp: datetime | None = None,
             pdf_stylesheet: Path | None = None, cache: RenderCache | None = None) -> tuple[dict[str, bytes], tuple]:
    """Every generated file (path → bytes: Markdown, calendars, and PDF handouts when given the print
    stylesheet) and the navigation. With a cache (sotay serve), pages whose files did not change
    since the last call are not rendered again."""
    pages = plan_pages(site, today, pdf=pdf_stylesheet is not None)
    renderer = Renderer(site, pages)
    stamp = stamp or datetime.combine(today, clock_time(), timezone.utc)

    def render(some: list[Page]) -> dict[str, bytes]:
        return {page.path: renderer.render_page(page).encode("utf-8") for page in some}

    others = None
    if cache is not None:
        files = cache.render(site, pages, renderer.render_page)
    elif parallel.can_fork(len(pages)):
        # half of the pages on the other core, collected once this process has rendered the other
        # half and the calendars
        others = parallel.in_child(lambda: render(pages[1::2]))
        files = render(pages[0::2])
    else:
        files = render(pages)
    calendars = calendar_files(site, calendar_events(site), stamp)
    if others is not None:
        files.update(others())
        files = {page.path: files[page.path] for page in pages}  # the plan's order, as in one process
    files.update(calendars)
    if pdf_stylesheet is not None:
        try:
            from .pdf import render_handouts  # WeasyPrint is an optional extra
        except ImportError as error:
            raise UsageError(f"--pdf needs WeasyPrint: python3 -m pip install -e '.[pdf]' ({error})") from None
        files.update(render_handouts(pages, files, stamp, pdf_stylesheet))
    return files, plan_nav(site, pages)


def cmd_check(args: argparse.Namespace) -> int:
    site = load_site(args.content)
    months = sum(len(book.months) for book in site.campaigns)
    print(f"ok: {len(site.campaigns)} campaigns, {months} month guides, {len(site.documents)} documents, "
          f"{len(site.glossary)} glossary terms")
    return 0


def require_config(path: Path) -> None:
    if not path.is_file():
        raise UsageError(f"no theme settings at {path}: run sotay in the project folder (where mkdocs.yml is) "
                         "or pass --config")


class UsageError(Exception):
    pass


def cmd_build(args: argparse.Namespace) -> int:
    require_config(args.config)
    # one build at a time from reading to swap: a second build must not rewrite build/docs while
    # the engine of the first one reads it; the engine's process starts first and loads while the
    # pages are generated
    with engine.build_lock(args.site_dir, args.build_dir), engine.started_engine(args.engine) as process:
        started = time.perf_counter()
        site = load_site(args.content)
        files, nav = generate(site, build_date(), build_time(), print_stylesheet(args.config) if args.pdf else None)
        report = write_tree(files, args.build_dir / "docs")
        generated = time.perf_counter()
        engine.build_site(args.engine, args.config, args.build_dir / "docs", args.site_dir,
                          site.handbook.title, nav, args.build_dir / "mkdocs.yml", process)
        finished = time.perf_counter()
    handouts = f", {sum(p.endswith('.pdf') for p in files)} PDF handouts" if args.pdf else ""
    print(f"built {args.site_dir} with {args.engine}: {sum(p.endswith('.md') for p in files)} pages{handouts} "
          f"({len(report.written)} rewritten, {len(report.removed)} removed); "
          f"generate {generated - started:.2f}s, {args.engine} {finished - generated:.2f}s")
    return 0


def cmd_package(args: argparse.Namespace) -> int:
    from .package import PackageError, write_package

    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    stamp = datetime.fromtimestamp(int(epoch), tz=timezone.utc) if epoch.isdigit() else None
    output = args.output or Path("dist") / f"so-tay-{build_date():%Y-%m-%d}.zip"
    try:
        with engine.build_lock(args.site_dir):  # never pack a site while a build swaps it
            report = write_package(args.site_dir, output, stamp)
    except PackageError as error:
        raise UsageError(str(error)) from None
    print(f"wrote {report.output}: {report.files} files of the site ({report.site_bytes / 1e6:.1f} MB), "
          f"zip {report.zip_bytes / 1e6:.1f} MB; unzipped, check it with: sha256sum -c SHA256SUMS")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from .serve import serve

    require_config(args.config)
    docs = args.build_dir / "docs"
    config_file = args.build_dir / "mkdocs.yml"
    cache = RenderCache()
    configs: dict[tuple, str] = {}  # the last engine configuration, by what it is made from

    def regenerate() -> str:
        started = time.perf_counter()
        site = load_site(args.content)
        files, nav = generate(site, build_date(), cache=cache)
        report = write_tree(files, docs)
        made_from = (args.config.read_bytes(), site.handbook.title, nav)
        if made_from not in configs:  # writing out the navigation of 1,000 pages takes 0.1 s
            configs.clear()
            configs[made_from] = engine.compose_config(args.config, docs, args.build_dir / "serve-site",
                                                       site.handbook.title, nav, args.build_dir, strict=False)
        config = configs[made_from]
        if not config_file.is_file() or config_file.read_text(encoding="utf-8") != config:
            config_file.write_text(config, encoding="utf-8")  # an unchanged one would only wake MkDocs again
        return (f"generated {len(files)} pages ({cache.rendered} rendered, {len(report.written)} rewritten, "
                f"{len(report.removed)} removed) in {time.perf_counter() - started:.2f}s")

    # the preview rewrites build/docs at every save: a `sotay build` of the same build folder would
    # hand the engine pages half rewritten, so the two exclude each other like two builds
    with engine.build_lock(args.build_dir / "serve-site", args.build_dir):
        return serve(args.content, regenerate, config_file, args.address)


def cmd_new(args: argparse.Namespace) -> int:
    from .skeleton import write_campaign_skeleton

    written = write_campaign_skeleton(args.content, args.id, build_date())
    load_site(args.content)  # the skeleton must pass the same checks as any content
    for path in written:
        print(f"wrote {path}")
    print(f"ok: campaign '{args.id}' passes 'sotay check'; edit the files, then run 'sotay build'")
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from .jsonschema import content_schemas, vscode_settings

    args.out.mkdir(parents=True, exist_ok=True)
    for name, text in content_schemas().items():
        (args.out / name).write_text(text, encoding="utf-8")
    print(f"wrote {len(content_schemas())} JSON Schemas to {args.out}")
    print("VS Code (YAML extension), .vscode/settings.json:")
    print(vscode_settings(args.out.as_posix()), end="")
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
    build.add_argument("--pdf", action="store_true",
                       help="also print each month guide, question booklet and form to PDF (needs the 'pdf' extra)")
    build.set_defaults(run=cmd_build)
    package = sub.add_parser("package", help="zip the built site with a manifest and a hosting note")
    package.add_argument("--site-dir", type=Path, default=Path("site"), help="the built site (default: site)")
    package.add_argument("-o", "--output", type=Path, default=None,
                         help="the zip to write (default: dist/so-tay-<date>.zip)")
    package.set_defaults(run=cmd_package)
    serve = sub.add_parser("serve", help="live preview that regenerates when content changes")
    serve.add_argument("--build-dir", type=Path, default=Path("build"))
    serve.add_argument("--config", type=Path, default=Path("mkdocs.yml"))
    serve.add_argument("-a", "--address", default="127.0.0.1:8000", help="address to serve on (default 127.0.0.1:8000)")
    serve.set_defaults(run=cmd_serve)
    new = sub.add_parser("new", help="start new content from a commented skeleton")
    new_kind = new.add_subparsers(dest="kind", required=True)
    new_campaign = new_kind.add_parser("campaign", help="a new campaign folder that passes 'sotay check'")
    new_campaign.add_argument("id", help="the campaign id, e.g. ky-nguyen-moi")
    new_campaign.set_defaults(run=cmd_new)
    schema = sub.add_parser("schema", help="write JSON Schemas of the content files for editors")
    schema.add_argument("--out", type=Path, default=Path("content/.schema"))
    schema.set_defaults(run=cmd_schema)
    return parser


def environment_message(error: OSError, command: str) -> str:
    """A full disk or a missing permission, said plainly with what to do (never a traceback)."""
    where = f" ({error.filename})" if error.filename else ""
    if error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        hint = "the disk is full or a file size limit was reached: free some space, or write elsewhere"
    elif error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        hint = "no permission to write there (or the disk is read-only): check the folder, or write elsewhere"
    else:
        hint = "check the disk and the folders named above"
    kept = "; the previous site is unchanged" if command == "build" else ""
    return f"error[environment]: {error.strerror or error}{where}{kept}\n  hint: {hint}"


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except ContentError as error:
        print(format_report(error.diagnostics), file=sys.stderr)
        return EXIT_CONTENT
    except UsageError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except engine.BuildLocked as error:
        print(f"error: another build of this site is running, or sotay serve on the same build folder "
              f"(lock {error}); wait for it to finish, or stop the preview", file=sys.stderr)
        return EXIT_LOCKED
    except engine.EngineError as error:
        print(f"error[engine]: {error}", file=sys.stderr)
        return EXIT_ENGINE
    except OSError as error:
        print(environment_message(error, args.command), file=sys.stderr)
        return EXIT_ENVIRONMENT
    except KeyboardInterrupt:
        print("interrupted; the previous site is unchanged", file=sys.stderr)
        return 130
