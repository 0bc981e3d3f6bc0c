"""Reproducible: the same content and SOURCE_DATE_EPOCH give a byte-identical site, PDF handouts and
calendars included, in any directory and on any day. The second build runs from another directory
(with a space in its path), into differently named site and build folders, with the wall clock set by
libfaketime to a day inside the content's campaigns (so that "the current month" would change if it
were taken from the clock): any date, time or path that leaked into the output would show."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from conftest import ROOT

from generator.package import site_manifest

EPOCH = "1770163200"  # 2026-02-04 00:00 UTC
FAKED_DAY = date(2024, 12, 10)  # a day of the ky-nguyen-moi campaign, which has a guide for 12/2024


def copy_project(source: Path, target: Path) -> Path:
    target.mkdir(parents=True)
    for name in ("content", "mkdocs.yml", "overrides"):
        copy = shutil.copytree if (source / name).is_dir() else shutil.copy
        copy(source / name, target / name)
    return target


def faked_clock(env: dict) -> list[str]:
    """The command prefix that sets the wall clock to FAKED_DAY; monotonic clocks are left alone
    (Zensical's runtime waits on them)."""
    faketime = shutil.which("faketime")
    assert faketime, "libfaketime is needed: apt-get install faketime (bash tests/run installs it)"
    env["FAKETIME_DONT_FAKE_MONOTONIC"] = "1"
    return [faketime, "-f", f"@{FAKED_DAY:%Y-%m-%d} 08:00:00"]


def sotay(*args: str, cwd: Path, prefix: list[str] = (), env: dict) -> None:
    result = subprocess.run([*prefix, sys.executable, "-m", "generator", *args], cwd=cwd, env=env,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_same_content_and_epoch_give_the_same_bytes_anywhere_on_any_day(engine: str, tmp_path: Path):
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH)
    later = dict(env)
    prefix = faked_clock(later)
    shifted = subprocess.run([*prefix, sys.executable, "-c", "import datetime; print(datetime.date.today())"],
                             env=later, capture_output=True, text=True, timeout=60)
    assert date.fromisoformat(shifted.stdout.strip()) == FAKED_DAY != date.today()

    # one snapshot of the real content, so that both builds read the same bytes
    snapshot = copy_project(ROOT, tmp_path / "snapshot")
    first = copy_project(snapshot, tmp_path / "a")
    second = copy_project(snapshot, tmp_path / "b" / "thư mục khác" / "du-an")
    pdf = ["--pdf"] if engine == "mkdocs" else []  # the handouts do not depend on the engine
    sotay("build", "--engine", engine, *pdf, cwd=first, env=env)
    sotay("build", "--engine", engine, *pdf, "--site-dir", "../www", "--build-dir", "../tam", cwd=second,
          prefix=prefix, env=later)

    one, other = site_manifest(first / "site"), site_manifest(second.parent / "www")
    differing = sorted({e.path for e in one} ^ {e.path for e in other}
                       | {a.path for a, b in zip(one, other) if a != b})
    assert differing == [], f"the two builds differ in {differing[:20]}"
    suffixes = {Path(e.path).suffix for e in one}
    assert {".html", ".ics", ".json"} <= suffixes
    if engine == "mkdocs":
        assert {".pdf", ".gz"} <= suffixes  # the handouts, and the sitemap gzip with its header's mtime

    # and so do the packages made from them, on different days
    sotay("package", "-o", str(tmp_path / "a.zip"), cwd=first, env=env)
    sotay("package", "--site-dir", "../www", "-o", str(tmp_path / "b.zip"), cwd=second, prefix=prefix, env=later)
    assert (tmp_path / "a.zip").read_bytes() == (tmp_path / "b.zip").read_bytes()
