"""A downloaded notebook's code cells, each beside the part of the page it comes from.

A page's notebook holds its blocks as cells (site_build.notebooks.block_cells: lesson
code and checks apart, no ``# >`` lines); the learner's notebook leaves the exercises'
solutions out. Each notebook code cell (the install cell aside) is matched, in page
order, with the cell made from the page's blocks as the tests ran them, which keeps the
``# >`` lines: so a cell's stored output, and its output in the reader's Python, are
compared with the lines the page shows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from executable_docs.snippet_expansion import SourceLine
from site_build.notebooks import INSTALL_TAGS, CodeCell, block_cells


@dataclass(frozen=True)
class PageCell:
    where: str  # the block's page and line, e.g. "docs/autograd.md:42"
    cell: CodeCell
    origins: tuple[SourceLine, ...]  # where each line of ``cell.shown`` comes from


def text(cell: dict) -> str:
    source = cell["source"]
    return "".join(source) if isinstance(source, list) else source


def tags(cell: dict) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def read(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def code_cells(notebook: dict) -> list[dict]:
    """Its code cells but the install cell (a reader's Python has the packages)."""
    return [
        cell
        for cell in notebook["cells"]
        if cell["cell_type"] == "code" and INSTALL_TAGS[0] not in tags(cell)
    ]


def page_cells(project, collected_blocks) -> list[PageCell]:
    """The cells the page's blocks make, in page order, ``# >`` lines kept."""
    cells = []
    for block, expanded in collected_blocks:
        where = f"{project.relative(block.page).as_posix()}:{block.line}"
        for cell in block_cells(expanded.code):
            origins = tuple(
                expanded.origins[number - 1]
                for number in cell.lines
                if number <= len(expanded.origins)
            )
            cells.append(PageCell(where, cell, origins))
    return cells


def matched(notebook: dict, page: list[PageCell]) -> list[tuple[dict, PageCell | None]]:
    """Each code cell of ``notebook`` with the page's cell it is (None: no such cell).

    The page's cells that a notebook leaves out (the solutions, in the learner's) are
    skipped; a notebook cell found nowhere after the previous match is None.
    """
    pairs, start = [], 0
    for cell in code_cells(notebook):
        source = text(cell)
        found = next(
            (i for i in range(start, len(page)) if page[i].cell.source == source), None
        )
        pairs.append((cell, None if found is None else page[found]))
        if found is not None:
            start = found + 1
    return pairs
