"""What the matrix runs on a page and how it reads the outcome, statement by statement.

Runs in the project's environment (snippet expansion, the Specification's behaviours,
the ``# >`` comparison); the code itself runs elsewhere, in
executable_docs/standalone_runner.py, under some torch release.

A page's code is its Python blocks, expanded, in page order; each top-level statement
is one unit of the run. matrix/needs.toml declares the statements that need an API
older releases lack. For a release, ``PageProgram.skipped`` finds the statements that
cannot run there: those that use, by name, what a declared statement makes
(matrix/dependencies.py). They are left out of the program; the declared statement
itself runs, and must raise. ``outcomes`` then reads the runner's report statement by
statement: what a statement that raised (or was left out) made or touched is spoiled,
a statement that uses a spoiled name is not a measurement, and everything else is.
"""

from __future__ import annotations

import ast
import hashlib
import json
import tomllib
from dataclasses import dataclass
from pathlib import Path

from packaging.version import InvalidVersion, Version

from executable_docs import expected_output
from executable_docs.execution import CodeUnit, split_statements
from executable_docs.markdown_blocks import find_python_blocks
from executable_docs.project import DocsProject
from executable_docs.snippet_expansion import SnippetExpander, SourceLine
from matrix.dependencies import Cause, Names, Spoiled, statement_names
from site_build.specification import asserted_behaviours, page_headings

NEEDS = Path(__file__).resolve().parent / "needs.toml"
NEED_FIELDS = {"snippet", "statement", "torch", "api"}
BADGE = "data-torch-min"  # a heading's badge: its section uses an API from that release

# A behaviour's status on one release (the Specification and tests/matrix read them).
STATUSES = (
    "held",  # its assertion ran and passed
    "failed",  # its assertion raised AssertionError
    "raised",  # its own section's code raised before or at the assertion
    "after_error",  # it uses what an earlier section's failing statement made
    "not_applicable",  # it uses what a statement declared in needs.toml makes
    "not_run",  # its assertion never executed
)


class NeedsError(ValueError):
    """needs.toml is malformed or names no statement, or a heading's badge disagrees."""


@dataclass(frozen=True)
class Need:
    snippet: str
    statement: str
    torch: str
    api: str

    @property
    def release(self) -> Version:
        return Version(self.torch)

    def reason(self) -> str:
        return f"needs torch {self.torch} ({self.api})"


@dataclass(frozen=True)
class Statement:
    chunk: int  # index of its chunk
    first: int  # its lines within the chunk's code
    last: int
    source: str  # "snippets/x.py:12", where it lives
    names: Names
    expected: tuple[str, ...] | None  # its '# >' lines
    need: Need | None  # declared in needs.toml


@dataclass(frozen=True)
class Chunk:
    label: str  # "docs/optimizers.md:88"
    line: int  # of its fence on the page
    code: str
    origins: tuple[SourceLine, ...]
    section: str  # the heading above it ("" at the top of the page)
    anchor: str


@dataclass(frozen=True)
class Behaviour:
    id: str  # "docs/optimizers.md: <description>", stable while the sentence is
    description: str
    source: str  # snippet file and line of the assertion
    chunk: int  # index of the chunk that shows it first
    line: int  # its line in that chunk
    statement: int  # index of its top-level statement in the page's statements


@dataclass(frozen=True)
class PageProgram:
    page: str  # docs/<name>.md
    chunks: tuple[Chunk, ...]
    statements: tuple[Statement, ...]  # page order
    behaviours: tuple[Behaviour, ...]

    def fingerprint(self) -> str:
        """A hash of what the matrix runs and reads on this page (not its prose)."""
        what = {
            "chunks": [chunk.code for chunk in self.chunks],
            "needs": [
                (s.chunk, s.first, s.need.torch if s.need else None)
                for s in self.statements
            ],
            "behaviours": [(b.id, b.chunk, b.line) for b in self.behaviours],
        }
        digest = hashlib.sha256(json.dumps(what, sort_keys=True).encode())
        return digest.hexdigest()[:16]

    def skipped(self, torch: str) -> dict[int, Cause]:
        """Statements (by index) that do not run on ``torch``: they use what a declared
        statement makes, and that statement needs a newer release."""
        release, spoiled, found = _release(torch), Spoiled(), {}
        for index, statement in enumerate(self.statements):
            need = statement.need
            if need and release < need.release:
                spoiled.spoil(statement.names, self._cause(statement, need))
            elif cause := spoiled.cause(statement.names):
                spoiled.spoil(statement.names, cause)
                found[index] = cause
            else:
                spoiled.ran(statement.names)
        return found

    def _cause(self, statement: Statement, need: Need) -> Cause:
        return Cause("not_applicable", statement.source, need.reason(), statement.chunk)

    def program(self, torch: str) -> dict:
        """The runner's program on ``torch``: all statements but the ``skipped``."""
        blank: dict[int, set[int]] = {}
        for index in self.skipped(torch):
            statement = self.statements[index]
            lines = range(statement.first, statement.last + 1)
            blank.setdefault(statement.chunk, set()).update(lines)
        chunks = []
        for index, chunk in enumerate(self.chunks):
            gone = blank.get(index, set())
            lines = chunk.code.splitlines()
            code = "\n".join(
                "" if number in gone else line
                for number, line in enumerate(lines, start=1)
            )
            chunks.append({"label": chunk.label, "code": code + "\n"})
        # Every statement runs, even after an exception: outcomes() decides what counts.
        return {
            "name": self.page,
            "after_error": "continue",
            "versions_of": ["torch", "numpy"],
            "chunks": chunks,
        }


