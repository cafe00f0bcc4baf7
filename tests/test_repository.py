"""The repository itself: no source file is hidden by .gitignore, and no module is
named like a standard-library module.

A pattern such as ``site/`` (meant for the build folder) also matches ``tests/site/``:
the files pass in the folder that has them and never reach a clone. ``git check-ignore
--no-index`` asks the patterns alone, so tracked files are checked too.
"""

import shutil
import subprocess
import sys

import pytest

from tests.conftest import ROOT

SOURCE_FOLDERS = (
    "docs",
    "snippets",
    "executable_docs",
    "site_build",
    "tests",
    "benchmarks",
    ".ci",
    ".github",
)
# Paths that must stay committable even before they exist (tests/site was lost so).
FOLDERS_THAT_MUST_LAND = (
    "tests/built_site/conftest.py",
    "docs/site/index.md",
    "snippets/cache/x.py",
)


def ignored(paths: list[str]) -> list[str]:
    result = subprocess.run(
        ["git", "check-ignore", "--no-index", "--stdin"],
        cwd=ROOT,
        input="\n".join(paths),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode not in (0, 1):  # 1: nothing ignored
        pytest.fail(f"git check-ignore failed: {result.stderr}")
    return result.stdout.split()


@pytest.mark.skipif(
    shutil.which("git") is None or not (ROOT / ".git").exists(),
    reason="not a git checkout",
)
def test_gitignore_hides_no_source_file():
    tracked = subprocess.run(
        ["git", "ls-files", "--", *SOURCE_FOLDERS],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    hidden = ignored(tracked + list(FOLDERS_THAT_MUST_LAND))
    assert not hidden, (
        f".gitignore matches source files, which would never land: {hidden}"
    )


# Folders whose .py files are imported as modules (packages, scripts, conftest files).
PYTHON_FOLDERS = (
    "executable_docs",
    "site_build",
    "snippets",
    "tests",
    "benchmarks",
    "matrix",
)


def modules_named_like_the_standard_library() -> set[str]:
    """Each module or package path of the repo whose own name is a standard module's."""
    found = set()
    paths = [
        *ROOT.glob("*.py"),
        *(path for folder in PYTHON_FOLDERS for path in (ROOT / folder).rglob("*.py")),
    ]
    for path in paths:
        parts = path.relative_to(ROOT).with_suffix("").parts
        for depth, name in enumerate(parts, start=1):
            if name in sys.stdlib_module_names:
                found.add("/".join(parts[:depth]))
    return found


def test_no_module_is_named_like_a_standard_library_module():
    """A module named `math` reads as the standard one wherever it is imported."""
    found = modules_named_like_the_standard_library()
    assert not found, (
        "rename these: a module named like one of the standard library's is "
        f"mistaken for it: {sorted(found)}"
    )
