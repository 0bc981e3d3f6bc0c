"""The navigation's shape: a small handbook lists its campaigns and documents as they are; a large
one groups them by year, so that the navigation every page carries does not grow with the site.
The large one is bench/synth.py's content, which must also pass every check at its exact size."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from conftest import MINI, ROOT

from generator.cli import load_site
from generator.plan import NAV_LIST_LIMIT, plan_nav, plan_pages

sys.path.insert(0, str(ROOT / "bench"))
from synth import count_pages, write_content  # noqa: E402

TODAY = date(2025, 3, 1)


def entries(nav) -> int:
    """The most entries any one list of the navigation has."""
    return max([len(nav)] + [entries(item.children) for item in nav if item.children])


def test_small_handbook_lists_campaigns_and_documents_as_they_are():
    site = load_site(MINI)
    nav = plan_nav(site, plan_pages(site, TODAY))
    titles = [item.title for item in nav]
    assert [book.campaign.short_title for book in site.campaigns] == titles[1:1 + len(site.campaigns)]
    documents = next(item for item in nav if item.title == "Văn bản")
    assert len(documents.children) == 1 + len(site.documents)


def test_large_handbook_groups_by_year_and_keeps_every_list_short(tmp_path: Path):
    write_content(tmp_path, 1000)
    site = load_site(tmp_path)  # every check passes on the synthetic content
    pages = plan_pages(site, TODAY)
    assert len(pages) == count_pages(1000) == 1000
    nav = plan_nav(site, pages)
    years = [item.title for item in nav if item.title.startswith("Năm ")]
    assert years == [f"Năm {y}" for y in range(2025, 2020, -1)]
    assert entries(nav) <= NAV_LIST_LIMIT
    in_nav = set()

    def walk(items):
        for item in items:
            if item.path:
                in_nav.add(item.path)
            walk(item.children)
    walk(nav)
    assert in_nav == {page.path for page in pages}  # every page, once, in the navigation
