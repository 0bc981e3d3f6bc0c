"""Golden snapshots of the generated Markdown of the mini project: first the file list, then each
file, with a unified diff on failure. `pytest --update-golden` rewrites them; review the git diff."""

from __future__ import annotations

import difflib
import shutil
from datetime import date
from pathlib import Path

from conftest import MINI

from generator.cli import generate, load_site

GOLDEN = Path(__file__).parent / "golden" / "mini"
BUILD_DATE = date(2024, 12, 10)


def test_generated_markdown_matches_golden(update_golden: bool):
    files, _ = generate(load_site(MINI), BUILD_DATE)
    if update_golden:
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for path, data in files.items():
            (GOLDEN / path).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / path).write_bytes(data)
    expected_list = sorted(p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*") if p.is_file())
    assert sorted(files) == expected_list
    for path in expected_list:
        expected = (GOLDEN / path).read_bytes().decode("utf-8")  # .ics lines end in CRLF
        actual = files[path].decode("utf-8")
        if actual != expected:
            diff = "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True),
                                                f"golden/{path}", f"generated/{path}"))
            raise AssertionError(f"{path} differs from its golden snapshot:\n{diff}")


def test_generation_is_deterministic():
    first, nav_first = generate(load_site(MINI), BUILD_DATE)
    second, nav_second = generate(load_site(MINI), BUILD_DATE)
    assert first == second and nav_first == nav_second
