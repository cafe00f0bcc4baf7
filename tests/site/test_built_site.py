"""The built site (site/, from `mkdocs build --strict`; `make test` builds first) against what the tests ran.

* every Python block the site shows (any spelling of the language, any container)
  is a block the suite executed, unless it carries the ``notest`` class;
* no fence or include text leaked into what a reader sees;
* a downloaded notebook is the page: its tables, its figures, its code, and an
  install line that names only torch and numpy (and matplotlib where a cell draws).
"""

from __future__ import annotations

import json
import re

import pytest

from tests.site.conftest import DOCS_PAGES, PAGE_IDS
from tests.site.site_pages import normalised_code

LEAKS = ("```", "--8<--")
TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)+\|?\s*$", re.M)


def _first_line(code: str) -> str:
    return next((line for line in code.splitlines() if line.strip()), "").strip()


@pytest.mark.parametrize("page", DOCS_PAGES, ids=PAGE_IDS)
def test_every_python_block_on_the_page_was_executed(rendered, collected, project, page):
    view = rendered(page)
    ran = [normalised_code(expanded.code) for _, expanded in collected(page)]
    unran = [block for block in view.executable_blocks if normalised_code(block.code) not in ran]
    assert not unran, f"{project.relative(page)} ({view.url}) shows Python blocks that no test executed:\n" + "\n".join(
        f"  block {block.index} (language-{block.language}), starting {_first_line(block.code)!r}" for block in unran
    )
    shown = [normalised_code(block.code) for block in view.executable_blocks]
    assert shown == ran, (
        f"{project.relative(page)} ({view.url}): the executed blocks are not the shown ones, in order "
        f"({len(ran)} executed, {len(shown)} shown)"
    )


@pytest.mark.parametrize("page", DOCS_PAGES, ids=PAGE_IDS)
def test_no_fence_or_include_text_leaks_into_the_page(rendered, project, page):
    view = rendered(page)
    for leak in LEAKS:
        at = view.prose.find(leak)
        assert at < 0, f"{project.relative(page)} ({view.url}): {leak!r} in the rendered text: ...{view.prose[max(0, at - 80):at + 80]!r}..."
    for number, code in enumerate(view.code_texts, start=1):
        assert "--8<--" not in code, f"{project.relative(page)} ({view.url}): code block {number} shows an include line"


def test_search_index_has_no_fence_or_include_text(site):
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    for entry in index["docs"]:
        for leak in LEAKS:
            assert leak not in entry["text"], f"{entry['location']}: {leak!r} in the search index"


def _notebook(site, project, page):
    name = page.relative_to(project.docs_dir).with_suffix("").as_posix().replace("/", "-")
    path = site / "downloads" / f"{name}.ipynb"
    return path, (json.loads(path.read_text(encoding="utf-8")) if path.exists() else None)


def _text(cell) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


@pytest.mark.parametrize("page", DOCS_PAGES, ids=PAGE_IDS)
def test_notebook_is_the_page(site, rendered, project, page):
    view = rendered(page)
    path, notebook = _notebook(site, project, page)
    if not view.executable_blocks:
        assert notebook is None, f"{path.name}: a notebook for a page without code"
        return
    assert notebook is not None, f"{project.relative(page)} shows code but has no downloadable notebook"
    where = f"downloads/{path.name} (from {project.relative(page)})"
    cells = notebook["cells"]
    markdown = [_text(cell) for cell in cells if cell["cell_type"] == "markdown"]
    code = [_text(cell) for cell in cells if cell["cell_type"] == "code"]

    first = _text(cells[0])
    assert cells[0]["cell_type"] == "markdown" and "pip install torch numpy" in first, f"{where}: first cell {first!r}"
    assert "matplotlib" in first or not any("matplotlib" in c for c in code), f"{where}: a cell draws; say so"
    for text in markdown + code:
        assert "pip install -e" not in text, f"{where}: asks to install the project"
        assert "<!-- figure" not in text and "--8<--" not in text, f"{where}: a marker or include line left: {text[:200]!r}"

    assert [normalised_code(c) for c in code] == [normalised_code(b.code) for b in view.executable_blocks], (
        f"{where}: the code cells are not the page's blocks, in order"
    )
    tables = sum(len(TABLE_RULE.findall(text)) for text in markdown)
    assert tables == view.tables, f"{where}: {tables} tables, the page has {view.tables}"
    images = [
        (name, mime)
        for cell in cells
        for name, data in cell.get("attachments", {}).items()
        for mime in data
    ]
    assert len(images) == view.figures, f"{where}: {len(images)} embedded images, the page has {view.figures} figures"
    assert all(mime.startswith("image/") for _, mime in images), images
    for cell in cells:
        for name in cell.get("attachments", {}):
            assert f"(attachment:{name})" in _text(cell), f"{where}: attachment {name} is not shown"
