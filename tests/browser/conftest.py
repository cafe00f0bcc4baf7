"""The built site served on localhost and opened in headless Chromium (Debian's package).

Without Chromium the browser tests are skipped with the reason in pytest's
summary (``-ra``); ``.ci/run`` installs it, so CI always runs them.
"""

from __future__ import annotations

import functools
import os
import http.server
import shutil
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("google-chrome") or "/usr/bin/chromium"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# As in the machine notes: no sandbox as root, and no background traffic to Google's hosts.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def site_pages(site: Path) -> list[str]:
    """URL paths of every page of the built site."""
    pages = []
    for index in sorted(site.rglob("index.html")):
        relative = index.parent.relative_to(site).as_posix()
        pages.append("/" if relative == "." else f"/{relative}/")
    return pages


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="session")
def site_url(site):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM}: install Debian's chromium package to run the browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class PageVisit:
    """One page opened in a fresh context, with every request and console error recorded."""

    def __init__(self, browser, site_url: str, path: str, color_scheme: str = "light") -> None:
        self.origin = site_url
        # Reduced motion: Material then skips its fade-ins, which axe would measure mid-way.
        self.context = browser.new_context(
            color_scheme=color_scheme, reduced_motion="reduce", viewport={"width": 1280, "height": 900}
        )
        self.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url)
        self.foreign_requests: list[str] = []
        self.failed_requests: list[str] = []
        self.console_errors: list[str] = []
        self.context.route("**/*", self._route)
        self.context.set_default_timeout(10_000)  # a missing element fails in seconds, not half a minute
        self.page = self.context.new_page()
        self.page.on("console", lambda message: message.type == "error" and self.console_errors.append(message.text))
        self.page.on("pageerror", lambda error: self.console_errors.append(str(error)))
        self.page.on("requestfailed", lambda request: self.failed_requests.append(f"{request.url} ({request.failure})"))
        response = self.page.goto(site_url + path, wait_until="networkidle")
        self.status = response.status if response else None

    def _route(self, route) -> None:
        if route.request.url.startswith(self.origin) or route.request.url.startswith("data:"):
            route.continue_()
        else:  # never let a request leave the machine; record it instead
            self.foreign_requests.append(route.request.url)
            route.abort()

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser, site_url):
    visits = []

    def open_page(path: str, color_scheme: str = "light") -> PageVisit:
        visits.append(PageVisit(browser, site_url, path, color_scheme))
        return visits[-1]

    yield open_page
    for page_visit in visits:
        page_visit.close()
