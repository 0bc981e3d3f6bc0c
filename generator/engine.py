"""Run the site engine (MkDocs + Material, or Zensical) on the generated Markdown, safely.

The engine builds into a temporary sibling of the site directory; only a complete build is swapped
in, in one atomic step where the kernel allows it. A lock file stops a second build from running at
the same time, and leftovers of an interrupted build are cleaned up by the next one. So a failed,
killed or concurrent build never leaves the previous site damaged.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import functools
import json
import os
import re
import shutil
import signal
import subprocess
import sys
from contextlib import ExitStack, contextmanager
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

    config["site_name"] = html_text(site_name)
    config["strict"] = strict
    config["docs_dir"] = relative(docs_dir)
    config["site_dir"] = relative(site_dir)
    theme = config.setdefault("theme", {})
    if "custom_dir" in theme:
        theme["custom_dir"] = relative(root / theme["custom_dir"])
    config["nav"] = [_nav_entry(item) for item in nav]
    return yaml.safe_dump(config, allow_unicode=True, sort_keys=False, width=1000)


def html_text(text: str) -> str:
    """Plain text as the engines want titles: HTML. MkDocs, Material and Zensical print site_name and
    nav titles unescaped (in the navigation, the header, the search index), so text from YAML is
    escaped here. '&' is escaped only where it would begin a character reference: the few places
    where the themes do escape (the logo's title, the footer's aria-label) then still read "R & D"."""
    text = re.sub(r"&(?=[#A-Za-z0-9])", "&amp;", text)
    return text.replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _nav_entry(item: NavItem) -> dict:
    if item.path is not None:
        return {html_text(item.title): item.path}
    return {html_text(item.title): [_nav_entry(child) for child in item.children]}


@contextmanager
def build_lock(site_dir: Path, build_dir: Path | None = None):
    """Hold exclusive locks on the site directory (a lock file beside it, since the directory itself
    is swapped) and on the build directory (a lock file inside it) for a whole build; raise
    BuildLocked if another build holds either. The kernel drops a lock when its holder dies, even by
    kill -9, so a lock file left behind is harmless."""
    paths = [site_dir.resolve().parent / f".{site_dir.resolve().name}.lock"]
    if build_dir is not None:
        paths.append(build_dir.resolve() / ".sotay.lock")
    with ExitStack() as stack:
        for lock_path in paths:
            lock_path.parent.mkdir(parents=True, exist_ok=True)
            handle = stack.enter_context(open(lock_path, "a+"))
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise BuildLocked(str(lock_path)) from None
        yield


def clean_leftovers(site_dir: Path, build_dir: Path | None = None) -> list[Path]:
    """Remove what interrupted builds left (call while holding the locks): temporary sites beside
    site_dir and, for Zensical, inside build_dir. If a build was killed between the two renames of
    the fallback swap, the previous site is put back first."""
    site_dir = site_dir.resolve()
    old_copies = sorted(site_dir.parent.glob(f".{site_dir.name}.tmp-old-*"))
    if old_copies and not site_dir.exists():
        os.rename(old_copies[-1], site_dir)
    leftovers = list(site_dir.parent.glob(f".{site_dir.name}.tmp-*"))
    if build_dir is not None:
        leftovers += build_dir.resolve().glob(".site.tmp-*")
    for path in leftovers:
        shutil.rmtree(path, ignore_errors=True)
    return leftovers


def check_replaceable(site_dir: Path) -> None:
    """Fail before building, not after, when the new site could not be put in place or the previous
    one removed: the folder holding the site and every folder in the site must be writable (root
    may write anywhere, and os.access knows that)."""
    if not os.access(site_dir.parent, os.W_OK | os.X_OK):
        raise PermissionError(errno.EACCES, "cannot write the folder that holds the site", str(site_dir.parent))
    if not site_dir.is_dir():
        return
    for folder, _dirs, _files in os.walk(site_dir):
        if not os.access(folder, os.W_OK | os.X_OK):
            raise PermissionError(errno.EACCES, "cannot replace the previous site: no permission to change",
                                  folder)


def engine_environment() -> dict[str, str]:
    # the engine's end-of-life banner is for humans at a terminal, not for every build log
    return dict(os.environ, PYTHONWARNINGS="ignore", NO_MKDOCS_2_WARNING="1")


def _mkdocs_arguments(config_file: Path) -> list[str]:
    # not --quiet: MkDocs counts warnings for --strict only when it logs them, so a quiet strict
    # build passes a broken link (the output is captured and shown only when the build fails)
    return ["build", "--strict", "-f", str(config_file)]


def engine_command(engine: str, config_file: Path) -> list[str]:
    if engine == "mkdocs":
        return [sys.executable, "-m", "mkdocs", *_mkdocs_arguments(config_file)]
    if engine == "zensical":
        return [sys.executable, "-m", "zensical", "build", "--clean", "-f", str(config_file)]
    raise ValueError(engine)  # pragma: no cover - the CLI restricts the choice


# MkDocs started before the pages are written: Python, MkDocs, Material and Python-Markdown load
# (0.1-0.2 s) on the other core while the generator runs, then the process waits for its command
# line. An import that fails here is only tried again by MkDocs itself.
_WAITING_MKDOCS = """
import json, sys
try:
    import mkdocs.commands.build, material.plugins.search.plugin, material.plugins.offline.plugin
    import markdown.extensions.attr_list, markdown.extensions.tables, markdown.extensions.toc
