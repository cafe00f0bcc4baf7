"""The release canary: what it compares, what it prints, the workflow that runs it."""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

from matrix import canary
from matrix.driver import measure, programs
from tests.conftest import ROOT
from tests.matrix.projects import write_project

PAGE = """\
    # Page

    ## Kinks

    ``` python
    --8<-- "snippets/t/code.py:all"
    ```
    """

SNIPPET = """\
    # --8<-- [start:all]
    x = 2
    print(x)
    # > 2
    # Spec: x is two
    assert x == 2
    # --8<-- [end:all]
    """


def _measured(root: Path) -> dict:
    return measure(Path(sys.executable), programs(root=root))


def test_the_canary_names_each_behaviour_and_output_that_differs(tmp_path):
    committed = _measured(write_project(tmp_path / "then", PAGE, SNIPPET)) | {
        "torch": "2.14.1"
    }
    changed = SNIPPET.replace("x = 2", "x = 3")  # as if torch now gave 3
    now_root = write_project(tmp_path / "now", PAGE, changed)
    now = _measured(now_root)
    # The committed result was measured on the same code as the canary runs.
    committed["pages"]["docs/page.md"]["fingerprint"] = now["pages"]["docs/page.md"][
        "fingerprint"
    ]
    found, remarks = canary.differences(
        now, "2.15.0", [committed], programs(root=now_root)
    )
    assert remarks == []
    assert [(d.page, d.section, d.what) for d in found] == [
        ("docs/page.md", "Kinks", "x is two"),
        ("docs/page.md", "Kinks", "the output of snippets/t/code.py:3"),
    ]
    assert found[0].before == "2.14: held"
    assert found[0].after == ("2.15: failed (snippets/t/code.py:6: AssertionError: )")
    assert found[1].after == "2.15: shown '2', printed '3'"
    printed = canary.report("2.15.0", found, remarks, markdown=False)
    assert printed.startswith(
        "torch 2.15.0: 2 documented behaviours and outputs differ"
    )
    assert "- docs/page.md › Kinks: x is two\n  - 2.14: held\n" in printed
    assert canary.report("2.15.0", found, remarks, markdown=True).startswith("## ")


def test_a_page_whose_code_changed_since_the_result_is_not_compared(tmp_path):
    root = write_project(tmp_path, PAGE, SNIPPET)
    committed = _measured(root) | {"torch": "2.14.1"}
    committed["pages"]["docs/page.md"]["fingerprint"] = "0" * 16
    found, remarks = canary.differences(
        _measured(root), "2.15.0", [committed], programs(root=root)
    )
    assert found == []
    assert remarks == [
        "docs/page.md: no committed result was measured on its code now; not compared"
    ]


def test_the_workflow_runs_the_canary_weekly_on_the_newest_release_and_the_nightly():
    workflow = yaml.safe_load(
        (ROOT / ".github/workflows/canary.yml").read_text(encoding="utf-8")
    )
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as True
    assert len(triggers["schedule"]) == 1
    _, _, day, month, weekday = triggers["schedule"][0]["cron"].split()
    assert (day, month) == ("*", "*") and weekday.isdigit()  # once a week
    job = workflow["jobs"]["canary"]
    assert [entry["canary"] for entry in job["strategy"]["matrix"]["include"]] == [
        "",
        "--nightly",
    ]
    run = " ".join(step.get("run", "") for step in job["steps"])
    assert "python -m matrix.canary ${{ matrix.canary }}" in run
    assert '--summary "$GITHUB_STEP_SUMMARY"' in run
