"""A block's code split into what a learner writes, what it prints and what checks it.

The code a page runs (a block after pymdownx.snippets has expanded it) holds three
things at once:

* the **lesson code**, what a learner would type;
* its **output**: the ``# >`` lines under each top-level statement that prints, the
  very lines the tests compare (``executable_docs.execution.split_statements``);
* its **checks**: each ``# Spec: <sentence>`` comment (continued on ``#       ``
  lines) with the assertion right under it (``assert ...`` or
  ``torch.testing.assert_close(...)``), found as the Specification page finds them
  (``site_build.specification``).

``split_lesson_code(code)`` separates them. Only those lines leave the lesson code;
nothing else is removed or rewritten. One exception keeps the lesson code valid
Python: a ``for``, ``while`` or ``if`` whose body would be left empty (it holds
nothing but checks) leaves with them, as part of the check; a function or class
whose body is only checks is an error.

``LessonCode.rejoin()`` puts the checks (and, unless asked not to, the output lines)
back at their lines, giving the original code exactly: tests use it to prove that
lesson code, checks and outputs together are the code that ran, and to run what a
reader copies together with the checks. Used by the page rendering
(``site_build.lesson_blocks``) and the notebooks.

API (stable)::

    split = split_lesson_code(expanded_code)
    split.code             # str: the lesson code (the copy button's text)
    split.outputs          # tuple[str, ...]: printed lines, in statement order
    split.checks           # tuple[Check, ...]: Check(sentence, source, line)
    split.checks_source()  # str: the checks' code as it runs, Spec comments included
    split.parts            # tuple[Part, ...]: Part(kind CHECK|OUTPUT, first, text)
    split.rejoin()                   # the original code, exactly
    split.rejoin(outputs=False)      # lesson code + checks in place, no '# >' lines
    split.rejoin(copied_lesson_code) # the same, from a copy of the lesson code
"""

from __future__ import annotations

import ast
import textwrap
from dataclasses import dataclass
from pathlib import Path

from executable_docs.execution import CodeUnit, ExecutionFailure, split_statements
from executable_docs.expected_output import output_text
from executable_docs.python_source import comments, end_line, source_segment
from executable_docs.snippet_expansion import SourceLine
from site_build.specification import SPEC_PREFIX, _is_assertion, _spec_comments

CHECK, OUTPUT = "check", "output"
# Statements whose body may hold checks only: they leave the lesson code with them.
_CHECK_ONLY_CONTAINERS = (ast.For, ast.While, ast.If)


