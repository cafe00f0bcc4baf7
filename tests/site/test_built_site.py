"""The built site (site/, from `mkdocs build --strict`; `make test` builds first)
against what the tests ran.

* every Python block the site shows (any spelling of the language, any container)
  is a block the suite executed, unless it carries the ``notest`` class: its lesson
  code, output area, checks and checks' code are the split of the code that ran,
  and put back together they are that code exactly;
* no fence or include text leaked into what a reader sees;
* a downloaded notebook is the page: its tables, its figures, its code, and an
  install line that names only torch and numpy (and matplotlib where a cell draws).
"""

from __future__ import annotations

import json
import re

import pytest

from executable_docs import expected_output
from site_build.lesson_code import split_lesson_code
from site_build.notebooks import notebook_name
from tests.site.conftest import DOCS_PAGES, PAGE_IDS
from tests.site.site_pages import (
    LEAKS,
    leaked_fence_text,
    normalised_code,
    unexecuted_blocks,
)

TABLE_RULE = re.compile(
    r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)+\|?\s*$", re.MULTILINE
)


@pytest.mark.parametrize("page", DOCS_PAGES, ids=PAGE_IDS)
def test_every_python_block_on_the_page_was_executed(
    rendered, collected, project, page
):
    view = rendered(page)
    problems = unexecuted_blocks(
        view, [expanded.code for _, expanded in collected(page)]
    )
    assert not problems, f"{project.relative(page)} ({view.url}):\n  " + "\n  ".join(
        problems
    )


@pytest.mark.parametrize("page", DOCS_PAGES, ids=PAGE_IDS)
def test_no_fence_or_include_text_leaks_into_the_page(rendered, project, page):
    view = rendered(page)
    problems = leaked_fence_text(view)
    assert not problems, f"{project.relative(page)} ({view.url}):\n  " + "\n  ".join(
        problems
    )


def test_search_index_has_no_fence_or_include_text(site):
    index = json.loads(
        (site / "search" / "search_index.json").read_text(encoding="utf-8")
    )
    for entry in index["docs"]:
        for leak in LEAKS:
            assert leak not in entry["text"], (
                f"{entry['location']}: {leak!r} in the search index"
            )


def _notebook(site, project, page):
    name = notebook_name(page.relative_to(project.docs_dir))
    path = site / "downloads" / f"{name}.ipynb"
    return path, (
        json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
    )


def _text(cell) -> str:
    return (
        "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
    )


@pytest.mark.parametrize("page", DOCS_PAGES, ids=PAGE_IDS)
def test_notebook_is_the_page(site, rendered, project, page):
    view = rendered(page)
    path, notebook = _notebook(site, project, page)
    if not view.executable_blocks:
        assert notebook is None, f"{path.name}: a notebook for a page without code"
        return
    assert notebook is not None, (
        f"{project.relative(page)} shows code but has no downloadable notebook"
    )
    where = f"downloads/{path.name} (from {project.relative(page)})"
    cells = notebook["cells"]
    markdown = [_text(cell) for cell in cells if cell["cell_type"] == "markdown"]
    code = [_text(cell) for cell in cells if cell["cell_type"] == "code"]

    first = _text(cells[0])
    assert cells[0]["cell_type"] == "markdown" and "pip install torch numpy" in first, (
        f"{where}: first cell {first!r}"
    )
    assert "matplotlib" in first or not any("matplotlib" in c for c in code), (
        f"{where}: a cell draws; say so"
    )
    for text in markdown + code:
        assert "pip install -e" not in text, f"{where}: asks to install the project"
        assert "<!-- figure" not in text and "--8<--" not in text, (
            f"{where}: a marker or include line left: {text[:200]!r}"
        )

    # Compared as lesson code (site_build/lesson_code.py): what a cell holds besides it
    # (checks, '# >' lines) is the notebook's choice; a cell of checks alone has none.
    lessons = [normalised_code(split_lesson_code(c).code) for c in code]
    blocks = [normalised_code(b.code) for b in view.executable_blocks]
    assert [c for c in lessons if c] == [b for b in blocks if b], (
        f"{where}: the code cells' lesson code is not the page's blocks', in order"
    )
    tables = sum(len(TABLE_RULE.findall(text)) for text in markdown)
    assert tables == view.tables, (
        f"{where}: {tables} tables, the page has {view.tables}"
    )
    images = [
        (name, mime)
        for cell in cells
        for name, data in cell.get("attachments", {}).items()
        for mime in data
    ]
    assert len(images) == view.figures, (
        f"{where}: {len(images)} embedded images, the page has {view.figures} figures"
    )
    assert all(mime.startswith("image/") for _, mime in images), images
    for cell in cells:
        for name in cell.get("attachments", {}):
            assert f"(attachment:{name})" in _text(cell), (
                f"{where}: attachment {name} is not shown"
            )


@pytest.mark.parametrize("page", DOCS_PAGES, ids=PAGE_IDS)
def test_notebook_outputs_are_the_outputs_the_page_shows(site, project, page):
    """The outputs stored in the downloaded notebook (from the build's kernel) are its
    cells' '# >' lines."""
    path, notebook = _notebook(site, project, page)
    if notebook is None:
        pytest.skip(f"{project.relative(page)} has no notebook")
    code_cells = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
    for number, cell in enumerate(code_cells, start=1):
        shown = [
            expected_output.output_text(line)
            for line in _text(cell).splitlines()
            if expected_output.is_output_line(line)
        ]
        printed = "".join(
            "".join(output["text"])
            if isinstance(output["text"], list)
            else output["text"]
            for output in cell.get("outputs", [])
            if output.get("output_type") == "stream" and output.get("name") == "stdout"
        )
        assert expected_output.outputs_match(shown, printed), (
            f"downloads/{path.name} code cell {number}: the stored output differs from "
            "its '# >' lines (! marks a difference)\n"
            f"{expected_output.describe_mismatch(shown, printed)}"
        )
