"""Benchmark Sổ tay at several sizes and print one table.

    python bench/run.py                      # 100, 1000 and 5000 pages, 3 interleaved runs each
    python bench/run.py --pages 1000 --repeat 5 --zensical

For each size it generates synthetic content in the project's own schema (bench/synth.py), builds
it with `sotay build` and reports the median of the runs: generator time, engine time, per-page
time, peak memory, site size, the gzip weight of the first page a reader opens (HTML + the CSS and
JS it loads), the search index size, an incremental rebuild after editing one YAML file, and,
side by side, stock `mkdocs build` of the same generated Markdown with an unmodified Material
configuration. Results also go to bench/out/results.json.
"""

from __future__ import annotations

import argparse
import gzip
import json
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from synth import write_content  # noqa: E402

MEASURE = (
    "import resource, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "r = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
    "wall = time.perf_counter() - t\n"
    "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "sys.stderr.write(r.stderr)\n"
    "print(r.returncode, wall, peak, repr(r.stdout))\n"
)


def measure(command: list[str], cwd: Path) -> dict:
    """Run a command in a fresh process; its wall time, peak memory (largest process) and output."""
    out = subprocess.run([sys.executable, "-c", MEASURE, *command], cwd=cwd, capture_output=True, text=True)
    code, wall, peak, stdout = out.stdout.strip().split(" ", 3)
    if code != "0":
        raise SystemExit(f"{' '.join(command)} failed:\n{out.stderr}")
    return {"wall": float(wall), "peak_mb": int(peak) / 1024, "stdout": eval(stdout)}


def sotay_times(stdout: str) -> tuple[float, float]:
    match = re.search(r"generate ([\d.]+)s, \w+ ([\d.]+)s", stdout)
    return float(match.group(1)), float(match.group(2))


def tree_size(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file())


def first_page_weight(site: Path) -> int:
    """gzip bytes of index.html and every local stylesheet and script it loads at once."""
    html = (site / "index.html").read_text(encoding="utf-8")
    total = len(gzip.compress(html.encode("utf-8"), 6))
    for ref in re.findall(r'<(?:link[^>]+rel="stylesheet"[^>]+href|script[^>]+src)="([^"#?]+)', html):
        path = site / ref
        if not ref.startswith(("http:", "https:", "//")) and path.is_file():
            total += len(gzip.compress(path.read_bytes(), 6))
    return total


def search_index_size(site: Path) -> tuple[int, int]:
    for name in ("search/search_index.json", "search.json"):
        path = site / name
        if path.is_file():
            data = path.read_bytes()
            return len(data), len(gzip.compress(data, 6))
    return 0, 0


def stock_config(work: Path) -> Path:
    """MkDocs + Material as it comes: the same Markdown and nav, no overrides, no pruning."""
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


