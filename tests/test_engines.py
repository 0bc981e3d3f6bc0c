"""The same generated Markdown builds with MkDocs + Material and with Zensical (Material's
successor, which reads mkdocs.yml), and both sites carry the same content."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import ROOT, run_sotay


def article(html: str) -> str:
    match = re.search(r"<article\b.*?</article>", html, re.S)
    assert match
    return match.group(0)


def visible_text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.mark.parametrize("content", ["fixture", "real"])
def test_mkdocs_and_zensical_build_the_same_pages(content: str, project: Path, tmp_path: Path):
    cwd = project if content == "fixture" else ROOT
    sites = {}
    for engine in ("mkdocs", "zensical"):
        site = tmp_path / f"site-{engine}"
        result = run_sotay("build", "--engine", engine, "--site-dir", str(site),
                           "--build-dir", str(tmp_path / f"build-{engine}"), cwd=cwd, timeout=600)
        assert result.returncode == 0, result.stderr
        sites[engine] = site
    pages = {p.relative_to(sites["mkdocs"]).as_posix() for p in sites["mkdocs"].rglob("*.html")}
    zensical_pages = {p.relative_to(sites["zensical"]).as_posix() for p in sites["zensical"].rglob("*.html")}
    assert pages == zensical_pages
    for page in sorted(pages - {"404.html"}):
        ours = visible_text(article((sites["mkdocs"] / page).read_text(encoding="utf-8")))
        theirs = visible_text(article((sites["zensical"] / page).read_text(encoding="utf-8")))
        # the same words on both, apart from the theme's own permalink marks
        assert ours.replace("¶", "").split() == theirs.replace("¶", "").split(), page


@pytest.mark.parametrize("engine_name", ["mkdocs", "zensical"])
def test_both_engines_refuse_a_broken_link(engine_name: str, project: Path):
    """Strict builds: a link to a page that does not exist fails the engine and leaves no site.
    (MkDocs counts warnings for --strict only when it logs them: a quiet strict build passed one.)"""
    from generator import engine

    result = run_sotay("build", "--engine", engine_name, cwd=project, timeout=600)
    assert result.returncode == 0, result.stderr
    docs = project / "build" / "docs"
    with (docs / "thuat-ngu.md").open("a", encoding="utf-8") as page:
        page.write("\n[một trang không có](khong-co.md)\n")
    with pytest.raises(engine.EngineError, match="khong-co.md|does not exist"):
        engine.run_engine(engine_name, project / "build" / "mkdocs.yml")
