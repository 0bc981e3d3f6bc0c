"""The same generated Markdown builds with MkDocs + Material and with Zensical (Material's
successor, which reads mkdocs.yml), and both sites carry the same content."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from browser import chromium, fetch, guarded_context, serve_directory
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


@pytest.fixture(scope="module")
def zensical_real_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("zensical-real")
    result = run_sotay("build", "--engine", "zensical", "--site-dir", str(out / "site"),
                       "--build-dir", str(out / "build"), cwd=ROOT, timeout=600)
    assert result.returncode == 0, result.stderr
    return out / "site"


@pytest.mark.parametrize("missing", ["khong-co.html", "ky-nguyen-moi/dinh-huong/khong-co.html"])
def test_zensical_404_page_links_into_the_site_under_a_sub_path(missing, zensical_real_site, tmp_path):
    """Zensical writes the 404 page's navigation from the server's root ("/van-ban/index.html"):
    at http://intranet/so-tay/ those links left the site. overrides/404.html makes them relative to
    the site's root, which it finds from the address, as it does for MkDocs (tests/test_site_browser.py)."""
    root = tmp_path / "intranet"
    root.mkdir()
    os.symlink(zensical_real_site, root / "so-tay")
    with serve_directory(root, not_found=zensical_real_site / "404.html") as server, chromium() as browser:
        base = server + "so-tay/"
        context, log = guarded_context(browser, base)
        page = context.new_page()
        assert page.goto(base + missing).status == 404
        links = page.eval_on_selector_all(
            "a[href]", "links => links.map(a => a.href).filter(h => h.startsWith('http://127.0.0.1'))")
        context.close()
        outside = [link for link in links if not link.startswith(base)]
        assert len(links) > 8 and outside == [], outside
        targets = sorted({link.split("#")[0] for link in links})
        assert [t for t in targets if fetch(t) is None] == []
    assert log.outside == [], log.outside
