"""Shared fixtures: scratch content projects, running the real CLI, golden-file switch."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", help="rewrite golden files from current output")


@pytest.fixture
def update_golden(request) -> bool:
    return request.config.getoption("--update-golden")


def run_sotay(*args: str, cwd: Path, env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run the real command line as an author would, in cwd."""
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=timeout, env=env,
                          )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A scratch project: the mini fixture copied to tmp/content, with the repo's mkdocs.yml and overrides."""
    shutil.copytree(MINI, tmp_path / "content")
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copytree(ROOT / "overrides", tmp_path / "overrides")
    return tmp_path


def pytest_configure(config):
    # the package must be importable by the subprocesses run from scratch directories
    import os
    os.environ["PYTHONPATH"] = str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")


# 2026-02-04 00:00 UTC: the build time of the real site the print, PDF and calendar tests share
HANDOUT_EPOCH = 1770163200


@pytest.fixture(scope="session")
def real_site(tmp_path_factory) -> Path:
    """The real content built once per session, without PDF handouts (a few seconds), for the tests
    that only read the site."""
    root = tmp_path_factory.mktemp("real-content")
    result = run_sotay("build", "--site-dir", str(root / "site"), "--build-dir", str(root / "build"),
                       cwd=ROOT, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "site"


@pytest.fixture(scope="session")
def handout_build(tmp_path_factory) -> dict:
    """The real content built once per session with `--pdf` at a fixed SOURCE_DATE_EPOCH:
    {"site": site dir, "build": build dir, "epoch": the epoch, "stdout": the build's report}."""
    import os

    root = tmp_path_factory.mktemp("handouts")
    env = dict(os.environ, SOURCE_DATE_EPOCH=str(HANDOUT_EPOCH))
    result = run_sotay("build", "--pdf", "--site-dir", str(root / "site"), "--build-dir", str(root / "build"),
                       cwd=ROOT, env=env, timeout=600)
    assert result.returncode == 0, result.stderr
    return {"site": root / "site", "build": root / "build", "epoch": HANDOUT_EPOCH, "stdout": result.stdout}
