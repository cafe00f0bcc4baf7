"""The built site (site/, from `mkdocs build --strict`; `make test` builds first)
against what the tests ran.

* every Python block the site shows (any spelling of the language, any container)
  is a block the suite executed, unless it carries the ``notest`` class: its lesson
  code, output area, checks and checks' code are the split of the code that ran,
  and put back together they are that code exactly;
* no fence or include text leaked into what a reader sees;
* a downloaded notebook is the page, for a learner: its tables, its figures, its code
  (lesson code and checks in cells of their own, the checks collapsed, no ``# >``
  line: the real output shows once), a first cell that installs only torch and numpy
  (and matplotlib where a cell draws), nothing that needs the repository, and the
  exercises' solutions in a notebook of their own.
"""

from __future__ import annotations

import json
import re

import pytest
from bs4 import BeautifulSoup

from executable_docs import expected_output
from site_build.lesson_code import split_lesson_code
from site_build.notebooks import notebook_name, solutions_name
from tests.built_site import notebook_cells
from tests.built_site.conftest import DOCS_PAGES, PAGE_IDS
from tests.built_site.site_pages import (
    LEAKS,
    leaked_fence_text,
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


def _notebook(site, project, page, solutions: bool = False):
    name = notebook_name(page.relative_to(project.docs_dir))
    path = site / "downloads" / f"{solutions_name(name) if solutions else name}.ipynb"
    return path, (notebook_cells.read(path) if path.exists() else None)


_text = notebook_cells.text
_tags = notebook_cells.tags


def _solution_boxes(view) -> int:
    """The page's collapsed "Solution" boxes (``??? success "Solution"``)."""
    soup = BeautifulSoup(view.html.read_text(encoding="utf-8"), "html.parser")
    return sum(
        1
        for details in soup.select("article details")
        if not details.has_attr("open")
        and (summary := details.find("summary"))
        and summary.get_text().strip().lower().startswith("solution")
    )


@pytest.mark.parametrize("page", DOCS_PAGES, ids=PAGE_IDS)
def test_notebook_is_the_page(site, rendered, project, collected, page):
    view = rendered(page)
    path, notebook = _notebook(site, project, page)
    if not view.executable_blocks:
        assert notebook is None, f"{path.name}: a notebook for a page without code"
        return
    assert notebook is not None, (
        f"{project.relative(page)} shows code but has no downloadable notebook"
    )
    where = f"downloads/{path.name} (from {project.relative(page)})"
    solutions_path, solutions = _notebook(site, project, page, solutions=True)
    whole = solutions or notebook  # every cell of the page
    cells = whole["cells"]
    markdown = [_text(cell) for cell in cells if cell["cell_type"] == "markdown"]
    code = [_text(cell) for cell in notebook_cells.code_cells(whole)]

    for each in (notebook, solutions or notebook):
        first = each["cells"][0]
        assert first["cell_type"] == "code" and "install" in _tags(first), (
            f"{where}: the first cell is not the install cell: {_text(first)!r}"
        )
        assert re.search(
            r'^%pip install .*"torch>=2\.\d+" numpy\b', _text(first), re.MULTILINE
        ), f"{where}: the first cell does not install torch and numpy: {_text(first)!r}"
        draws = any(re.search(r"^\s*import matplotlib", c, re.MULTILINE) for c in code)
        assert ("matplotlib" in _text(first)) == draws, (
            f"{where}: matplotlib is installed if and only if a cell draws"
        )
    for cell in notebook["cells"] + cells:
        text = _text(cell)
        assert "pip install -e" not in text, f"{where}: asks to install the project"
        assert "<!-- figure" not in text and "--8<--" not in text, (
            f"{where}: a marker or include line left: {text[:200]!r}"
        )
        assert "snippets/" not in text and "repositor" not in text.lower(), (
            f"{where}: a cell needs the repository: {text[:300]!r}"
        )

    # The code is the page's: each block's lesson code and checks, in order, no '# >'.
    blocks = [
        split_lesson_code(expanded.code).rejoin(outputs=False)
        for _, expanded in collected(page)
    ]
    assert normalised_lines("\n".join(code)) == normalised_lines("\n".join(blocks)), (
        f"{where}: the code cells are not the page's blocks without their output lines"
    )
    page_checks = [
        check.sentence
        for _, expanded in collected(page)
        for check in split_lesson_code(expanded.code).checks
    ]
    notebook_checks = []
    for cell in notebook_cells.code_cells(whole):
        split = split_lesson_code(_text(cell))
        notebook_checks += [check.sentence for check in split.checks]
        assert not split.outputs, f"{where}: '# >' lines in a cell: {_text(cell)!r}"
        if "check" in _tags(cell):
            assert cell["metadata"].get("jupyter", {}).get("source_hidden") is True, (
                f"{where}: a check cell is not collapsed: {_text(cell)!r}"
            )
            assert split.checks and not split.code.strip(), (
                f"{where}: a check cell holds lesson code: {_text(cell)!r}"
            )
        else:
            assert all(p.text[:1].isspace() for p in split.check_parts), (
                f"{where}: a lesson cell holds a check of its own: {_text(cell)!r}"
            )  # a check inside a loop or a function runs in it: it stays there
    assert notebook_checks == page_checks, (
        f"{where}: the notebook's checks are not the page's"
    )

    # Solutions: in their own notebook; the learner's points to it instead.
    boxes = _solution_boxes(view)
    assert (solutions is not None) == (boxes > 0), (
        f"{where}: {boxes} solution boxes on the page, solutions notebook: "
        f"{solutions_path.exists()}"
    )
    assert not any("solution" in _tags(cell) for cell in notebook["cells"]), (
        f"{where}: a solution in the learner's notebook"
    )
    pointers = [
        cell
        for cell in notebook["cells"]
        if solutions_path.name in _text(cell) and "**Solution**" in _text(cell)
    ]
    assert len(pointers) == boxes, (
        f"{where}: {len(pointers)} pointers to the solutions, {boxes} on the page"
    )
    if solutions is not None:
        kept = [c for c in solutions["cells"][2:] if "solution" not in _tags(c)]
        assert [c["id"] for c in kept] == [
            c["id"] for c in notebook["cells"][2:] if c not in pointers
        ], f"{where}: the two notebooks differ in more than the solutions"
        assert any("solution" in _tags(c) for c in solutions["cells"]), where

    # And as the rendered page shows it: the lesson code is what its copy buttons copy.
    lessons = normalised_lines("\n".join(split_lesson_code(c).code for c in code))
    shown = normalised_lines("\n".join(b.code for b in view.executable_blocks))
    assert lessons == shown, (
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


def normalised_lines(code: str) -> list[str]:
    """Code lines as compared: blank lines and trailing spaces do not count."""
    return [line.rstrip() for line in code.splitlines() if line.strip()]


@pytest.mark.parametrize("solutions", [False, True], ids=["", "solutions"])
@pytest.mark.parametrize("page", DOCS_PAGES, ids=PAGE_IDS)
def test_notebook_outputs_are_the_outputs_the_page_shows(
    site, project, collected, page, solutions
):
    """A downloaded notebook's stored outputs (from the build's kernel) are the page's.

    Each cell's output appears once, under it: the cell itself has no '# >' line.
    """
    path, notebook = _notebook(site, project, page, solutions)
    if notebook is None:
        pytest.skip(f"{project.relative(page)} has no {path.name}")
    cells = notebook_cells.page_cells(project, collected(page))
    for number, (cell, twin) in enumerate(
        notebook_cells.matched(notebook, cells), start=1
    ):
        assert twin is not None, (
            f"downloads/{path.name} code cell {number} is no part of the page: "
            f"{_text(cell)!r}"
        )
        shown = [
            expected_output.output_text(line)
            for line in twin.cell.shown.splitlines()
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
            f"downloads/{path.name} code cell {number} ({twin.where}): the stored "
            f"output differs from the page's '# >' lines (! marks a difference)\n"
            f"{expected_output.describe_mismatch(shown, printed)}"
        )
    install = notebook["cells"][0]
    assert not install.get("outputs") and install.get("execution_count") is None, (
        f"downloads/{path.name}: the build's kernel ran the install cell"
    )


@pytest.mark.parametrize("page", DOCS_PAGES, ids=PAGE_IDS)
def test_notebook_page_shows_each_cell_once_and_folds_as_the_page(site, project, page):
    """The rendered notebook shows no cell's code twice (the copy buttons' hidden text)
    and no tag names; its checks and the page's folded boxes are closed boxes."""
    name = notebook_name(page.relative_to(project.docs_dir))
    path = site / "notebooks" / name / "index.html"
    if not path.exists():
        pytest.skip(f"{page.name} has no notebook page")
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    assert not soup.select(".clipboard-copy-txt, .celltoolbar, .cell-tag")
    for tag in ("check", "folded"):
        loose = [
            cell
            for cell in soup.select(f".jp-Cell.celltag_{tag}, .celltag_{tag}")
            if not cell.find_parent("details")
        ]
        assert not loose, f"{len(loose)} {tag} cells outside a closed box"
    assert not soup.select("details[open]")
