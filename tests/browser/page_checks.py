"""The checks of every page of the built site, opened in Chromium as a reader would.

Each page is opened once (``inspected``); the tests below each check one aspect
of what that visit recorded, so a failure names the page and the aspect. They are
applied by test_site_pages.py and test_notebook_pages.py, each to its half of the
pages: pytest-xdist's ``--dist=loadfile`` gives each file its own worker.
"""

from __future__ import annotations

import itertools
import re

import pytest

from tests.browser.conftest import PHONE_WIDTH

SERIOUS = ("serious", "critical")


def test_page_loads_offline_without_errors(inspected, path):
    report = inspected(path)
    assert report.status == 200
    assert report.foreign_requests == [], "requests to other hosts than the site's own"
    assert report.failed_requests == []
    assert report.console_errors == []


def test_palette_toggle_switches_light_and_dark(inspected, path):
    assert inspected(path).schemes_seen == ["default", "slate", "default"]


def test_formulas_are_rendered(inspected, path):
    report = inspected(path)
    assert not re.search(r"\\\(|\\\[|\$\$|\\frac|\\sum|\\theta", report.article_text), (
        "raw TeX left on the page"
    )
    for formula in report.formulas:
        assert formula["alttext"], "a formula without its TeX as alt text"
        assert formula["width"] > 0 and formula["height"] > 0, (
            f"not laid out: {formula['alttext']}"
        )


def test_copy_buttons_copy_exactly_the_code_shown(inspected, path):
    """What the button copies is the code element's text, which tests/built_site runs in
    a bare reader Python with its checks and checks against the '# >' lines (so this
    suite does not run it again)."""
    for copied, shown in inspected(path).copied_blocks:
        assert copied.rstrip("\n") == shown.rstrip("\n")


def test_display_formulas_fit_a_phone_screen_or_scroll(inspected, path):
    """At 390 px a wide formula scrolls inside its own box (from the keyboard too), not
    the page, and shows that it scrolls."""
    phone = inspected(path).phone
    if not phone["formulas"]:
        pytest.skip(f"{path} has no display formulas")
    for formula in phone["formulas"]:
        where = f"{path} at {PHONE_WIDTH} px: formula {formula['tex'][:60]!r}"
        assert formula["left"] >= 0 and formula["right"] <= PHONE_WIDTH, (
            f"{where} sticks out of the screen: {formula}"
        )
        if formula["scrollWidth"] > formula["clientWidth"]:
            assert formula["overflowX"] in ("auto", "scroll"), (
                f"{where} is cut off without a way to scroll: {formula}"
            )
            # docs/stylesheets/lessons.css: shadows at the edge it scrolls towards
            assert "gradient" in formula["backgroundImage"], (
                f"{where} scrolls without showing that it does: {formula}"
            )
        assert formula["tabindex"] == "0", (
            f"{where} cannot be scrolled from the keyboard"
        )
    page_width = phone["page_width"]
    assert page_width <= PHONE_WIDTH, (
        f"{path} at {PHONE_WIDTH} px is {page_width} px wide: the page scrolls sideways"
    )


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_accessibility_violations(inspected, path, scheme):
    violations = inspected(path).axe_violations[scheme]
    if violations is None:
        pytest.skip(
            "axe-core is not installed "
            "(make install runs npm ci from package-lock.json)"
        )
    serious = [v for v in violations if v["impact"] in SERIOUS]
    assert not serious, "\n".join(
        f"{v['impact']}: {v['id']}: {v['help']} "
        f"({len(v['nodes'])}x, e.g. {v['nodes'][0]['html'][:120]})"
        for v in serious
    )


def test_images_have_alt_text_and_headings_are_in_order(inspected, path):
    report = inspected(path)
    assert all(image["alt"] for image in report.images), (
        f"images without alt text: {report.images}"
    )
    levels = report.heading_levels
    assert levels[:1] == [1], "a page starts with its one h1"
    assert levels.count(1) == 1, f"more than one h1: {levels}"
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), (
        f"heading levels skip: {levels}"
    )


def test_edit_link_points_at_the_page_source(inspected, project, path):
    """A rendered notebook's link opens the page it was generated from."""
    source = (
        "index.md"
        if path == "/"
        else path.strip("/").removeprefix("notebooks/") + ".md"
    )
    assert inspected(path).edit_link.endswith(f"/edit/main/docs/{source}")
    assert (project.docs_dir / source).exists()
