"""Real builds with MkDocs + Material of the mini project and of the real content."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from conftest import ROOT, run_sotay


def main_text(html_file: Path) -> str:
    html = html_file.read_text(encoding="utf-8")
    match = re.search(r"<main\b.*?</main>", html, re.S)
    assert match, f"{html_file} has no <main>"
    return match.group(0)


def tree_digest(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_build_mini_project(project: Path):
    result = run_sotay("build", cwd=project)
    assert result.returncode == 0, result.stderr
    site = project / "site"
    month = main_text(site / "dot-mau" / "thang-2024-12.html")
    assert "Chuyển đổi số trong chi bộ gồm những việc gì?" in month
    assert "Gợi ý bí thư" not in month  # secretary hints never reach the member's page
    assert 'href="dinh-huong/chuyen-doi-so.html"' in month
    orientation = main_text(site / "dot-mau" / "dinh-huong" / "chuyen-doi-so.html")
    assert "Bài viết mẫu về chuyển đổi số" in orientation  # an orientation lists its readings
    readings = main_text(site / "dot-mau" / "tai-lieu.html")
    assert 'href="dinh-huong/chuyen-doi-so.html"' in readings  # a reading lists its orientations
    home = (site / "index.html").read_text(encoding="utf-8")
    assert '<html lang="vi"' in home
    document = main_text(site / "van-ban" / "12-kh-tu.html")
    assert "<abbr title=\"Thành ủy\">TU</abbr>" in document
    assert (project / "build" / "docs" / "index.md").is_file()


def test_failed_build_leaves_previous_site_intact(project: Path):
    assert run_sotay("build", cwd=project).returncode == 0
    before = tree_digest(project / "site")
    campaign = project / "content" / "campaigns" / "dot-mau" / "campaign.yml"
    campaign.write_text(campaign.read_text(encoding="utf-8").replace("title:", "tieu_de:", 1), encoding="utf-8")
    result = run_sotay("build", cwd=project)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "error[unknown-field]" in result.stderr
    assert tree_digest(project / "site") == before


def test_rebuild_rewrites_only_changed_markdown(project: Path):
    assert run_sotay("build", cwd=project).returncode == 0
    docs = project / "build" / "docs"
    stale = docs / "old-page.md"
    stale.write_text("# cũ\n", encoding="utf-8")
    mtimes = {p: p.stat().st_mtime_ns for p in docs.rglob("*.md") if p != stale}
    glossary = project / "content" / "glossary.yml"
    glossary.write_text(glossary.read_text(encoding="utf-8").replace("rõ thời gian", "rõ thời hạn"),
                        encoding="utf-8")
    result = run_sotay("build", cwd=project)
    assert result.returncode == 0, result.stderr
    changed = {p.relative_to(docs).as_posix() for p, m in mtimes.items() if p.stat().st_mtime_ns != m}
    assert changed == {"thuat-ngu.md"}
    assert not stale.exists()


def test_real_content_builds_with_the_seven_orientations(tmp_path: Path):
    result = run_sotay("build", "--site-dir", str(tmp_path / "site"), "--build-dir", str(tmp_path / "build"),
                       cwd=ROOT, timeout=300)
    assert result.returncode == 0, result.stderr
    orientations = sorted((tmp_path / "site" / "ky-nguyen-moi" / "dinh-huong").glob("*.html"))
    titles = [re.search(r"<h1[^>]*>(.*?)</h1>", main_text(p), re.S).group(1) for p in orientations]
    assert sorted(t.split(".")[0] + "." + t.split(".")[1][:1] for t in titles) == [f"3.{i}" for i in range(1, 8)]
