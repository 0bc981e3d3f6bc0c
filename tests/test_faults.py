"""Nothing lost, ever: the real `sotay build` in a subprocess, killed with SIGKILL at several moments,
run on a full disk, into a folder it may not write, and twice at once. Every time, the previous site
is byte-identical (sha256 of every file), the exit code and message say what happened without a
traceback, and the next build succeeds and removes what the broken one left.

A full disk is a file size limit (RLIMIT_FSIZE, SIGXFSZ ignored): writes fail with EFBIG as they would
with ENOSPC, without mounting anything. A read-only folder is chmod; as root, the build runs without
the capabilities that let root write anywhere (dropped from its bounding set), so the test means the
same as root and as a normal user.
"""

from __future__ import annotations

import ctypes
import fcntl
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import run_sotay

from generator.package import site_manifest

EPOCH = "1770163200"
CHANGED_TITLE = "Sổ tay mẫu, bản sửa"
HANG_GUARD = 120  # seconds: only a guard against a hang, never a speed check


def environment() -> dict:
    return dict(os.environ, SOURCE_DATE_EPOCH=EPOCH, PYTHONDONTWRITEBYTECODE="1")


def digest(site: Path) -> dict[str, str]:
    return {entry.path: entry.sha256 for entry in site_manifest(site)}


def leftovers(project: Path) -> list[str]:
    """Everything an interrupted build may leave: temporary sites and half-written Markdown."""
    build = project / "build"
    found = list(project.glob(".site.tmp-*")) + list(build.glob(".site.tmp-*"))
    found += [p for p in (build / "docs").rglob("*") if ".tmp-" in p.name]
    return sorted(str(p.relative_to(project)) for p in found)


def change_content(project: Path, title: str = CHANGED_TITLE) -> None:
    """A change that reaches every page, so that a mixed site could not pass for the old one."""
    handbook = project / "content" / "handbook.yml"
    handbook.write_text(handbook.read_text(encoding="utf-8").replace("title: Sổ tay mẫu", f"title: {title}", 1),
                        encoding="utf-8")


def reference_site(project: Path, tmp_path: Path, name: str) -> dict[str, str]:
    """The site of the project's current content, built elsewhere (the same bytes: see test_reproducible)."""
    result = run_sotay("build", "--site-dir", str(tmp_path / name / "site"), "--build-dir",
                       str(tmp_path / name / "build"), cwd=project, env=environment())
    assert result.returncode == 0, result.stderr
    return digest(tmp_path / name / "site")


@pytest.fixture
def previous(project: Path) -> dict[str, str]:
    """A project with a built site; its content is then changed. Returns the built site's digest."""
    result = run_sotay("build", cwd=project, env=environment())
    assert result.returncode == 0, result.stderr
    change_content(project)
    return digest(project / "site")


def start_build(project: Path, *args: str, preexec_fn=None) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "generator", "build", *args], cwd=project,
                            env=environment(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=preexec_fn)


def engine_pid(process: subprocess.Popen) -> int | None:
    """The running engine (MkDocs), once it has been exec'd: a child whose command line says mkdocs."""
    try:
        children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
        for child in children:
            if b"mkdocs" in Path(f"/proc/{child}/cmdline").read_bytes():
                return int(child)
    except OSError:
        pass
    return None


def lock_held(project: Path) -> bool:
    lock = project / ".site.lock"
    if not lock.exists():
        return False
    with open(lock, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False


def wait_until(condition, process: subprocess.Popen, what: str) -> None:
    """Poll (every millisecond) until condition() holds while the build still runs."""
    deadline = time.monotonic() + HANG_GUARD
    while not condition():
        if process.poll() is not None:
            pytest.fail(f"the build ended (exit {process.returncode}) before {what}:\n{process.stderr.read()}")
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"hang guard: never saw {what}")
        time.sleep(0.001)


def gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return True
    return state in ("Z", "X")  # a zombie has stopped running; only its exit status is left


def docs_changed(project: Path):
    docs = project / "build" / "docs"
    before = {p: p.stat().st_mtime_ns for p in docs.rglob("*.md")}

    def changed() -> bool:
        for path in docs.rglob("*"):
            if ".tmp-" in path.name:
                return True
            try:
                if path.suffix == ".md" and path.stat().st_mtime_ns != before.get(path):
                    return True
            except FileNotFoundError:
                continue
        return False
    return changed


def temporary_site(project: Path, inside: str | None = None):
    def appeared() -> bool:
        return any(inside is None or (tmp / inside).exists() for tmp in project.glob(".site.tmp-*"))
    return appeared


MOMENTS = {
    # the build holds its lock and reads the content; nothing written yet
    "reading content": lambda project, process: lambda: lock_held(project),
    # the generated Markdown is being (or has just been) rewritten in build/docs
    "writing build/docs": lambda project, process: docs_changed(project),
    # MkDocs' process has started (it starts with the build and loads while the pages are generated)
    "engine started": lambda project, process: lambda: engine_pid(process) is not None,
    # the temporary sibling of site/ has just appeared
    "temporary site appeared": lambda project, process: temporary_site(project),
    # MkDocs has written the pages and is writing the search index, its last step
    "engine writing its last files": lambda project, process: temporary_site(project, "search/search_index.json"),
}


