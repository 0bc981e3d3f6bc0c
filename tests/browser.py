"""Shared helpers for tests in a real browser: Debian's chromium driven by Playwright, a built site
served over http on 127.0.0.1, and a log of every request that would leave the site (blocked) and of
console errors.

    with chromium() as browser:
        with serve_directory(site) as base:
            context, log = guarded_context(browser, base, site)
            page = context.new_page()
            page.goto(base + "index.html")
            ...
            assert log.outside == [] and log.errors == []
"""

from __future__ import annotations

import os
import shutil
import socket
import sys
import threading
import urllib.request
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator

import pytest

# the flags the house style prescribes, plus a resolver that knows no host but 127.0.0.1: even a
# request that escaped the routing below (from a worker, say) could not reach the network
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]

LOCAL_SCHEMES = ("data:", "blob:", "about:")


def chromium_path() -> str | None:
    """Debian's chromium (never a browser downloaded by `playwright install`)."""
    for candidate in (os.environ.get("SOTAY_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


@contextmanager
def chromium() -> Iterator:
    """One headless chromium for the caller. A missing browser fails the test (never skips it):
    `bash tests/run` installs Playwright and Debian's chromium."""
    try:
        from playwright import sync_api
    except ImportError:
        pytest.fail("Playwright is not installed: run the tests with 'bash tests/run'", pytrace=False)
    executable = chromium_path()
    if executable is None:
        pytest.fail("Debian's chromium is not installed: run the tests with 'bash tests/run'", pytrace=False)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class _QuietHandler(SimpleHTTPRequestHandler):
    not_found: Path | None = None

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass

    def send_error(self, code, message=None, explain=None):
        # as a web server configured with an error page (nginx error_page, Apache ErrorDocument)
        if code == 404 and self.not_found is not None:
            body = self.not_found.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        super().send_error(code, message, explain)


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        # the browser cancelling a request it no longer needs is not an error of the site
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextmanager
def serve_directory(root: Path, not_found: Path | None = None) -> Iterator[str]:
    """Serve root over http on 127.0.0.1 at a free port; yields the base URL, ending in '/'.
    With not_found, a missing path gets that page with status 404."""
    handler = type("Handler", (_QuietHandler,), {"not_found": not_found})
    server = _QuietServer(("127.0.0.1", 0), partial(handler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def free_port() -> int:
    """A TCP port free on 127.0.0.1 (for a server the test or benchmark starts itself)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str | None:
    """The page at url as text, or None while nothing answers there."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


# The end of a script that watches Material's search worker: whichever Worker the page installs
# (the browser's, or the file:// iframe shim) is wrapped by the script's watch(worker).
_WRAP_WORKERS = """
  let installed = window.Worker;
  Object.defineProperty(window, "Worker", {
    configurable: true,
    get() {
      const Worker = installed;
      return Worker && function (url, options) { return watch(new Worker(url, options)); };
    },
    set(value) { installed = value; },
  });
"""


def worker_probe(body: str) -> str:
    """An init script from body, which defines `function watch(worker)` (it observes the worker's
    messages and returns the worker): every search worker the page makes goes through it."""
    return "\n(() => {" + body + _WRAP_WORKERS + "})();\n"


def site_url(root: Path) -> str:
    """The file:// URL of a site directory, ending in '/' (as a reader opening it from a USB stick)."""
    return root.resolve().as_uri() + "/"


class SiteLog:
    """Requests outside the allowed prefixes (each blocked), console errors and uncaught page errors."""

    def __init__(self, allowed: tuple[str, ...]):
        self.allowed = allowed
        self.outside: list[str] = []
        self.errors: list[str] = []

    def is_inside(self, url: str) -> bool:
        return url.startswith(self.allowed) or url.startswith(LOCAL_SCHEMES)

    def _note_outside(self, url: str) -> None:
        if url not in self.outside:
            self.outside.append(url)

    def _route(self, route) -> None:
        url = route.request.url
        if self.is_inside(url):
            route.continue_()
        else:
            self._note_outside(url)
            route.abort("blockedbyclient")

    def _request(self, request) -> None:
        if not self.is_inside(request.url):
            self._note_outside(request.url)

    def _console(self, message) -> None:
        if message.type == "error":
            self.errors.append(f"console: {message.text} ({message.location.get('url', '')})")

    def _page_error(self, error) -> None:
        self.errors.append(f"page error: {error}")

    def watch_page(self, page) -> None:
        page.on("console", self._console)
        page.on("pageerror", self._page_error)


def guarded_context(browser, *allowed: str, **context_options):
    """A new browser context that may load only URLs starting with one of `allowed` (http bases or
    file:// site URLs) and data:/blob:/about: URLs. Returns (context, log); every page opened in the
    context is watched."""
    log = SiteLog(tuple(allowed))
    context = browser.new_context(service_workers="block", **context_options)
    context.route("**/*", log._route)
    context.on("request", log._request)
    context.on("page", log.watch_page)
    return context, log
