"""Fixtures of the site checks: the built pages, the collector's view of them, the
reader's runs."""

from __future__ import annotations

import ast
import concurrent.futures
import json
import os
import platform
import random
import time
from pathlib import Path

import pytest

from executable_docs import standalone_runner
from executable_docs.build_cache import Reads, fingerprints, source_closure
from executable_docs.markdown_blocks import find_python_blocks
from executable_docs.snippet_expansion import SnippetExpander
from site_build.lesson_code import split_lesson_code
from site_build.notebooks import solutions_name
from tests.built_site import notebook_cells, reader_checks
from tests.built_site.reader_checks import ReaderChunk, differences, program
from tests.built_site.reader_env import RUNNER, build_reader, run_in_reader
from tests.built_site.site_pages import (
    collected_fence_lines,
    normalised_code,
    read_page,
)
from tests.conftest import ROOT
from tests.result_cache import ReportCache

DOCS_PAGES = sorted((ROOT / "docs").rglob("*.md"))
PAGE_IDS = [page.relative_to(ROOT / "docs").as_posix() for page in DOCS_PAGES]
# Reader runs are separate processes: two at a time alone, one beside another xdist
# worker.
READER_PROCESSES = 1 if os.environ.get("PYTEST_XDIST_WORKER") else 2


READER_COST: dict = {}  # what the reader checks cost this session, for the summary


def pytest_terminal_summary(terminalreporter):
    # (Under xdist, the worker that ran them has the numbers; the summary is the
    # controller's.)
    if READER_COST:
        terminalreporter.write_line(
            f"reader Python: built in {READER_COST['build']:.1f} s; "
            f"{READER_COST['programs']} programs: {READER_COST['reused']} distinct "
            f"reports unchanged since an earlier run, {READER_COST['processes']} run "
            f"({READER_PROCESSES} at a time) in {READER_COST['runs']:.1f} s"
        )


@pytest.fixture(scope="session")
def rendered(site, project):
    """The rendered page of a docs page (read once)."""
    cache = {}

    def read(page: Path):
        if page not in cache:
            cache[page] = read_page(site, project.docs_dir, page)
        return cache[page]

    return read


@pytest.fixture(scope="session")
def collected_fences(project) -> dict[Path, set[int]]:
    """The fence lines of every test pytest really collects from the pages
    (``pytest --collect-only``)."""
    return collected_fence_lines(project.root, project.docs_dir)


@pytest.fixture(scope="session")
def collected(project, collected_fences):
    """The page's blocks that pytest collects as tests, expanded as the tests run."""
    expander = SnippetExpander(project)

    def blocks(page: Path):
        lines = collected_fences.get(page.resolve(), set())
        return [
            (block, expander.expand(block))
            for block in find_python_blocks(page)
            if block.line in lines
        ]

    return blocks


def reader_code(block, ran_code: str) -> str | None:
    """What a reader runs for a block: the copy-button code with the checks and the
    '# >' lines of the code that ran put back at their lines; None if the copied code
    is not that code's lesson code."""
    try:
        return split_lesson_code(ran_code).rejoin(block.code)
    except ValueError:
        return None


def page_chunks(page_view, collected_blocks, project) -> list[ReaderChunk]:
    """The copy-button code of a page's blocks, each run together with its checks and
    compared with its outputs, labelled with the page line each comes from.

    When the shown blocks are not the collected ones (test_built_site and
    test_copied_code_is_the_code_that_ran_without_its_checks_and_outputs say how), the
    copied code runs alone and the difference shows there too.
    """
    shown = page_view.executable_blocks
    programs = None
    if len(shown) == len(collected_blocks):
        programs = [
            reader_code(block, expanded.code)
            for block, (_, expanded) in zip(shown, collected_blocks)
        ]
        if None in programs:
            programs = None
    chunks = []
    for position, block in enumerate(shown):
        if programs is not None:
            source, expanded = collected_blocks[position]
            where = f"{project.relative(source.page)}:{source.line}"
            code, origins = programs[position], expanded.origins
        else:
            where, code, origins = "page line unknown", block.code, ()
        label = f"{page_view.url} block {block.index} ({where})"
        chunks.append(
            ReaderChunk(
                label,
                code,
                origins if len(origins) >= len(code.splitlines()) else (),
            )
        )
    return chunks