@pytest.mark.parametrize("moment", list(MOMENTS))
def test_kill_9_leaves_the_previous_site_and_the_next_build_cleans_up(moment, project, previous, tmp_path):
    process = start_build(project)
    wait_until(MOMENTS[moment](project, process), process, moment)
    engine = engine_pid(process)
    os.kill(process.pid, signal.SIGKILL)
    process.communicate(timeout=HANG_GUARD)
    assert process.returncode == -signal.SIGKILL
    if engine is not None:  # the engine dies with the build instead of writing on as an orphan
        deadline = time.monotonic() + HANG_GUARD
        while not gone(engine) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert gone(engine), f"the engine (pid {engine}) outlived the killed build"
        if moment != "engine writing its last files":  # an orphan would have finished its site
            finished = [t for t in project.glob(".site.tmp-*") if (t / "search" / "search_index.json").exists()]
            assert finished == [], "the engine went on building after the build was killed"
    assert digest(project / "site") == previous, f"killed while {moment}: the previous site changed"
    if moment in ("temporary site appeared", "engine writing its last files"):
        assert leftovers(project), "the kill left nothing to clean up: it came too late to test anything"

    result = run_sotay("build", cwd=project, env=environment())
    assert result.returncode == 0, result.stderr
    assert leftovers(project) == []
    assert digest(project / "site") == reference_site(project, tmp_path, "reference")
    assert CHANGED_TITLE in (project / "site" / "index.html").read_text(encoding="utf-8")


def test_kill_9_right_after_the_engine_leaves_an_old_or_a_new_site_never_a_mix(project, previous, tmp_path):
    new = reference_site(project, tmp_path, "reference")
    process = start_build(project)
    wait_until(lambda: engine_pid(process) is not None, process, "the engine")
    engine = engine_pid(process)
    wait_until(lambda: gone(engine), process, "the engine's end")
    os.kill(process.pid, signal.SIGKILL)
    process.communicate(timeout=HANG_GUARD)
    assert digest(project / "site") in (previous, new)
    result = run_sotay("build", cwd=project, env=environment())
    assert result.returncode == 0, result.stderr
    assert leftovers(project) == [] and digest(project / "site") == new


# ---- a full disk ---------------------------------------------------------------------------------

def file_size_limit(limit: int):
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # so a write past the limit fails with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


@pytest.mark.parametrize("limit, where", [(1024, "build/docs"), (64 * 1024, "engine")])
def test_full_disk_is_an_environment_error_and_keeps_the_previous_site(limit, where, project, previous):
    # 1 KiB: a generated page is larger, so writing build/docs fails in Sổ tay itself; 64 KiB: every
    # page fits, and MkDocs fails copying the theme's scripts into the temporary site
    process = start_build(project, preexec_fn=file_size_limit(limit))
    stdout, stderr = process.communicate(timeout=HANG_GUARD)
    assert process.returncode == 4, stderr
    assert "Traceback" not in stderr and "error[engine]" not in stderr
    assert "error[environment]: File too large" in stderr
    assert "the previous site is unchanged" in stderr and "hint: the disk is full" in stderr
    if where == "engine":
        assert ".site.tmp-" in stderr  # the file MkDocs could not write is named
    assert digest(project / "site") == previous
    half_written = [p for p in (project / "build" / "docs").rglob("*") if ".tmp-" in p.name]
    assert half_written == []

    result = run_sotay("build", cwd=project, env=environment())
    assert result.returncode == 0, result.stderr
    assert leftovers(project) == []
    assert CHANGED_TITLE in (project / "site" / "index.html").read_text(encoding="utf-8")


# ---- a folder the build may not write --------------------------------------------------------------

CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER = 1, 2, 3
PR_CAPBSET_DROP = 24


def without_root_powers() -> None:
    """As root: drop the capabilities that bypass file permissions, for this process and what it
    runs (the bounding set survives exec). As a normal user there is nothing to drop."""
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER):
        if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            os.setuid(65534)  # no CAP_SETPCAP: an unprivileged uid instead (files must be readable)
            return


def set_writable(paths: list[Path], writable: bool) -> None:
    for path in paths:
        mode = path.stat().st_mode
        path.chmod(mode | 0o200 if writable else mode & ~0o222)