def run_size(pages: int, repeat: int, zensical: bool, out: Path) -> dict:
    work = out / f"{pages}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    write_content(work / "content", pages)
    shutil.copy(ROOT / "mkdocs.yml", work / "mkdocs.yml")
    shutil.copytree(ROOT / "overrides", work / "overrides")
    sotay = [sys.executable, "-m", "generator", "build"]
    runs: dict[str, list] = {"ours": [], "stock": [], "zensical": [], "incremental": [], "noop": []}
    for _ in range(repeat):  # interleaved: ours, stock, (zensical) in each round
        shutil.rmtree(work / "build", ignore_errors=True)
        result = measure(sotay, work)
        generate, engine = sotay_times(result["stdout"])
        runs["ours"].append({"wall": result["wall"], "generate": generate, "engine": engine, "peak_mb": result["peak_mb"]})
        stock = measure([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(stock_config(work))], work)
        runs["stock"].append({"wall": stock["wall"], "peak_mb": stock["peak_mb"]})
        if zensical:
            z = measure([*sotay, "--engine", "zensical", "--site-dir", "site-zensical"], work)
            zg, ze = sotay_times(z["stdout"])
            runs["zensical"].append({"wall": z["wall"], "generate": zg, "engine": ze, "peak_mb": z["peak_mb"]})
        noop = measure(sotay, work)
        runs["noop"].append({"wall": noop["wall"], "generate": sotay_times(noop["stdout"])[0],
                             "rewritten": int(re.search(r"\((\d+) rewritten", noop["stdout"]).group(1))})
        month = next((work / "content" / "campaigns").glob("*/months/2025-03.yml"))
        text = month.read_text(encoding="utf-8")
        month.write_text(text.replace("title: ", "title: Sửa ", 1), encoding="utf-8")
        edited = measure(sotay, work)
        month.write_text(text, encoding="utf-8")
        runs["incremental"].append({"wall": edited["wall"], "generate": sotay_times(edited["stdout"])[0],
                                    "rewritten": int(re.search(r"\((\d+) rewritten", edited["stdout"]).group(1))})
    page_count = len(list((work / "build" / "docs").rglob("*.md")))
    words = sum(len(p.read_text(encoding="utf-8").split()) for p in (work / "build" / "docs").rglob("*.md"))

    def median(kind: str, key: str) -> float:
        return statistics.median(run[key] for run in runs[kind]) if runs[kind] else float("nan")

    index_raw, index_gz = search_index_size(work / "site")
    result = {
        "pages": page_count,
        "words_per_page": round(words / page_count),
        "generate_s": median("ours", "generate"),
        "engine_s": median("ours", "engine"),
        "total_s": median("ours", "wall"),
        "generate_ms_per_page": 1000 * median("ours", "generate") / page_count,
        "total_ms_per_page": 1000 * median("ours", "wall") / page_count,
        "peak_mb": median("ours", "peak_mb"),
        "site_mb": tree_size(work / "site") / 1e6,
        "site_kb_per_page": tree_size(work / "site") / 1e3 / page_count,
        "first_page_kb_gz": first_page_weight(work / "site") / 1e3,
        "search_index_kb": index_raw / 1e3,
        "search_index_kb_gz": index_gz / 1e3,
        "noop_rebuild_s": median("noop", "wall"),
        "noop_rewritten": median("noop", "rewritten"),
        "edit_one_yaml_generate_s": median("incremental", "generate"),
        "edit_one_yaml_rewritten": median("incremental", "rewritten"),
        "stock_total_s": median("stock", "wall"),
        "stock_peak_mb": median("stock", "peak_mb"),
        "stock_site_mb": tree_size(work / "stock-site") / 1e6,
        "stock_first_page_kb_gz": first_page_weight(work / "stock-site") / 1e3,
    }
    if zensical:
        result.update(zensical_total_s=median("zensical", "wall"), zensical_engine_s=median("zensical", "engine"),
                      zensical_site_mb=tree_size(work / "site-zensical") / 1e6)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, nargs="+", default=[100, 1000, 5000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--zensical", action="store_true", help="also build with Zensical")
    parser.add_argument("--out", type=Path, default=HERE / "out")
    args = parser.parse_args()
    machine = f"{platform.machine()}, {platform.processor() or 'cpu'}, Python {platform.python_version()}"
    try:
        cores = len(__import__("os").sched_getaffinity(0))
    except AttributeError:
        cores = __import__("os").cpu_count()
    results = []
    for pages in args.pages:
        started = time.perf_counter()
        results.append(run_size(pages, args.repeat, args.zensical, args.out))
        print(f"# {pages} pages done in {time.perf_counter() - started:.0f}s", file=sys.stderr)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(json.dumps({"machine": machine, "cores": cores, "results": results},
                                                      indent=2), encoding="utf-8")
    keys = list(results[0])
    print(f"machine: {machine}, {cores} cores; median of {args.repeat} interleaved runs")
    print("| metric | " + " | ".join(str(r["pages"]) + " pages" for r in results) + " |")
    print("| --- |" + " --- |" * len(results))
    for key in keys[1:]:
        cells = [f"{r[key]:.2f}" if isinstance(r[key], float) else str(r[key]) for r in results]
        print(f"| {key} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
