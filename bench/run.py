"""Benchmark building Sổ tay at several sizes and print one table.

    python bench/run.py                          # 100, 1000 and 5000 pages, stock MkDocs, Zensical, serve
    python bench/run.py --pages 1000 --repeat 5  # one size, more runs
    python bench/run.py --pages 1000 --no-stock --no-zensical --no-serve

For each size it writes synthetic content of exactly that many pages in the project's own schema
(bench/synth.py), builds it with `sotay build` (MkDocs + Material) and reports the median of the
runs: generator time, engine time, per-page time, CPU time, peak memory, site size, what a browser
downloads for the first page (Chromium opens index.html from file:// and every local file it
requests before the reader does anything is counted, gzip-compressed, search index included when
it is fetched then), the search index size, a rebuild with nothing changed and one after editing
one YAML file (files rewritten). Side by side: stock `mkdocs build` of the same generated Markdown
with Material as it comes (no overrides, no pruning), and `sotay build --engine zensical`. At the
sizes given to --serve-at it also measures `sotay serve`: how long after saving a YAML file the
served page shows the change (polled over http). Runs are interleaved (ours, stock, Zensical, ours,
...) so that a busy machine slows them alike. Results also go to bench/out/results.json.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "tests"))
from browser import fetch, free_port  # noqa: E402
from synth import count_pages, write_content  # noqa: E402

# Runs a command in a child and reports its wall time, the CPU time of it and of its children
# (user + system) and the peak memory of the largest of them.
MEASURE = (
    "import resource, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "r = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
    "wall = time.perf_counter() - t\n"
    "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "sys.stderr.write(r.stderr)\n"
    "print(r.returncode, wall, u.ru_utime + u.ru_stime, u.ru_maxrss, repr(r.stdout))\n"
)
SERVE_EDITS = 5


class Failed(Exception):
    """A build that exited with an error: its command and output."""


def measure(command: list[str], cwd: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", MEASURE, *command], cwd=cwd, capture_output=True, text=True)
    code, wall, cpu, peak, stdout = out.stdout.strip().split(" ", 4)
    if code != "0":
        raise Failed(f"{' '.join(command[1:])} failed:\n{out.stderr}")
    return {"wall": float(wall), "cpu": float(cpu), "peak_mb": int(peak) / 1024, "stdout": eval(stdout)}


def sotay_report(stdout: str) -> dict:
    """What `sotay build` prints: files rewritten, generator and engine seconds."""
    match = re.search(r"\((\d+) rewritten.*generate ([\d.]+)s, \w+ ([\d.]+)s", stdout)
    return {"rewritten": int(match.group(1)), "generate": float(match.group(2)), "engine": float(match.group(3))}


def tree_size(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file())


def gzip_size(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), 6))


def search_index(site: Path) -> tuple[int, int]:
    """Raw and gzip bytes of the search index (Material: search/search_index.json)."""
    for name in ("search/search_index.json", "search.json"):
        if (site / name).is_file():
            return (site / name).stat().st_size, gzip_size(site / name)
    return 0, 0


def first_view(browser, site: Path, strict: bool = True) -> dict:
    """What Chromium downloads to show index.html from file:// before the reader does anything.
    Requests outside the site are blocked; strict: they (and errors in the page) stop the bench,
    else they are counted (stock Material asks Google for its fonts)."""
    from browser import guarded_context, site_url

    root = site_url(site)
    context, log = guarded_context(browser, root, viewport={"width": 412, "height": 860})
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(root + "index.html")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(1000)  # a script that starts later (the search worker) still counts
    context.close()
    if strict and (log.errors or log.outside):
        raise Failed(f"{site}: errors in the page: {log.errors}; requests outside: {log.outside}")
    files = {site / unquote(urlsplit(url).path[len(urlsplit(root).path):]) for url in requested
             if url.startswith(root)}
    files = {path for path in files if path.is_file()}
    return {"kb_gz": sum(map(gzip_size, files)) / 1e3, "files": len(files), "outside": len(log.outside),
            "index_fetched": any("search_index" in p.name or p.name == "search.json" for p in files)}


def stock_config(work: Path) -> Path:
    """MkDocs + Material as it comes: the same Markdown, extensions and nav; no overrides, no pruning."""
    ours = yaml.safe_load((work / "build" / "mkdocs.yml").read_text(encoding="utf-8"))
    stock = {
        "site_name": ours["site_name"],
        "docs_dir": "docs",
        "site_dir": str(work / "stock-site"),
        "use_directory_urls": False,
        "theme": {"name": "material", "language": "vi"},
        "plugins": ["search"],
        "markdown_extensions": ours["markdown_extensions"],
        "nav": ours["nav"],
    }
    path = work / "build" / "stock.yml"
    path.write_text(yaml.safe_dump(stock, allow_unicode=True), encoding="utf-8")
    return path


def edit_month(work: Path, marker: str) -> tuple[Path, str]:
    """Put marker into the title of the first campaign's March guide; returns the file and its text."""
    month = sorted((work / "content" / "campaigns").glob("*/months/*-03.yml"))[0]
    text = month.read_text(encoding="utf-8")
    month.write_text(text.replace("title: ", f"title: {marker} ", 1), encoding="utf-8")
    return month, text


