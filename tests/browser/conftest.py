"""The built site served on localhost and opened in headless Chromium.

Without Chromium the browser tests are skipped with the reason in pytest's
summary (``-ra``); ``.ci/run`` installs Debian's package, so CI always runs them.
pyproject.toml's ``--dist=loadfile`` keeps this folder's tests on one xdist
worker, so each page is opened once per run (``inspected``).
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import ROOT, SITE
from tests.site.site_pages import block_kind

SCREENSHOTS = ROOT / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("google-chrome") or "/usr/bin/chromium"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# As the machine notes advise: no sandbox as root, and no background traffic to Google's hosts.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Blocks and formulas inside closed <details> or inactive content tabs are not laid
# out: open every <details>, and select the tab that a given element sits in.
REVEAL_ALL = "document.querySelectorAll('article details').forEach(d => d.open = true)"
SHOW_TAB_OF = """element => {
    const block = element.closest('.tabbed-block');
    if (!block) return;
    const index = [...block.parentElement.children].indexOf(block);
    block.closest('.tabbed-set').querySelectorAll(':scope > .tabbed-labels > label')[index].click();
}"""
SCHEME = "document.body.getAttribute('data-md-color-scheme')"


def site_pages(site: Path) -> list[str]:
    """URL paths of every page of the built site."""
    pages = []
    for index in sorted(site.rglob("index.html")):
        relative = index.parent.relative_to(site).as_posix()
        pages.append("/" if relative == "." else f"/{relative}/")
    return pages


SITE_PAGES = site_pages(SITE) if SITE.exists() else ["/"]


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


# Module scope, not session: Playwright's sync API keeps an event loop running in this
# thread until it stops, and other test files that run later in the same xdist worker
# (notebook execution calls asyncio.run) must not inherit it.
@pytest.fixture(scope="module")
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

    def __init__(self, browser, site_url: str, path: str, width: int = 1280, height: int = 900) -> None:
        self.origin = site_url
        # Reduced motion: Material then skips its fade-ins, which axe would measure mid-way.
        self.context = browser.new_context(
            color_scheme="light", reduced_motion="reduce", viewport={"width": width, "height": height}
        )
        self.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url)
        self.context.set_default_timeout(10_000)  # a missing element fails in seconds
        self.foreign_requests: list[str] = []
        self.failed_requests: list[str] = []
        self.console_errors: list[str] = []
        self.context.route("**/*", self._route)
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

    def open_page(path: str, **viewport) -> PageVisit:
        visits.append(PageVisit(browser, site_url, path, **viewport))
        return visits[-1]

    yield open_page
    for page_visit in visits:
        page_visit.close()


@dataclass
class PageReport:
    """What one visit of a page recorded, for the tests to check aspect by aspect."""

    status: int | None
    foreign_requests: list[str]
    failed_requests: list[str]
    console_errors: list[str]
    schemes_seen: list[str]
    article_text: str
    formulas: list[dict]
    copied_blocks: list[tuple[str, str]]  # (what the copy button copied, what the block shows)
    images: list[dict]
    heading_levels: list[int]
    edit_link: str
    axe_violations: dict = field(default_factory=dict)  # by scheme; None without axe-core


def inspect(browser, site_url: str, path: str) -> PageReport:
    page_visit = PageVisit(browser, site_url, path)
    page = page_visit.page
    try:
        SCREENSHOTS.mkdir(exist_ok=True)
        name = path.strip("/").replace("/", "-") or "home"
        axe = {}
        schemes = [page.evaluate(SCHEME)]
        page.screenshot(path=SCREENSHOTS / f"{name}-light.jpg", full_page=True, quality=80)
        axe["light"] = _axe(page)
        page.click("form[data-md-component=palette] label:visible")
        page.wait_for_function(f"{SCHEME} === 'slate'")
        schemes.append(page.evaluate(SCHEME))
        page.screenshot(path=SCREENSHOTS / f"{name}-dark.jpg", full_page=True, quality=80)
        axe["dark"] = _axe(page)
        page.click("form[data-md-component=palette] label:visible")
        page.wait_for_function(f"{SCHEME} === 'default'")
        schemes.append(page.evaluate(SCHEME))

        page.evaluate(REVEAL_ALL)
        formulas = []
        for formula in page.query_selector_all("article math"):
            formula.evaluate(SHOW_TAB_OF)
            box = formula.bounding_box() or {"width": 0, "height": 0}
            formulas.append({"alttext": formula.get_attribute("alttext"), "width": box["width"], "height": box["height"]})
        copied = []
        for block in page.query_selector_all("article div.highlight"):
            kind = block_kind((block.get_attribute("class") or "").split())
            if kind is None:  # not Python: no copy button check
                continue
            block.evaluate(SHOW_TAB_OF)
            page.evaluate("navigator.clipboard.writeText('')")
            # The button Material shows on hover; a click event is what its handler listens for.
            block.query_selector("button[data-md-type=copy]").dispatch_event("click")
            copied.append((page.evaluate("navigator.clipboard.readText()"), block.query_selector("code").inner_text()))
        edit = page.query_selector("a.md-content__button[href*='/edit/']")
        return PageReport(
            status=page_visit.status,
            foreign_requests=page_visit.foreign_requests,
            failed_requests=page_visit.failed_requests,
            console_errors=page_visit.console_errors,
            schemes_seen=schemes,
            article_text=page.inner_text("article"),
            formulas=formulas,
            copied_blocks=copied,
            images=page.eval_on_selector_all("article img", "els => els.map(e => ({src: e.src, alt: e.alt}))"),
            heading_levels=page.eval_on_selector_all("article :is(h1, h2, h3, h4, h5, h6)", "els => els.map(e => +e.tagName[1])"),
            edit_link=edit.get_attribute("href") if edit else "",
            axe_violations=axe,
        )
    finally:
        page_visit.close()


def _axe(page) -> list[dict] | None:
    if not AXE.exists():
        return None
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")


@pytest.fixture(scope="module")
def inspected(browser, site_url):
    """The report of a page, from one visit per page per run."""
    reports: dict[str, PageReport] = {}

    def report(path: str) -> PageReport:
        if path not in reports:
            reports[path] = inspect(browser, site_url, path)
        return reports[path]

    return report
