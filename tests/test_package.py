"""`sotay package`: a zip of the built site that hosts can verify with sha256sum, the same bytes for
the same site, and a Vietnamese note for whoever hosts it."""

from __future__ import annotations

import json
import os
import resource
import signal
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import run_sotay

from generator.package import site_manifest

EPOCH = 1770163200  # 2026-02-04 00:00 UTC


def built(project: Path, site: str = "site", epoch: int | None = EPOCH) -> dict:
    env = dict(os.environ)
    env.pop("SOURCE_DATE_EPOCH", None)
    if epoch is not None:
        env["SOURCE_DATE_EPOCH"] = str(epoch)
    result = run_sotay("build", "--site-dir", site, cwd=project, env=env)
    assert result.returncode == 0, result.stderr
    return env


def test_package_verifies_with_sha256sum_and_lists_every_file(project: Path, tmp_path: Path):
    env = built(project)
    result = run_sotay("package", cwd=project, env=env)
    assert result.returncode == 0, result.stderr
    archive = project / "dist" / "so-tay-2026-02-04.zip"  # the date of SOURCE_DATE_EPOCH
    assert archive.is_file(), result.stdout
    unpacked = tmp_path / "unpacked"
    with zipfile.ZipFile(archive) as handle:
        infos = handle.infolist()
        handle.extractall(unpacked)
    names = [info.filename for info in infos]
    assert names == sorted(names)
    assert {"SHA256SUMS", "manifest.json", "HUONG-DAN-TRIEN-KHAI.txt", "so-tay/index.html"} <= set(names)
    for info in infos:  # one timestamp, one permission: nothing of the machine or the moment
        assert info.date_time == (2026, 2, 4, 0, 0, 0)
        assert stat.S_IMODE(info.external_attr >> 16) == 0o644 and info.create_system == 3

    check = subprocess.run(["sha256sum", "--strict", "-c", "SHA256SUMS"], cwd=unpacked,
                           capture_output=True, text=True, timeout=60)
    assert check.returncode == 0, check.stdout + check.stderr
    site_files = {e.path for e in site_manifest(project / "site")}
    checked = {line.rsplit(": ", 1)[0] for line in check.stdout.splitlines() if line.endswith(": OK")}
    assert checked == {f"so-tay/{path}" for path in site_files} | {"HUONG-DAN-TRIEN-KHAI.txt"}

    manifest = json.loads((unpacked / "manifest.json").read_text(encoding="utf-8"))
    listed = {entry["path"]: entry for entry in manifest["entries"]}
    for entry in site_manifest(project / "site"):
        assert listed[f"so-tay/{entry.path}"] == {"path": f"so-tay/{entry.path}", "size": entry.size,
                                                 "sha256": entry.sha256}
    assert manifest["files"] == len(listed) and manifest["bytes"] == sum(e["size"] for e in listed.values())

    # a damaged copy is caught
    (unpacked / "so-tay" / "index.html").write_text("<html>hỏng</html>", encoding="utf-8")
    damaged = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=unpacked, capture_output=True, text=True,
                             timeout=60)
    assert damaged.returncode == 1 and "so-tay/index.html: FAILED" in damaged.stdout


def test_note_tells_hosts_how_to_serve_open_and_verify(project: Path):
    env = built(project)
    assert run_sotay("package", "-o", "goi.zip", cwd=project, env=env).returncode == 0
    with zipfile.ZipFile(project / "goi.zip") as handle:
        raw = handle.read("HUONG-DAN-TRIEN-KHAI.txt")
    assert raw.startswith("\ufeff".encode("utf-8")) and b"\r\n" in raw  # Notepad on old Windows
    note = " ".join(raw.decode("utf-8-sig").split())
    for needed in ("index.html", "bấm đúp", "thư mục web của máy chủ", "/so-tay/", "sha256sum -c SHA256SUMS",
                   "Get-FileHash", "nginx, Apache và IIS", "không tải gì từ Internet"):
        assert needed in note, needed
    files = len(site_manifest(project / "site"))
    assert f"({files} tệp," in note


def test_same_site_gives_byte_identical_zip(project: Path):
    env = built(project)
    assert run_sotay("package", "-o", "a.zip", cwd=project, env=env).returncode == 0
    # the same content built again elsewhere: other files, other modification times, same bytes
    built(project, site="elsewhere/www")
    for path in (project / "elsewhere" / "www").rglob("*"):
        os.utime(path, (1, 1))
    assert run_sotay("package", "--site-dir", "elsewhere/www", "-o", "out/b.zip", cwd=project,
                     env=env).returncode == 0
    assert (project / "a.zip").read_bytes() == (project / "out" / "b.zip").read_bytes()


def test_without_source_date_epoch_the_zip_still_does_not_depend_on_the_moment(project: Path):
    env = built(project, epoch=None)
    assert run_sotay("package", "-o", "a.zip", cwd=project, env=env).returncode == 0
    os.utime(project / "site" / "index.html", (2_000_000_000, 2_000_000_000))
    assert run_sotay("package", "-o", "b.zip", cwd=project, env=env).returncode == 0
    assert (project / "a.zip").read_bytes() == (project / "b.zip").read_bytes()
    with zipfile.ZipFile(project / "a.zip") as handle:
        assert {info.date_time for info in handle.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_package_without_a_built_site_is_a_clear_usage_error(project: Path):
    result = run_sotay("package", "-o", "goi.zip", cwd=project)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "run 'sotay build' first" in result.stderr
    assert not (project / "goi.zip").exists()
    assert not list(project.glob(".goi.zip.tmp-*"))


def test_package_on_a_full_disk_is_an_environment_error_and_leaves_no_half_zip(project: Path):
    env = built(project)

    def small_files() -> None:  # writes past 64 KiB fail with EFBIG, as on a full disk
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (65536, 65536))

    result = subprocess.run([sys.executable, "-m", "generator", "package", "-o", "goi.zip"], cwd=project, env=env,
                            capture_output=True, text=True, timeout=120, preexec_fn=small_files)
    assert result.returncode == 4, result.stderr
    assert "Traceback" not in result.stderr and "error[environment]: File too large" in result.stderr
    assert not (project / "goi.zip").exists() and not list(project.glob(".goi.zip.tmp-*"))


def test_package_stops_while_a_build_runs(project: Path):
    from generator.engine import build_lock

    env = built(project)
    with build_lock(project / "site"):  # as a running build holds it
        result = run_sotay("package", "-o", "goi.zip", cwd=project, env=env)
    assert result.returncode == 5 and "another build of this site is running" in result.stderr
    assert not (project / "goi.zip").exists()