def serve_latency(work: Path) -> dict:
    """Seconds from saving a YAML file to `sotay serve` serving the page with the change, per edit."""
    port = free_port()
    month = sorted((work / "content" / "campaigns").glob("*/months/*-03.yml"))[0]
    page = f"http://127.0.0.1:{port}/{month.parent.parent.name}/thang-{month.stem}.html"
    server = subprocess.Popen([sys.executable, "-m", "generator", "serve", "-a", f"127.0.0.1:{port}"], cwd=work,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    original = month.read_text(encoding="utf-8")
    started = time.perf_counter()
    delays = []
    try:
        while fetch(page) is None:
            if server.poll() is not None or time.perf_counter() - started > 600:
                raise Failed("sotay serve did not come up")
            time.sleep(0.5)
        startup = time.perf_counter() - started
        for n in range(1, SERVE_EDITS + 1):
            time.sleep(2)  # let the watcher settle after the previous rebuild
            marker = f"Sửa-lần-{n}"
            month.write_text(original.replace("title: ", f"title: {marker} ", 1), encoding="utf-8")
            saved = time.perf_counter()
            while marker not in (fetch(page) or ""):
                if time.perf_counter() - saved > 120:
                    raise Failed(f"sotay serve did not show edit {n} within 120 s")
                time.sleep(0.05)
            delays.append(time.perf_counter() - saved)
    finally:
        month.write_text(original, encoding="utf-8")
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
    return {"startup_s": startup, "edit_s": delays}


def run_size(pages: int, args: argparse.Namespace, browser) -> dict:
    work = args.out / f"{pages}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    write_content(work / "content", pages)
    shutil.copy(ROOT / "mkdocs.yml", work / "mkdocs.yml")
    shutil.copytree(ROOT / "overrides", work / "overrides")
    sotay = [sys.executable, "-m", "generator", "build"]
    runs: dict[str, list[dict]] = {"ours": [], "stock": [], "zensical": [], "noop": [], "edit": []}
    stock_rounds = args.repeat if pages < 5000 else 1  # stock grows with pages²: once is enough
    zensical_error = None
    for round_ in range(args.repeat):
        shutil.rmtree(work / "build", ignore_errors=True)
        shutil.rmtree(work / "site", ignore_errors=True)
        result = measure(sotay, work)
        runs["ours"].append(dict(result, **sotay_report(result["stdout"])))
        if args.stock and round_ < stock_rounds:
            runs["stock"].append(measure([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(stock_config(work))],
                                         work))
        if args.zensical and not zensical_error:
            try:
                z = measure([*sotay, "--engine", "zensical", "--site-dir", "site-zensical"], work)
                runs["zensical"].append(dict(z, **sotay_report(z["stdout"])))
            except Failed as error:  # reported in the table, the other figures still count
                zensical_error = str(error).strip().splitlines()[-1]
        noop = measure(sotay, work)
        runs["noop"].append(dict(noop, **sotay_report(noop["stdout"])))
        month, text = edit_month(work, "Sửa")
        edited = measure(sotay, work)
        month.write_text(text, encoding="utf-8")
        runs["edit"].append(dict(edited, **sotay_report(edited["stdout"])))
    measure(sotay, work)  # the site of the unedited content, for the sizes below
    docs = work / "build" / "docs"
    page_count = len(list(docs.rglob("*.md")))
    assert page_count == count_pages(pages), (page_count, count_pages(pages))

    def median(kind: str, key: str) -> float:
        return statistics.median(run[key] for run in runs[kind]) if runs[kind] else float("nan")

    site = work / "site"
    index_raw, index_gz = search_index(site)
    view = first_view(browser, site)
    result = {
        "pages": page_count,
        "words_per_page": round(words_in(docs) / page_count),
        "generate_s": median("ours", "generate"),
        "generate_ms_per_page": 1000 * median("ours", "generate") / page_count,
        "engine_s": median("ours", "engine"),
        "total_s": median("ours", "wall"),
        "total_ms_per_page": 1000 * median("ours", "wall") / page_count,
        "generate_share_pct": 100 * median("ours", "generate") / median("ours", "wall"),
        "cpu_s": median("ours", "cpu"),
        "peak_mb": median("ours", "peak_mb"),
        "site_mb": tree_size(site) / 1e6,
        "site_kb_per_page": tree_size(site) / 1e3 / page_count,
        "first_view_kb_gz": view["kb_gz"],
        "first_view_files": view["files"],
        "first_view_fetches_index": view["index_fetched"],
        "search_index_kb": index_raw / 1e3,
        "search_index_kb_gz": index_gz / 1e3,
        "noop_rewritten": median("noop", "rewritten"),
        "noop_total_s": median("noop", "wall"),
        "edit_rewritten": median("edit", "rewritten"),
        "edit_generate_s": median("edit", "generate"),
        "edit_total_s": median("edit", "wall"),
    }
    if args.stock:
        result.update(stock_runs=len(runs["stock"]), stock_total_s=median("stock", "wall"),
                      stock_cpu_s=median("stock", "cpu"), stock_peak_mb=median("stock", "peak_mb"),
                      stock_site_mb=tree_size(work / "stock-site") / 1e6,
                      stock_site_kb_per_page=tree_size(work / "stock-site") / 1e3 / page_count,
                      stock_first_view_kb_gz=first_view(browser, work / "stock-site", strict=False)["kb_gz"])
        shutil.rmtree(work / "stock-site")  # gigabytes at 5,000 pages
    if zensical_error:
        result.update(zensical_error=zensical_error)
    elif args.zensical:
        zsite = work / "site-zensical"
        z_raw, z_gz = search_index(zsite)
        result.update(zensical_total_s=median("zensical", "wall"), zensical_engine_s=median("zensical", "engine"),
                      zensical_cpu_s=median("zensical", "cpu"), zensical_peak_mb=median("zensical", "peak_mb"),
                      zensical_site_mb=tree_size(zsite) / 1e6,
                      zensical_site_kb_per_page=tree_size(zsite) / 1e3 / page_count,
                      zensical_first_view_kb_gz=first_view(browser, zsite)["kb_gz"],
                      zensical_search_index_kb=z_raw / 1e3, zensical_search_index_kb_gz=z_gz / 1e3)
    if pages in args.serve_at:
        served = serve_latency(work)
        result.update(serve_startup_s=served["startup_s"], serve_edit_median_s=statistics.median(served["edit_s"]),
                      serve_edit_max_s=max(served["edit_s"]), serve_edits=len(served["edit_s"]))
    return result


def words_in(docs: Path) -> int:
    """Words a reader sees in the generated Markdown: no tags, link targets, attribute lists or
    abbreviation definitions."""
    total = 0
    for path in docs.rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"<[^>]+>|\]\([^)]*\)|\{[^}]*\}|^\*\[.*$", " ", text, flags=re.M)
        total += sum(1 for word in text.split() if re.search(r"\w", word))
    return total


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown")
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count()
    versions = {name: metadata.version(name) for name in
                ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jinja2", "pydantic", "zensical")
                if _installed(name)}
    return {"cpu": cpu, "cores": cores, "python": platform.python_version(), "packages": versions}


