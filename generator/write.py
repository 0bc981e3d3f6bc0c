"""Write the generated Markdown tree: only files whose bytes changed, and remove stale ones.

Unchanged files keep their modification time, so `mkdocs serve` and editors see only real changes.
A file is replaced whole (written beside it, then renamed), so no reader sees half of one.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class WriteReport:
    written: tuple[str, ...]
    unchanged: int
    removed: tuple[str, ...]


def write_tree(files: dict[str, bytes], root: Path) -> WriteReport:
    root.mkdir(parents=True, exist_ok=True)
    written, unchanged = [], 0
    for relative in sorted(files):
        target = root / relative
        data = files[relative]
        try:
            if target.read_bytes() == data:
                unchanged += 1
                continue
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
            pass
        target.parent.mkdir(parents=True, exist_ok=True)
        # a whole file or none: write beside it, then rename over it; on a full disk the partial
        # temporary goes, and one left by a killed build is removed below as stale by the next one
        temporary = target.with_name(f".{target.name}.tmp-{os.getpid()}")
        try:
            temporary.write_bytes(data)
            os.replace(temporary, target)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
        written.append(relative)
    removed = []
    for path in sorted(root.rglob("*"), reverse=True):
        relative = path.relative_to(root).as_posix()
        if path.is_dir():
            if not any(path.iterdir()):
                path.rmdir()
        elif relative not in files:
            path.unlink()
            removed.append(relative)
    return WriteReport(tuple(written), unchanged, tuple(removed))