def notebook_stdout(path: Path) -> list[str]:
    """What each code cell of an executed notebook printed (its stdout stream), in the
    order of its program's chunks (notebook_chunks)."""
    return [
        "".join(
            "".join(output["text"])
            for output in cell.get("outputs", [])
            if output.get("output_type") == "stream" and output.get("name") == "stdout"
        )
        for cell in notebook_cells.code_cells(notebook_cells.read(path))
    ]


def notebook_chunks(
    path: Path, page: list[notebook_cells.PageCell]
) -> list[ReaderChunk]:
    """A downloaded notebook's code cells as the reader runs them, but the install cell.

    Each cell is labelled with the page line of its block, and carries that cell's
    ``# >`` lines from the page (a notebook has none), so its output is compared.
    """
    chunks = []
    pairs = notebook_cells.matched(notebook_cells.read(path), page)
    for position, (cell, twin) in enumerate(pairs, start=1):
        where = twin.where if twin else "no such block on the page"
        label = f"downloads/{path.name} cell {position} (page {where})"
        code = twin.cell.shown if twin else notebook_cells.text(cell)
        chunks.append(ReaderChunk(label, code, twin.origins if twin else ()))
    return chunks


@pytest.fixture(scope="session")
def reader(tmp_path_factory):
    """A bare interpreter with torch, numpy and matplotlib only (see reader_env.py)."""
    return build_reader(tmp_path_factory.mktemp("reader") / "venv")


@pytest.fixture(scope="session")
def reader_programs(site, project, rendered, collected):
    """Every program a reader takes away: each page's copied code, each notebook (the
    learner's, and the one with the exercises' solutions)."""
    programs = {}
    for page in DOCS_PAGES:
        view = rendered(page)
        if not view.executable_blocks:
            continue
        chunks = page_chunks(view, collected(page), project)
        programs[f"page {view.url}"] = chunks
        name = (
            page.relative_to(project.docs_dir)
            .with_suffix("")
            .as_posix()
            .replace("/", "-")
        )
        cells = notebook_cells.page_cells(project, collected(page))
        for notebook in (
            site / "downloads" / f"{name}.ipynb",
            site / "downloads" / f"{solutions_name(name)}.ipynb",
        ):
            if notebook.exists():
                programs[f"notebook downloads/{notebook.name}"] = notebook_chunks(
                    notebook, cells
                )
    return programs


def reader_report_problem(chunks: list[ReaderChunk], report: dict) -> str | None:
    """Why a reader report may not be reused (or stored): it is not the complete,
    passing report of both runs of the program (see ``reader_runs``), or None."""
    if report.get("completed") is not True:
        return "the run did not complete"
    ran = report.get("chunks")
    if not isinstance(ran, list) or len(ran) != len(chunks):
        return f"it reports {len(ran or ())} blocks of {len(chunks)}"
    for chunk, result in zip(chunks, ran):
        statements = result.get("statements") if isinstance(result, dict) else None
        if not isinstance(statements, list) or result.get("error"):
            return f"{chunk.label}: no statements reported, or an error"
        if len(statements) != len(ast.parse(chunk.code).body):
            return f"{chunk.label}: {len(statements)} statements reported"
    seeds = report.get("hash_seeds")
    if not isinstance(seeds, list) or len(set(seeds)) != 2:
        return "it does not come from two runs under different hash seeds"
    try:
        problems = differences(chunks, report)
    except (KeyError, TypeError, ValueError) as error:
        return f"it is malformed ({error!r})"
    if problems:
        return f"it does not show what the page shows ({len(problems)} differences)"
    return None


def _read_by(report: dict) -> set[str]:
    """What a run read (the runner's ``read``, taken out of the report), but its own
    working folder."""
    read = report.pop("read")
    reads = Reads(set(read["opened"]), set(read["written"]), set(read["modules"]))
    return reads.paths(exclude=[Path(read["cwd"])])


