"""Compare what the reader's interpreter printed with the ``# >`` lines of its code.

The runner (executable_docs/standalone_runner.py) only records; the comparison is the
harness's own (executable_docs.execution: split_statements for which ``# >`` lines
belong to which statement, output_failure for the rules and the failure format: page,
block (page line), snippet line, the code, the difference).
"""

from __future__ import annotations

from dataclasses import dataclass

from executable_docs.execution import (
    CodeUnit,
    ExecutionFailure,
    output_failure,
    split_statements,
    unrun_assertion,
)
from executable_docs.snippet_expansion import SourceLine
from tests.site.reader_env import READER_PACKAGES


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
    problems = []
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
