"""Every cached result is keyed on what its run read, and reused only when it is the
complete, passing result of those inputs: change any one input, or the stored result,
and it is made anew. Tests per cached kind: figures, notebooks, reader runs, whole-file
runs, browser visits (the report cache itself: tests/test_result_cache.py).

These run on throw-away projects and made-up reports, without the built site.
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import textwrap
import threading
from pathlib import Path

import matplotlib
import nbformat
import pytest

from executable_docs.build_cache import (
    MANIFEST,
    ContentCache,
    Reads,
    fingerprints,
    recording,
)
from executable_docs.project import load_project
from site_build import figures, notebooks
from tests.browser.conftest import PageReport, page_report_problem
from tests.built_site.conftest import reader_report_problem
from tests.built_site.reader_checks import (
    ReaderChunk,
    disagreements,
    kernel_disagreements,
    program,
)
from tests.built_site.reader_env import run_in_reader
from tests.built_site.test_build_cache import TINY_FIGURE
from tests.conftest import ROOT
from tests.docs_fixture import MKDOCS_YML as FIXTURE_MKDOCS_YML
from tests.snippets import test_snippet_files as whole_files


def write(root: Path, relative: str, text: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def entries(folder: Path) -> dict[str, str]:
    """The cache's entries, by name, with their manifest (what the entry was made from,
    with its digests): a rebuilt entry has another name or another manifest."""
    return {entry.name: (entry / MANIFEST).read_text() for entry in folder.iterdir()}


# -- Figures ---------------------------------------------------------------------------

FIGURE = TINY_FIGURE  # the figure module of the build-cache tests
# The snippet reads a data file: nothing but the recording of what it opened knows that.
SNIPPET = """\
from pathlib import Path

values = [int(v) for v in Path("snippets/values.txt").read_text().split()]
"""


@pytest.fixture
def figure_root(tmp_path, monkeypatch):
    write(tmp_path, "snippets/tiny.py", SNIPPET)
    write(tmp_path, "snippets/values.txt", "1 3 2\n")
    write(tmp_path, "snippets/demo/figures/tiny.py", FIGURE)
    monkeypatch.chdir(tmp_path)  # as mkdocs runs: matplotlib reads ./matplotlibrc
    monkeypatch.delenv("MATPLOTLIBRC", raising=False)
    return tmp_path


def _drawn(root: Path) -> tuple[str, dict[str, int]]:
    alt = figures.draw_all(root, "2.13.0")["tiny"].alt
    return alt, entries(root / figures.CACHE_DIR)


def test_a_figure_is_drawn_anew_when_any_input_changes_and_only_then(
    figure_root, monkeypatch
):
    alt, first = _drawn(figure_root)
    assert alt == "3 values" and _drawn(figure_root) == (alt, first), "unchanged"

    write(figure_root, "snippets/values.txt", "1 3 2 5\n")  # a file the snippet opens
    alt, second = _drawn(figure_root)
    assert alt == "4 values" and second != first

    # matplotlib's configuration: a matplotlibrc where matplotlib looks for one ...
    write(figure_root, "matplotlibrc", "lines.linewidth: 3\n")
    assert _drawn(figure_root)[1] != second
    (figure_root / "matplotlibrc").unlink()
    # ... or its settings as the drawing gets them
    with matplotlib.rc_context({"lines.linewidth": 3}):
        third = _drawn(figure_root)[1]
    assert third != second

    assert _drawn(figure_root)[1] != third, "and back: drawn again"
    fourth = _drawn(figure_root)[1]
    monkeypatch.setenv("MPLCONFIGDIR", str(figure_root / "mplconfig"))
    assert _drawn(figure_root)[1] != fourth, "an environment variable that reaches it"
    fifth = _drawn(figure_root)[1]
    monkeypatch.setenv("SOME_SHELLS_VARIABLE", "1")
    assert _drawn(figure_root)[1] == fifth, "a variable that reaches no drawing"
    # A pytest-xdist worker's share of the threads: its pages find the build's drawings.
    monkeypatch.setenv("OMP_NUM_THREADS", "7")
    assert _drawn(figure_root)[1] == fifth, "the thread pool's size"
    # Set by torch in the build's own process when a drawing's optimizer first steps.
    monkeypatch.setenv("TORCHINDUCTOR_CACHE_DIR", str(figure_root / "inductor"))
    assert _drawn(figure_root)[1] == fifth, "a folder torch names for itself"
    monkeypatch.setenv("PYTHONHASHSEED", "7")
    assert _drawn(figure_root)[1] != fifth, "a variable that reaches the drawing code"


def test_a_cached_drawing_edited_by_hand_is_drawn_anew(figure_root):
    _, first = _drawn(figure_root)
    (name,) = first
    svg = figure_root / figures.CACHE_DIR / name / "light.svg"
    svg.write_text("<svg>edited</svg>")
    drawn = figures.draw_all(figure_root, "2.13.0")["tiny"]
    assert drawn.svgs["light"].startswith(b"<?xml")
    assert svg.read_bytes() == drawn.svgs["light"]


# -- Notebooks -------------------------------------------------------------------------

MKDOCS_YML = FIXTURE_MKDOCS_YML.replace(
    "docs_dir: docs", "site_url: https://example.org/fixture/\ndocs_dir: docs"
)
EXAMPLE = """\
# --8<-- [start:main]
print(sum([1, 2]))
# > 3
# --8<-- [end:main]
"""
PAGE = """\
# Fixture

