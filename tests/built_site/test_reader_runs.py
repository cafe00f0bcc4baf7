"""What a reader takes away runs in the reader's Python and prints what the page shows.

The reader's Python (reader_env.py) has torch, numpy and matplotlib and nothing of
this project. Into it go, each in a fresh process
(executable_docs/standalone_runner.py):

* the copy-button code of every block of a page, in page order, in one session,
  together with the block's checks at their original lines (the copy button copies
  lesson code only: site_build/lesson_code.py), so every check still runs there;
* the code cells of the page's downloaded notebooks (the learner's and the one with
  the exercises' solutions), top to bottom, the install cell aside, each with the
  ``# >`` lines of the page's block it comes from (a notebook shows real output).

The copied code must be exactly the code that ran without its checks and its ``# >``
lines (test_copied_code_is_the_code_that_ran_without_its_checks_and_outputs).

Each statement's printed output is compared with the ``# >`` lines under it by the
harness's own rules. A failure names the page (or notebook cell), the block and its
page line, the snippet line, and the difference.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from executable_docs import expected_output
from site_build.lesson_code import split_lesson_code
from site_build.notebooks import notebook_name, solutions_name
from tests.built_site.conftest import DOCS_PAGES, PAGE_IDS
from tests.built_site.reader_checks import ReaderChunk, differences, program
from tests.built_site.reader_env import run_in_reader
from tests.conftest import ROOT

# The first test here waits for every reader run (a session fixture, about half a minute
# on two idle cores, more on a busy machine); each run has its own limit
# (reader_env.run_in_reader).
pytestmark = pytest.mark.timeout(1800)


def _run(reader_runs, reader_programs, name):
    if name not in reader_programs:
        pytest.skip(f"{name}: nothing to run (the page shows no executable Python)")
    report = reader_runs["reports"][name]
    problems = differences(reader_programs[name], report)
    if problems:
        pytest.fail(
            f"{name}, in a Python with only torch, numpy and matplotlib:\n\n"
            + "\n\n".join(problems),
            pytrace=False,
        )


@pytest.mark.parametrize("page", DOCS_PAGES, ids=PAGE_IDS)
def test_copied_code_runs_in_the_readers_python_with_the_outputs_shown(
    rendered, reader_runs, reader_programs, page
):
    _run(reader_runs, reader_programs, f"page {rendered(page).url}")


@pytest.mark.parametrize("page", DOCS_PAGES, ids=PAGE_IDS)
def test_copied_code_is_the_code_that_ran_without_its_checks_and_outputs(
    rendered, collected, reader_programs, project, page
):
    view = rendered(page)
    ran = collected(page)
    assert len(view.executable_blocks) == len(ran), (
        f"{view.url}: {len(view.executable_blocks)} blocks shown, {len(ran)} ran"
    )
    chunks = reader_programs.get(f"page {view.url}", [])
    for position, (block, (source, expanded)) in enumerate(
        zip(view.executable_blocks, ran)
    ):
        origin = f"{project.relative(source.page)}:{source.line}"
        where = f"{view.url} block {block.index} ({origin})"
        split = split_lesson_code(expanded.code)
        assert block.code.strip("\n") == split.code.strip("\n"), (
            f"{where}: the copy button copies other code than the lesson code that ran"
        )
        for line in block.code.splitlines():
            assert not expected_output.is_output_line(line), f"{where}: copies {line!r}"
            assert not line.lstrip().startswith("# Spec:"), f"{where}: copies {line!r}"
        # ... and the reader runs that code with the checks and outputs back in place:
        assert chunks[position].code == expanded.code, (
            f"{where}: the reader does not run the code that ran"
        )


@pytest.mark.parametrize("solutions", [False, True], ids=["", "solutions"])
@pytest.mark.parametrize("page", DOCS_PAGES, ids=PAGE_IDS)
def test_downloaded_notebook_runs_in_the_readers_python_with_the_outputs_shown(
    site, project, reader_runs, reader_programs, page, solutions
):
    """The learner's notebook, and the one with the solutions: checks and all."""
    name = notebook_name(page.relative_to(project.docs_dir))
    name = solutions_name(name) if solutions else name
    _run(reader_runs, reader_programs, f"notebook downloads/{name}.ipynb")


def test_the_readers_python_has_torch_and_numpy_and_not_the_project(reader):
    report = run_in_reader(
        reader,
        program("probe", [ReaderChunk("probe", "import torch, numpy, matplotlib\n")]),
    )
    assert report["completed"], report["chunks"]
    assert report["importable"] == {"snippets": False, "executable_docs": False}
    # Past the standard library's three entries: the venv's site-packages, nothing of
    # this checkout (wherever it is) and nothing else.
    assert not any(
        Path(entry).resolve().is_relative_to(ROOT)
        or "site-packages" not in entry
        and "python3" not in entry
        for entry in report["sys_path"][3:]
    ), report["sys_path"]


def test_a_wrong_output_is_reported_with_block_line_and_difference(reader):
    code = (
        "import torch\n\nprint(torch.tensor([0.25, 2.0]))\n"
        "# > tensor([0.2500, 2.5000])\nprint('done')\n# > done\n"
    )
    chunks = [ReaderChunk("/fixture/ block 1 (docs/fixture.md:12)", code)]
    problems = differences(chunks, run_in_reader(reader, program("fixture", chunks)))
    assert len(problems) == 1
    assert problems[0].startswith(
        "/fixture/ block 1 (docs/fixture.md:12): printed output differs"
    )
    assert "! expected: tensor([0.2500, 2.5000])" in problems[0]
    assert "! printed:  tensor([0.2500, 2.0000])" in problems[0]
    assert "> 3 | print(torch.tensor([0.25, 2.0]))" in problems[0]


def test_an_import_of_the_project_fails_in_the_readers_python(reader):
    chunks = [
        ReaderChunk("/fixture/ block 1 (docs/fixture.md:3)", "import torch\n"),
        ReaderChunk(
            "/fixture/ block 2 (docs/fixture.md:9)",
            "x = 1\nfrom snippets.regression_data import make_regression_data\n",
        ),
        ReaderChunk("/fixture/ block 3 (docs/fixture.md:15)", "print(x)\n# > 1\n"),
    ]
    report = run_in_reader(reader, program("fixture", chunks))
    assert not report["completed"]
    assert report["chunks"][2]["not_run"]
    (problem,) = differences(chunks, report)
    assert problem.startswith(
        "/fixture/ block 2 (docs/fixture.md:9): the code raised ModuleNotFoundError"
    )
    assert "No module named 'snippets'" in problem


def test_a_print_without_output_lines_and_output_lines_without_a_print_are_reported(
    reader,
):
    chunks = [
        ReaderChunk(
            "/fixture/ block 1 (docs/fixture.md:3)", "print('surprise')\nx = 1\n# > 1\n"
        )
    ]
    problems = differences(chunks, run_in_reader(reader, program("fixture", chunks)))
    assert any(
        "prints, but no '# >' lines follow it" in problem for problem in problems
    ), problems
    assert any("printed nothing" in problem for problem in problems), problems
