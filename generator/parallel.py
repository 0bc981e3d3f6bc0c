"""Run part of the generator on the machine's second core: in a forked child that returns its result.

`sotay build` renders half of the pages in a child while it renders the other half and the
calendars itself (bench/README.md: about 0.3 s of 1.4 s at 1,000 pages on two cores). The child
inherits everything already read and checked, so it repeats no work; it sends back bytes.
"""

from __future__ import annotations

import gc
import os
import pickle
from typing import Callable, TypeVar

T = TypeVar("T")
MIN_PAGES = 200  # below this a fork costs more than it saves


def can_fork(pages: int) -> bool:
    return hasattr(os, "fork") and (os.cpu_count() or 1) > 1 and pages >= MIN_PAGES


def in_child(work: Callable[[], T]) -> Callable[[], T]:
    """Start work() in a forked child now; the function returned waits for its result (or raises
    what it raised). The child shares the parent's memory until it writes to it and exits without
    running the parent's clean-up (locks, temporary files, the waiting engine)."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: whatever happens, it never returns into the parent's code
        try:
            os.close(read_end)
            gc.disable()  # a collection would touch, and so copy, every object it inherited
            try:
                outcome = ("ok", work())
            except BaseException as error:  # noqa: BLE001 - given to the parent, which raises it
                outcome = ("error", error)
            try:
                data = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
            except Exception as error:  # an exception that cannot be pickled
                data = pickle.dumps(("error", RuntimeError(f"{outcome[1]!r} ({error})")))
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(data)  # fails if the parent is gone (killed): nobody to tell
        finally:
            os._exit(0)
    os.close(write_end)

    def result() -> T:
        with os.fdopen(read_end, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(pid, 0)
        if not data:
            raise RuntimeError(f"the rendering process ended without a result (wait status {status})")
        kind, value = pickle.loads(data)
        if kind == "error":
            raise value
        return value
    return result
