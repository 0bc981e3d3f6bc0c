"""Rendered pages kept from one generation to the next, for `sotay serve`.

The plan declares which content files each page is made from (plan.Page.inputs); the Site carries
the digest of every file it was read from (Site.sources). A page is rendered again only when the
digests of its files, its template, title or plain context values (the build date, its PDF name)
changed; any other page gives the bytes it gave last time. A file added or removed under a page's
folders changes its fingerprint too, so new and deleted months reach the pages that list them.
"""

from __future__ import annotations

import fnmatch
import functools
import hashlib
import re
from collections.abc import Callable
from datetime import date
from enum import Enum

from .model import Site
from .plan import Page

_PLAIN = (str, int, float, bool, date, Enum, type(None))


@functools.lru_cache(maxsize=1024)
def _pattern(inputs: tuple[str, ...]) -> re.Pattern:
    return re.compile("|".join(fnmatch.translate(item) for item in inputs))


def made_from(inputs: tuple[str, ...] | None, name: str) -> bool:
    """Whether a page of these inputs (plan.Page.inputs) is made from the content file `name`."""
    return inputs is None or _pattern(inputs).match(name) is not None


def fingerprint(sources: dict[str, str], inputs: tuple[str, ...] | None) -> str:
    """One digest of the files a page is made from, with their names."""
    chosen = sorted((name, digest) for name, digest in sources.items() if made_from(inputs, name))
    return hashlib.blake2b(repr(chosen).encode("utf-8"), digest_size=16).hexdigest()


def page_key(page: Page, files_fingerprint: str) -> tuple:
    """Everything a page's bytes depend on: objects in its context (a campaign, a month) are made
    from its files, so only the plain values are compared."""
    plain = tuple(sorted((k, repr(v)) for k, v in page.context.items() if isinstance(v, _PLAIN)))
    return page.template, page.title, page.handout, plain, files_fingerprint


class RenderCache:
    """What each page gave the last time it was rendered, by path."""

    def __init__(self) -> None:
        self._pages: dict[str, tuple[tuple, bytes]] = {}
        self.rendered = 0  # pages rendered (not reused) by the last call, for serve's report

    def render(self, site: Site, pages: list[Page], render_page: Callable[[Page], str]) -> dict[str, bytes]:
        fingerprints: dict[tuple[str, ...] | None, str] = {}
        kept: dict[str, tuple[tuple, bytes]] = {}
        self.rendered = 0
        for page in pages:
            if page.inputs not in fingerprints:
                fingerprints[page.inputs] = fingerprint(site.sources, page.inputs)
            key = page_key(page, fingerprints[page.inputs])
            previous = self._pages.get(page.path)
            if previous is None or previous[0] != key:
                previous = (key, render_page(page).encode("utf-8"))
                self.rendered += 1
            kept[page.path] = previous
        self._pages = kept  # pages no longer planned are forgotten
        return {path: data for path, (_, data) in kept.items()}
