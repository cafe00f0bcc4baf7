"""The pages written in docs/, opened in Chromium (the checks: page_checks.py).

Besides the checks every page gets, the lesson pages' blocks as a reader sees them
(site_build/lesson_blocks.py): lesson code that copies without its checks or output
lines, an output area under every block that prints, no code pane that scrolls
sideways at 1280 px, and aligned equations that align.
"""

from __future__ import annotations

import ast
import re

import pytest

from executable_docs import expected_output
from executable_docs.markdown_blocks import find_python_blocks
from executable_docs.snippet_expansion import SnippetExpander
from site_build.lesson_code import split_lesson_code
from site_build.specification import SPEC_PREFIX, _is_assertion
from tests.browser.conftest import SITE_PAGES
from tests.browser.page_checks import *

PAGES = [path for path in SITE_PAGES if not path.startswith("/notebooks/")]
ALIGNMENT_TOLERANCE = 1.0  # CSS pixels


def test_search_finds_zero_grad_on_the_optimizers_page(searched):
    found = searched("zero_grad")
    assert "/optimizers/" in found["first_result"]
    assert re.fullmatch(r"/optimizers/.*", found["opened"]), found


def _source(project, path: str):
    name = "index" if path == "/" else path.strip("/")
    return project.docs_dir / f"{name}.md"


def test_copied_code_has_no_check_and_no_output_line(inspected, path):
    for copied, _ in inspected(path).copied_blocks:
        first = next((line for line in copied.splitlines() if line.strip()), "")
        where = f"{path}: the block starting {first!r} copies"
        for line in copied.splitlines():
            assert not expected_output.is_output_line(line), f"{where} {line!r}"
            assert not line.lstrip().startswith(f"# {SPEC_PREFIX}"), f"{where} {line!r}"
        assertions = [
            ast.unparse(node)
            for node in ast.walk(ast.parse(copied))
            if _is_assertion(node)
        ]
        assert not assertions, f"{where} assertions: {assertions}"


def test_no_code_pane_scrolls_sideways_at_1280_px(inspected, path):
    wide = [
        pane
        for pane in inspected(path).code_panes
        if pane["scrollWidth"] > pane["clientWidth"]
    ]
    assert not wide, "\n".join(
        f"{path}: the pane starting {pane['firstLine']!r} is {pane['scrollWidth']} px "
        f"wide in a box of {pane['clientWidth']} px"
        for pane in wide
    )


def test_every_printing_block_has_its_output_area(inspected, project, path):
    """Each block with lesson code, in page order, is followed by an output area exactly
    when the code that runs prints: its lines, labelled, set apart from the code."""
    page = _source(project, path)
    expander = SnippetExpander(project)
    expected = []
    for block in find_python_blocks(page):
        if block.skipped:
            continue
        split = split_lesson_code(expander.expand(block).code)
        if split.code.strip():  # a block of checks alone has no pane
            expected.append(list(split.outputs) or None)
    panes = [
        pane
        for pane in inspected(path).code_panes
        if "language-python" in pane["classes"] and not pane["inChecks"]
    ]
    shown = [
        pane["output"]["text"].rstrip("\n").split("\n") if pane["output"] else None
        for pane in panes
    ]
    assert shown == expected, f"{path}: output areas differ from the '# >' lines"
    for pane in panes:
        output = pane["output"]
        if output is None:
            continue
        where = f"{path}: the output of the block starting {pane['firstLine']!r}"
        assert output["label"].strip().lower() == "output", where
        assert output["height"] > 0, f"{where} is not laid out"
        assert output["background"] != pane["background"], (
            f"{where} has the code's background"
        )


def test_aligned_equations_align(inspected, path):
    tables = inspected(path).aligned_tables
    if not tables:
        pytest.skip(f"{path} has no aligned equations")
    for table in tables:
        for number, cells in enumerate(table["columns"], start=1):
            for side in ("left", "right"):
                edges = [cell[side] for cell in cells or [] if cell["align"] == side]
                if len(edges) > 1:
                    assert max(edges) - min(edges) <= ALIGNMENT_TOLERANCE, (
                        f"{path}: column {number} of {table['tex'][:60]!r} is "
                        f"{side}-aligned, but its cells' {side} edges are {edges}"
                    )
