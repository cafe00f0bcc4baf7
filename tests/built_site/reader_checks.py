"""Compare what the reader's interpreter printed with the ``# >`` lines of its code.

The runner (executable_docs/standalone_runner.py) only records; the comparison is the
harness's own (executable_docs.execution: split_statements for which ``# >`` lines
belong to which statement, output_failure for the rules and the failure format: page,
block (page line), snippet line, the code, the difference).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from executable_docs.execution import (
    CodeUnit,
    ExecutionFailure,
    output_failure,
    split_statements,
    unrun_assertion,
)
from executable_docs.snippet_expansion import SourceLine
from tests.built_site.reader_env import READER_PACKAGES


@dataclass(frozen=True)
class ReaderChunk:
    """One block (or notebook cell) as the reader runs it, and where its lines live."""

    label: str  # e.g. "/autograd/ block 3 (docs/autograd.md:42)"
    code: str
    origins: tuple[SourceLine, ...] = ()

    def unit(self) -> CodeUnit:
        count = max(1, len(self.code.splitlines()))
        origins = (
            self.origins
            if len(self.origins) >= count
            else tuple(SourceLine(self.label, n) for n in range(1, count + 1))
        )
        return CodeUnit(self.label, self.code, origins)


def program(name: str, chunks: list[ReaderChunk]) -> dict:
    """What a reader runs: the chunks in one session, stopping at the first exception
    as a session does."""
    return {
        "name": name,
        "after_error": "stop",
        "versions_of": list(READER_PACKAGES),
        "must_not_import": ["snippets", "executable_docs"],
        "chunks": [{"label": chunk.label, "code": chunk.code} for chunk in chunks],
    }


def differences(chunks: list[ReaderChunk], report: dict) -> list[str]:
    """Every way the reader's run differs from what the code shows; empty when it
    reproduces the page."""
    problems = list(report.get("disagreements", []))  # between runs (disagreements)
    if any(report.get("importable", {}).values()):
        problems.append(
            f"the reader interpreter could import the project: {report['importable']}"
        )
    for chunk, ran in zip(chunks, report["chunks"]):
        if ran.get("not_run"):
            continue
        unit = chunk.unit()
        try:
            statements = {
                statement.first: statement for statement in split_statements(unit)
            }
        except ExecutionFailure as failure:
            problems.append(failure.report())
            continue
        for result in ran["statements"]:
            statement = statements.get(result["first"])
            if statement is None:
                problems.append(
                    f"{chunk.label}: the runner split the code differently at line "
                    f"{result['first']}"
                )
                continue
            failure = output_failure(unit, statement, result["stdout"])
            if failure and not (ran["error"] and result is ran["statements"][-1]):
                problems.append(failure.report())
        # A session that stopped at an exception leaves later code unrun: that
        # exception is the problem then.
        outcomes = {int(line): state for line, state in ran["assertions"].items()}
        if report["completed"] and (failure := unrun_assertion(unit, outcomes)):
            problems.append(failure.report())
        if ran["error"]:
            error = ran["error"]
            line = min(max(1, error["line"]), len(unit.origins))
            detail = error["traceback"].strip()
            problems.append(
                ExecutionFailure(
                    unit,
                    line,
                    line,
                    f"the code raised {error['type']} in the reader's Python",
                    detail,
                ).report()
            )
    return problems


def disagreements(
    chunks: list[ReaderChunk], runs: list[dict], seeds: list[int]
) -> list[str]:
    """Every statement that printed (or raised) differently in two runs of the same code
    under different str hash seeds: its output is not determined by the code, so no
    ``# >`` line can show it (a set of strings printed in iteration order, say)."""
    problems = []
    first, second = runs
    for chunk, one, other in zip(chunks, first["chunks"], second["chunks"]):
        unit = chunk.unit()
        pairs = itertools.zip_longest(one["statements"], other["statements"])
        for a, b in pairs:
            if _outcome(a) == _outcome(b):
                continue
            where = a or b
            problems.append(
                ExecutionFailure(
                    unit,
                    where["first"],
                    where["last"],
                    "the statement's output differs between two runs of the same code "
                    f"(PYTHONHASHSEED={seeds[0]}, then {seeds[1]}): it depends on "
                    "chance, not on the code",
                    f"First run:\n{_shown(a)}\nSecond run:\n{_shown(b)}",
                ).report()
            )
            break  # what follows in the chunk may differ only because of this
    return problems


def kernel_disagreements(
    chunks: list[ReaderChunk], run: dict, cells: list[str], seed: int
) -> list[str]:
    """Every block whose statements printed other than the build's Jupyter kernel
    printed for the same code (``cells``: each code cell's stdout, from the executed
    notebook): a third run, under the kernel's own hash seed, at no cost."""
    problems = []
    for chunk, ran, text in zip(chunks, run["chunks"], cells):
        printed = ""
        for statement in ran["statements"]:
            printed += statement["stdout"]
            if not text.startswith(printed) or statement is ran["statements"][-1]:
                break
        if printed == text or not ran["statements"]:
            continue
        kernel = dict(statement, stdout=text[len(printed) - len(statement["stdout"]) :])
        problems.append(
            ExecutionFailure(
                chunk.unit(),
                statement["first"],
                statement["last"],
                "the statement's output differs between two runs of the same code "
                "(the build's Jupyter kernel, then the reader's Python with "
                f"PYTHONHASHSEED={seed}): it depends on chance, not on the code",
                f"First run (the rest of the cell):\n{_shown(kernel)}\n"
                f"Second run:\n{_shown(statement)}",
            ).report()
        )
    return problems


def _outcome(statement: dict | None):
    if statement is None:
        return None
    error = statement["error"]
    return statement["stdout"], error and (error["type"], error["message"])


def _shown(statement: dict | None) -> str:
    if statement is None:
        return "  (not run)"
    text = statement["stdout"].rstrip("\n") or "(printed nothing)"
    if statement["error"]:
        text += (
            f"\nraised {statement['error']['type']}: {statement['error']['message']}"
        )
    return "\n".join(f"  {line}" for line in text.splitlines())
