"""The standalone runner as the matrix uses it: it goes on after an exception, marks what ran
after it and skips what needs a newer torch (the reader's use, stopping at the first
exception, is checked in tests/site/test_reader_runs.py)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from matrix.driver import RUNNER
from matrix.pages import minimums
from site_build.version_ranges import Matrix, describe


def _run(tmp_path: Path, chunks: list[dict]) -> dict:
    program = {"name": "fixture", "after_error": "continue", "chunks": chunks}
    (tmp_path / "program.json").write_text(json.dumps(program), encoding="utf-8")
    subprocess.run(
        [sys.executable, "-I", str(RUNNER), "program.json", "report.json"],
        cwd=tmp_path,
        check=False,
    )
    return json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))


def test_the_run_goes_on_after_an_exception_and_marks_what_followed(tmp_path):
    report = _run(
        tmp_path,
        [
            {
                "label": "a",
                "code": "x = 1\nprint(x)\nraise KeyError('k')\nprint(x + 1)\n",
            },
            {"label": "b", "code": "assert x == 1\n"},
        ],
    )
    first, second = report["chunks"]
    assert [s["stdout"] for s in first["statements"]] == ["", "1\n", "", "2\n"]
    assert [s["after_error"] for s in first["statements"]] == [
        False,
        False,
        False,
        True,
    ]
    error = first["statements"][2]["error"]
    assert (error["line"], error["type"], error["message"]) == (3, "KeyError", "'k'")
    assert error["traceback"].endswith("KeyError: 'k'\n")
    assert (
        second["statements"][0]["after_error"]
        and second["statements"][0]["error"] is None
    )


def test_a_chunk_that_needs_a_newer_torch_is_not_run(tmp_path):
    report = _run(
        tmp_path,
        [
            {
                "label": "new",
                "code": "raise SystemExit('must not run')\n",
                "min_versions": {"torch": "999.0"},
            },
            {"label": "any", "code": "print('ran')\n", "min_versions": {}},
        ],
    )
    assert report["chunks"][0] == {
        "label": "new",
        "not_applicable": True,
        "statements": [],
        "error": None,
    }
    assert report["chunks"][1]["statements"][0] == {
        "first": 1,
        "last": 1,
        "after_error": False,
        "error": None,
        "stdout": "ran\n",
        "stderr": "",
    }


def test_minimums_come_from_front_matter_and_heading_attributes():
    text = textwrap.dedent("""\
        ---
        torch_min: "2.1"
        ---
        # Page
        ## Old {: data-torch-min="2.7" }
        ### Inside
        ```python
        # a comment, not a heading { data-torch-min="9.0" }
        ```
        ## Next
        """)
    found = minimums(text)
    assert (
        found[4] == "2.1"
        and found[5] == "2.7"
        and found[6] == "2.7"
        and found[8] == "2.7"
    )
    assert found[10] == "2.1"


def test_version_ranges_in_words():
    matrix = Matrix(("2.0.1", "2.1.2", "2.7.1", "2.8.0"), {}, ())
    assert (
        describe(matrix, dict.fromkeys(matrix.releases, "held")) == "torch 2.0 to 2.8"
    )
    since = {
        "2.0.1": "not_applicable",
        "2.1.2": "not_applicable",
        "2.7.1": "held",
        "2.8.0": "held",
    }
    assert describe(matrix, since) == "since torch 2.7"
    gap = {"2.0.1": "held", "2.1.2": "failed", "2.7.1": "held", "2.8.0": "after_error"}
    assert describe(matrix, gap) == "torch 2.0, 2.7; fails on 2.1; not measured on 2.8"
    assert describe(matrix, {}) == "not measured yet (run `make matrix`)"