except ImportError:
    pass
from mkdocs.__main__ import cli
line = sys.stdin.readline()
if line:
    sys.argv = json.loads(line)
    cli()
"""


@contextmanager
def started_engine(engine: str):
    """The engine's process, started now to load while the pages are generated (MkDocs only; None
    for Zensical), and ended if the build stops before it is given its work."""
    if engine != "mkdocs":
        yield None
        return
    process = subprocess.Popen([sys.executable, "-c", _WAITING_MKDOCS], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=engine_environment(), preexec_fn=_die_with_parent(os.getpid()))
    try:
        yield process
    finally:
        if process.returncode is None:
            process.kill()
            process.communicate()


def run_engine(engine: str, config_file: Path, started: subprocess.Popen | None = None) -> None:
    """Run the engine on config_file: in the process started_engine() made, or in a new one."""
    command = engine_command(engine, config_file)
    if started is not None:
        stdout, stderr = started.communicate(json.dumps(["mkdocs", *_mkdocs_arguments(config_file)]) + "\n")
        result = subprocess.CompletedProcess(command, started.returncode, stdout, stderr)
    else:
        result = subprocess.run(command, capture_output=True, text=True, env=engine_environment(),
                                preexec_fn=_die_with_parent(os.getpid()))
    if result.returncode != 0:
        output = (result.stdout + result.stderr).strip()
        environment = environment_error(output)
        if environment is not None:
            raise environment
        raise EngineError(f"{engine} failed (exit {result.returncode}):\n{output}")


# The errors that are the machine's, not Sổ tay's: a full disk, a size limit, no permission.
ENVIRONMENT_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EACCES, errno.EPERM, errno.EIO}
_PYTHON_OS_ERROR = re.compile(r"^\w*Error: \[Errno (\d+)\] [^\n]*?(?:: '([^'\n]*)'(?: -> '([^'\n]*)')?)?$", re.M)
_RUST_OS_ERROR = re.compile(r"\(os error (\d+)\)")


def environment_error(output: str) -> OSError | None:
    """The environment error that ended an engine run, read from its last words: a Python
    traceback's final 'OSError: [Errno 28] ...: 'path'' (MkDocs) or Rust's '(os error 28)' (Zensical)."""
    found = [(int(m.group(1)), m.group(3) or m.group(2)) for m in _PYTHON_OS_ERROR.finditer(output)]
    found += [(int(m.group(1)), None) for m in _RUST_OS_ERROR.finditer(output)]
    found = [(number, where) for number, where in found if number in ENVIRONMENT_ERRNOS]
    if not found:
        return None
    number, where = found[-1]
    return OSError(number, os.strerror(number), where)


def _die_with_parent(parent: int):
    """Ask the kernel to kill the engine when Sổ tay dies (even by kill -9), so that no orphan goes
    on writing a temporary site that the next build is cleaning up. Linux only; elsewhere a no-op."""
    libc = _libc() if sys.platform.startswith("linux") else None  # looked up before the fork

    def set_death_signal() -> None:
        if libc is not None:
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
            if os.getppid() != parent:  # Sổ tay died before the request took effect
                os._exit(1)
    return set_death_signal


@functools.cache
def _libc() -> ctypes.CDLL:
    # the C library already loaded into this process: no search (find_library runs ldconfig)
    return ctypes.CDLL(None, use_errno=True)


def swap_in(new_dir: Path, site_dir: Path) -> None:
    """Put new_dir where site_dir is. Atomic exchange on Linux; else two renames. The new site is
    on disk before it replaces the old one, and the swap before the old one is removed: a power
    cut at any moment leaves one whole site, old or new."""
    if site_dir.exists() and not site_dir.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, "the site path exists and is not a directory", str(site_dir))
    flush_to_disk(new_dir)
    if site_dir.is_dir() and _exchange(new_dir, site_dir):
        flush_to_disk(site_dir.parent)
        # new_dir now holds the previous site; what cannot be removed now, the next build removes
        shutil.rmtree(new_dir, ignore_errors=True)
        return
    if site_dir.is_dir():
        old = site_dir.parent / f".{site_dir.name}.tmp-old-{os.getpid()}"
        os.rename(site_dir, old)
        os.rename(new_dir, site_dir)
        flush_to_disk(site_dir.parent)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.rename(new_dir, site_dir)
        flush_to_disk(site_dir.parent)


def flush_to_disk(folder: Path) -> None:
    """Write what the system still holds in memory for folder's file system to the disk: one
    syncfs() on Linux (0.04 s after a 47 MB site here), sync() elsewhere; then the folder itself."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        syncfs = getattr(_libc(), "syncfs", None) if sys.platform.startswith("linux") else None
        if syncfs is None or syncfs(descriptor) != 0:
            os.sync()
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _exchange(a: Path, b: Path) -> bool:
    """renameat2(RENAME_EXCHANGE): swap two directories in one step. False where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    renameat2 = getattr(_libc(), "renameat2", None)
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
               nav: tuple[NavItem, ...], config_file: Path, started: subprocess.Popen | None = None) -> None:
    """Build docs_dir into site_dir with the engine, leaving the old site intact on any failure.
    The caller holds build_lock(site_dir, build_dir) for the whole build."""
    site_dir = site_dir.resolve()
    clean_leftovers(site_dir, config_file.parent)
    check_replaceable(site_dir)
    temporary = site_dir.parent / f".{site_dir.name}.tmp-{os.getpid()}"
    # Zensical insists that the output lies inside the directory of its configuration file
    output = temporary if engine == "mkdocs" else config_file.parent / f".site.tmp-{os.getpid()}"
    config_file.parent.mkdir(parents=True, exist_ok=True)
    config_file.write_text(compose_config(base_config, docs_dir, output, site_name, nav, config_file.parent),
                           encoding="utf-8")
    try:
        run_engine(engine, config_file, started)
        if not (output / "index.html").is_file():
            raise EngineError(f"{engine} finished but wrote no index.html")
        if output != temporary:
            shutil.move(output, temporary)
        swap_in(temporary, site_dir)
    finally:
        for leftover in {output, temporary}:
            if leftover.exists():
                shutil.rmtree(leftover, ignore_errors=True)
