"""Hostile or broken input beyond the YAML reader (test_yamlreader.py) and the located messages of
tests/cases/: pathological Markdown at full size, Markdown that only looks dangerous, a full text
that links outside the content folder, and content typed in NFD (normalised, and found by search).
Subprocess timeouts here only guard against hangs; nothing asserts a speed."""

from __future__ import annotations

import json
import os
import unicodedata
from pathlib import Path

import pytest

from browser import chromium, guarded_context, serve_directory
from conftest import ROOT, run_sotay
from test_search import WORKER_PROBE, SearchBox

from generator.fulltext import MAX_NESTING, MAX_OPEN, check_full_text

# Each of these made Python-Markdown 3.11 take seconds to minutes, or crash with RecursionError
# (measured while writing the limits: 13,000 '[' took 17 s; a list 1,000 levels deep crashed).
PATHOLOGICAL = {
    "40 KB of nested '['": "Xem " + "[" * 40_000,
    "balanced brackets 13,000 deep": "[" * 13_000 + "a" + "]" * 13_000,
    "unclosed '[a ' repeated": "[a " * 5_000,
    "unclosed '[a](' repeated": "[a](" * 5_000,
    "images left open": "![" * 5_000,
    "a list 1,000 levels deep": "".join("  " * level + "- mục\n" for level in range(1_000)),
    "a list 300 levels deep, 4 spaces": "".join("    " * level + "- mục\n" for level in range(300)),
    "list markers on one line": "- " * 1_000 + "mục",
    "numbered markers on one line": "1. " * 1_000 + "mục",
    "quotations 1,000 deep": "".join(">" * level + " trích\n" for level in range(1, 1_000)),
    "admonitions 300 deep": "".join("    " * level + "!!! note\n\n" for level in range(300)) + "    " * 300 + "x\n",
}


@pytest.mark.parametrize("name", list(PATHOLOGICAL))
def test_pathological_markdown_is_a_located_error(name: str):
    text = "# Văn bản\n\nĐoạn đầu bình thường.\n\n" + PATHOLOGICAL[name] + "\n"
    problems = check_full_text("van-ban.md", text)
    assert problems, name
    assert {p.code for p in problems} == {"unsafe-markdown"}
    assert len(problems) <= 3  # one per block, not one per character
    first = problems[0]
    assert first.span.line >= 5 and first.span.column >= 1 and first.hint


# Things real documents contain, that look like the above from far away.
HARMLESS = {
    "a line across made of dashes": "- - - - - - - - - - - - - - - - - - - - - - - -",
    "a right-aligned signature": " " * 60 + "TM. BAN THƯỜNG VỤ\n" + " " * 64 + "BÍ THƯ",
    "a list three levels deep": "- Một\n    - Hai\n        - Ba\n            + Bốn",
    "many short brackets": "(a) [b] " * 5_000,
    "escaped brackets": "\\[" * 10_000 + " \\(" * 10_000,
    f"exactly {MAX_OPEN} open": "[" * MAX_OPEN,
    f"lists exactly {MAX_NESTING} deep": "".join("    " * level + "- mục\n" for level in range(MAX_NESTING)),
    "unclosed brackets in separate paragraphs": "Xem [phụ lục\n\n" * 1_000,
    "closing brackets without opening ones": "a) b) c) ] ] ]" * 100,
}


@pytest.mark.parametrize("name", list(HARMLESS))
def test_markdown_that_only_looks_dangerous_passes(name: str):
    assert check_full_text("van-ban.md", "# Văn bản\n\n" + HARMLESS[name] + "\n") == []


def test_real_full_texts_pass():
    for path in sorted((ROOT / "content" / "documents").glob("*.md")):
        assert check_full_text(path.name, path.read_text(encoding="utf-8")) == [], path.name


def test_a_list_that_crashes_markdown_stops_the_build_with_a_located_error(project: Path):
    full_text = project / "content" / "documents" / "12-kh-tu.md"
    before = full_text.read_text(encoding="utf-8")
    full_text.write_text(before + "\n" + PATHOLOGICAL["a list 1,000 levels deep"], encoding="utf-8")
    result = run_sotay("build", cwd=project, timeout=120)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "RecursionError" not in result.stderr
    first_line = len(before.split("\n")) + MAX_NESTING * 2 + 1  # 4 columns of indentation per level
    assert f"content/documents/12-kh-tu.md:{first_line}:" in result.stderr
    assert "error[unsafe-markdown]" in result.stderr
    assert not (project / "site").exists()


def test_a_full_text_linked_outside_the_content_is_refused(project: Path, tmp_path: Path):
    secret = tmp_path / "secret.md"
    secret.write_text("mật khẩu của máy chủ\n", encoding="utf-8")
    full_text = project / "content" / "documents" / "12-kh-tu.md"
    full_text.unlink()
    full_text.symlink_to(secret)
    result = run_sotay("check", cwd=project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("content/documents/12-kh-tu.yml:7:12: error[invalid-value]: full_text: "
                                    "'12-kh-tu.md' is a link to a file outside content/documents/")


def test_nfd_content_is_built_as_nfc_and_found_by_search(project: Path):
    content = project / "content"
    for path in content.rglob("*"):
        if path.suffix in (".yml", ".md"):
            path.write_text(unicodedata.normalize("NFD", path.read_text(encoding="utf-8")), encoding="utf-8")
    assert not unicodedata.is_normalized("NFC", (content / "handbook.yml").read_text(encoding="utf-8"))
    result = run_sotay("build", cwd=project, env=dict(os.environ, SOURCE_DATE_EPOCH="1770163200"))
    assert result.returncode == 0, result.stderr  # quotations still match their (NFD) full text
    site = project / "site"
    def text_of(path: Path) -> str:  # JSON escapes letters as \\uXXXX: compare what it says
        text = path.read_text(encoding="utf-8")
        return json.dumps(json.loads(text), ensure_ascii=False) if path.suffix == ".json" else text

    for path in [*site.rglob("*"), *(project / "build" / "docs").rglob("*")]:
        if path.suffix in (".html", ".md", ".json", ".xml", ".ics") and "assets" not in path.parts:
            assert unicodedata.is_normalized("NFC", text_of(path)), path
    assert "nhận thức sâu sắc" in text_of(site / "van-ban" / "12-kh-tu.html")
    assert "nhận thức sâu sắc" in text_of(site / "search" / "search_index.json")

    with chromium() as browser, serve_directory(site) as root:
        context, log = guarded_context(browser, root, viewport={"width": 1280, "height": 900})
        context.add_init_script(WORKER_PROBE)
        page = context.new_page()
        page.goto(root + "index.html")
        box = SearchBox(page, root)
        for query in ("nhận thức sâu sắc", "nhan thuc sau sac", unicodedata.normalize("NFD", "nhận thức")):
            assert "van-ban/12-kh-tu.html" in box.search(query)[:3], query
        context.close()
