"""A throw-away project for the matrix's tests: a page, a snippet file, needs.toml."""

from __future__ import annotations

import textwrap
from pathlib import Path

from tests.docs_fixture import MKDOCS_YML


def write_project(root: Path, page: str, snippet: str, needs: str = "") -> Path:
    files = {
        "mkdocs.yml": MKDOCS_YML,
        "docs/page.md": page,
        "snippets/t/code.py": snippet,
        "matrix/needs.toml": needs,
    }
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root
