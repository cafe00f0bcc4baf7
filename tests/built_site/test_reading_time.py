"""Each lesson says how long it takes to read, and no page is too long to finish.

Visible words are defined once, in site_build/reading_time.py (the article's words
without what is folded away by default). ``python -m site_build.reading_time`` prints
every built page's count.
"""

from __future__ import annotations

import re

import pytest

from site_build.notebooks import notebook_name
from site_build.reading_time import READING_TIME_CLASS, minutes, visible_words
from tests.built_site.conftest import DOCS_PAGES, PAGE_IDS

MAX_VISIBLE_WORDS = 5_000  # issue 17: a page a learner finishes
_SHOWN = re.compile(
    rf'<p class="{READING_TIME_CLASS}">Reading time: about (\d+) min</p>'
)


def _article(view) -> str:
    return view.html.read_text(encoding="utf-8")


@pytest.mark.parametrize("page", DOCS_PAGES, ids=PAGE_IDS)
def test_a_lesson_shows_the_reading_time_of_its_visible_words(rendered, page):
    view = rendered(page)
    html = _article(view)
    shown = _SHOWN.findall(html)
    if not view.executable_blocks:
        assert not shown, f"{view.url} runs no code but shows a reading time"
        pytest.skip(f"{view.url} is not a lesson (it runs no code)")
    words = visible_words(html, within="article")
    assert shown == [str(minutes(words))], (
        f"{view.url}: shows {shown} min, its {words} visible words take "
        f"{minutes(words)} min"
    )
    title_end = html.index("</h1>")
    assert html.index(READING_TIME_CLASS) - title_end < 20, (
        f"{view.url}: the reading time is not right under the title"
    )


@pytest.mark.parametrize("page", DOCS_PAGES, ids=PAGE_IDS)
def test_no_page_or_notebook_page_has_more_than_5000_visible_words(
    rendered, site, project, page
):
    """Every page, the generated ones (Specification, upgrade guide) included, and the
    page that shows its notebook."""
    view = rendered(page)
    shown = {view.url: _article(view)}
    name = notebook_name(page.relative_to(project.docs_dir))
    notebook_page = site / "notebooks" / name / "index.html"
    if notebook_page.exists():
        shown[f"/notebooks/{name}/"] = notebook_page.read_text(encoding="utf-8")
    for url, html in shown.items():
        words = visible_words(html, within="article")
        assert words <= MAX_VISIBLE_WORDS, (
            f"{url} shows {words:,} words by default (at most "
            f"{MAX_VISIBLE_WORDS:,}): split it where its topic splits, or fold "
            "digressions into collapsed boxes"
        )
