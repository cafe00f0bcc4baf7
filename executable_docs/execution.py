"""Run code one top-level statement at a time and check what each one prints.

Running statement by statement lets each ``# >`` block be matched to the
statement it follows, and lets a failure point at the exact snippet line. Every
statement is compiled with the file name and line numbers of the snippet file
it comes from, so tracebacks quote the real source.
"""

from __future__ import annotations

import ast
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path

from executable_docs import expected_output
from executable_docs.snippet_expansion import SourceLine
from executable_docs.standalone_runner import (
    PASSED,
    RECORDER,
    Assertions,
    VacuousAssertion,
    first_line,
    run_statements,
)


@dataclass(frozen=True)
class CodeUnit:
    """Code to run: one page block, or a whole snippet file."""

    label: str  # how a failure names it, e.g. "docs/page.md:42"
    code: str
    origins: tuple[SourceLine, ...]  # where each line of ``code`` lives


@dataclass(frozen=True)
class Statement:
    node: ast.stmt
    first: int  # 1-based lines within the unit's code
    last: int
    expected: list[str] | None  # the ``# >`` lines that follow, if any
    expected_lines: tuple[int, int] | None  # their first and last line within the code


@dataclass
class StatementResult:
    statement: Statement
    printed: str
    error: ExecutionFailure | None = (
        None  # when run with keep_going and the statement raised
    )


class ExecutionFailure(Exception):
    """A statement raised, or printed something other than its ``# >`` lines say."""

    def __init__(
        self, unit: CodeUnit, first: int, last: int, problem: str, detail: str = ""
    ) -> None:
        self.unit, self.first, self.last, self.problem, self.detail = (
            unit,
            first,
            last,
            problem,
            detail,
        )
        super().__init__(self.report())

    @property
    def source(self) -> SourceLine:
        return self.unit.origins[self.first - 1]

    def report(self) -> str:
        parts = [
            f"{self.unit.label}: {self.problem}",
            f"at {self.source}:",
            self._excerpt(),
        ]
        if self.detail:
            parts.append(self.detail)
        return "\n".join(parts)

    def _excerpt(self, context: int = 2) -> str:
        lines = self.unit.code.splitlines()
        start, stop = max(1, self.first - context), min(len(lines), self.last + context)
        width = max(
            len(str(self.unit.origins[n - 1].line)) for n in range(start, stop + 1)
        )
        rows = []
        for number in range(start, stop + 1):
            marker = ">" if self.first <= number <= self.last else " "
            origin = self.unit.origins[number - 1].line
            rows.append(f"  {marker} {origin:>{width}} | {lines[number - 1]}".rstrip())
        return "\n".join(rows)


def split_statements(unit: CodeUnit) -> list[Statement]:
    """Top-level statements with the ``# >`` lines that follow each one."""
    lines = unit.code.splitlines()
    try:
        tree = ast.parse(unit.code)
    except SyntaxError as error:
        line = error.lineno or 1
        raise ExecutionFailure(unit, line, line, f"syntax error: {error.msg}") from None
    output_lines = [
        n
        for n, text in enumerate(lines, start=1)
        if expected_output.is_output_line(text)
    ]
    statements = []
    for index, node in enumerate(tree.body):
        first = first_line(node)
        last = node.end_lineno or node.lineno
        gap_end = (
            tree.body[index + 1].lineno - 1
            if index + 1 < len(tree.body)
            else len(lines)
        )
        inside = [n for n in output_lines if first <= n <= last]
        if inside:
            raise ExecutionFailure(
                unit,
                inside[0],
                inside[0],
                "'# >' output lines must follow the whole statement, not stand inside "
                "it",
            )
        following = [n for n in output_lines if last < n <= gap_end]
        expected = (
            [expected_output.output_text(lines[n - 1]) for n in following]
            if following
            else None
        )
        span = (following[0], following[-1]) if following else None
        statements.append(Statement(node, first, last, expected, span))
    orphans = [n for n in output_lines if not statements or n < statements[0].first]
    if orphans:
        raise ExecutionFailure(
            unit, orphans[0], orphans[0], "expected output with no print to match"
        )
    return statements