``` python
--8<-- "snippets/demo/example.py:main"
```
"""


@pytest.fixture
def project(tmp_path):
    write(tmp_path, "mkdocs.yml", MKDOCS_YML)
    write(tmp_path, "snippets/demo/example.py", EXAMPLE)
    write(tmp_path, "docs/page.md", PAGE)
    load_project.cache_clear()
    yield load_project(tmp_path / "mkdocs.yml")
    load_project.cache_clear()


def _notebook(project):
    page = project.docs_dir / "page.md"
    return notebooks.page_notebook(project, page, project.site_url, "9.9.9")


def test_the_notebook_key_changes_with_the_executors_settings_and_environment(
    project, tmp_path, monkeypatch
):
    key = _notebook(project).cache_key("9.9.9")
    # The executor's settings live in notebooks.py: a 1-second cell timeout is another
    # key.
    source = Path(notebooks.__file__).read_text(encoding="utf-8")
    assert "CELL_TIMEOUT_SECONDS = 300" in source
    edited = write(
        tmp_path,
        "notebooks.py",
        source.replace("CELL_TIMEOUT_SECONDS = 300", "CELL_TIMEOUT_SECONDS = 1"),
    )
    monkeypatch.setattr(notebooks, "__file__", str(edited))
    assert _notebook(project).cache_key("9.9.9") != key
    monkeypatch.undo()
    assert _notebook(project).cache_key("9.9.9") == key
    monkeypatch.setenv("OMP_NUM_THREADS", "7")  # the kernel inherits it
    assert _notebook(project).cache_key("9.9.9") != key
    monkeypatch.undo()
    monkeypatch.setenv("SOME_SHELLS_VARIABLE", "1")
    assert _notebook(project).cache_key("9.9.9") == key


def test_a_cached_notebook_edited_by_hand_is_executed_anew(project):
    notebook = _notebook(project)
    path = notebooks.execute_all([notebook], project.root, "9.9.9")["page"].notebook
    executed = nbformat.read(path, as_version=4)
    (cell,) = [cell for cell in executed.cells if "sum(" in cell.source]
    assert cell.outputs[0]["text"] == "3\n"
    cell.outputs[0]["text"] = "4\n"  # what a hand edit would publish
    nbformat.write(executed, path)
    path = notebooks.execute_all([notebook], project.root, "9.9.9")["page"].notebook
    cells = nbformat.read(path, as_version=4).cells
    (cell,) = [cell for cell in cells if "sum(" in cell.source]
    assert cell.outputs[0]["text"] == "3\n"
    gc.collect()  # a socket the kernel left open would fail here, not in a later test


def test_a_cached_notebook_that_did_not_run_to_its_end_is_not_reused(project):
    notebook = _notebook(project)
    stub = nbformat.reads(notebook.content(), as_version=4)  # never executed

    def unexecuted(folder: Path) -> None:
        (folder / notebooks.NOTEBOOK_FOLDER).mkdir()
        nbformat.write(stub, folder / notebooks.NOTEBOOK_FOLDER / "page.ipynb")

    cache = ContentCache(project.root / notebooks.CACHE_DIR)
    key = notebook.cache_key("9.9.9")
    cache.store(key, unexecuted)
    assert cache.lookup(key, check=notebook.executed_problem) is None
    assert cache.rejected[key].endswith("did not run, or raised")


# -- Reader runs -----------------------------------------------------------------------

CHUNKS = [
    ReaderChunk("/p/ block 1 (docs/p.md:3)", "x = 2\nprint(x)\n# > 2\n"),
    ReaderChunk("/p/ block 2 (docs/p.md:9)", "print(x + 1)\n# > 3\n"),
]


def _statement(first: int, last: int, stdout: str) -> dict:
    return {"first": first, "last": last, "stdout": stdout, "stderr": "", "error": None}


def _reader_report(**changes) -> dict:
    report = {
        "completed": True,
        "importable": {"snippets": False},
        "hash_seeds": [5, 6],
        "chunks": [
            {"statements": [_statement(1, 1, ""), _statement(2, 2, "2\n")]},
            {"statements": [_statement(1, 1, "3\n")]},
        ],
        "error": None,
    }
    for chunk in report["chunks"]:
        chunk["error"], chunk["assertions"] = None, {}
    return {**report, **changes}


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({}, None),
        ({"chunks": []}, "it reports 0 blocks of 2"),  # "completed", no chunks
        ({"completed": False}, "the run did not complete"),
        ({"hash_seeds": [5, 5]}, "it does not come from two runs"),
        ({"hash_seeds": None}, "it does not come from two runs"),
    ],
    ids=["passing", "empty", "incomplete", "one-seed", "no-seeds"],
)
def test_only_a_complete_passing_reader_report_of_two_runs_is_reused(changes, problem):
    found = reader_report_problem(CHUNKS, _reader_report(**changes))
    assert found == problem or (problem and found.startswith(problem))


def test_a_reader_report_with_a_missing_statement_or_another_output_is_not_reused():
    short = _reader_report()
    short["chunks"][0]["statements"].pop()
    assert reader_report_problem(CHUNKS, short).endswith("1 statements reported")
    other = _reader_report()
    other["chunks"][1]["statements"][0]["stdout"] = "4\n"
    assert reader_report_problem(CHUNKS, other).startswith("it does not show")


def test_output_that_depends_on_the_hash_seed_fails_naming_the_page_line(reader):
    """Two runs of the same code under two hash seeds (these two give the set two
    orders): the statement is named with its page, block and line."""
    code = 'names = {"weight", "bias", "lr"}\nprint(names)\n'
    chunks = [ReaderChunk("/fixture/ block 1 (docs/fixture.md:12)", code)]
    seeds = [1, 2]
    runs = [run_in_reader(reader, program("p", chunks), hash_seed=s) for s in seeds]
    (problem,) = disagreements(chunks, runs, seeds)
    assert problem.startswith(
        "/fixture/ block 1 (docs/fixture.md:12): the statement's output differs "
        "between two runs of the same code (PYTHONHASHSEED=1, then 2)"
    )
    assert "> 2 | print(names)" in problem
    assert (
        "{'bias', 'weight', 'lr'}" in problem and "{'weight', 'lr', 'bias'}" in problem
    )
    same = [run_in_reader(reader, program("p", chunks), hash_seed=1) for _ in seeds]
    assert disagreements(chunks, same, [1, 1]) == []


def test_a_reader_run_that_prints_other_than_the_builds_kernel_fails_naming_the_line():
    """The executed notebook is a third run of the code, under the kernel's seed."""
    chunks = [ReaderChunk("/p/ block 1 (docs/p.md:3)", "print(1)\nprint({'a', 'b'})\n")]
    run = {
        "chunks": [
            {"statements": [_statement(1, 1, "1\n"), _statement(2, 2, "{'a', 'b'}\n")]}
        ]
    }
    assert kernel_disagreements(chunks, run, ["1\n{'a', 'b'}\n"], 5) == []
    (problem,) = kernel_disagreements(chunks, run, ["1\n{'b', 'a'}\n"], 5)
    assert problem.startswith(
        "/p/ block 1 (docs/p.md:3): the statement's output differs between two runs "
        "of the same code (the build's Jupyter kernel, then the reader's Python with "
        "PYTHONHASHSEED=5)"
    )
    assert "> 2 | print({'a', 'b'})" in problem and "{'b', 'a'}" in problem
    (shorter,) = kernel_disagreements(chunks, run, ["1\n"], 5)
    assert "> 2 | print({'a', 'b'})" in shorter, "printed more than the kernel"


