"""Run the site engine (MkDocs + Material, or Zensical) on the generated Markdown, safely.

The engine builds into a temporary sibling of the site directory; only a complete build is swapped
in, in one atomic step where the kernel allows it. A lock file stops a second build from running at
the same time, and leftovers of an interrupted build are cleaned up by the next one. So a failed,
killed or concurrent build never leaves the previous site damaged.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import fcntl
import os
import shutil
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import yaml

from .plan import NavItem

ENGINES = ("mkdocs", "zensical")


class EngineError(Exception):
    """The engine failed on generated Markdown: a bug in Sổ tay or in the theme configuration."""


class BuildLocked(Exception):
    """Another build holds the lock on this site directory."""


def compose_config(base_config: Path, docs_dir: Path, site_dir: Path, site_name: str,
                   nav: tuple[NavItem, ...], config_dir: Path, strict: bool = True) -> str:
    """The engine's configuration: the project's mkdocs.yml plus the generated nav and paths.
    Paths are relative to config_dir, where the configuration is written (Zensical wants that)."""
    config = yaml.safe_load(base_config.read_text(encoding="utf-8")) or {}
    root = base_config.parent.resolve()

    def relative(path: Path) -> str:
        return os.path.relpath(path.resolve(), config_dir.resolve())

    config["site_name"] = site_name
    config["strict"] = strict
    config["docs_dir"] = relative(docs_dir)
    config["site_dir"] = relative(site_dir)
    theme = config.setdefault("theme", {})
    if "custom_dir" in theme:
        theme["custom_dir"] = relative(root / theme["custom_dir"])
    config["nav"] = [_nav_entry(item) for item in nav]
    return yaml.safe_dump(config, allow_unicode=True, sort_keys=False, width=1000)


def _nav_entry(item: NavItem) -> dict:
    if item.path is not None:
        return {item.title: item.path}
    return {item.title: [_nav_entry(child) for child in item.children]}


@contextmanager
def build_lock(site_dir: Path):
    """Hold an exclusive lock for building into site_dir; raise BuildLocked if it is taken."""
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    lock_path = site_dir.parent / f".{site_dir.name}.lock"
    with open(lock_path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildLocked(str(lock_path)) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def clean_leftovers(site_dir: Path) -> list[Path]:
    """Remove temporary directories of earlier interrupted builds (call while holding the lock)."""
    removed = []
    for path in site_dir.parent.glob(f".{site_dir.name}.tmp-*"):
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    return removed


def engine_environment() -> dict[str, str]:
    # the engine's end-of-life banner is for humans at a terminal, not for every build log
    return dict(os.environ, PYTHONWARNINGS="ignore", NO_MKDOCS_2_WARNING="1")


def run_engine(engine: str, config_file: Path) -> None:
    if engine == "mkdocs":
        command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-f", str(config_file)]
    elif engine == "zensical":
        command = [sys.executable, "-m", "zensical", "build", "--clean", "-f", str(config_file)]
    else:  # pragma: no cover - the CLI restricts the choice
        raise ValueError(engine)
    env = engine_environment()
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        output = (result.stdout + result.stderr).strip()
        raise EngineError(f"{engine} failed (exit {result.returncode}):\n{output}")


def swap_in(new_dir: Path, site_dir: Path) -> None:
    """Put new_dir where site_dir is. Atomic exchange on Linux; else two renames."""
    if site_dir.exists() and not site_dir.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, "the site path exists and is not a directory", str(site_dir))
    if site_dir.is_dir() and _exchange(new_dir, site_dir):
        shutil.rmtree(new_dir)  # now holds the previous site
        return
    if site_dir.is_dir():
        old = site_dir.parent / f".{site_dir.name}.tmp-old-{os.getpid()}"
        os.rename(site_dir, old)
        os.rename(new_dir, site_dir)
        shutil.rmtree(old)
    else:
        os.rename(new_dir, site_dir)


def _exchange(a: Path, b: Path) -> bool:
    """renameat2(RENAME_EXCHANGE): swap two directories in one step. False where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(str(a)), at_fdcwd, os.fsencode(str(b)), rename_exchange)
    if result == 0:
        return True
    if ctypes.get_errno() in (errno.EINVAL, errno.ENOSYS, errno.EXDEV):
        return False
    raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()), str(b))


def build_site(engine: str, base_config: Path, docs_dir: Path, site_dir: Path, site_name: str,
               nav: tuple[NavItem, ...], config_file: Path) -> None:
    """Build docs_dir into site_dir with the engine, leaving the old site intact on any failure."""
    site_dir = site_dir.resolve()
    with build_lock(site_dir):
        clean_leftovers(site_dir)
        temporary = site_dir.parent / f".{site_dir.name}.tmp-{os.getpid()}"
        # Zensical insists that the output lies inside the directory of its configuration file
        output = temporary if engine == "mkdocs" else config_file.parent / f".site.tmp-{os.getpid()}"
        config_file.parent.mkdir(parents=True, exist_ok=True)
        config_file.write_text(compose_config(base_config, docs_dir, output, site_name, nav, config_file.parent),
                               encoding="utf-8")
        try:
            run_engine(engine, config_file)
            if not (output / "index.html").is_file():
                raise EngineError(f"{engine} finished but wrote no index.html")
            if output != temporary:
                shutil.move(output, temporary)
            swap_in(temporary, site_dir)
        finally:
            for leftover in {output, temporary}:
                if leftover.exists():
                    shutil.rmtree(leftover, ignore_errors=True)
