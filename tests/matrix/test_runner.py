"""The standalone runner as the matrix uses it: it goes on after an exception and marks
what ran after it (the reader's use, stopping at the first exception, is checked in
tests/built_site/test_reader_runs.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from matrix.driver import RUNNER


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
