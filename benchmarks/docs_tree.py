"""The pages' code as plain data, and temporary docs trees built from it."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from pathlib import Path

from executable_docs.markdown_blocks import find_python_blocks
from executable_docs.project import load_project
from executable_docs.snippet_expansion import SnippetExpander

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "mkdocs.yml"


def pages_with_code() -> list[Path]:
    project = load_project(CONFIG)
    return [
        page
        for page in project.pages()
        if any(not b.skipped for b in find_python_blocks(page))
    ]


def expanded_pages() -> dict[str, list[str]]:
    """Every executable block of every page, expanded as the site shows it, in order."""
    project = load_project(CONFIG)
    expander = SnippetExpander(project)
    return {
        page.relative_to(ROOT).as_posix(): [
            expander.expand(b).code for b in find_python_blocks(page) if not b.skipped
        ]
        for page in pages_with_code()
    }


@contextlib.contextmanager
def temporary_project(copies: int):
    """A project whose docs/ holds every page with code ``copies`` times.

    It includes this repository's snippets (pymdownx.snippets' base_path points here).
    """
    folder = Path(tempfile.mkdtemp(prefix="bench-docs-"))
    try:
        text = CONFIG.read_text().replace('base_path: ["."]', f'base_path: ["{ROOT}"]')
        if str(ROOT) not in text:
            raise RuntimeError(
                'mkdocs.yml no longer has base_path: ["."]:'
                " update benchmarks/docs_tree.py"
            )
        (folder / "mkdocs.yml").write_text(text)
        (folder / "pytest.ini").write_text("[pytest]\naddopts = --dist=loadfile\n")
        pages = 0
        for page in pages_with_code():
            for copy in range(copies):
                target = folder / "docs" / f"{page.stem}_{copy}.md"
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(page, target)
                pages += 1
        yield folder, pages
    finally:
        shutil.rmtree(folder, ignore_errors=True)
