"""Tables of R torch calls and the PyTorch code that replaces them, read from a script.

A page that maps R calls to Python ones names a section of such a script in a
marker ``<!-- r-mapping: <file>:<section> -->``. Typing the table by hand would let
it drift from what PyTorch accepts, so it is generated from a script that the
tests run (this site's is snippets/from_r/mapping.py). In that script a *row*
is one top-level statement directly below a comment ``# R: <R code>``; longer R
code continues on comment lines ``#    <more R code>`` (``#`` and four spaces,
so the code lines up under the first line's):

    # R: x <- torch_randn(c(3, 2, 3))
    x = torch.randn(3, 2, 3)
    # R: with_no_grad({
    #      w$sub_(0.1 * w$grad)
    #    })
    with torch.no_grad():
        w -= 0.1 * w.grad

The comment sits on its own lines, so a row stays within the line length that
ruff enforces and ``ruff format`` never moves it. Rows are grouped by the
script's snippet sections (``# --8<-- [start:name]`` / ``# --8<-- [end:name]``),
one table per section. Statements without an ``# R:`` comment (setup, asserts)
are not rows. Anything that would silently lose a row is an error naming the
file and line: an ``# R:`` comment that is not directly above a top-level
statement (or that trails code), a row outside every section, an empty section.

Cells are Markdown code spans for Python-Markdown's ``tables`` extension, which
mkdocs uses. That extension already ignores ``|`` inside a code span when it
splits a row into cells, and it does not unescape ``\\|`` there (a backslash would
show), so pipes are left as they are. Code of several lines (either column)
becomes one code span per line, joined by ``<br>``, its indentation kept as
``&nbsp;``.
"""

from __future__ import annotations

import ast
import re
import tokenize
from pathlib import Path
from typing import NamedTuple

from executable_docs.python_source import Comment, comments, source_segment
from executable_docs.safe_includes import IncludeError, include_problem
from executable_docs.snippet_expansion import section_marker
from executable_docs.standalone_runner import first_line

# The comment that starts a row: "# R: <the R code>".
R_COMMENT = re.compile(r"#\s*R:(?P<call>.*)$")
# A comment line that continues the R code above it: "#    <more R code>".
R_CONTINUATION = re.compile(r"#    (?P<call>.*)$")
TABLE_HEADER = ("R torch", "PyTorch")
NOT_ABOVE_A_STATEMENT = (
    "an '# R:' comment must sit directly above a top-level statement (here it makes no "
    "row)"
)


class MappingError(ValueError):
    """A mapping script (or a page marker) that cannot make tables as written."""

    def __init__(self, path: Path | str, line: int | None, message: str) -> None:
        where = f"{path}:{line}" if line is not None else str(path)
        super().__init__(f"{where}: {message}")
        self.path, self.line, self.message = path, line, message


class MappingRow(NamedTuple):
    section: str
    r_call: str
    python: str  # the statement's source, without its "# R:" comment


class _Section(NamedTuple):
    name: str
    start: int  # line of the start marker
    end: int  # line of the end marker


def mapping_rows(path: Path) -> list[MappingRow]:
    """Every row of the mapping script at ``path``, in file order: (section, R call,
    Python code)."""
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    try:
        tree = ast.parse(text, filename=str(path))
    except SyntaxError as error:
        raise MappingError(path, error.lineno, f"syntax error: {error.msg}") from None
    found = _comments(path, text)
    sections = _sections(path, found)
    lines = text.split("\n")
    r_blocks = _r_blocks(path, found)  # last line of each block -> (first line, R code)

    first_lines = [first_line(node) for node in tree.body]
    rows = []
    for node, first in zip(tree.body, first_lines):
        if first - 1 not in r_blocks:
            continue
        block_start, r_call = r_blocks.pop(first - 1)
        if first_lines.count(first) > 1:
            raise MappingError(
                path,
                first,
                "an '# R:' comment above a line with several statements: write one per "
                "line",
            )
        if not r_call.strip():
            raise MappingError(path, block_start, "the '# R:' comment names no R code")
        section = next(
            (s for s in sections if s.start < block_start and first < s.end), None
        )
        if section is None:
            raise MappingError(
                path,
                block_start,
                f"the row for {r_call!r} is outside every '# --8<-- [start:...]' "
                "section",
            )
        rows.append(
            MappingRow(section.name, r_call, _statement_code(lines, node, first))
        )

    if r_blocks:
        raise MappingError(
            path, min(start for start, _ in r_blocks.values()), NOT_ABOVE_A_STATEMENT
        )
    for section in sections:
        if not any(row.section == section.name for row in rows):
            raise MappingError(
                path,
                section.start,
                f"section {section.name!r} has no rows (no statement with an '# R:' "
                "comment)",
            )
    return rows


