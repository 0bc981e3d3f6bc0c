"""One folder per bad-content case: its files replace those of the mini project, and
`sotay check` must print exactly expected.txt and exit 1, without a traceback."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import MINI, run_sotay

CASES = Path(__file__).parent / "cases"


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_bad_content_case(case: str, tmp_path: Path, update_golden: bool):
    content = tmp_path / "content"
    shutil.copytree(MINI, content)
    for source in sorted((CASES / case).rglob("*")):
        if source.is_file() and source.name != "expected.txt":
            target = content / source.relative_to(CASES / case)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, target)
    result = run_sotay("check", cwd=tmp_path)
    expected_file = CASES / case / "expected.txt"
    if update_golden:
        expected_file.write_text(result.stderr, encoding="utf-8")
    assert "Traceback" not in result.stderr
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == expected_file.read_text(encoding="utf-8")
