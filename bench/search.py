"""Benchmark the site's search as a reader on a phone uses it, in real Chromium.

    python bench/search.py                          # real content and 1,000 synthetic pages
    python bench/search.py --sites 1000 --modes file --throttle 4 --repeat 1

For each site (the repository's real content, and synthetic content of N pages from bench/synth.py,
each built with `python -m generator build`), each way of opening it (file://, http://) and each CPU
speed (Chromium's CPU throttled 1× and 4× through CDP Emulation.setCPUThrottlingRate, 4× standing
for a mid-range phone), it opens the home page and records:

- what the first view downloads (gzip size of every local file requested before the reader touches
  anything) and whether the search index is among them;
- the cold start: from focusing the search box to the search being ready (the index fetched, parsed
  and built in the search worker);
- for every query, typed key by key at a reader's pace (`--key-delay`), the time from the last
  keystroke to its results shown (the next animation frame after Material rendered the answer to
  the last query); median, p90 and maximum.

Chromium throttles the page's main thread fully; a dedicated worker (http) was measured to slow down
only about 2× under a 4× rate, so the file:// figures, where the worker runs in an iframe on the main
thread, are the stricter phone figures. Results go to bench/out/search/search.json.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
import unicodedata
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "tests"))
from synth import write_content  # noqa: E402
from browser import chromium, guarded_context, serve_directory, site_url, worker_probe  # noqa: E402

# What readers type into the synthetic handbook (its vocabulary is bench/synth.py's WORDS): with and
# without tone marks, "d" for "đ", a last word unfinished, long queries without marks (the costliest
# for a folding index: every word matches many spellings) and document numbers.
SYNTHETIC_QUERIES = [
    "chống lãng phí", "chong lang phi", "chuyển đổi số", "chuyen doi so", "dang vien",
    "nhà nước pháp quyền", "nha nuoc phap quyen xa hoi chu nghia", "tinh gon bo may hieu luc hieu qua",
    "doi moi phuong thuc lanh dao nang cao nang luc cam quyen", "thuc hanh tiet kiem chong lang phi",
    "kỷ nguyên mới vươn mình", "ky nguyen moi vuon minh dan toc", "khát vọng thủ đ", "phat trien kinh t",
    "hạ tầng nhan luc", "quyet liet lam ngay hieu qua den cung", "71-KH/TU", "210", "Đảng bộ", "dot pha",
]

# Material tells the page about its search worker with messages: 0 set up (the index), 1 ready,
# 2 a query, 3 its results. The probe wraps whichever Worker the page installs (the browser's, or
# the file:// iframe shim), times them, and times the keyups in the search box.
PROBE = worker_probe("""
  const probe = window.__bench = { keyups: [], sent: [], sentAt: [], shownAt: [], items: [],
                                   focusAt: null, setupAt: null, readyAt: null };
  document.addEventListener("keyup", event => {
    if (event.target.matches && event.target.matches("input.md-search__input")) {
      probe.keyups.push(performance.now());
    }
  }, true);
  document.addEventListener("focusin", event => {
    if (probe.focusAt === null && event.target.matches && event.target.matches("input.md-search__input")) {
      probe.focusAt = performance.now();
    }
  }, true);
  function watch(worker) {
    const post = worker.postMessage;
    worker.postMessage = function (message) {
      if (message && message.type === 0) {
        probe.setupAt = performance.now();
      } else if (message && message.type === 2) {
        probe.sent.push(message.data);
        probe.sentAt.push(performance.now());
      }
      return post.apply(this, arguments);
    };
    // added before Material's own listener: the frame after this message is the one that shows
    // what Material rendered from it
    worker.addEventListener("message", event => {
      if (event.data && event.data.type === 1) {
        requestAnimationFrame(() => { probe.readyAt = performance.now(); });
      } else if (event.data && event.data.type === 3) {
        probe.items.push(event.data.data.items.length);
        requestAnimationFrame(() => probe.shownAt.push(performance.now()));
      }
    });
    return worker;
  }