def render_mapping_table(path: Path, section: str) -> str:
    """The Markdown table (| R torch | PyTorch |) of one section of the mapping script
    at ``path``."""
    path = Path(path)
    rows = mapping_rows(path)
    known = list(dict.fromkeys(row.section for row in rows))
    if section not in known:
        raise MappingError(
            path, None, f"no section {section!r} (sections: {', '.join(known)})"
        )
    lines = [f"| {TABLE_HEADER[0]} | {TABLE_HEADER[1]} |", "| --- | --- |"]
    for row in rows:
        if row.section == section:
            lines.append(f"| {_cell(row.r_call)} | {_cell(row.python)} |")
    return "\n".join(lines) + "\n"


def marker_table(root: Path, written: str, section: str, where: str) -> str:
    """The table of a page's marker ``<!-- r-mapping: <written>:<section> -->``.

    The file goes through the include guard (executable_docs.safe_includes), as every
    path a page reads does: only a file under snippets/ (IncludeError naming ``where``).
    """
    problem = include_problem(written, root)
    if problem:
        raise IncludeError(f"{where}: r-mapping marker: {problem}")
    return render_mapping_table(Path(root) / written, section)


def _comments(path: Path, text: str) -> list[Comment]:
    try:
        return comments(text)
    except (
        tokenize.TokenError,
        SyntaxError,
    ) as error:  # pragma: no cover - ast.parse fails first
        raise MappingError(path, None, f"cannot tokenize: {error}") from None


def _sections(path: Path, comments: list[Comment]) -> list[_Section]:
    """The script's sections, which must not nest or overlap: a row is in just one."""
    sections: list[_Section] = []
    open_name, open_line = None, 0
    for line, _, comment, _ in comments:
        marker = section_marker(comment)  # read as pymdownx.snippets reads it
        if marker is None:
            continue
        kind, name = marker
        if kind == "start":
            if open_name is not None:
                raise MappingError(
                    path,
                    line,
                    f"section {name!r} starts inside section {open_name!r} (line "
                    f"{open_line}): sections must not nest",
                )
            if any(s.name == name for s in sections):
                raise MappingError(path, line, f"section {name!r} is defined twice")
            open_name, open_line = name, line
        else:
            if open_name != name:
                raise MappingError(
                    path, line, f"end of section {name!r}, which was not started"
                )
            sections.append(_Section(name, open_line, line))
            open_name = None
    if open_name is not None:
        raise MappingError(
            path,
            open_line,
            f"section {open_name!r} is never ended ('# --8<-- [end:{open_name}]')",
        )
    return sections


def _r_blocks(path: Path, comments: list[Comment]) -> dict[int, tuple[int, str]]:
    """The '# R:' comment blocks, keyed by their last line: (first line, R code with
    continuation lines)."""
    full_line = {
        comment.line: comment.text for comment in comments if comment.column == 0
    }
    blocks: dict[int, tuple[int, str]] = {}
    for line, column, comment, alone in comments:
        match = R_COMMENT.match(comment)
        if match is None:
            continue
        if not alone:
            raise MappingError(
                path,
                line,
                "an '# R:' comment goes on its own line, directly above its statement",
            )
        if column != 0:
            raise MappingError(path, line, NOT_ABOVE_A_STATEMENT)
        code, last = [match.group("call").strip()], line
        while (
            last + 1 in full_line
            and (more := R_CONTINUATION.match(full_line[last + 1])) is not None
        ):
            if R_COMMENT.match(full_line[last + 1]):
                break
            code.append(more.group("call").rstrip())
            last += 1
        blocks[last] = (line, "\n".join(code))
    return blocks


def _statement_code(lines: list[str], node: ast.stmt, first: int) -> str:
    """The statement's source as the script shows it (decorators included)."""
    if first == node.lineno:
        return source_segment(lines, node)
    return "\n".join(lines[first - 1 : node.end_lineno])


def _cell(code: str) -> str:
    """A table cell showing ``code``: one code span per line, lines joined by <br>."""
    parts = []
    for line in code.split("\n"):
        body = line.lstrip(" ")
        indent = "&nbsp;" * (len(line) - len(body))
        parts.append(indent + _code_span(body) if body else "")
    return "<br>".join(parts)


def _code_span(code: str) -> str:
    """``code`` as a Markdown code span, fenced by more backticks than it has in a
    row."""
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    fence = "`" * (longest + 1)
    if code.startswith("`") or code.endswith("`"):
        code = f" {code} "
    return f"{fence}{code}{fence}"
