"""Every snippet file runs whole, as `python -m snippets.<topic>.<example>` runs it,
with its '# >' lines checked.

Pages run the same code section by section; the file run proves each file stands
on its own, seeds its own generators (it runs with a different harness seed than
the pages) and has no code that no page shows.
"""

import ast
import functools
import subprocess
import sys
import time
from pathlib import Path

import pytest

from executable_docs import page_state, snippet_files
from executable_docs.build_cache import cache_key, source_closure
from executable_docs.execution import CodeUnit, output_failure, split_statements
from executable_docs.expected_output import (
    describe_mismatch,
    is_output_line,
    output_text,
    outputs_match,
)
from executable_docs.markdown_blocks import find_python_blocks
from executable_docs.project import load_project
from executable_docs.snippet_expansion import SnippetExpander, SourceLine
from executable_docs.snippet_files import dotted_module_name, run_snippet_file
from tests.conftest import ROOT
from tests.result_cache import ReportCache

# Not figure modules (snippets/<topic>/figures/): build code beside the content it
# draws, shown on no page.
SNIPPET_FILES = [
    path
    for path in snippet_files.snippet_files(ROOT / "snippets")
    if path.parent.name != "figures"
]

# A whole-file run depends on the file, every project module it imports, the harness
# code that runs it, this test file and the conftest files above it, the libraries and
# the environment, and on whatever else it opens or imports while it runs (recorded):
# while none of them changes, an earlier pass stands (tests/result_cache.py). A run
# that does not pass is never stored: it runs, and fails, every time.
CONFTESTS = [
    folder / "conftest.py"
    for folder in Path(__file__).resolve().parents
    if folder.is_relative_to(ROOT) and (folder / "conftest.py").is_file()
]


@functools.cache
def runner_sources() -> tuple[Path, ...]:
    """What runs every file, the same for all (the page-state module is imported by
    name, from pyproject.toml: named here, so it is in the key)."""
    return tuple(
        source_closure(
            [Path(snippet_files.__file__), ROOT / "pyproject.toml", Path(__file__)]
            + CONFTESTS,
            ROOT,
            [f"import {page_state.page_state_module(ROOT)}"],
        )
    )


@functools.cache
def whole_runs() -> ReportCache:
    return ReportCache("snippet-files", files=runner_sources())


def whole_file_unit(path: Path) -> CodeUnit:
    """The file as run_snippet_file runs it: one unit, lines named as the file's."""
    code = path.read_text(encoding="utf-8")
    relative = path.relative_to(ROOT)
    origins = tuple(SourceLine(relative, n) for n in range(1, code.count("\n") + 2))
    return CodeUnit(str(relative), code, origins)


def whole_file_problem(path: Path, report: dict) -> str | None:
    """Why a whole-file report is not the complete, passing report of ``path`` as it is
    now: checked as a new run is checked, statement by statement."""
    if report.get("passed") is not True:
        return "the run did not pass"
    statements = split_statements(whole_file_unit(path))
    ran = report.get("statements")
    if not isinstance(ran, list) or [r.get("first") for r in ran] != [
        s.first for s in statements
    ]:
        return "it does not report every statement of the file"
    unit = whole_file_unit(path)
    for statement, result in zip(statements, ran):
        printed = result.get("printed")
        if not isinstance(printed, str):
            return f"line {statement.first}: no output recorded"
        if output_failure(unit, statement, printed):
            return f"line {statement.first}: it printed other than the '# >' lines show"
    return None


def run_whole_file(path: Path) -> dict:
    started = time.perf_counter()
    results = run_snippet_file(path, ROOT)
    return {
        "passed": True,  # (run_snippet_file raises at the first failure)
        "seconds": round(time.perf_counter() - started, 2),
        "statements": [
            {"first": result.statement.first, "printed": result.printed}
            for result in results
        ],
    }


@pytest.mark.parametrize(
    "path", SNIPPET_FILES, ids=lambda path: dotted_module_name(path, ROOT)
)
def test_snippet_file_runs_whole(path):
    whole_runs().make(
        dotted_module_name(path, ROOT),
        lambda: run_whole_file(path),
        cache_key(files=source_closure([path], ROOT), root=ROOT),
        check=lambda report: whole_file_problem(path, report),
        libraries=tuple(sys.modules.values()),
    )


def test_a_snippet_module_runs_with_python_dash_m():
    """One real `python -m` run: the package imports work outside the harness too."""
    result = subprocess.run(
        [sys.executable, "-m", "snippets.autograd.network"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    source = (ROOT / "snippets/autograd/network.py").read_text().splitlines()
    shown = [output_text(line) for line in source if is_output_line(line)]
    assert outputs_match(shown, result.stdout), describe_mismatch(shown, result.stdout)
    assert result.stderr == ""


def docstring_lines(source: str) -> set[int]:
    """The lines of a module docstring: it describes the file, as pages do in prose."""
    body = ast.parse(source).body
    if (
        body
        and isinstance(body[0], ast.Expr)
        and isinstance(body[0].value, ast.Constant)
    ):
        return set(range(body[0].lineno, body[0].end_lineno + 1))
    return set()


def project_import_lines(source: str) -> set[int]:
    """Lines importing from this project's ``snippets`` package.

    A whole-file run needs them; a page must not show them, because a reader's
    Python has no ``snippets`` package: the page shows the imported definition
    itself, in an earlier block (for example the data helper).
    """
    lines = set()
    for node in ast.parse(source).body:
        if (
            (
                isinstance(node, ast.ImportFrom)
                and (node.module or "").split(".")[0] == "snippets"
            )
            or isinstance(node, ast.Import)
            and any(a.name.split(".")[0] == "snippets" for a in node.names)
        ):
            lines.update(range(node.lineno, node.end_lineno + 1))
    return lines


def shown_lines(project) -> dict[Path, set[int]]:
    expander = SnippetExpander(project)
    shown: dict[Path, set[int]] = {}
    for page in project.pages():
        for block in find_python_blocks(page):
            for origin in expander.expand(block).origins:
                shown.setdefault(origin.path, set()).add(origin.line)
    return shown


def test_no_page_shows_an_import_from_the_project():
    shown = shown_lines(load_project(ROOT / "mkdocs.yml"))
    for path in SNIPPET_FILES:
        relative = path.relative_to(ROOT)
        imports = project_import_lines(path.read_text(encoding="utf-8"))
        on_pages = sorted(imports & shown.get(relative, set()))
        assert not on_pages, (
            f"{relative}: lines {on_pages} import from the project's snippets package "
            "and are shown on a page; a reader has no such package. Keep the import "
            "outside the shown sections and show the definition on the page instead"
        )


def test_every_line_of_every_snippet_file_is_shown_on_a_page():
    shown = shown_lines(load_project(ROOT / "mkdocs.yml"))
    for path in SNIPPET_FILES:
        relative = path.relative_to(ROOT)
        text = path.read_text(encoding="utf-8")
        not_for_pages = docstring_lines(text) | project_import_lines(text)
        hidden = [
            n
            for n, line in enumerate(text.splitlines(), start=1)
            if line.strip()
            and "--8<--" not in line
            and n not in shown.get(relative, set()) | not_for_pages
        ]
        assert not hidden, (
            f"{relative}: lines {hidden} are on no page; show them or delete them"
        )