""")

SETTLED = "() => { const p = window.__bench; return p.shownAt.length === p.sent.length; }"
READY = "() => window.__bench.readyAt !== null"


def build_site(work: Path, pages: int | None, overrides: Path) -> Path:
    """The repository's content (pages None) or synthetic content of that many pages, with the
    project's mkdocs.yml and the given theme overrides, built by `python -m generator build`."""
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    if pages is None:
        shutil.copytree(ROOT / "content", work / "content")
    else:
        write_content(work / "content", pages)
    shutil.copy(ROOT / "mkdocs.yml", work / "mkdocs.yml")
    shutil.copytree(overrides, work / "overrides")
    run([sys.executable, "-m", "generator", "build"], cwd=work)
    return work / "site"


def run(command: list[str], cwd: Path) -> None:
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}")


def real_queries(sample: int) -> list[str]:
    """Every `sample`-th query of the search test's case file, typed as its kind says."""
    cases = yaml.safe_load((ROOT / "tests" / "search_cases.yml").read_text(encoding="utf-8"))
    return [unicodedata.normalize("NFD", case["query"]) if case["kind"] == "nfd" else case["query"]
            for case in cases[::sample]]


def gzip_size(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), 6))


def local_file(url: str, root: str, site: Path) -> Path | None:
    if not url.startswith(root):
        return None
    path = site / unquote(urlsplit(url).path[len(urlsplit(root).path):])
    return path if path.is_file() else None


def type_like_reader(page, text: str, delay_ms: float) -> None:
    """One keystroke per character. Playwright sends characters outside the US layout as text
    without key events, and Material searches on keyup: after such a character, release a key as a
    Vietnamese keyboard (Telex, VNI) does for every letter."""
    for i, char in enumerate(text):
        if i:
            page.wait_for_timeout(delay_ms)
        if char.isascii():
            page.keyboard.type(char)
        else:
            page.keyboard.insert_text(char)
            page.keyboard.press("Shift")