def _compile(unit: CodeUnit, statement: Statement, root: Path, assertions: Assertions):
    origin_files = {
        unit.origins[n - 1].path for n in range(statement.first, statement.last + 1)
    }
    if len(origin_files) != 1:
        raise ExecutionFailure(
            unit, statement.first, statement.last, "a statement spans two snippet files"
        )
    # Assertions are recorded by their line in the unit; then every line is the
    # snippet file's, so tracebacks quote the real source.
    try:
        module = assertions.instrument(statement.node, unit.label)
    except VacuousAssertion as vacuous:
        raise ExecutionFailure(
            unit,
            vacuous.line,
            vacuous.line,
            f"the assertion {vacuous.reason}: it checks nothing",
        ) from None
    for node in ast.walk(module):
        # Every node type with a lineno has an end_lineno (ast's _attributes).
        if hasattr(node, "lineno") and hasattr(node, "end_lineno"):
            end = node.end_lineno or node.lineno
            node.lineno = unit.origins[node.lineno - 1].line
            node.end_lineno = unit.origins[end - 1].line
    # optimize=0: under `python -O` every assert would vanish, and count as passed.
    path = str(root / origin_files.pop())
    return compile(module, path, "exec", dont_inherit=True, optimize=0)


def _traceback_from_user_code(error: BaseException, root: Path) -> str:
    """The traceback from the first frame of page code on (the harness's: noise)."""
    frames = traceback.extract_tb(error.__traceback__)
    user = [
        i
        for i, frame in enumerate(frames)
        if frame.filename.startswith(str(root))
        and "executable_docs" not in frame.filename
    ]
    shown = traceback.StackSummary.from_list(frames[user[0] :] if user else frames)
    text = "Traceback (most recent call last):\n" + "".join(shown.format())
    text += "".join(traceback.format_exception_only(type(error), error))
    return text.replace(str(root) + "/", "")


def run_unit(
    unit: CodeUnit,
    namespace: dict,
    root: Path,
    *,
    check_output: bool = True,
    keep_going: bool = False,
    assertions: Assertions | None = None,
) -> list[StatementResult]:
    """Execute ``unit`` in ``namespace``; with ``check_output``, enforce its ``# >``.

    The statements run through the standalone runner's loop
    (executable_docs.standalone_runner.run_statements), so the page tests, the reader's
    runs and the release matrix execute code the same way. With ``keep_going``, a
    statement that raises does not stop the run: its result carries the failure (the
    refresh reports them all at the end).
    """
    own = assertions is None  # else the caller checks them, once all its code ran
    recorder = Assertions() if assertions is None else assertions
    namespace[RECORDER] = recorder.record
    results = []
    runs = run_statements(
        split_statements(unit),
        namespace,
        lambda statement: _compile(unit, statement, root, recorder),
    )
    for ran in runs:
        statement, error = ran.item, ran.error
        if ran.stderr:
            sys.stderr.write(
                ran.stderr
            )  # warnings stay visible, as pytest captures them
        if isinstance(error, KeyboardInterrupt | ExecutionFailure):
            raise error
        if error is not None:
            # Also pytest-timeout's Failed and SystemExit: name the statement.
            detail = _traceback_from_user_code(error, root)
            if ran.stdout:
                detail = f"It printed before failing:\n{ran.stdout.rstrip()}\n{detail}"
            problem = (
                "the code raised"
                if isinstance(error, Exception)
                else f"the code was stopped: {error}"
            )
            failure = ExecutionFailure(
                unit, statement.first, statement.last, problem, detail
            )
            if not keep_going or not isinstance(error, Exception):
                raise failure from error
            results.append(StatementResult(statement, ran.stdout, failure))
            continue
        results.append(StatementResult(statement, ran.stdout))
        if check_output and (mismatch := output_failure(unit, statement, ran.stdout)):
            raise mismatch
    outcomes = recorder.outcomes_of(unit.label)
    if own and check_output and (unrun := unrun_assertion(unit, outcomes)):
        raise unrun
    return results


def unrun_assertion(
    unit: CodeUnit, outcomes: dict[int, str]
) -> ExecutionFailure | None:
    """The failure naming the first assertion of ``unit`` that never ran to its end (in
    a function nobody calls, a branch not taken), from what became of each assertion
    (``Assertions.outcomes_of``, or a standalone report's ``assertions``)."""
    for line, outcome in sorted(outcomes.items()):
        if outcome != PASSED:
            return ExecutionFailure(
                unit,
                line,
                line,
                "the assertion never ran, so what it claims was never checked: a page "
                "shows a claim only where its code runs it (not in a function nobody "
                "calls, nor a branch not taken)",
            )
    return None


def output_failure(
    unit: CodeUnit, statement: Statement, printed: str
) -> ExecutionFailure | None:
    """The failure, naming the statement's lines, when ``printed`` is not what its
    ``# >`` lines show (executable_docs.expected_output.compare); None when it is."""
    difference = expected_output.compare(statement.expected, printed)
    if difference is None:
        return None
    first, last = statement.first, statement.last
    if (
        statement.expected_lines
    ):  # the statement and its '# >' lines, or those lines alone
        last = statement.expected_lines[1]
        if difference.kind == expected_output.MISSING:
            first = statement.expected_lines[0]
    return ExecutionFailure(
        unit, first, last, difference.problem, difference.describe()
    )