def _release(version: str) -> Version:
    """The release of an installed version: ``2.7.1+cpu`` -> 2.7.1."""
    return Version(Version(version).base_version)


def load_needs(path: Path) -> tuple[Need, ...]:
    try:
        entries = tomllib.loads(path.read_text(encoding="utf-8")).get("needs", [])
    except tomllib.TOMLDecodeError as error:
        raise NeedsError(f"{path.name}: {error}") from None
    needs = []
    for number, entry in enumerate(entries, start=1):
        where = f"{path.name}: entry {number}"
        if set(entry) != NEED_FIELDS:
            raise NeedsError(
                f"{where} has fields {sorted(entry)}; it needs exactly "
                f"{sorted(NEED_FIELDS)}"
            )
        try:
            Version(entry["torch"])
        except InvalidVersion:
            raise NeedsError(
                f"{where}: torch = {entry['torch']!r} is no release"
            ) from None
        needs.append(Need(**{key: str(entry[key]) for key in NEED_FIELDS}))
    return tuple(needs)


def declared_statements(root: Path, needs: tuple[Need, ...]) -> dict[SourceLine, Need]:
    """The first line of the one statement each need names, in its snippet file."""
    found = {}
    for number, need in enumerate(needs, start=1):
        where = f"{NEEDS.name}: entry {number} ({need.snippet}: {need.statement!r})"
        path = root / need.snippet
        if not path.is_file():
            raise NeedsError(f"{where}: no such snippet file")
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        matches = [
            node
            for node in ast.parse(source).body
            if need.statement in "\n".join(lines[_first(node) - 1 : node.end_lineno])
        ]
        if len(matches) != 1:
            raise NeedsError(
                f"{where}: {len(matches)} top-level statements contain that text "
                f"(lines {[_first(node) for node in matches]}); it must name one"
            )
        found[SourceLine(Path(need.snippet), _first(matches[0]))] = need
    return found


def _first(node: ast.stmt) -> int:
    decorators = getattr(node, "decorator_list", None)
    return decorators[0].lineno if decorators else node.lineno


def page_program(
    project: DocsProject, page: Path, declared: dict[SourceLine, Need]
) -> PageProgram:
    text = page.read_text(encoding="utf-8")
    name = project.relative(page).as_posix()
    headings = page_headings(text)
    expander = SnippetExpander(project)
    chunks, statements = [], []
    for block in find_python_blocks(page, text):
        if block.skipped:
            continue
        expanded = expander.expand(block)
        above = [h for h in headings if h.line < block.line]
        heading = above[-1] if above else None
        chunk = Chunk(
            f"{name}:{block.line}",
            block.line,
            expanded.code,
            expanded.origins,
            heading.title if heading else "",
            heading.anchor if heading else "",
        )
        lines = chunk.code.splitlines()
        unit = CodeUnit(chunk.label, chunk.code, chunk.origins)
        for found in split_statements(unit):
            origin = chunk.origins[found.first - 1]
            source = "\n".join(lines[found.first - 1 : found.last])
            statements.append(
                Statement(
                    len(chunks),
                    found.first,
                    found.last,
                    str(origin),
                    statement_names(source),
                    tuple(found.expected) if found.expected is not None else None,
                    declared.get(origin),
                )
            )
        chunks.append(chunk)
    _check_badges(name, headings, chunks, statements)
    where = {}
    for index, chunk in enumerate(chunks):
        for line, origin in enumerate(chunk.origins, start=1):
            where.setdefault(origin, (index, line))
    behaviours = []
    for behaviour in asserted_behaviours(project, page):
        chunk, line = where[behaviour.source]
        (statement,) = [
            i
            for i, s in enumerate(statements)
            if s.chunk == chunk and s.first <= line <= s.last
        ]
        behaviours.append(
            Behaviour(
                behaviour.id,
                behaviour.description,
                str(behaviour.source),
                chunk,
                line,
                statement,
            )
        )
    return PageProgram(name, tuple(chunks), tuple(statements), tuple(behaviours))


def _check_badges(page: str, headings, chunks, statements) -> None:
    """A heading's badge names the release its section's declared statements need."""
    for number, heading in enumerate(headings):
        badge = dict(heading.attributes).get(BADGE)
        if badge is None:
            continue
        end = next(
            (h.line for h in headings[number + 1 :] if h.level <= heading.level),
            None,
        )
        inside = {
            index
            for index, chunk in enumerate(chunks)
            if heading.line < chunk.line and (end is None or chunk.line < end)
        }
        needed = {s.need.torch for s in statements if s.chunk in inside and s.need}
        if needed != {badge}:
            raise NeedsError(
                f"{page}:{heading.line}: the heading's badge says {BADGE}={badge!r}, "
                f"but "
                f"the statements of its section declared in matrix/{NEEDS.name} need "
                f"{sorted(needed) or 'nothing'}; declare the statement that needs the "
                f"newer API there (or remove the badge)"
            )


