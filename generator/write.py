"""Write the generated Markdown tree: only files whose bytes changed, and remove stale ones.

Unchanged files keep their modification time, so `mkdocs serve` and editors see only real changes.
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
        temporary = target.with_name(f".{target.name}.tmp-{os.getpid()}")
        temporary.write_bytes(data)
        os.replace(temporary, target)
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
