"""`sotay serve`: a real preview server that picks up content edits without a restart."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def wait_for(predicate, limit: float = 60.0):
    """Poll until predicate() is truthy; the limit only stops a hung test, it asserts no speed."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    return None


def test_serve_regenerates_on_edit_and_survives_bad_content(project: Path):
    port = free_port()
    url = f"http://127.0.0.1:{port}/thuat-ngu.html"
    server = subprocess.Popen([sys.executable, "-m", "generator", "serve", "-a", f"127.0.0.1:{port}"],
                              cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              start_new_session=True)
    try:
        assert wait_for(lambda: "Tổ chức cơ sở" in (fetch(url) or "")), "the preview never served the glossary"
        glossary = project / "content" / "glossary.yml"
        original = glossary.read_text(encoding="utf-8")
        glossary.write_text(original + "  - term: BTV\n    kind: viet-tat\n    expansion: Ban Thường vụ\n",
                            encoding="utf-8")
        assert wait_for(lambda: "Ban Thường vụ" in (fetch(url) or "")), "an edit did not reach the preview"
        glossary.write_text(original + "  - term: X\n    tieu_de: sai\n", encoding="utf-8")
        time.sleep(2)
        assert "Ban Thường vụ" in (fetch(url) or ""), "bad content must leave the last good pages up"
    finally:
        os.killpg(server.pid, signal.SIGINT)
        _, stderr = server.communicate(timeout=30)
    assert "error[unknown-field]" in stderr
    assert "Traceback" not in stderr


def test_build_during_serve_stops_and_leaves_the_preview_pages(project: Path):
    port = free_port()
    url = f"http://127.0.0.1:{port}/thuat-ngu.html"
    server = subprocess.Popen([sys.executable, "-m", "generator", "serve", "-a", f"127.0.0.1:{port}"],
                              cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              start_new_session=True)
    try:
        assert wait_for(lambda: "Tổ chức cơ sở" in (fetch(url) or "")), "the preview never served the glossary"
        docs = project / "build" / "docs"
        before = {p: p.read_bytes() for p in docs.rglob("*") if p.is_file()}
        build = subprocess.run([sys.executable, "-m", "generator", "build"], cwd=project,
                               capture_output=True, text=True, timeout=120)
        assert build.returncode == 5, build.stderr
        assert "sotay serve" in build.stderr and "Traceback" not in build.stderr
        assert not (project / "site").exists()
        assert {p: p.read_bytes() for p in docs.rglob("*") if p.is_file()} == before
        assert "Tổ chức cơ sở" in (fetch(url) or "")
    finally:
        os.killpg(server.pid, signal.SIGINT)
        server.communicate(timeout=30)
    # the preview stopped, its lock is gone: the build runs
    build = subprocess.run([sys.executable, "-m", "generator", "build"], cwd=project,
                           capture_output=True, text=True, timeout=300)
    assert build.returncode == 0, build.stderr