def test_a_reader_run_reports_what_it_read_outside_its_working_folder(reader, tmp_path):
    data = write(tmp_path, "data.txt", "1\n")
    code = (
        f"open({str(data)!r}).read()\nopen('scratch.txt', 'w').write('x')\n"
        "open('scratch.txt').read()\nimport json\n"
    )
    report = run_in_reader(
        reader, {**program("p", [ReaderChunk("c", code)]), "record_reads": True}
    )
    read = report["read"]
    reads = Reads(set(read["opened"]), set(read["written"]), set(read["modules"]))
    inputs = fingerprints(reads.paths(exclude=[Path(read["cwd"])]))
    assert inputs[f"file:{data}"].startswith("sha256:")
    assert not any("scratch" in name for name in inputs), "its own files are not inputs"
    assert "python" in inputs, "the standard library it imported: Python's version"


# -- Whole-file runs -------------------------------------------------------------------


def test_the_whole_file_key_has_its_test_file_the_conftests_and_the_harness():
    sources = {p.relative_to(ROOT).as_posix() for p in whole_files.runner_sources()}
    assert {
        "conftest.py",  # each xdist worker's torch threads
        "tests/conftest.py",
        "tests/snippets/test_snippet_files.py",
        "executable_docs/execution.py",
        "pyproject.toml",  # which page-state module
        "site_build/torch_state.py",
    } <= sources