def _installed(name: str) -> bool:
    try:
        metadata.version(name)
    except metadata.PackageNotFoundError:
        return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, nargs="+", default=[100, 1000, 5000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-stock", dest="stock", action="store_false", help="skip stock mkdocs build")
    parser.add_argument("--no-zensical", dest="zensical", action="store_false", help="skip Zensical")
    parser.add_argument("--serve-at", type=int, nargs="*", default=[1000], help="sizes to measure sotay serve at")
    parser.add_argument("--no-serve", dest="serve_at", action="store_const", const=[])
    parser.add_argument("--out", type=Path, default=HERE / "out")
    args = parser.parse_args()
    args.out = args.out.resolve()
    from browser import chromium

    results = []
    info = machine()
    args.out.mkdir(parents=True, exist_ok=True)
    with chromium() as browser:
        for pages in args.pages:
            started = time.perf_counter()
            try:
                results.append(run_size(pages, args, browser))
            except Failed as error:
                print(error, file=sys.stderr)
                results.append({"pages": pages, "error": str(error).strip().splitlines()[-1]})
            print(f"# {pages} pages done in {time.perf_counter() - started:.0f}s", file=sys.stderr, flush=True)
            (args.out / "results.json").write_text(  # after each size: a long run keeps what it measured
                json.dumps({"machine": info, "repeat": args.repeat, "results": results}, indent=2, ensure_ascii=False),
                encoding="utf-8")
    print(f"machine: {info['cpu']}, {info['cores']} cores, Python {info['python']}; "
          + ", ".join(f"{k} {v}" for k, v in info["packages"].items()))
    print(f"median of {args.repeat} interleaved runs (stock MkDocs: {', '.join(str(r.get('stock_runs', 0)) for r in results)})")
    print("| metric | " + " | ".join(f"{r['pages']} pages" for r in results) + " |")
    print("| --- |" + " --- |" * len(results))
    keys = list(dict.fromkeys(key for r in results for key in r))  # serve_* only at --serve-at sizes
    for key in keys:
        if key in ("pages", "stock_runs"):
            continue
        cells = [_cell(r.get(key)) for r in results]
        print(f"| {key} | " + " | ".join(cells) + " |")


def _cell(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.2f}" if abs(value) < 100 else f"{value:.0f}"
    return str(value)


if __name__ == "__main__":
    main()
