"""Schema and cross-file checks on tiny inline projects: codes and positions, and the linked model."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import MINI, ROOT, run_sotay

from generator import slugs
from generator.checks import check_site
from generator.content import load_content
from generator.diagnostics import ContentError
from generator.jsonschema import content_schemas


def problems_of(content: Path) -> list[tuple[str, str, int, int]]:
    with pytest.raises(ContentError) as caught:
        check_site(load_content(content))
    return [(d.code, Path(d.path).name, d.span.line if d.span else 0, d.span.column if d.span else 0)
            for d in caught.value.diagnostics]


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    shutil.copytree(MINI, tmp_path / "content")
    return tmp_path / "content"


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_linked_model_resolves_both_directions(mini: Path):
    site = check_site(load_content(mini))
    (book,) = site.campaigns
    assert [t.number for t in book.orientations] == ["3.1", "3.2"]
    assert [r.id for r in book.readings_by_topic["chuyen-doi-so"]] == ["ke-hoach-12", "bai-viet-mau"]
    assert [m.month for m in book.months_by_topic["chong-lang-phi"]] == ["2024-12"]
    assert site.implemented_by == {"12-kh-tu": ("5-cv-tu",)}
    assert site.campaigns_by_document["12-kh-tu"] == ("dot-mau",)


def test_scalars_are_parsed_by_the_schema(mini: Path):
    site = check_site(load_content(mini))
    reading = site.campaigns[0].reading("bai-viet-mau")
    assert reading.minutes == 15 and reading.level.value == "tham-khao" and reading.kind.label == "Bài viết"
    assert str(site.documents["5-cv-tu"].meta.date) == "2024-12-03"
    assert str(site.documents["12-kh-tu"].meta.date) == "2024-12-01"


def test_all_problems_of_all_files_at_once(mini: Path):
    write(mini / "handbook.yml", "title: T\norganisation: O\ndescription: D\nextra: x\n")
    write(mini / "glossary.yml", "terms:\n  - term: TU\n    kind: viết tắc\n    expansion: Thành ủy\n")
    write(mini / "documents" / "bad name.yml", "kind: cong-van\n")
    assert problems_of(mini) == [
        ("invalid-file-name", "bad name.yml", 0, 0),
        ("invalid-value", "glossary.yml", 3, 11),
        ("unknown-field", "handbook.yml", 4, 1),
    ]


def test_campaign_dates_and_period(mini: Path):
    campaign = mini / "campaigns" / "dot-mau" / "campaign.yml"
    text = campaign.read_text(encoding="utf-8")
    write(campaign, text.replace("end: 28/02/2025", "end: 30/11/2024").replace("- date: 16/12/2024", "- date: 2024-11-16"))
    found = problems_of(mini)
    assert ("invalid-value", "campaign.yml", 5, 8) in found  # ends before it starts
    assert ("date-out-of-range", "campaign.yml", 13, 11) in found


def test_month_file_names_and_unknown_files(mini: Path):
    shutil.copy(mini / "campaigns" / "dot-mau" / "months" / "2024-12.yml", mini / "campaigns" / "dot-mau" / "months" / "12-2024.yml")
    write(mini / "campaigns" / "dot-mau" / "notes.txt", "ghi chú")
    write(mini / "campaigns" / "ngoai-le" / "themes.yml", "themes: []\n")
    assert problems_of(mini) == [
        ("invalid-file-name", "12-2024.yml", 0, 0),
        ("unknown-file", "notes.txt", 0, 0),
        ("missing-file", "campaign.yml", 0, 0),
    ]


def test_quote_compare_ignores_emphasis_and_line_breaks(mini: Path):
    orientations = mini / "campaigns" / "dot-mau" / "orientations.yml"
    text = orientations.read_text(encoding="utf-8")
    write(orientations, text.replace('quotes: ["Về chuyển đổi số: đẩy mạnh chuyển đổi số trong chi bộ."]',
                                     'quotes:\n          - |\n            Về chuyển đổi số: đẩy mạnh\n            chuyển đổi số trong chi bộ.'))
    check_site(load_content(mini))  # the full text has *đợt sinh hoạt* and the quote has line breaks


def test_slugs():
    assert slugs.slugify("Đảng bộ phường") == "dang-bo-phuong"
    assert slugs.slugify("Kế hoạch 284-KH/TU") == "ke-hoach-284-kh-tu"
    assert slugs.slugify("Tinh - Gọn - Mạnh") == "tinh-gon-manh"
    assert slugs.slugify("ĐỔI MỚI  phương thức") == "doi-moi-phuong-thuc"
    assert slugs.slugify("Hoà") == slugs.slugify("Hòa") == "hoa"
    assert slugs.slugify("!!!").startswith("muc-") and slugs.slugify("") != ""
    assert slugs.link("a/b/c.md", "van-ban/x.md") == "../../van-ban/x.md"
    assert slugs.link("index.md", "a/b.md", "k") == "a/b.md#k"


def test_new_campaign_skeleton_passes_check(tmp_path: Path):
    shutil.copytree(MINI, tmp_path / "content")
    result = run_sotay("new", "campaign", "dot-moi", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert run_sotay("check", cwd=tmp_path).returncode == 0
    again = run_sotay("new", "campaign", "dot-moi", cwd=tmp_path)
    assert again.returncode == 1 and "error[duplicate-id]" in again.stderr and "Traceback" not in again.stderr
    bad = run_sotay("new", "campaign", "Đợt Mới", cwd=tmp_path)
    assert bad.returncode == 1 and "'dot-moi'" in bad.stderr


def test_committed_json_schemas_are_current():
    committed = ROOT / "content" / ".schema"
    assert {p.name: p.read_text(encoding="utf-8") for p in committed.glob("*.json")} == content_schemas()
    month = json.loads(content_schemas()["month.schema.json"])
    assert month["additionalProperties"] is False
    assert "hieu" in month["$defs"]["QuestionLevel"]["enum"] and "Nắm vững nội dung" in month["$defs"]["QuestionLevel"]["enum"]


def test_readme_lists_every_error_code():
    from generator.diagnostics import CODES

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [code for code in CODES if f"`{code}`" not in readme]
    assert missing == []
