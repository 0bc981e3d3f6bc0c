"""Golden snapshots of the generated Markdown of the mini project: first the file list, then each
file, with a unified diff on failure. `pytest --update-golden` rewrites them; review the git diff."""

from __future__ import annotations

import difflib
import shutil
from datetime import date
from pathlib import Path

import pytest
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


def test_abbreviations_are_found_as_one_expression_of_them_all_finds_them():
    """render.whole_words (str.find) decides which abbreviation definitions a page gets: the same
    names as `(?<!\\w)(longest|...|shortest)(?!\\w)` scanning the page, on tricky and on random text."""
    import random
    import re

    from generator.render import whole_words

    def expected(text: str, names: list[str]) -> set[str]:
        return set(re.findall(r"(?<!\w)(" + "|".join(map(re.escape, names)) + r")(?!\w)", text))

    cases = [("KT-XH và XH", ["KT-XH", "XH"]), ("KT-XHCN", ["KT-XH", "XHCN", "XH"]), ("NQ/TW, TW.", ["NQ/TW", "TW"]),
             ("ĐUV", ["ĐU"]), ("_TU TU_ TU", ["TU"]), ("T/M T/M", ["T/M"]), ("AAA", ["AA", "A"]), ("HĐND", ["HĐND"])]
    rng = random.Random(7)
    letters = ["A", "B", "Đ", "-", "/", " ", "a", "ư", "_", "1", ".", "\u0301"]
    for _ in range(3000):
        names = sorted({"".join(rng.choice(letters[:5]) for _ in range(rng.randint(1, 3))) for _ in range(3)},
                       key=len, reverse=True)
        cases.append(("".join(rng.choice(letters) for _ in range(rng.randint(0, 24))), names))
    for text, names in cases:
        present = [name for name in sorted(names, key=len, reverse=True) if name in text]
        if present:
            assert whole_words(text, present) == expected(text, present), (text, present)


def test_links_lead_only_to_pages_of_the_site():
    """The engine does not check links inside the HTML the templates write: the renderer does.
    A link to a page that is not planned is a bug in Sổ tay and stops the build."""
    from generator.plan import plan_pages
    from generator.render import Renderer

    site = load_site(MINI)
    pages = plan_pages(site, BUILD_DATE)
    renderer = Renderer(site, pages)
    renderer._from, renderer._from_folder = "dot-mau/thang-2024-12.md", "dot-mau"
    assert renderer.link("Tổng quan", "dot-mau/index.md") == '<a href="index.html">Tổng quan</a>'
    assert renderer.link("Lịch", "lich.ics") == '<a href="../lich.ics">Lịch</a>'  # not a page
    with pytest.raises(ValueError, match="khong-co.md, which is not a page of the site"):
        renderer.link("Không có", "dot-mau/khong-co.md")


def test_abbreviations_are_wrapped_only_where_a_reader_sees_text():
    from generator.plan import plan_pages
    from generator.render import Renderer

    site = load_site(MINI)
    renderer = Renderer(site, plan_pages(site, BUILD_DATE))
    term = next(t for t in site.glossary if t.term == "TU")
    tip = f'<abbr title="{term.expansion}">TU</abbr>'
    page = ("---\ntitle: TU\n---\n\n# Về TU {#tu}\n\n<p class=\"TU\">Kế hoạch 12-KH/TU, TUẦN</p>\n\n"
            "Đọc [TU](../TU/x.md) và `TU` {: .TU }\n[TU]: https://example.com/TU\n")
    assert renderer._abbreviate(page) == (
        f"---\ntitle: TU\n---\n\n# Về {tip} {{#tu}}\n\n<p class=\"TU\">Kế hoạch 12-KH/{tip}, TUẦN</p>\n\n"
        f"Đọc [{tip}](../TU/x.md) và `TU` {{: .TU }}\n[TU]: https://example.com/TU\n")


def test_rendering_on_two_cores_gives_the_same_files(monkeypatch):
    """From 200 pages `sotay build` renders half of them in a forked child (generator/parallel.py):
    the files are the same bytes, in the same order, as from one process."""
    from generator import parallel

    site = load_site(MINI)
    monkeypatch.setattr(parallel, "MIN_PAGES", 10**9)
    alone, _ = generate(site, BUILD_DATE)
    monkeypatch.setattr(parallel, "MIN_PAGES", 1)
    assert parallel.can_fork(2)
    shared, _ = generate(site, BUILD_DATE)
    assert list(shared) == list(alone) and shared == alone


def test_an_error_in_the_rendering_child_is_raised_in_the_build():
    from generator import parallel

    def fails() -> None:
        raise ValueError("a page links to a page that is not planned")

    result = parallel.in_child(fails)
    with pytest.raises(ValueError, match="not planned"):
        result()
    assert parallel.in_child(lambda: {"a.md": b"x"})() == {"a.md": b"x"}