@pytest.mark.parametrize("read_only", ["folder holding the site", "the site itself"])
def test_read_only_output_is_an_environment_error_and_keeps_the_previous_site(read_only, project, previous):
    site = project / "site"
    targets = [project] if read_only == "folder holding the site" else [site, *(p for p in site.rglob("*") if p.is_dir())]
    set_writable(targets, False)
    try:
        process = start_build(project, preexec_fn=without_root_powers)
        stdout, stderr = process.communicate(timeout=HANG_GUARD)
    finally:
        set_writable(targets, True)
    assert process.returncode == 4, stderr
    assert "Traceback" not in stderr
    assert "error[environment]: cannot" in stderr and "hint: no permission to write there" in stderr
    assert digest(site) == previous

    result = run_sotay("build", cwd=project, env=environment())
    assert result.returncode == 0, result.stderr
    assert leftovers(project) == []


# ---- two builds at once ------------------------------------------------------------------------------

def test_two_builds_started_together_one_builds_the_other_stops(project, previous, tmp_path):
    # two versions of the content, each built with --pdf so that each build holds its lock for seconds
    other = project / "content-b"
    run_copy = subprocess.run(["cp", "-r", str(project / "content"), str(other)], capture_output=True)
    assert run_copy.returncode == 0
    handbook = other / "handbook.yml"
    handbook.write_text(handbook.read_text(encoding="utf-8").replace(CHANGED_TITLE, "Sổ tay mẫu, bản B"),
                        encoding="utf-8")
    a = subprocess.Popen([sys.executable, "-m", "generator", "build", "--pdf"], cwd=project, env=environment(),
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    b = subprocess.Popen([sys.executable, "-m", "generator", "--content", "content-b", "build", "--pdf"],
                         cwd=project, env=environment(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    outputs = [p.communicate(timeout=HANG_GUARD * 3) for p in (a, b)]
    codes = [a.returncode, b.returncode]
    assert sorted(codes) == [0, 5], outputs
    loser = outputs[codes.index(5)][1]
    assert "another build of this site is running" in loser and "Traceback" not in loser
    winner = ("content", "Sổ tay mẫu, bản sửa") if codes[0] == 0 else ("content-b", "Sổ tay mẫu, bản B")
    expected = run_sotay("--content", winner[0], "build", "--pdf", "--site-dir", str(tmp_path / "ref" / "site"),
                         "--build-dir", str(tmp_path / "ref" / "build"), cwd=project, env=environment(), timeout=300)
    assert expected.returncode == 0, expected.stderr
    assert digest(project / "site") == digest(tmp_path / "ref" / "site")  # complete, one version only
    assert leftovers(project) == []


def test_a_build_started_during_another_stops_and_touches_nothing(project, previous, tmp_path):
    first = start_build(project)
    # the engine's process starts with the build; it is building once the temporary site appears,
    # and it is paused there so that the second build surely starts during the first
    wait_until(temporary_site(project), first, "the first build's engine at work")
    engine = engine_pid(first)
    assert engine is not None
    os.kill(engine, signal.SIGSTOP)
    try:
        docs = {p: p.read_bytes() for p in (project / "build" / "docs").rglob("*") if p.is_file()}
        change_content(project, "Sổ tay mẫu, bản thứ ba")
        second = run_sotay("build", cwd=project, env=environment())
    finally:
        os.kill(engine, signal.SIGCONT)
    assert second.returncode == 5
    assert "another build of this site is running" in second.stderr and "Traceback" not in second.stderr
    assert {p: p.read_bytes() for p in (project / "build" / "docs").rglob("*") if p.is_file()} == docs
    first.communicate(timeout=HANG_GUARD)
    assert first.returncode == 0
    assert CHANGED_TITLE in (project / "site" / "index.html").read_text(encoding="utf-8")
    assert leftovers(project) == []


# ---- a power cut ---------------------------------------------------------------------------------

def test_the_new_site_is_on_disk_before_it_replaces_the_old_one(project, previous, tmp_path):
    """No power cut here: the system calls of a real build, traced with strace, in order. The file
    system is flushed (syncfs) before the new site is swapped in, and again, with the folder that
    holds both, before the old site is removed: at any moment one whole site is on the disk."""
    trace = tmp_path / "trace.txt"
    result = subprocess.run(["strace", "-f", "-qq", "-o", str(trace), "-e", "trace=syncfs,fsync,renameat2,rename,unlink,unlinkat,rmdir",
                             sys.executable, "-m", "generator", "build"], cwd=project, env=environment(),
                            capture_output=True, text=True, timeout=HANG_GUARD)
    assert result.returncode == 0, result.stderr
    calls = [line.split(None, 1)[1] for line in trace.read_text().splitlines() if " " in line]
    site = str(project / "site")
    swap = next(i for i, call in enumerate(calls) if call.startswith("renameat2(") and f'"{site}"' in call)
    assert any(call.startswith("syncfs(") for call in calls[:swap]), calls[max(0, swap - 5):swap + 1]
    # then shutil.rmtree takes the previous site, now at the temporary path, apart
    old_site_removed = next(i for i, call in enumerate(calls) if i > swap and call.startswith(("unlink", "rmdir")))
    assert any(call.startswith(("syncfs(", "fsync(")) for call in calls[swap + 1:old_site_removed])
    assert CHANGED_TITLE in (project / "site" / "index.html").read_text(encoding="utf-8")