def outcomes(program: PageProgram, report: dict, torch: str) -> dict:
    """What happened on this release: each behaviour's status and why, and per page the
    statements that raised, the printed outputs that differ, the declared statements.

    Walks the statements in page order (matrix/dependencies.py): one that raised, or was
    left out, spoils what it made or touched; one that uses a spoiled name is not a
    measurement (its output is not compared, its behaviours are ``after_error``, or
    ``raised`` when the failing statement is in the behaviour's own section).
    """
    runs = {
        (index, run["first"]): run
        for index, chunk in enumerate(report["chunks"])
        for run in chunk["statements"]
    }
    skipped, release = program.skipped(torch), _release(torch)
    spoiled = Spoiled()
    fates: dict[int, tuple[str, Cause | None, dict | None]] = {}
    raised, outputs, declared = [], [], []
    for index, statement in enumerate(program.statements):
        run = runs.get((statement.chunk, statement.first))
        need = statement.need
        if need and release < need.release:
            error = run and run["error"]
            declared.append(
                f"{statement.source}: {need.reason()}: "
                + (
                    f"{error['type']}: {_first_line_of(error['message'])}"
                    if error
                    else "ran"
                )
            )
            cause = program._cause(statement, need)
            spoiled.spoil(statement.names, cause)
            fates[index] = ("not_applicable", cause, run)
        elif index in skipped:
            spoiled.spoil(statement.names, skipped[index])
            fates[index] = ("not_applicable", skipped[index], None)
        elif run is None:
            fates[index] = ("not_run", None, None)
        elif cause := spoiled.cause(statement.names):
            spoiled.spoil(statement.names, cause)
            fates[index] = ("spoiled", cause, run)
        elif run["error"]:
            line = run["error"]["line"]
            chunk = program.chunks[statement.chunk]
            at = chunk.origins[line - 1] if 0 < line <= len(chunk.origins) else None
            reason = (
                f"{run['error']['type']}: {_first_line_of(run['error']['message'])}"
            )
            cause = Cause(
                "raised", str(at or statement.source), reason, statement.chunk
            )
            spoiled.spoil(statement.names, cause)
            raised.append(f"{cause.source}: {reason}")
            fates[index] = ("raised", cause, run)
        else:
            spoiled.ran(statement.names)
            fates[index] = ("ran", None, run)
            difference = _output_difference(statement.expected, run["stdout"])
            if difference:
                outputs.append(f"{statement.source}: {difference}")
    behaviours, notes = {}, {}
    for behaviour in program.behaviours:
        records = report["chunks"][behaviour.chunk].get("assertions", {})
        seen = records.get(str(behaviour.line))
        status, note = _status(behaviour, fates[behaviour.statement], seen)
        behaviours[behaviour.id] = status
        if note is not None:
            notes[behaviour.id] = note
    return {  # a full-script block runs its statements again: each record once
        "behaviours": behaviours,
        "notes": notes,
        "raised": list(dict.fromkeys(raised)),
        "output_differs": list(dict.fromkeys(outputs)),
        "not_applicable": list(dict.fromkeys(declared)),
    }


def _status(
    behaviour: Behaviour, fate: tuple[str, Cause | None, dict | None], seen: str | None
) -> tuple[str, dict | None]:
    """A behaviour's status and, unless it held, the statement at fault and why.

    ``seen`` is the runner's record of the assertion itself (None from a runner that
    keeps none): ``passed``, ``failed``, ``raised``, ``after_error`` (it ran after an
    exception somewhere in the session: to its end, unless its statement raised there)
    or ``not_run`` (it never ran to its end).
    """
    kind, cause, run = fate
    if kind == "ran":
        if seen == "not_run":  # its statement ran, the assertion never did
            return "not_run", {"at": behaviour.source, "why": "its assertion never ran"}
        return "held", None
    if kind == "not_run":
        return "not_run", {"at": behaviour.source, "why": "its statement did not run"}
    note = {"at": cause.source, "why": cause.reason}
    if kind == "not_applicable" or cause.kind == "not_applicable":
        return "not_applicable", note
    if kind == "raised" and (
        seen in ("failed", "raised") or run["error"]["line"] == behaviour.line
    ):
        failed = run["error"]["type"] == "AssertionError"
        return ("failed" if failed else "raised"), note
    if kind == "raised" or cause.chunk == behaviour.chunk:
        return "raised", note
    return "after_error", note


def _output_difference(shown: tuple[str, ...] | None, printed: str) -> str:
    difference = expected_output.compare(
        list(shown) if shown is not None else None, printed
    )
    return difference.first() if difference else ""


def _first_line_of(message: str) -> str:
    """An exception's message as the matrix records it: its first line, shortened."""
    return message.strip().splitlines()[0][:300] if message.strip() else ""
