"""Every page of the built site, opened in Chromium as a reader would."""

from __future__ import annotations

import re

import pytest

from executable_docs.execution import CodeUnit, run_unit
from executable_docs.page_runs import PAGE_SEED
from executable_docs.snippet_expansion import SourceLine
from tests.browser.conftest import AXE, SCREENSHOTS, site_pages
from tests.conftest import ROOT, SITE

PAGES = site_pages(SITE) if SITE.exists() else ["/"]
# Blocks and formulas inside closed <details> or inactive content tabs are not
# laid out; open every <details>, and select the tab a given element sits in.
REVEAL_ALL = "document.querySelectorAll('article details').forEach(d => d.open = true)"
SHOW_TAB_OF = """element => {
    const block = element.closest('.tabbed-block');
    if (!block) return;
    const index = [...block.parentElement.children].indexOf(block);
    block.closest('.tabbed-set').querySelectorAll(':scope > .tabbed-labels > label')[index].click();
}"""
SERIOUS = ("serious", "critical")


def screenshot_name(path: str) -> str:
    return path.strip("/").replace("/", "-") or "home"


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_offline_in_both_palettes(visit, path):
    page_visit = visit(path)
    assert page_visit.status == 200
    assert page_visit.foreign_requests == [], "requests to other hosts than the site's own"
    assert page_visit.failed_requests == []
    assert page_visit.console_errors == []
    SCREENSHOTS.mkdir(exist_ok=True)
    page = page_visit.page
    page.screenshot(path=SCREENSHOTS / f"{screenshot_name(path)}-light.png", full_page=True)

    assert page.get_attribute("body", "data-md-color-scheme") == "default"
    page.click("form[data-md-component=palette] label:visible")
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")
    page.screenshot(path=SCREENSHOTS / f"{screenshot_name(path)}-dark.png", full_page=True)
    page.click("form[data-md-component=palette] label:visible")  # and back
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'default'")
    assert page_visit.console_errors == []


@pytest.mark.parametrize("path", PAGES)
def test_formulas_are_rendered(visit, path):
    page = visit(path).page
    text = page.inner_text("article")
    assert not re.search(r"\\\(|\\\[|\$\$|\\frac|\\sum|\\theta", text), "raw TeX left on the page"
    page.evaluate(REVEAL_ALL)
    for formula in page.query_selector_all("article math"):
        formula.evaluate(SHOW_TAB_OF)
        assert formula.get_attribute("alttext"), "a formula without its TeX as alt text"
        box = formula.bounding_box()
        assert box and box["width"] > 0 and box["height"] > 0, f"a formula the browser did not lay out: {formula.get_attribute('alttext')}"


@pytest.mark.parametrize("path", PAGES)
def test_copy_buttons_copy_the_code_shown_and_it_runs(visit, path):
    page = visit(path).page
    copied_blocks = []
    page.evaluate(REVEAL_ALL)
    for block in page.query_selector_all("article div.language-python"):
        block.evaluate(SHOW_TAB_OF)
        shown = block.query_selector("code").inner_text()
        page.evaluate("navigator.clipboard.writeText('')")
        block.hover()
        block.wait_for_selector("button[data-md-type=copy]").click()
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied.rstrip("\n") == shown.rstrip("\n")
        copied_blocks.append(copied)
    if not copied_blocks or path.startswith("/notebooks/"):
        return  # a rendered notebook's cells are the page's blocks, run on the page itself
    # Pasting every block of the page, in order, into a fresh session gives the '#>' outputs shown.
    code = "\n".join(copied_blocks)
    origins = tuple(SourceLine(f"copied from {path}", n) for n in range(1, code.count("\n") + 2))
    from executable_docs.randomness import PageRandomness

    with PageRandomness(PAGE_SEED).active():
        run_unit(CodeUnit(f"code copied from {path}", code, origins), {"__name__": "__main__"}, ROOT)


def test_search_finds_zero_grad_on_the_optimizers_page(visit):
    page = visit("/").page
    page.fill("input.md-search__input", "zero_grad")
    first = page.wait_for_selector(".md-search-result__item a", timeout=10_000)
    assert "/optimizers/" in first.get_attribute("href")
    first.click()
    page.wait_for_url(re.compile(r".*/optimizers/.*"))


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", PAGES)
def test_accessibility(visit, path, scheme):
    if not AXE.exists():
        pytest.skip("axe-core is not installed (npm ci installs it from package-lock.json)")
    page = visit(path, color_scheme=scheme).page
    page.add_script_tag(path=str(AXE))
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [v for v in results["violations"] if v["impact"] in SERIOUS]
    assert not serious, "\n".join(
        f"{v['impact']}: {v['id']}: {v['help']} ({len(v['nodes'])}x, e.g. {v['nodes'][0]['html'][:120]})"
        for v in serious
    )
    for image in page.query_selector_all("article img"):
        assert image.get_attribute("alt"), f"image without alt text: {image.get_attribute('src')}"
    levels = [int(h.evaluate("h => h.tagName[1]")) for h in page.query_selector_all("article h1, article h2, article h3, article h4, article h5, article h6")]
    assert levels[:1] == [1], "a page starts with its one h1"
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), f"heading levels skip: {levels}"


@pytest.mark.parametrize("path", [p for p in PAGES if not p.startswith("/notebooks/")])
def test_edit_link_points_at_the_page_source(visit, project, path):
    page = visit(path).page
    link = page.query_selector("a.md-content__button[href*='/edit/']")
    source = "index.md" if path == "/" else path.strip("/") + ".md"
    assert link is not None
    assert link.get_attribute("href").endswith(f"/edit/main/docs/{source}")
    assert (project.docs_dir / source).exists()
