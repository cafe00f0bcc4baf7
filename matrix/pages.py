"""What the matrix runs and how it reads the result: a page's shown code, its
behaviours, its outcomes.

Runs in the project's environment (it uses the harness: snippet expansion, the
Specification's behaviours, the ``# >`` comparison); the code itself runs elsewhere,
in executable_docs/standalone_runner.py, under some torch release.

Declaring the oldest release a page or section needs (on older releases its blocks do
not run and its behaviours are reported ``not_applicable``):

* a whole page: front matter ``torch_min: "2.7"``;
* a section: an attribute on its heading, ``## Adam {: data-torch-min="2.7" }``
  (attr_list; the colon keeps it out of the notebooks); it covers the blocks up to the
  next heading of the same or a higher level.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from executable_docs import expected_output
from executable_docs.execution import CodeUnit, split_statements
from executable_docs.markdown_blocks import fenced_lines, find_python_blocks
from executable_docs.project import DocsProject
from executable_docs.snippet_expansion import SnippetExpander
from site_build.specification import asserted_behaviours
from site_build.version_ranges import behaviour_ids, release_key

FRONT_MATTER = re.compile(r"\A---\n(?P<body>.*?)\n---\n", re.DOTALL)
PAGE_MINIMUM = re.compile(
    r"^torch_min:\s*[\"']?(?P<version>[\d.]+)[\"']?\s*$", re.MULTILINE
)
HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<title>.*?)\s*$")
SECTION_MINIMUM = re.compile(
    r"\{[^}]*\bdata-torch-min=[\"']?(?P<version>[\d.]+)[\"']?[^}]*\}\s*$"
)


@dataclass(frozen=True)
class Chunk:
    label: str  # "docs/optimizers.md:88"
    code: str
    origins: tuple  # SourceLine of each code line
    min_torch: str | None


@dataclass(frozen=True)
class Behaviour:
    id: str  # "docs/optimizers.md: <description>", stable while the sentence is
    description: str
    source: str  # snippet file and line of the assertion
    chunk: int  # index of the chunk that shows it first
    line: int  # its line in that chunk


@dataclass(frozen=True)
class PageProgram:
    page: str  # docs/<name>.md
    chunks: list[Chunk]
    behaviours: list[Behaviour]

    def fingerprint(self) -> str:
        """A hash of what the matrix runs and reads on this page: its code,
        declarations, behaviours."""
        chunks = [
            (chunk.code, chunk.min_torch) for chunk in self.chunks
        ]  # not the page lines: prose may move
        what = {
            "chunks": chunks,
            "behaviours": [(b.id, b.chunk, b.line) for b in self.behaviours],
        }
        return hashlib.sha256(json.dumps(what, sort_keys=True).encode()).hexdigest()[
            :16
        ]

    def program(self) -> dict:
        # Every statement runs, even after an exception: what ran after one is marked,
        # not counted.
        return {
            "name": self.page,
            "after_error": "continue",
            "versions_of": ["torch", "numpy"],
            "chunks": [
                {
                    "label": c.label,
                    "code": c.code,
                    "min_versions": {"torch": c.min_torch} if c.min_torch else {},
                }
                for c in self.chunks
            ],
        }


def minimums(text: str) -> dict[int, str | None]:
    """For each line of a page, the oldest torch release it declares it needs (None:
    any)."""
    page_minimum = None
    front = FRONT_MATTER.match(text)
    if front and (found := PAGE_MINIMUM.search(front["body"])):
        page_minimum = found["version"]
    stack: list[
        tuple[int, str | None]
    ] = []  # (heading level, its minimum) of the open sections
    result, lines = {}, text.splitlines()
    for number, (line, fenced) in enumerate(zip(lines, fenced_lines(lines)), start=1):
        if not fenced and (heading := HEADING.match(line)):
            level = len(heading["hashes"])
            while stack and stack[-1][0] >= level:
                stack.pop()
            declared = SECTION_MINIMUM.search(line)
            stack.append((level, declared["version"] if declared else None))
        declared = [version for _, version in stack if version] + (
            [page_minimum] if page_minimum else []
        )
        result[number] = max(declared, key=release_key) if declared else None
    return result


def page_program(project: DocsProject, page: Path) -> PageProgram:
    text = page.read_text(encoding="utf-8")
    needs = minimums(text)
    expander = SnippetExpander(project)
    chunks = []
    for block in find_python_blocks(page, text):
        if block.skipped:
            continue
        expanded = expander.expand(block)
        label = f"{project.relative(page).as_posix()}:{block.line}"
        chunks.append(
            Chunk(label, expanded.code, expanded.origins, needs.get(block.line))
        )
    where = {}
    for index, chunk in enumerate(chunks):
        for line, origin in enumerate(chunk.origins, start=1):
            where.setdefault(origin, (index, line))
    found = asserted_behaviours(project, page)
    ids = behaviour_ids(
        project.relative(page).as_posix(), [b.description for b in found]
    )
    behaviours = []
    for behaviour, identity in zip(found, ids):
        chunk, line = where[behaviour.source]
        behaviours.append(
            Behaviour(
                identity, behaviour.description, str(behaviour.source), chunk, line
            )
        )
    return PageProgram(project.relative(page).as_posix(), chunks, behaviours)


def _statement_at(chunk_report: dict, line: int) -> dict | None:
    return next(
        (s for s in chunk_report["statements"] if s["first"] <= line <= s["last"]), None
    )


def outcomes(program: PageProgram, report: dict) -> dict:
    """What held on this release: each behaviour's status, and the statements whose
    output or run differ.

    A behaviour is ``held`` (its assertion ran and passed, before any exception on
    the page: the runner's ``assertions``), ``failed`` (the assertion raised
    AssertionError), ``raised`` (the assertion raised something else), ``not_reached``
    (its statement raised before it), ``after_error`` (it ran after an earlier
    exception on the page: not counted), ``not_executed`` (its statement ran, the
    assertion never did: say, in a function nobody called), ``not_applicable`` (its
    section declares a newer release), or ``not_run``.
    """
    behaviours = {}
    for behaviour in program.behaviours:
        chunk_report = report["chunks"][behaviour.chunk]
        statement = (
            None
            if chunk_report.get("not_applicable")
            else _statement_at(chunk_report, behaviour.line)
        )
        seen = chunk_report.get("assertions", {}).get(str(behaviour.line))
        if chunk_report.get("not_applicable"):
            status = "not_applicable"
        elif seen in ("passed", "failed", "raised", "after_error"):
            status = "held" if seen == "passed" else seen  # the assertion's own fate
        elif statement is None:
            status = "not_run"
        elif statement["after_error"]:
            status = "after_error"
        elif statement["error"] is not None:
            status = "not_reached"
        else:
            status = "not_executed"
        behaviours[behaviour.id] = status
    raised, outputs = [], []
    for chunk, chunk_report in zip(program.chunks, report["chunks"]):
        if chunk_report.get("not_applicable"):
            continue
        unit = CodeUnit(chunk.label, chunk.code, chunk.origins)
        expected = {s.first: s for s in split_statements(unit)}
        for result in chunk_report["statements"]:
            source = str(chunk.origins[result["first"] - 1])
            if result["error"] and not result["after_error"]:
                error = result["error"]
                raised.append(
                    f"{source}: {error['type']}: {_first_line_of(error['message'])}"
                )
            if result["after_error"] or result["error"]:
                continue
            statement = expected.get(result["first"])
            shown = statement.expected if statement else None
            difference = expected_output.compare(shown, result["stdout"])
            if difference:
                outputs.append(f"{source}: {difference.first()}")
    return {"behaviours": behaviours, "raised": raised, "output_differs": outputs}


def _first_line_of(message: str) -> str:
    """An exception's message as the matrix records it: its first line, shortened."""
    return message.strip().splitlines()[0][:300] if message.strip() else ""
