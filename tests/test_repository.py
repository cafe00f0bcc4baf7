"""The repository itself: no source file is hidden by .gitignore.

A pattern such as ``site/`` (meant for the build folder) also matches ``tests/site/``:
the files pass in the folder that has them and never reach a clone. ``git check-ignore
--no-index`` asks the patterns alone, so tracked files are checked too.
"""

import shutil
import subprocess

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
# Paths that must stay committable even before they exist (tests/site was lost this way).
FOLDERS_THAT_MUST_LAND = (
    "tests/site/conftest.py",
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
