"""A throw-away docs project per test: mkdocs.yml, pages and snippet files written by the test."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

MKDOCS_YML = """\
site_name: fixture
docs_dir: docs
markdown_extensions:
  - admonition
  - pymdownx.details
  - pymdownx.superfences
  - pymdownx.tabbed:
      alternate_style: true
  - pymdownx.snippets:
      base_path: ["."]
      check_paths: true
      dedent_subsections: true
"""


class DocsFixture:
    def __init__(self, pytester: pytest.Pytester) -> None:
        self.pytester = pytester
        self.root = Path(pytester.path)
        self.write("mkdocs.yml", MKDOCS_YML)

    def write(self, relative: str, text: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    def page(self, name: str, text: str) -> Path:
        return self.write(f"docs/{name}", text)

    def snippet(self, name: str, text: str) -> Path:
        return self.write(f"snippets/{name}", text)

    def run(self, *args: str) -> pytest.RunResult:
        # In-process and serial unless a test asks otherwise; random order off so counts are stable.
        return self.pytester.runpytest(
            "-p", "no:randomly", "-p", "no:cacheprovider", "-W", "ignore::pytest.PytestAssertRewriteWarning", *args
        )


def fence(*includes: str, info: str = "python", indent: str = "") -> str:
    """A page fence holding include lines (indent it to put it inside a container)."""
    lines = [f"``` {info}", *(f'--8<-- "{spec}"' for spec in includes), "```"]
    return "\n".join(indent + line for line in lines)
