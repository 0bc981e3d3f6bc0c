"""`sotay serve`: a real preview server that picks up content edits without a restart."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

from browser import fetch, free_port


def wait_for(predicate, limit: float = 60.0):
    """Poll until predicate() is truthy; the limit only stops a hung test, it asserts no speed."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    return None


@contextmanager
def preview(project: Path):
    """`sotay serve` of the project on a free port, once it serves the glossary; stopped with Ctrl+C
    on leaving. Yields its glossary's URL and, after it stopped, what it printed on stderr."""
    port = free_port()
    served = SimpleNamespace(url=f"http://127.0.0.1:{port}/thuat-ngu.html", stderr="")
    server = subprocess.Popen([sys.executable, "-m", "generator", "serve", "-a", f"127.0.0.1:{port}"],
                              cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              start_new_session=True)
    try:
        assert wait_for(lambda: "Tổ chức cơ sở" in (fetch(served.url) or "")), "the preview never served the glossary"
        yield served
    finally:
        os.killpg(server.pid, signal.SIGINT)
        _, served.stderr = server.communicate(timeout=30)


def test_serve_regenerates_on_edit_and_survives_bad_content(project: Path):
    with preview(project) as served:
        glossary = project / "content" / "glossary.yml"
        original = glossary.read_text(encoding="utf-8")
        glossary.write_text(original + "  - term: BTV\n    kind: viet-tat\n    expansion: Ban Thường vụ\n",
                            encoding="utf-8")
        assert wait_for(lambda: "Ban Thường vụ" in (fetch(served.url) or "")), "an edit did not reach the preview"
        glossary.write_text(original + "  - term: X\n    tieu_de: sai\n", encoding="utf-8")
        time.sleep(2)
        assert "Ban Thường vụ" in (fetch(served.url) or ""), "bad content must leave the last good pages up"
    assert "error[unknown-field]" in served.stderr
    assert "Traceback" not in served.stderr


def test_build_during_serve_stops_and_leaves_the_preview_pages(project: Path):
    with preview(project) as served:
        docs = project / "build" / "docs"
        before = {p: p.read_bytes() for p in docs.rglob("*") if p.is_file()}
        build = subprocess.run([sys.executable, "-m", "generator", "build"], cwd=project,
                               capture_output=True, text=True, timeout=120)
        assert build.returncode == 5, build.stderr
        assert "sotay serve" in build.stderr and "Traceback" not in build.stderr
        assert not (project / "site").exists()
        assert {p: p.read_bytes() for p in docs.rglob("*") if p.is_file()} == before
        assert "Tổ chức cơ sở" in (fetch(served.url) or "")
    # the preview stopped, its lock is gone: the build runs
    build = subprocess.run([sys.executable, "-m", "generator", "build"], cwd=project,
                           capture_output=True, text=True, timeout=300)
    assert build.returncode == 0, build.stderr