@pytest.mark.parametrize(
    ("report", "problem"),
    [
        ({"passed": False}, "the run did not pass"),
        ({}, "the run did not pass"),
        ({"passed": True}, "it does not report every statement of the file"),
        (
            {"passed": True, "statements": []},
            "it does not report every statement of the file",
        ),
    ],
)
def test_only_a_complete_passing_whole_file_report_is_reused(report, problem):
    path = ROOT / "snippets/autograd/leaves.py"
    assert whole_files.whole_file_problem(path, report) == problem


def test_a_whole_file_report_is_checked_as_a_new_run_is(tmp_path, monkeypatch):
    path = write(tmp_path, "snippets/example.py", "print(1.5)\n# > 1.5\n")
    monkeypatch.setattr(whole_files, "ROOT", tmp_path)
    good = {"passed": True, "statements": [{"first": 1, "printed": "1.5\n"}]}
    assert whole_files.whole_file_problem(path, good) is None
    wrong = {"passed": True, "statements": [{"first": 1, "printed": "2\n"}]}
    assert "printed other than" in whole_files.whole_file_problem(path, wrong)


# -- Browser visits --------------------------------------------------------------------


def test_only_a_whole_clean_page_report_is_reused():
    assert page_report_problem({}).startswith("its fields are not PageReport's")
    assert page_report_problem({"status": 200}).startswith("its fields are not")
    fields = {field.name: [] for field in dataclasses.fields(PageReport)}
    assert page_report_problem({**fields, "status": 200}) is None
    assert page_report_problem({**fields, "status": 404}) == "the page answered 404"


def test_what_a_process_opens_in_any_thread_is_recorded_with_its_digest(tmp_path):
    served = write(tmp_path, "site/index.html", "<html>")
    other = write(tmp_path, "site/other.html", "<html>")
    with recording() as reads:
        thread = threading.Thread(target=served.read_bytes)
        thread.start()
        thread.join()
    other.read_bytes()  # after the recording
    assert fingerprints(reads.paths()) == {
        f"file:{served}": "sha256:" + hashlib.sha256(b"<html>").hexdigest()
    }
