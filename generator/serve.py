"""`sotay serve`: a live preview. MkDocs serves build/docs and reloads the browser; this loop
watches content/ and regenerates the Markdown whenever a file changes: only the saved file is read
again, only the pages made from it are rendered again (cache.py) and only changed pages are
rewritten, so the engine rebuilds just those. Content errors are printed and the last good pages
stay up. The preview is not strict: MkDocs warns about its own fast 'dirty' rebuilds."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from .diagnostics import ContentError, format_report
from .engine import engine_environment


def snapshot(root: Path) -> dict[str, int]:
    """Modification time and size of every file under root: cheap enough to poll four times a second."""
    state = {}
    for path in root.rglob("*"):
        if path.is_file():
            stat = path.stat()
            state[str(path)] = stat.st_mtime_ns ^ stat.st_size
    return state


def serve(content: Path, regenerate: Callable[[], str], config_file: Path, address: str,
          interval: float = 0.25) -> int:
    # stopped by a signal (a process manager, a test, a benchmark), stop MkDocs too: without this the
    # interpreter exits at once and MkDocs keeps serving on the port
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(regenerate(), flush=True)
    command = [sys.executable, "-m", "mkdocs", "serve", "--livereload", "--dirty", "-f", str(config_file), "-a", address]
    engine = subprocess.Popen(command, env=engine_environment())
    seen = snapshot(content)
    try:
        while engine.poll() is None:
            time.sleep(interval)
            current = snapshot(content)
            if current == seen:
                continue
            seen = current
            try:
                print(regenerate(), flush=True)
            except ContentError as error:
                print(format_report(error.diagnostics).replace("nothing was built", "the preview keeps the last good pages"),
                      file=sys.stderr, flush=True)
    except KeyboardInterrupt:
        pass
    finally:
        engine.terminate()
        engine.wait()
    return 0
