"""The Specification page and the upgrade guide say what the data says, and no more.

A fixture project (one page, three behaviours) gets result files for three releases
written by hand through version_ranges.write_result, then both pages are generated
from them: a behaviour is dated ("since") only where the data shows it failing on the
release before, and a cell that is not applicable or not measured is said to be so.
"""

from __future__ import annotations

import pytest

from executable_docs.project import load_project
from site_build import version_ranges
from site_build.specification import specification_markdown, upgrade_markdown
from site_build.version_ranges import Matrix, describe
from tests.matrix.projects import write_project

PAGE = """\
    # Page

    ## Shown here

    ``` python
    --8<-- "snippets/t/code.py:all"
    ```
    """

SNIPPET = """\
    # --8<-- [start:all]
    x = 1
    # Spec: always
    assert x == 1
    # Spec: changed
    assert x + 1 == 2
    # Spec: new api
    assert x * 1 == 1
    # --8<-- [end:all]
    """

RELEASES = ("2.0.1", "2.1.2", "2.2.2")
COLUMNS = {
    "docs/page.md: always": ["held", "held", "held"],
    "docs/page.md: changed": ["failed", "held", "held"],
    "docs/page.md: new api": ["not_applicable", "after_error", "held"],
}


def _note(status: str) -> dict | None:
    return {
        "failed": {"at": "snippets/t/code.py:6", "why": "AssertionError: "},
        "not_applicable": {"at": "snippets/t/code.py:8", "why": "needs torch 2.1 (f)"},
        "after_error": {"at": "snippets/t/code.py:2", "why": "NameError: y"},
        "held": None,
    }[status]


@pytest.fixture
def project(tmp_path):
    root = write_project(tmp_path, PAGE, SNIPPET)
    (root / version_ranges.RESULTS).mkdir(parents=True)
    for index, torch in enumerate(RELEASES):
        statuses = {name: column[index] for name, column in COLUMNS.items()}
        result = {
            "torch": torch,
            "pages": {
                "docs/page.md": {
                    "date": f"2026-12-0{index + 1} 10:00 UTC",
                    "output_differs": (
                        ["snippets/t/code.py:2: shown '1', printed '2'"]
                        if index == 0
                        else []
                    ),
                }
            },
            "behaviours": statuses,
            "notes": {n: _note(s) for n, s in statuses.items() if s != "held"},
        }
        version_ranges.write_result(
            root / version_ranges.RESULTS / f"torch-{torch}.json", result
        )
    return load_project(root / "mkdocs.yml")


def _generate(project, make) -> str:
    pages = [("Page", project.docs_dir / "page.md")]
    return make(project, pages, project.docs_dir / "generated.md")


def test_the_specification_dates_only_what_the_data_shows_failing_before():
    matrix = Matrix(RELEASES, {}, {}, {}, ())
    words = {
        name: describe(matrix, dict(zip(RELEASES, c))) for name, c in COLUMNS.items()
    }
    assert words == {
        "docs/page.md: always": "torch 2.0 to 2.2",
        "docs/page.md: changed": "since torch 2.1; fails on 2.0",
        "docs/page.md: new api": (
            "torch 2.2; not applicable on 2.0; not measured on 2.1"
        ),
    }
    assert describe(matrix, {}) == "not measured yet (run `make matrix`)"


def test_the_specification_puts_the_behaviours_that_differ_in_one_table(project):
    text = _generate(project, specification_markdown)
    assert "1 of the 3 behaviours hold on all of them. The 2 whose status" in text
    table = text.split("## Behaviours that differ across releases")[1].split("## Page")[
        0
    ]
    assert "| Behaviour | 2.0 | 2.1 | 2.2 |" in table
    assert "| [Page: changed](page.md#shown-here) | ✗ | ✓ | ✓ |" in table
    assert "| [Page: new api](page.md#shown-here) | n/a | – | ✓ |" in table
    assert "always" not in table
    folded = text.split("## Page")[1]
    assert '??? note "3 behaviours, each holding on torch 2.0 to 2.2 unless dated"' in (
        folded
    )
    assert "    - always ([shown here](page.md#shown-here)): `assert x == 1`" in folded
    assert "    - changed *(since torch 2.1; fails on 2.0)*" in folded


def test_the_upgrade_guide_lists_each_change_with_before_and_after(project):
    text = _generate(project, upgrade_markdown)
    newest_first = text.index("## torch 2.2"), text.index("## torch 2.1")
    assert newest_first[0] < newest_first[1]
    release_21 = text.split("## torch 2.1")[1]
    assert "- [Page: changed](page.md#shown-here)  \n" in release_21
    assert "  2.0: fails (its assertion is false); 2.1: holds" in release_21
    assert "2.0: `shown '1', printed '2'`; 2.1: as the page shows" in release_21
    # Not measured on 2.1: no change is claimed between 2.1 and 2.2, nor 2.0 and 2.1.
    assert "new api" not in text.split("## torch 2.2")[1].split("## torch 2.1")[0]
    from_20 = text.split('=== "From 2.0"')[1].split("=== ")[0]
    assert (
        "| [Page: changed](page.md#shown-here) | fails (its assertion is false) | "
        in (from_20)
    )
    assert "2.1: holds |" in from_20
    from_21 = text.split('=== "From 2.1"')[1]
    assert "No documented behaviour changes from 2.1 to 2.2." in from_21
