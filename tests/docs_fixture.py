"""A throw-away docs project per test: mkdocs.yml, pages and snippets it writes."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import ROOT

# pymdownx.snippets as this site configures it (the last entry of each fixture's
# markdown_extensions).
SNIPPETS_YML = """\
  - pymdownx.snippets:
      base_path: ["."]
      check_paths: true
      dedent_subsections: true
"""

MKDOCS_YML = (
    """\
site_name: fixture
docs_dir: docs
markdown_extensions:
  - admonition
  - pymdownx.details
  - pymdownx.superfences
  - pymdownx.tabbed:
      alternate_style: true
"""
    + SNIPPETS_YML
)


# Pages of the fixture project keep torch's and numpy's state per page, as ours do.
PYPROJECT_TOML = """\
[tool.executable_docs]
page_state = "site_build.torch_state"
"""


class DocsFixture:
    def __init__(self, pytester: pytest.Pytester) -> None:
        self.pytester = pytester
        self.root = Path(pytester.path)
        self.write("mkdocs.yml", MKDOCS_YML)
        self.write("pyproject.toml", PYPROJECT_TOML)

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
        # In-process and serial unless a test asks otherwise; random order off so that
        # counts are stable.
        return self.pytester.runpytest(
            "-p",
            "no:randomly",
            "-p",
            "no:cacheprovider",
            "-W",
            "ignore::pytest.PytestAssertRewriteWarning",
            *args,
        )


def fence(*includes: str, info: str = "python", indent: str = "") -> str:
    """A page fence holding include lines (indent it to put it inside a container)."""
    lines = [f"``` {info}", *(f'--8<-- "{spec}"' for spec in includes), "```"]
    return "\n".join(indent + line for line in lines)


# The fixture project built by mkdocs with the site's own checks: the include guard as a
# Markdown extension before pymdownx.snippets, and the build_checks hook (formulas).
BUILD_YML = (
    f"""\
site_name: fixture
docs_dir: docs
strict: true
hooks:
  - {ROOT / "site_build" / "build_checks.py"}
{{hooks}}markdown_extensions:
  - pymdownx.superfences
  - pymdownx.arithmatex:
      generic: true
  - executable_docs.safe_includes
"""
    + SNIPPETS_YML
)


def mkdocs_build(root: Path, *hooks: str) -> subprocess.CompletedProcess:
    """`mkdocs build --strict` of the fixture project at ``root``.

    Run from there, as make runs it. ``hooks``: more hook files of the project, run
    after build_checks. The caller checks the result: many builds must fail.
    """
    extra = "".join(f"  - {hook}\n" for hook in hooks)
    (root / "mkdocs.yml").write_text(
        BUILD_YML.replace("{hooks}", extra), encoding="utf-8"
    )
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "--site-dir",
            str(root / "site"),
        ],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
        env={
            **os.environ,
            "PYTHONPATH": os.pathsep.join(
                [str(ROOT), os.environ.get("PYTHONPATH", "")]
            ),
        },
    )
