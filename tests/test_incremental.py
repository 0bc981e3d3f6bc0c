"""Incremental regeneration (`sotay serve`): with a RenderCache, only the pages made from a changed
file are rendered again, and every file is byte for byte what a full regeneration gives. The real
content (three campaigns, documents with full texts, a glossary) is copied and edited as an author
would, one file of each kind after the other, as serve's loop regenerates after each save."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from conftest import ROOT

from generator.cache import RenderCache, made_from
from generator.cli import generate, load_site
from generator.plan import plan_pages

TODAY = date(2025, 1, 10)


@pytest.fixture
def content(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    return tmp_path / "content"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path} has no {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def regenerate(content: Path, cache: RenderCache, today: date = TODAY) -> int:
    """One turn of serve's loop; asserts the incremental files equal a full regeneration's and
    returns how many pages were rendered."""
    incremental, nav = generate(load_site(content), today, cache=cache)
    full, full_nav = generate(load_site(content), today)
    assert sorted(incremental) == sorted(full)
    for path in full:
        assert incremental[path] == full[path], f"{path} differs from a full regeneration"
    assert nav == full_nav
    return cache.rendered


def pages_of(content: Path, changed: str | None = None) -> int:
    """Pages made from the content file `changed` (a path under content/), as the plan declares;
    None: every page."""
    pages = plan_pages(load_site(content), TODAY)
    return sum(1 for p in pages if changed is None or made_from(p.inputs, changed))


def test_each_kind_of_edit_renders_only_its_pages_and_equals_a_full_regeneration(content: Path):
    cache = RenderCache()
    everything = pages_of(content)
    assert regenerate(content, cache) == everything  # the first turn renders every page
    assert regenerate(content, cache) == 0  # nothing saved, nothing rendered

    # a campaign's files reach its own pages and the pages that gather all campaigns; campaign.yml
    # also the pages of the documents it follows
    campaign = "campaigns/ky-nguyen-moi/"
    month = pages_of(content, campaign + "months/2025-01.yml")
    assert month < pages_of(content, campaign + "campaign.yml") < everything
    edit(content / campaign / "months" / "2025-01.yml", "title: ", "title: Sửa lần một - ")
    assert regenerate(content, cache) == month
    edit(content / campaign / "campaign.yml", "short_title: ", "short_title: Sửa - ")
    assert regenerate(content, cache) == pages_of(content, campaign + "campaign.yml")
    for name in ("orientations.yml", "themes.yml", "readings.yml"):
        edit(content / campaign / name, "title: ", "title: Sửa - ")
        assert regenerate(content, cache) == month, name

    # a month removed, then written back: its pages go and come back, the campaign's lists follow
    month = content / "campaigns" / "tham-luan-dai-hoi-xiv" / "months"
    saved = {path: path.read_bytes() for path in month.iterdir()}
    removed = sorted(saved)[-1]
    removed.unlink()
    assert 0 < regenerate(content, cache) < everything
    removed.write_bytes(saved[removed])
    assert 0 < regenerate(content, cache) < everything

    # the shared files reach every page: a document's facts, its full text, the glossary, the handbook
    documents = content / "documents"
    # (each also changes campaign pages: citations name the document by its number, reading times
    # come from full texts, abbreviations are explained on every page that uses them)
    edit(documents / "2788-cv-btgtu.yml", "number: 2788-CV/BTGTU", "number: 2789-CV/BTGTU")
    assert regenerate(content, cache) == everything
    text = documents / "kh-huyen-uy-ung-hoa.md"
    text.write_text(text.read_text(encoding="utf-8") + "\nMột đoạn thêm vào cuối toàn văn." * 200 + "\n",
                    encoding="utf-8")
    assert regenerate(content, cache) == everything
    edit(content / "glossary.yml", 'expansion: "Trung ương"', 'expansion: "Ban Chấp hành Trung ương"')
    assert regenerate(content, cache) == everything
    edit(content / "handbook.yml", "title: ", "title: Sửa - ")
    assert regenerate(content, cache) == everything

    # the build date changes the home page's current month, and nothing made from files alone
    assert regenerate(content, cache, date(2026, 2, 4)) == 1


def test_content_errors_keep_the_cache_usable(content: Path):
    from generator.diagnostics import ContentError

    cache = RenderCache()
    regenerate(content, cache)
    month = content / "campaigns" / "ky-nguyen-moi" / "months" / "2025-01.yml"
    good = month.read_text(encoding="utf-8")
    month.write_text(good.replace("title: ", "tieu_de: ", 1), encoding="utf-8")
    with pytest.raises(ContentError):
        generate(load_site(content), TODAY, cache=cache)
    month.write_text(good.replace("title: ", "title: Sửa - ", 1), encoding="utf-8")
    assert regenerate(content, cache) == pages_of(content, "campaigns/ky-nguyen-moi/months/2025-01.yml")
