"""Collecting pages reads Markdown only: no snippet is imported or executed by it."""

import subprocess
import sys

from tests.conftest import ROOT
from tests.docs_fixture import fence


def test_collecting_runs_no_snippet_code(docs):
    marker = docs.root / "executed.txt"
    touch = f"open({str(marker)!r}, 'w').close()\n"
    docs.snippet("__init__.py", touch)
    docs.snippet("side_effect.py", f"# --8<-- [start:all]\n{touch}# --8<-- [end:all]\n")
    docs.page("page.md", fence("snippets/side_effect.py:all") + "\n")
    result = docs.run("--collect-only", "-q")
    result.stdout.fnmatch_lines(["docs/page.md::*CodeFence#1*"])
    assert not marker.exists()


def test_collecting_the_real_docs_imports_neither_snippets_nor_torch():
    probe = (
        "import sys, pytest\n"
        "code = pytest.main(['--collect-only', '-q', '-p', 'no:randomly', 'docs'])\n"
        "loaded = sorted(\n"
        "    m for m in sys.modules if m.split('.')[0] in ('snippets', 'torch')\n"
        ")\n"
        "print('LOADED', loaded)\n"
        "sys.exit(code)\n"
    )
    result = subprocess.run(  # the exit status is asserted below, with the output
        [sys.executable, "-c", probe],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "LOADED []" in result.stdout