def kernel_disagreements(
    site: Path, programs: dict, code: tuple, report: dict, seed: int
) -> list[str]:
    """The statements of a run of ``code`` that printed other than the build's kernel
    printed for the same code, in the executed notebook of any program that is it."""
    for name, chunks in programs.items():
        notebook = site / name.removeprefix("notebook ")
        same = tuple(normalised_code(chunk.code) for chunk in chunks) == code
        if name.startswith("notebook ") and notebook.is_file() and same:
            cells = notebook_stdout(notebook)
            return reader_checks.kernel_disagreements(chunks, report, cells, seed)
    return []


@pytest.fixture(scope="session")
def reader_runs(reader, reader_programs, site):
    """The reader's report of every program, each distinct program run twice.

    A notebook whose code cells are exactly its page's blocks (test_notebook_is_the_page
    checks that they are) is the same program: the same runs serve both. The two runs
    are fresh processes with different str hash seeds (new ones each session): every
    statement must print the same in both and as the build's Jupyter kernel printed
    (the executed notebook, a third seed), or the test fails naming the block and line
    (``reader_checks.disagreements``, ``kernel_disagreements``); the page runs
    (pytest's workers) have a fourth.
    A report is kept in ``.cache/test-reports/reader`` (tests/result_cache.py) only if
    it is complete and passes, and reused while the program, the reader's Python, its
    packages and environment, the code that runs it and every file and module the runs
    read are unchanged.
    """
    started = time.perf_counter()
    cache = ReportCache(
        "reader",
        platform.python_version(),
        *reader.packages,
        files=(RUNNER, *source_closure([Path(__file__)], ROOT)),
        run_environ=standalone_runner.shell_environment(Path("<work>")),
    )
    seeds = random.SystemRandom().sample(range(1, 2**32), 2)
    distinct: dict[tuple[str, ...], str] = {}
    for name, chunks in reader_programs.items():
        distinct.setdefault(
            tuple(normalised_code(chunk.code) for chunk in chunks), name
        )
    by_code, to_run = {}, {}
    for code, name in distinct.items():
        chunks = reader_programs[name]
        shown = json.dumps(program(name, chunks))
        stored = cache.load(
            name, shown, check=lambda report, c=chunks: reader_report_problem(c, report)
        )
        if stored is None:
            to_run[code] = (name, shown)
        else:
            by_code[code] = stored
    with concurrent.futures.ThreadPoolExecutor(max_workers=READER_PROCESSES) as pool:
        futures = {
            code: [
                pool.submit(
                    run_in_reader,
                    reader,
                    {**program(name, reader_programs[name]), "record_reads": True},
                    hash_seed=seed,
                )
                for seed in seeds
            ]
            for code, (name, _) in to_run.items()
        }
        for code, runs in futures.items():
            runs = [run.result() for run in runs]  # a timeout raises: nothing is stored
            name, shown = to_run[code]
            chunks = reader_programs[name]
            read = fingerprints(set.union(*(_read_by(run) for run in runs)))
            report = {
                **runs[0],
                "hash_seeds": seeds,
                "disagreements": reader_checks.disagreements(chunks, runs, seeds)
                + kernel_disagreements(site, reader_programs, code, runs[0], seeds[0]),
            }
            cache.store(
                name,
                report,
                shown,
                read=read,
                check=lambda report, c=chunks: reader_report_problem(c, report),
            )
            by_code[code] = report
    for code, report in by_code.items():
        if code not in to_run:  # stored: the kernel's notebook may be newer
            seed = report["hash_seeds"][0]
            found = kernel_disagreements(site, reader_programs, code, report, seed)
            by_code[code] = {**report, "disagreements": found}
    reports = {
        name: by_code[tuple(normalised_code(chunk.code) for chunk in chunks)]
        for name, chunks in reader_programs.items()
    }
    READER_COST.update(
        build=reader.seconds_to_build,
        runs=time.perf_counter() - started,
        programs=len(reader_programs),
        processes=2 * len(to_run),
        reused=len(distinct) - len(to_run),
    )
    return {
        "reports": reports,
        "build_seconds": reader.seconds_to_build,
        "run_seconds": time.perf_counter() - started,
        "processes": 2 * len(to_run),
    }
