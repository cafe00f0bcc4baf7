"""The committed matrix data (matrix/results/) agrees with the code the pages show today.

`make matrix` is run on demand, so its data can go stale. These checks are cheap (no
torch install, no page run): the column of the installed torch must have been measured
on exactly the code the pages show now (a fingerprint per page: the shown code, the
declared minimum releases, the behaviours and where they stand), with the installed numpy,
and it must say what the page tests check on every run: every behaviour held, nothing
raised, every output as shown. So when a page's behaviour or code changes and the data
is not refreshed, this fails and names the page. Set MATRIX_RERUN=1 to also rerun every
page in a reader's interpreter of the installed torch (a few minutes) and compare.
"""

from __future__ import annotations

import os
import re
import tomllib
from importlib import metadata

import pytest

from matrix.driver import RELEASES, RESULTS, measure, programs, releases
from site_build.version_ranges import load_matrix
from tests.conftest import ROOT

REFRESH = 'run `make matrix RELEASES="{torch}"` (or the whole `make matrix`) and commit matrix/results/'


def _release(version: str) -> str:
    return version.split("+")[0]


@pytest.fixture(scope="module")
def installed() -> str:
    return _release(metadata.version("torch"))


@pytest.fixture(scope="module")
def current():
    return {program.page: program for program in programs()}


@pytest.fixture(scope="module")
def column(installed):
    path = RESULTS / f"torch-{installed}.json"
    if not path.exists():
        pytest.fail(
            f"{path.relative_to(ROOT)} is missing: no matrix data for the installed torch; "
            + REFRESH.format(torch=installed),
            pytrace=False,
        )
    import json

    return json.loads(path.read_text(encoding="utf-8"))


def test_the_release_list_holds_the_pinned_torch():
    pins = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))[
        "project"
    ]["dependencies"]
    (pinned,) = [
        re.sub(r"^torch==", "", pin) for pin in pins if pin.startswith("torch==")
    ]
    assert pinned in [torch for torch, _ in releases()], (
        f"{RELEASES.name} must list the pinned torch {pinned}"
    )


def test_the_installed_torchs_column_was_measured_on_the_code_shown_now(
    column, current, installed
):
    measured = column.get("fingerprints", {})
    stale = sorted(
        page for page in current if measured.get(page) != current[page].fingerprint()
    )
    gone = sorted(set(measured) - set(current))
    assert not stale and not gone, (
        f"matrix/results/torch-{installed}.json was measured on other code than these pages show now: "
        f"{', '.join(stale + gone)}; " + REFRESH.format(torch=installed)
    )
    assert column["versions"]["numpy"] == metadata.version("numpy"), (
        f"the matrix ran torch {installed} with numpy {column['versions']['numpy']}, the site has "
        f"{metadata.version('numpy')}; " + REFRESH.format(torch=installed)
    )


def test_the_installed_torchs_column_says_what_the_page_runs_check(
    column, current, installed
):
    # The page tests (docs/*.md) fail unless every assertion holds and every output is as shown
    # on the installed torch; the data measured on the same code must say the same.
    expected = {
        behaviour.id for program in current.values() for behaviour in program.behaviours
    }
    assert set(column["behaviours"]) == expected
    not_held = {
        name: status
        for name, status in column["behaviours"].items()
        if status != "held"
    }
    assert not not_held, f"torch {installed} column: {not_held}"
    assert column["pages"] == {}, (
        f"torch {installed} column: raised or printed otherwise: {column['pages']}"
    )


def test_every_behaviour_of_the_specification_has_a_column_per_release(current):
    matrix = load_matrix(ROOT)
    assert matrix.releases, "matrix/results/ holds no data: run `make matrix`"
    for program in current.values():
        for behaviour in program.behaviours:
            assert matrix.column(behaviour.id), (
                f"{behaviour.id}: not in matrix/results/"
            )


@pytest.mark.skipif(
    os.environ.get("MATRIX_RERUN") != "1",
    reason="set MATRIX_RERUN=1 to rerun every page (minutes)",
)
@pytest.mark.timeout(1800)
def test_a_rerun_on_the_installed_torch_gives_the_committed_column(column, tmp_path):
    from tests.site.reader_env import build_reader

    reader = build_reader(tmp_path / "reader")
    rerun = measure(reader.python, programs())
    assert rerun["behaviours"] == column["behaviours"]
    assert rerun["pages"] == column["pages"]


def test_the_specification_page_says_on_which_releases_each_behaviour_holds(project):
    from site_build.specification import specification_markdown

    page = project.docs_dir / "regularisation.md"
    text = specification_markdown(
        project, [("Regularisation", page)], project.docs_dir / "specification.md"
    )
    assert "Each behaviour ends with the torch releases on which it holds" in text
    (adam,) = [
        line
        for line in text.splitlines()
        if "Adam(decoupled_weight_decay=True)" in line
    ]
    # Measured, not typed: the section declares 2.7 and the data has it holding from 2.7 on.
    assert "*(since torch 2.7)*" in adam, adam
    behaviours = [line for line in text.splitlines() if line.startswith("- ")]
    assert behaviours and all(" *(" in line for line in behaviours)


def test_a_declared_oldest_release_is_one_on_which_the_section_works(current):
    # A section declares the oldest torch it needs ({: data-torch-min="2.7" }); from that release
    # on, the matrix must have measured its behaviours holding (a declaration too old fails here).
    from site_build.version_ranges import release_key

    matrix = load_matrix(ROOT)
    for program in current.values():
        for behaviour in program.behaviours:
            minimum = program.chunks[behaviour.chunk].min_torch
            if minimum is None:
                continue
            column = matrix.column(behaviour.id)
            newer = {
                r: s
                for r, s in column.items()
                if release_key(r) >= release_key(minimum)
            }
            assert newer and set(newer.values()) == {"held"}, (
                f"{behaviour.id} (declares {minimum}): {newer}"
            )