def measure(browser, site: Path, root: str, throttle: float, queries: list[str], repeat: int,
            delay_ms: float) -> dict:
    context, log = guarded_context(browser, root, viewport={"width": 412, "height": 860})
    context.add_init_script(PROBE)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": throttle})
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(root + "index.html")
    page.wait_for_load_state("networkidle")
    first_view = [url for url in requested]
    weight = sum(gzip_size(path) for url in first_view if (path := local_file(url, root, site)))
    index_at_load = any("search_index" in url for url in first_view)

    box = page.locator("input.md-search__input")
    # on a phone's screen the box opens from the magnifier in the header
    page.locator("label.md-header__button[for=__search]").click()
    page.wait_for_function(READY, timeout=300_000, polling=50)
    # negative when the search was ready before the reader touched it (an index loaded at once)
    cold = page.evaluate("() => { const p = window.__bench; "
                         "return [p.readyAt - p.focusAt, p.setupAt - p.focusAt, p.readyAt - p.setupAt]; }")

    latencies, results = [], []
    for _ in range(repeat):
        for query in queries:
            box.press("Control+A")
            box.press("Backspace")
            page.wait_for_function(SETTLED, timeout=300_000, polling=50)
            page.wait_for_timeout(300)
            type_like_reader(page, query, delay_ms)
            page.wait_for_function(SETTLED, timeout=300_000, polling=50)
            sample = page.evaluate("""query => {
                const p = window.__bench;
                return { last: p.sent.at(-1) === query, ms: p.shownAt.at(-1) - p.keyups.at(-1),
                         items: p.items.at(-1) };
            }""", query)
            if not sample["last"]:
                raise SystemExit(f"the last query sent was not {query!r}: a keystroke was lost")
            latencies.append(sample["ms"])
            results.append(sample["items"])
    context.close()
    if log.errors or log.outside:
        raise SystemExit(f"errors in the page: {log.errors}; requests outside: {log.outside}")
    ordered = sorted(latencies) or [float("nan")]
    return {
        "first_view_kb_gz": weight / 1e3,
        "first_view_files": len(first_view),
        "index_requested_at_load": index_at_load,
        "cold_start_ms": cold[0],
        "cold_index_ms": cold[1],
        "cold_build_ms": cold[2],
        "queries": len(latencies),
        "median_ms": statistics.median(ordered),
        "p90_ms": ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))],
        "max_ms": ordered[-1],
        "slowest": sorted(zip(latencies, queries * repeat), reverse=True)[:3],
        "queries_without_results": sum(1 for n in results if n == 0),
    }


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def index_size(site: Path) -> tuple[float, float]:
    path = site / "search" / "search_index.json"
    return path.stat().st_size / 1e3, gzip_size(path) / 1e3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sites", nargs="+", default=["real", "1000"],
                        help="'real' and/or page counts of synthetic content")
    parser.add_argument("--modes", nargs="+", default=["file", "http"], choices=["file", "http"])
    parser.add_argument("--throttle", nargs="+", type=float, default=[1, 4])
    parser.add_argument("--repeat", type=int, default=2, help="times each synthetic query is typed")
    parser.add_argument("--real-sample", type=int, default=2, help="type every n-th query of the case file")
    parser.add_argument("--queries", type=int, default=None, help="type only the first n queries")
    parser.add_argument("--key-delay", type=float, default=150, help="ms between keystrokes")
    parser.add_argument("--reuse", action="store_true", help="use the sites built by an earlier run")
    parser.add_argument("--overrides", type=Path, default=ROOT / "overrides",
                        help="theme overrides to build with (to compare with another version)")
    parser.add_argument("--out", type=Path, default=HERE / "out" / "search",
                        help="where the sites are built and search.json is written")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    rows = []
    with chromium() as browser:
        for name in args.sites:
            started = time.perf_counter()
            work = args.out / (name if name == "real" else f"synthetic-{name}")
            if not args.reuse:
                build_site(work, None if name == "real" else int(name), args.overrides)
            site = work / "site"
            if name == "real":
                queries, repeat = real_queries(args.real_sample), 1
            else:
                queries, repeat = SYNTHETIC_QUERIES, args.repeat
            queries = queries[:args.queries] if args.queries is not None else queries
            pages = sum(1 for _ in site.rglob("*.html"))
            raw, gz = index_size(site)
            for mode in args.modes:
                for throttle in args.throttle:
                    if mode == "http":
                        with serve_directory(site) as base:
                            row = measure(browser, site, base, throttle, queries, repeat, args.key_delay)
                    else:
                        row = measure(browser, site, site_url(site), throttle, queries, repeat, args.key_delay)
                    row.update(site=name, pages=pages, mode=mode, throttle=throttle,
                               index_kb=raw, index_kb_gz=gz)
                    rows.append(row)
                    print(json.dumps(row, ensure_ascii=False), file=sys.stderr)
            print(f"# {name} done in {time.perf_counter() - started:.0f}s", file=sys.stderr)
        chromium_version = browser.version
    machine = f"{cpu_name()}, {len(os.sched_getaffinity(0))} cores, Chromium {chromium_version}"
    report = {"machine": machine, "key_delay_ms": args.key_delay, "results": rows}
    (args.out / "search.json").write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"machine: {machine}; {args.key_delay:.0f} ms between keystrokes")
    print("| site | pages | open | CPU | first view KB gz | index at load | cold start ms "
          "| queries | median ms | p90 ms | max ms |")
    print("| --- | ---: | --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        print(f"| {r['site']} | {r['pages']} | {r['mode']} | {r['throttle']:g}× | {r['first_view_kb_gz']:.0f} "
              f"| {'yes' if r['index_requested_at_load'] else 'no'} | {r['cold_start_ms']:.0f} | {r['queries']} "
              f"| {r['median_ms']:.0f} | {r['p90_ms']:.0f} | {r['max_ms']:.0f} |")


if __name__ == "__main__":
    main()
