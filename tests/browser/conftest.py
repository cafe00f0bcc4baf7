"""The built site served on localhost and opened in headless Chromium.

Without Chromium the browser tests are skipped with the reason in pytest's
summary (``-ra``); ``.ci/run`` installs Debian's package, so CI always runs them.
Each page is opened once per run (``inspected``) and what the visit recorded is
kept in ``.cache/test-reports/browser`` (tests/result_cache.py): while every file
the visit loaded from the site (recorded as the server read them), Chromium,
axe-core and this file are unchanged, a later run checks the stored report and
starts no browser. ``TEST_REPORT_CACHE=off`` opens every page again.
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

import pytest

from executable_docs.build_cache import source_closure
from site_build.browser import CHROMIUM, CHROMIUM_ARGS, served, site_pages
from tests.built_site.site_pages import block_kind
from tests.conftest import ROOT, SITE
from tests.result_cache import ReportCache

SCREENSHOTS = ROOT / "screenshots"
SCREENSHOTS_WANTED = os.environ.get("BROWSER_SCREENSHOTS") == "1"  # `make screenshots`
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# Blocks and formulas inside closed <details> or inactive content tabs are not laid
# out: open every <details>, and select the tab that a given element sits in.
REVEAL_ALL = "document.querySelectorAll('article details').forEach(d => d.open = true)"
SHOW_TAB_OF = """element => {
    const block = element.closest('.tabbed-block');
    if (!block) return;
    const index = [...block.parentElement.children].indexOf(block);
    const labels = block.closest('.tabbed-set').querySelectorAll(
        ':scope > .tabbed-labels > label');
    labels[index].click();
}"""
SCHEME = "document.body.getAttribute('data-md-color-scheme')"


SITE_PAGES = site_pages(SITE) if SITE.exists() else ["/"]


@pytest.fixture(scope="session")
def site_url(site):
    with served(site) as origin:
        yield origin


def chromium_version() -> str:
    """The browser's version (part of every cached report's key), or "" without it."""
    if not Path(CHROMIUM).exists():
        return ""
    done = subprocess.run(
        [CHROMIUM, "--version"], capture_output=True, text=True, check=False
    )
    return done.stdout.strip()


class LazyBrowser:
    """Chromium, started only when a report is not in the cache (a warm run starts
    none)."""

    def __init__(self) -> None:
        self._playwright = self._browser = None

    def __call__(self):
        if self._browser is None:
            if not Path(CHROMIUM).exists():
                pytest.skip(
                    f"Chromium not found at {CHROMIUM}: install Debian's chromium "
                    "package to run the browser tests"
                )
            from playwright.sync_api import sync_playwright

            self._playwright = sync_playwright().start()
            self._browser = self._playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS
            )
        return self._browser

    def close(self) -> None:
        if self._browser is not None:
            self._browser.close()
            self._playwright.stop()


# Module scope, not session: Playwright's sync API keeps an event loop running in this
# thread until it stops, and other test files that run later in the same xdist worker
# (notebook execution calls asyncio.run) must not inherit it.
@pytest.fixture(scope="module")
def browser():
    lazy = LazyBrowser()
    yield lazy
    lazy.close()


class PageVisit:
    """One page opened in a fresh context, every request and console error recorded."""

    def __init__(
        self, browser, site_url: str, path: str, width: int = 1280, height: int = 900
    ) -> None:
        self.origin = site_url
        # Reduced motion: Material then skips its fade-ins, which axe would measure
        # mid-way.
        self.context = browser.new_context(
            color_scheme="light",
            reduced_motion="reduce",
            viewport={"width": width, "height": height},
        )
        self.context.grant_permissions(
            ["clipboard-read", "clipboard-write"], origin=site_url
        )
        self.context.set_default_timeout(10_000)  # a missing element fails in seconds
        self.foreign_requests: list[str] = []
        self.failed_requests: list[str] = []
        self.console_errors: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on(
            "console",
            lambda message: (
                message.type == "error" and self.console_errors.append(message.text)
            ),
        )
        self.page.on("pageerror", lambda error: self.console_errors.append(str(error)))
        self.page.on(
            "requestfailed",
            lambda request: self.failed_requests.append(
                f"{request.url} ({request.failure})"
            ),
        )
        response = self.page.goto(site_url + path, wait_until="networkidle")
        self.status = response.status if response else None

    def _route(self, route) -> None:
        if route.request.url.startswith(self.origin) or route.request.url.startswith(
            "data:"
        ):
            route.continue_()
        else:  # never let a request leave the machine; record it instead
            self.foreign_requests.append(route.request.url)
            route.abort()

    def close(self) -> None:
        self.context.close()


@dataclass
class PageReport:
    """What the visits of a page recorded, for the tests to check aspect by aspect."""

    status: int | None
    foreign_requests: list[str]
    failed_requests: list[str]
    console_errors: list[str]
    schemes_seen: list[str]
    article_text: str
    formulas: list[dict]
    copied_blocks: list[
        tuple[str, str]
    ]  # (what the copy button copied, what the block shows)
    images: list[dict]
    heading_levels: list[int]
    edit_link: str
    axe_violations: dict  # by scheme; None without axe-core
    # The page opened at PHONE_WIDTH: its display formulas' boxes and the page's width.
    phone: dict
    # Every code pane at 1280 px, laid out: its size, what follows it.
    code_panes: list[dict]
    # Every MathML table: its cells' content edges, by column.
    aligned_tables: list[dict]


PHONE_WIDTH = 390  # CSS pixels: a common phone screen
FORMULA_BOXES = """() => [...document.querySelectorAll('article math[display=block]')]
  .map(m => {
    const box = m.getBoundingClientRect(), style = getComputedStyle(m);
    return {tex: m.getAttribute('alttext'), left: box.left, right: box.right,
            scrollWidth: m.scrollWidth, clientWidth: m.clientWidth,
            overflowX: style.overflowX, tabindex: m.getAttribute('tabindex'),
            backgroundImage: style.backgroundImage};
})"""
# A code pane (laid out: its tab shown, its <details> open): whether it scrolls
# sideways, and the output area that follows it (site_build/lesson_blocks.py), if any.
CODE_PANE = """div => {
    const code = div.querySelector('pre > code') || div, next = div.nextElementSibling;
    const output = next && next.classList.contains('lesson-output') ? next : null;
    const describe = element => ({
        text: element.querySelector('pre > code').innerText,
        label: (element.querySelector('.filename') || {innerText: ''}).innerText,
        background: getComputedStyle(element.querySelector('pre > code'))
            .backgroundColor,
        height: element.getBoundingClientRect().height,
    });
    return {classes: div.className, inChecks: !!div.closest('.admonition.checks'),
            scrollWidth: code.scrollWidth, clientWidth: code.clientWidth,
            firstLine: code.innerText.split('\\n')[0],
            background: getComputedStyle(code).backgroundColor,
            output: output ? describe(output) : null};
}"""
# A MathML table's cells by column: each cell's alignment and the left and right edges
# of its content, to check that aligned equations align (Chromium ignores MathML's
# columnalign).
TABLE_CELLS = """table => {
    const columns = [];
    for (const row of table.children) {
        if (row.tagName.toLowerCase() !== 'mtr') continue;
        [...row.children].forEach((cell, index) => {
            const boxes = [...cell.children].map(c => c.getBoundingClientRect());
            if (!boxes.length) return;
            (columns[index] ||= []).push({
                align: cell.getAttribute('columnalign') || 'center',
                left: Math.min(...boxes.map(b => b.left)),
                right: Math.max(...boxes.map(b => b.right))});
        });
    }
    return {tex: table.closest('math').getAttribute('alttext'), columns};
}"""


def inspect(browser, site_url: str, path: str) -> PageReport:
    page_visit = PageVisit(browser, site_url, path)
    page = page_visit.page
    try:
        axe = {}
        schemes = [page.evaluate(SCHEME)]
        _screenshot(page, path, "light")
        axe["light"] = _axe(page)
        page.click("form[data-md-component=palette] label:visible")
        page.wait_for_function(f"{SCHEME} === 'slate'")
        schemes.append(page.evaluate(SCHEME))
        _screenshot(page, path, "dark")
        axe["dark"] = _axe(page)
        page.click("form[data-md-component=palette] label:visible")
        page.wait_for_function(f"{SCHEME} === 'default'")
        schemes.append(page.evaluate(SCHEME))

        page.evaluate(REVEAL_ALL)
        formulas = []
        for formula in page.query_selector_all("article math"):
            formula.evaluate(SHOW_TAB_OF)
            box = formula.bounding_box() or {"width": 0, "height": 0}
            formulas.append(
                {
                    "alttext": formula.get_attribute("alttext"),
                    "width": box["width"],
                    "height": box["height"],
                }
            )
        tables = []
        for table in page.query_selector_all("article math mtable"):
            table.evaluate(SHOW_TAB_OF)
            tables.append(table.evaluate(TABLE_CELLS))
        panes = []
        for block in page.query_selector_all("article div.highlight"):
            block.evaluate(SHOW_TAB_OF)
            panes.append(block.evaluate(CODE_PANE))
        copied = []
        for block in page.query_selector_all("article div.highlight"):
            classes = (block.get_attribute("class") or "").split()
            kind = block_kind(classes)
            if kind is None or "no-copy" in classes:  # not Python, or no copy button
                continue
            block.evaluate(SHOW_TAB_OF)
            page.evaluate("navigator.clipboard.writeText('')")
            # The button Material shows on hover; a click event is what its handler
            # listens for.
            block.query_selector("button[data-md-type=copy]").dispatch_event("click")
            copied.append(
                (
                    page.evaluate("navigator.clipboard.readText()"),
                    block.query_selector("code").inner_text(),
                )
            )
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
            images=page.eval_on_selector_all(
                "article img", "els => els.map(e => ({src: e.src, alt: e.alt}))"
            ),
            heading_levels=page.eval_on_selector_all(
                "article :is(h1, h2, h3, h4, h5, h6)",
                "els => els.map(e => +e.tagName[1])",
            ),
            edit_link=edit.get_attribute("href") if edit else "",
            axe_violations=axe,
            phone=_phone_layout(browser, site_url, path),
            code_panes=panes,
            aligned_tables=tables,
        )
    finally:
        page_visit.close()


def _phone_layout(browser, site_url: str, path: str) -> dict:
    """A second visit at phone width (a fresh context: the page lays itself out for
    that screen)."""
    phone_visit = PageVisit(browser, site_url, path, width=PHONE_WIDTH, height=844)
    try:
        phone_visit.page.evaluate(REVEAL_ALL)
        return {
            "formulas": phone_visit.page.evaluate(FORMULA_BOXES),
            "page_width": phone_visit.page.evaluate(
                "document.documentElement.scrollWidth"
            ),
        }
    finally:
        phone_visit.close()


def _screenshot(page, path: str, palette: str) -> None:
    """Full-page screenshots for people to look at (nothing checks them): `make
    screenshots`."""
    if SCREENSHOTS_WANTED:
        SCREENSHOTS.mkdir(exist_ok=True)
        name = path.strip("/").replace("/", "-") or "home"
        page.screenshot(
            path=SCREENSHOTS / f"{name}-{palette}.jpg", full_page=True, quality=80
        )


def _axe(page) -> list[dict] | None:
    if not AXE.exists():
        return None
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']}))"
        ".violations"
    )


def search_for(browser, site_url: str, words: str) -> dict:
    """Types ``words`` into the home page's search box as a reader does and opens the
    first result."""
    page_visit = PageVisit(browser, site_url, "/")
    page = page_visit.page
    try:
        page.focus("input.md-search__input")
        # The index loads in a web worker; until it has, Material says "Initializing
        # search".
        page.wait_for_function(
            "!/initializ/i.test(document.querySelector('.md-search-result__meta').textContent)",
            timeout=30_000,
        )
        page.keyboard.type(words)  # as a reader types: Material searches on key events
        first = page.locator(
            ".md-search-result__item a"
        ).first  # a locator: re-found as the list re-renders
        href = first.get_attribute("href")
        first.click()
        page.wait_for_load_state()
        return {"first_result": href, "opened": page.url.removeprefix(site_url)}
    finally:
        page_visit.close()


def page_report_problem(report: dict) -> str | None:
    """Why a stored visit may not be reused: it is not a whole ``PageReport``, or the
    page did not load cleanly (the tests say how; it is visited again until then)."""
    fields = {field.name for field in dataclasses.fields(PageReport)}
    if set(report) != fields:
        return f"its fields are not PageReport's ({sorted(set(report) ^ fields)})"
    if report["status"] != 200:
        return f"the page answered {report['status']}"
    if report["failed_requests"] or report["console_errors"]:
        return "a request failed or the console showed an error"
    return None


@pytest.fixture(scope="module")
def report_cache(site):
    """Reports of earlier runs, by page: valid while Chromium, axe-core, Playwright, the
    code of this file and what the visit read (the page and each file the browser
    loaded from the site, recorded as the server read them) are the same
    (tests/result_cache.py)."""
    cache = ReportCache(
        "browser",
        chromium_version(),
        # This file and every project module it imports (site_pages.block_kind picks the
        # copied blocks).
        files=(
            *source_closure([Path(__file__)], ROOT),
            *([AXE] if AXE.exists() else []),
        ),
        reuse=not SCREENSHOTS_WANTED,  # screenshots need the visits
    )
    return cache


@pytest.fixture(scope="module")
def inspected(browser, site_url, site, report_cache):
    """The report of a page: from the cache if nothing it depends on changed, else one
    visit."""
    reports: dict[str, PageReport] = {}

    def report(path: str) -> PageReport:
        if path not in reports:
            stored = report_cache.make(
                path,
                lambda: asdict(inspect(browser(), site_url, path)),
                check=page_report_problem,
                libraries=tuple(sys.modules.values()),
            )
            reports[path] = PageReport(**stored)
        return reports[path]

    return report


@pytest.fixture(scope="module")
def searched(browser, site_url, report_cache):
    """What a search for some words finds, from the cache if the site is unchanged."""

    def search(words: str) -> dict:
        return report_cache.make(
            f"search {words}",
            lambda: search_for(browser(), site_url, words),
            libraries=tuple(sys.modules.values()),
        )

    return search


def pytest_generate_tests(metafunc):
    """Each test module applies the page checks to its own ``PAGES``."""
    if "path" in metafunc.fixturenames:
        pages = getattr(metafunc.module, "PAGES", None)
        if pages is None:
            raise pytest.UsageError(
                f"{metafunc.module.__name__} checks pages but sets no PAGES"
            )
        metafunc.parametrize("path", pages)
