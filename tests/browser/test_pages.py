"""Every page of the built site, opened in Chromium as a reader would.

Each page is opened once (``inspected``); the tests below each check one aspect
of what that visit recorded, so a failure names the page and the aspect.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import REVEAL_ALL, SITE_PAGES

SERIOUS = ("serious", "critical")


@pytest.mark.parametrize("path", SITE_PAGES)
def test_page_loads_offline_without_errors(inspected, path):
    report = inspected(path)
    assert report.status == 200
    assert report.foreign_requests == [], "requests to other hosts than the site's own"
    assert report.failed_requests == []
    assert report.console_errors == []


@pytest.mark.parametrize("path", SITE_PAGES)
def test_palette_toggle_switches_light_and_dark(inspected, path):
    assert inspected(path).schemes_seen == ["default", "slate", "default"]


@pytest.mark.parametrize("path", SITE_PAGES)
def test_formulas_are_rendered(inspected, path):
    report = inspected(path)
    assert not re.search(r"\\\(|\\\[|\$\$|\\frac|\\sum|\\theta", report.article_text), "raw TeX left on the page"
    for formula in report.formulas:
        assert formula["alttext"], "a formula without its TeX as alt text"
        assert formula["width"] > 0 and formula["height"] > 0, f"not laid out: {formula['alttext']}"


@pytest.mark.parametrize("path", SITE_PAGES)
def test_copy_buttons_copy_exactly_the_code_shown(inspected, path):
    """What the button copies is the code element's text, which tests/site runs in a bare
    reader Python and checks against the '# >' lines (so this suite does not run it again)."""
    for copied, shown in inspected(path).copied_blocks:
        assert copied.rstrip("\n") == shown.rstrip("\n")


PHONE_WIDTH = 390  # CSS pixels: a common phone screen
FORMULA_BOXES = """() => [...document.querySelectorAll('article math[display=block]')].map(m => {
    const box = m.getBoundingClientRect(), style = getComputedStyle(m);
    return {tex: m.getAttribute('alttext'), left: box.left, right: box.right, scrollWidth: m.scrollWidth,
            clientWidth: m.clientWidth, overflowX: style.overflowX, tabindex: m.getAttribute('tabindex')};
})"""


@pytest.mark.parametrize("path", SITE_PAGES)
def test_display_formulas_fit_a_phone_screen_or_scroll(visit, path):
    """At 390 px a wide formula scrolls inside its own box (from the keyboard too), not the page."""
    page = visit(path, width=PHONE_WIDTH, height=844).page
    page.evaluate(REVEAL_ALL)
    formulas = page.evaluate(FORMULA_BOXES)
    if not formulas:
        pytest.skip(f"{path} has no display formulas")
    for formula in formulas:
        where = f"{path} at {PHONE_WIDTH} px: formula {formula['tex'][:60]!r}"
        assert formula["left"] >= 0 and formula["right"] <= PHONE_WIDTH, f"{where} sticks out of the screen: {formula}"
        if formula["scrollWidth"] > formula["clientWidth"]:
            assert formula["overflowX"] in ("auto", "scroll"), f"{where} is cut off without a way to scroll: {formula}"
        assert formula["tabindex"] == "0", f"{where} cannot be scrolled from the keyboard"
    page_width = page.evaluate("document.documentElement.scrollWidth")
    assert page_width <= PHONE_WIDTH, f"{path} at {PHONE_WIDTH} px is {page_width} px wide: the page scrolls sideways"


@pytest.mark.parametrize("path", SITE_PAGES)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_accessibility_violations(inspected, path, scheme):
    violations = inspected(path).axe_violations[scheme]
    if violations is None:
        pytest.skip("axe-core is not installed (make install runs npm ci from package-lock.json)")
    serious = [v for v in violations if v["impact"] in SERIOUS]
    assert not serious, "\n".join(
        f"{v['impact']}: {v['id']}: {v['help']} ({len(v['nodes'])}x, e.g. {v['nodes'][0]['html'][:120]})"
        for v in serious
    )


@pytest.mark.parametrize("path", SITE_PAGES)
def test_images_have_alt_text_and_headings_are_in_order(inspected, path):
    report = inspected(path)
    assert all(image["alt"] for image in report.images), f"images without alt text: {report.images}"
    levels = report.heading_levels
    assert levels[:1] == [1], "a page starts with its one h1"
    assert levels.count(1) == 1, f"more than one h1: {levels}"
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), f"heading levels skip: {levels}"


@pytest.mark.parametrize("path", SITE_PAGES)
def test_edit_link_points_at_the_page_source(inspected, project, path):
    """A rendered notebook's link opens the page it was generated from."""
    source = "index.md" if path == "/" else path.strip("/").removeprefix("notebooks/") + ".md"
    assert inspected(path).edit_link.endswith(f"/edit/main/docs/{source}")
    assert (project.docs_dir / source).exists()


def test_search_finds_zero_grad_on_the_optimizers_page(visit):
    page = visit("/").page
    page.focus("input.md-search__input")
    # The index loads in a web worker; until it has, Material says "Initializing search".
    page.wait_for_function(
        "!/initializ/i.test(document.querySelector('.md-search-result__meta').textContent)", timeout=30_000
    )
    page.keyboard.type("zero_grad")  # as a reader types: Material searches on key events
    first = page.locator(".md-search-result__item a").first  # a locator: re-found as the list re-renders
    assert "/optimizers/" in first.get_attribute("href")
    first.click()
    page.wait_for_url(re.compile(r".*/optimizers/.*"))
