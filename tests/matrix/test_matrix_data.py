"""The committed matrix data (matrix/results/) is valid and agrees with the code.

`make matrix` is run on demand, so its data can go stale or be edited. These checks are
cheap (no torch install, no page run):

* every result file follows matrix/result.schema.json, matches its digest, was measured
  on the code its fingerprints name (now, or at the commit each page names) and tells a
  consistent story (matrix/validation.py); a failure names the file;
* the installed torch's column was measured on exactly the code the pages show now,
  with the installed numpy, and says what the page tests check on every run: every
  behaviour held, nothing raised, every output as shown.

Set MATRIX_RERUN=1 to also rerun every page in a reader's interpreter of the installed
torch (a few minutes) and compare.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tomllib
from importlib import metadata

import pytest

from matrix import validation
from matrix.driver import RELEASES, RESULTS, measure, programs, releases
from site_build import version_ranges
from tests.conftest import ROOT

REFRESH = (
    'run `make matrix RELEASES="{torch}"` (or the whole `make matrix`) and commit '
    "matrix/results/"
)


@pytest.fixture(scope="module")
def installed() -> str:
    return str(version_ranges.release(metadata.version("torch")))


@pytest.fixture(scope="module")
def current():
    return {program.page: program for program in programs()}


@pytest.fixture(scope="module")
def column(installed):
    path = RESULTS / f"torch-{installed}.json"
    if not path.exists():
        pytest.fail(
            f"{path.relative_to(ROOT)} is missing: no matrix data for the installed "
            f"torch; " + REFRESH.format(torch=installed),
            pytrace=False,
        )
    return version_ranges.read_result(path)


def test_the_release_list_holds_the_pinned_torch():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    pins = pyproject["project"]["dependencies"]
    (pinned,) = [
        re.sub(r"^torch==", "", pin) for pin in pins if pin.startswith("torch==")
    ]
    assert pinned in [torch for torch, _ in releases()], (
        f"{RELEASES.name} must list the pinned torch {pinned}"
    )


def test_there_is_a_result_file_per_listed_release_and_no_other():
    listed = {torch for torch, _ in releases()}
    files = {f.stem.removeprefix("torch-") for f in RESULTS.glob("torch-*.json")}
    assert files == listed, (
        f"matrix/results/ has no file for {sorted(listed - files)} and files for "
        f"releases not in {RELEASES.name}: {sorted(files - listed)}"
    )


@pytest.mark.parametrize(
    "path", sorted(RESULTS.glob("torch-*.json")), ids=lambda path: path.name
)
def test_every_committed_result_is_valid(path, current):
    problems = validation.problems(path, current, ROOT)
    assert not problems, f"{path.relative_to(ROOT)}:\n" + "\n".join(
        f"  - {problem}" for problem in problems
    )


def test_a_status_edited_by_hand_or_a_corrupted_fingerprint_fails_validation(
    tmp_path, current, installed
):
    original = RESULTS / f"torch-{installed}.json"
    result = version_ranges.read_result(original)
    flipped = json.loads(json.dumps(result))
    name = next(n for n, status in flipped["behaviours"].items() if status == "held")
    flipped["behaviours"][name] = "failed"
    path = tmp_path / original.name
    path.write_text(json.dumps(flipped), encoding="utf-8")
    assert any("digest" in p for p in validation.problems(path, current, ROOT))
    # Sealed again with a fresh digest, the story no longer holds together.
    version_ranges.write_result(path, flipped)
    assert any("without a note" in p for p in validation.problems(path, current, ROOT))
    corrupted = json.loads(json.dumps(result))
    page = next(iter(corrupted["pages"]))
    corrupted["pages"][page]["fingerprint"] = "0" * 16
    version_ranges.write_result(path, corrupted)
    assert any(
        f"{page}: its fingerprint" in p
        for p in validation.problems(path, current, ROOT)
    )


def test_a_file_named_for_another_release_fails_validation(
    tmp_path, current, installed
):
    path = tmp_path / "torch-9.9.9.json"
    shutil.copy(RESULTS / f"torch-{installed}.json", path)
    assert any("is named" in p for p in validation.problems(path, current, ROOT))


def test_the_installed_torchs_column_was_measured_on_the_code_shown_now(
    column, current, installed
):
    measured = {page: record["fingerprint"] for page, record in column["pages"].items()}
    stale = sorted(
        page for page in current if measured.get(page) != current[page].fingerprint()
    )
    gone = sorted(set(measured) - set(current))
    assert not stale and not gone, (
        f"matrix/results/torch-{installed}.json was measured on other code than these "
        f"pages show now: {', '.join(stale + gone)}; " + REFRESH.format(torch=installed)
    )
    assert column["versions"]["numpy"] == metadata.version("numpy"), (
        f"the matrix ran torch {installed} with numpy {column['versions']['numpy']}, "
        f"the site has {metadata.version('numpy')}; " + REFRESH.format(torch=installed)
    )


def test_the_installed_torchs_column_says_what_the_page_runs_check(
    column, current, installed
):
    # The page tests (docs/*.md) fail unless every assertion holds and every output is
    # as shown on the installed torch; the data measured on the same code must agree.
    expected = {b.id for program in current.values() for b in program.behaviours}
    assert set(column["behaviours"]) == expected
    not_held = {n: s for n, s in column["behaviours"].items() if s != "held"}
    assert not not_held, f"torch {installed} column: {not_held}"
    records = {
        page: {
            kind: entries
            for kind, entries in record.items()
            if kind in KINDS and entries
        }
        for page, record in column["pages"].items()
    }
    assert not any(records.values()), f"torch {installed} column: {records}"


KINDS = ("raised", "output_differs", "not_applicable")


@pytest.mark.skipif(
    os.environ.get("MATRIX_RERUN") != "1",
    reason="set MATRIX_RERUN=1 to rerun every page (minutes)",
)
@pytest.mark.timeout(1800)
def test_a_rerun_on_the_installed_torch_gives_the_committed_column(column, tmp_path):
    from tests.built_site.reader_env import build_reader

    reader = build_reader(tmp_path / "reader")
    rerun = measure(reader.python, programs())
    assert rerun["behaviours"] == column["behaviours"]
    assert rerun["notes"] == column["notes"]
    for page, record in rerun["pages"].items():
        assert {k: record[k] for k in KINDS} == {
            k: column["pages"][page][k] for k in KINDS
        }