class LessonCodeError(ValueError):
    """Code that cannot be split: a misplaced ``# Spec:`` comment or ``# >`` line."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line, self.message = line, message


@dataclass(frozen=True)
class Check:
    """One documented behaviour a block asserts."""

    sentence: str  # the '# Spec:' sentence, continuation lines joined
    source: str  # the assertion statement, dedented
    line: int  # 1-based line of the assertion in the original code


@dataclass(frozen=True)
class Part:
    """A run of lines taken out of the lesson code: checks or output lines."""

    kind: str  # CHECK or OUTPUT
    first: int  # 1-based line of the original code where it starts
    text: str  # its lines as in the original code, line ends included


@dataclass(frozen=True)
class LessonCode:
    code: str  # the lesson code: the original without its parts (line ends kept)
    outputs: tuple[str, ...]  # what the block prints, one printed line each, in order
    checks: tuple[Check, ...]  # in order
    parts: tuple[Part, ...]  # every run of lines removed, in order

    @property
    def check_parts(self) -> tuple[Part, ...]:
        return tuple(part for part in self.parts if part.kind == CHECK)

    def checks_source(self) -> str:
        """The checks' code as it runs, Spec comments included: each run of lines
        dedented, a blank line between runs."""
        return "\n".join(
            textwrap.dedent(part.text).rstrip("\n") + "\n" for part in self.check_parts
        ).rstrip("\n")

    def rejoin(self, lesson: str | None = None, *, outputs: bool = True) -> str:
        """The original code: ``lesson`` (default: ``self.code``) with the parts back.

        ``lesson`` may differ from ``self.code`` only in blank lines before and after
        it (a copy button drops them); anything else raises ValueError. With
        ``outputs=False`` the ``# >`` lines stay out (lesson code and checks, as they
        run).
        """
        lesson_lines = self.code.splitlines(keepends=True)
        if lesson is not None:
            given = lesson.strip("\n").splitlines(keepends=False)
            core = self.code.strip("\n").splitlines(keepends=False)
            if given != core:
                raise ValueError(
                    "the lesson code given is not this block's lesson code"
                )
            leading = len(self.code) - len(self.code.lstrip("\n"))
            body = [line + "\n" for line in given]
            if not self.code.endswith("\n") and body:
                body[-1] = body[-1].removesuffix("\n")
            trailing = len(lesson_lines) - leading - len(body)
            lesson_lines = ["\n"] * leading + body + ["\n"] * trailing
        return "".join(_merge(lesson_lines, self.parts, outputs))


def _merge(
    lesson_lines: list[str], parts: tuple[Part, ...], outputs: bool
) -> list[str]:
    merged: list[str] = []
    lesson = iter(lesson_lines)
    for part in parts:
        while len(merged) < part.first - 1:
            merged.append(next(lesson))
        merged.extend(part.text.splitlines(keepends=True))
    merged.extend(lesson)
    if outputs:
        return merged
    dropped = {
        part.first + offset
        for part in parts
        if part.kind == OUTPUT
        for offset in range(len(part.text.splitlines()))
    }
    return [line for number, line in enumerate(merged, 1) if number not in dropped]


def split_lesson_code(code: str) -> LessonCode:
    """Split a block's expanded code into lesson code, outputs and checks (module doc).

    Raises LessonCodeError (naming the line of ``code``) for a ``# Spec:`` comment that
    is not directly above an assertion, a container left empty that cannot go, or
    ``# >`` lines that follow no statement.
    """
    lines = code.splitlines(keepends=True)
    tree = ast.parse(code)
    text_lines = code.splitlines()
    removed: dict[int, str] = {}  # 1-based line -> kind
    checks = []
    for first, last, check in _checks(code, tree, text_lines):
        removed.update(dict.fromkeys(range(first, last + 1), CHECK))
        checks.append(check)
    for first, last in _container_lines(tree, removed):
        removed.update(dict.fromkeys(range(first, last + 1), CHECK))
    for first, last in _output_lines(code):
        if any(line in removed for line in range(first, last + 1)):
            raise LessonCodeError(first, "'# >' lines inside a check")
        removed.update(dict.fromkeys(range(first, last + 1), OUTPUT))
    parts: list[Part] = []
    outputs = []
    for number in sorted(removed):
        kind, text = removed[number], lines[number - 1]
        if kind == OUTPUT:
            outputs.append(_printed(text))
        previous = parts[-1] if parts else None
        if previous and previous.kind == kind and number == _end(previous):
            parts[-1] = Part(kind, previous.first, previous.text + text)
        else:
            parts.append(Part(kind, number, text))
    kept = [number for number in range(1, len(lines) + 1) if number not in removed]
    lesson = "".join(lines[number - 1] for number in kept)
    try:
        ast.parse(lesson)
    except SyntaxError as error:  # e.g. an else branch left empty
        line = kept[min(len(kept), error.lineno or 1) - 1] if kept else 1
        raise LessonCodeError(
            line, f"without its checks the code is not Python: {error.msg}"
        ) from None
    return LessonCode(lesson, tuple(outputs), tuple(checks), tuple(parts))


def _end(part: Part) -> int:
    """The line after the part."""
    return part.first + len(part.text.splitlines())


def _printed(line: str) -> str:
    return output_text(line.rstrip("\n"))


def _checks(code: str, tree: ast.Module, lines: list[str]):
    """(first line, last line, Check) of each Spec'd assertion, comment included."""
    described = _spec_comments(code)
    alone = {comment.line for comment in comments(code) if comment.alone}
    starting: dict[int, ast.stmt] = {}
    for walked in ast.walk(tree):
        if isinstance(walked, ast.stmt):
            starting.setdefault(walked.lineno, walked)  # the outermost one on its line
    for line, sentence in sorted(described.items()):
        node = starting.get(line)
        if node is None or not _is_assertion(node):
            shown = lines[line - 1].strip() if line <= len(lines) else "(end of code)"
            raise LessonCodeError(
                line,
                f"a '# {SPEC_PREFIX}' comment must stand directly above the assert or "
                f"assert_close it describes, not above {shown!r}",
            )
        first = line - 1
        while first - 1 in alone and not _comment_text(lines[first - 1]).startswith(
            SPEC_PREFIX
        ):
            first -= 1
        statement = textwrap.dedent(
            lines[node.lineno - 1][: node.col_offset]
            + source_segment(lines, node)
            + "\n"
        ).rstrip("\n")
        yield first, end_line(node), Check(sentence, statement, node.lineno)


def _comment_text(line: str) -> str:
    return line.strip().lstrip("#").strip()


def _container_lines(tree: ast.Module, removed: dict[int, str]):
    """Line ranges of statements left with an empty body once the checks are out."""

    def gone(node: ast.stmt) -> bool:
        lines = range(node.lineno, end_line(node) + 1)
        if all(line in removed for line in lines):
            return True
        bodies = [getattr(node, name, []) for name in ("body", "orelse")]
        if not bodies[0] or not all(gone(child) for child in bodies[0]):
            return False
        if not isinstance(node, _CHECK_ONLY_CONTAINERS):
            raise LessonCodeError(
                node.lineno,
                "this statement holds nothing but checks: its lesson code would be "
                "empty",
            )
        return all(gone(child) for child in bodies[1])

    found = []

    def visit(body: list[ast.stmt]) -> None:
        for node in body:
            if not isinstance(node, ast.stmt):
                continue
            if not all(
                line in removed for line in range(node.lineno, end_line(node) + 1)
            ) and gone(node):
                found.append((node.lineno, end_line(node)))
                continue
            for name in ("body", "orelse", "finalbody"):
                visit(getattr(node, name, []))
            for handler in getattr(node, "handlers", []):
                visit(handler.body)

    visit(tree.body)
    return found


def _output_lines(code: str) -> list[tuple[int, int]]:
    """The line spans of the ``# >`` lines, as the tests find and compare them."""
    count = max(1, len(code.splitlines()))
    unit = CodeUnit(
        "code", code, tuple(SourceLine(Path("code"), n) for n in range(1, count + 1))
    )
    try:
        statements = split_statements(unit)
    except ExecutionFailure as failure:
        raise LessonCodeError(failure.first, failure.problem) from None
    return [s.expected_lines for s in statements if s.expected_lines]
