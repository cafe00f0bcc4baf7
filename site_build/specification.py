"""The Specification page: every behaviour the site asserts, built from the pages' code.

An asserted behaviour is a statement of shown code that calls ``assert`` or
``torch.testing.assert_close``, directly under a comment that says in words what
it asserts and reads on its own::

    # Spec: gradients accumulate across backward() calls until they are reset.
    assert torch.equal(x.grad, 2 * first_grad)

(longer descriptions continue on comment lines indented under the text). Each
becomes one line of the Specification page, linked to the section of the page
that shows it. Adding an assertion to a page adds it here. The comment sits
above the code, not after it, so it never widens a line of shown code.
"""

from __future__ import annotations

import ast
import itertools
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeGuard

from markdown.extensions.attr_list import (
    AttrListTreeprocessor,
    get_attrs_and_remainder,
)
from markdown.extensions.toc import slugify, unique

from executable_docs.markdown_blocks import fenced_lines, find_python_blocks
from executable_docs.project import DocsProject
from executable_docs.python_source import comments, source_segment
from executable_docs.snippet_expansion import SnippetExpander, SourceLine
from site_build import version_ranges

ASSERTING_CALLS = ("torch.testing.assert_close", "testing.assert_close", "assert_close")


class SpecificationError(ValueError):
    """An assertion on a page that the Specification cannot describe."""


@dataclass(frozen=True)
class AssertedBehaviour:
    id: str  # "docs/<page>.md: <description>" (repeats numbered): the matrix's key
    description: str  # the assertion's '# Spec:' comment
    code: str  # the assertion as shown
    anchor: str  # the heading above it on its page ("" for the top)
    section: str  # that heading's title
    source: SourceLine


def _is_assertion(node: ast.AST) -> TypeGuard[ast.Assert | ast.Expr]:
    if isinstance(node, ast.Assert):
        return True
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Call)
        and ast.unparse(node.value.func) in ASSERTING_CALLS
    )


SPEC_PREFIX = "Spec:"


def _spec_comments(code: str) -> dict[int, str]:
    """The ``# Spec:`` description ending on the line above each line, by its number."""
    whole_line_comments = {
        c.line: c.text.lstrip("#").strip() for c in comments(code) if c.alone
    }
    described = {}
    for line, text in whole_line_comments.items():
        if not text.startswith(SPEC_PREFIX):
            continue
        words = [text.removeprefix(SPEC_PREFIX).strip()]
        end = line + 1
        while end in whole_line_comments and not whole_line_comments[end].startswith(
            SPEC_PREFIX
        ):
            words.append(whole_line_comments[end])
            end += 1
        described[end] = " ".join(words)
    return described


@dataclass(frozen=True)
class Heading:
    line: int
    level: int
    title: str  # without its attribute list
    anchor: str  # as the toc extension makes it ("" for the page's title)
    attributes: tuple[
        tuple[str, str], ...
    ]  # attr_list's, e.g. (("data-torch-min", "2.7"),)


ATX_HEADING = re.compile(r"^(?P<hashes>#{1,6})[ \t]+(?P<text>.*?)[ \t]*$")


def page_headings(page_text: str) -> list[Heading]:
    """The ATX headings of a page outside fences, as attr_list and toc read them."""
    found: list[Heading] = []
    ids: set[str] = set()
    lines = page_text.splitlines()
    for number, (line, fenced) in enumerate(zip(lines, fenced_lines(lines)), start=1):
        match = None if fenced else ATX_HEADING.match(line)
        if not match:
            continue
        title, attributes = match["text"], list[tuple[str, str]]()
        if listed := AttrListTreeprocessor.HEADER_RE.search(title):
            attributes, _ = get_attrs_and_remainder(listed.group(1))
            title = title[: listed.start()]
        level = len(match["hashes"])
        anchor = unique(slugify(title, "-"), ids) if level > 1 else ""
        found.append(Heading(number, level, title, anchor, tuple(attributes)))
    return found


def behaviour_ids(page: str, descriptions: list[str]) -> list[str]:
    """Stable names of a page's behaviours: ``docs/<page>.md: <sentence>`` (repeats
    numbered)."""
    ids, seen = [], set()
    for description in descriptions:
        identity, count = f"{page}: {description}", 2
        while identity in seen:
            identity, count = f"{page}: {description} ({count})", count + 1
        seen.add(identity)
        ids.append(identity)
    return ids


def asserted_behaviours(project: DocsProject, page: Path) -> list[AssertedBehaviour]:
    expander = SnippetExpander(project)
    text = page.read_text(encoding="utf-8")
    headings = page_headings(text)
    found, seen = [], set()
    for block in find_python_blocks(page, text):
        if block.skipped:
            continue
        expanded = expander.expand(block)
        descriptions = _spec_comments(expanded.code)
        code_lines = expanded.code.splitlines()
        above = [h for h in headings if h.line < block.line]
        heading = above[-1] if above else None
        assertions = [n for n in ast.walk(ast.parse(expanded.code)) if _is_assertion(n)]
        # A description above a statement that asserts nothing would vanish unchecked.
        for line in sorted(set(descriptions) - {node.lineno for node in assertions}):
            raise SpecificationError(
                f"{expanded.origin(min(line, len(expanded.origins)))}: a "
                f"'# {SPEC_PREFIX}' comment stands above this statement, which asserts "
                "nothing, so its behaviour would vanish from the Specification: write "
                "the claim as `assert ...` or `torch.testing.assert_close(...)` "
                f"(shown on {project.relative(page)}:{block.line})"
            )
        for node in assertions:
            origin = expanded.origin(node.lineno)
            if origin in seen:
                continue  # a full-script block repeats the steps' assertions
            seen.add(origin)
            if node.lineno not in descriptions:
                raise SpecificationError(
                    f"{origin}: an assertion needs a '# {SPEC_PREFIX} ...' comment on "
                    f"the line above it that says what it asserts, for the "
                    f"Specification page (shown on "
                    f"{project.relative(page)}:{block.line})"
                )
            code = source_segment(code_lines, node)
            found.append(
                AssertedBehaviour(
                    "",
                    descriptions[node.lineno],
                    " ".join(code.split()),
                    heading.anchor if heading else "",
                    heading.title if heading else "",
                    origin,
                )
            )
    ids = behaviour_ids(
        project.relative(page).as_posix(), [b.description for b in found]
    )
    return [replace(b, id=identity) for b, identity in zip(found, ids)]


# How a release's cell reads in the tables (a legend is printed above each).
MARKS = {"holds": "✓", "fails": "✗", "not applicable": "n/a", "not measured": "–"}
LEGEND = (
    "✓ holds; ✗ fails (the assertion is false, or the code before it in its section "
    "raised); n/a: not applicable (the code needs an API that release lacks); "
    "– not measured (the code uses what an earlier section, failing there, made)."
)


@dataclass(frozen=True)
class _Page:
    title: str
    link: str  # from the generated page
    behaviours: list[AssertedBehaviour]

    def target(self, behaviour: AssertedBehaviour) -> str:
        return f"{self.link}#{behaviour.anchor}" if behaviour.anchor else self.link


def _pages(
    project: DocsProject, pages: list[tuple[str, Path]], from_page: Path
) -> list[_Page]:
    here = Path(from_page).parent
    return [
        _Page(title, Path(os.path.relpath(page, here)).as_posix(), found)
        for title, page in pages
        if (found := asserted_behaviours(project, page))
    ]


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _code(code: str) -> str:
    return "`" + code.replace("`", "'") + "`"


def _kinds(matrix: version_ranges.Matrix, behaviour_id: str) -> list[str]:
    column = matrix.column(behaviour_id)
    return [version_ranges.kind(column.get(r)) for r in matrix.releases]


def _everywhere(matrix: version_ranges.Matrix, behaviour_id: str) -> bool:
    return set(_kinds(matrix, behaviour_id)) == {"holds"}


def specification_markdown(
    project: DocsProject, pages: list[tuple[str, Path]], from_page: Path
) -> str:
    """Every asserted behaviour of ``pages`` (title, path), in that order: first, as one
    table, those whose status differs across the measured releases; then, per page and
    folded, all of them, with the releases they hold on stated once."""
    matrix = version_ranges.load_matrix(project.root)
    listed = _pages(project, pages, from_page)
    everything = [b for page in listed for b in page.behaviours]
    parts = []
    if matrix.releases:
        differing = [
            (page, b)
            for page in listed
            for b in page.behaviours
            if len(set(_kinds(matrix, b.id))) > 1
        ]
        everywhere = sum(_everywhere(matrix, b.id) for b in everything)
        parts.append(
            f"Each behaviour was measured on every torch release from "
            f"{version_ranges.span(matrix.releases, set(matrix.releases))} by running "
            f"every page's code on it (`make matrix`, {', '.join(matrix.dates)}; data "
            f"in `{version_ranges.RESULTS}/`). {everywhere} of the {len(everything)} "
            f"behaviours hold on all of them. "
            + (
                f"The {len(differing)} whose status differs between releases come "
                if len(differing) != 1
                else "The one whose status differs between releases comes "
            )
            + "first; the [upgrade guide](upgrading.md) lists the same changes by "
            "release."
        )
        if differing:
            header = " | ".join(version_ranges.short(r) for r in matrix.releases)
            rows = [
                f"| [{_cell(page.title)}: {_cell(b.description)}]({page.target(b)}) | "
                + " | ".join(MARKS[k] for k in _kinds(matrix, b.id))
                + " |"
                for page, b in differing
            ]
            parts.append(
                "## Behaviours that differ across releases\n\n"
                f"{LEGEND}\n\n"
                f"| Behaviour | {header} |\n"
                f"|---|{'---|' * len(matrix.releases)}\n" + "\n".join(rows)
            )
    parts.extend(_page_section(matrix, page) for page in listed)
    return "\n\n".join(parts) + "\n"


def _page_section(matrix: version_ranges.Matrix, page: _Page) -> str:
    count = len(page.behaviours)
    noun = "behaviour" if count == 1 else "behaviours"
    every = version_ranges.span(matrix.releases, set(matrix.releases))
    if not matrix.releases:
        summary = f"{count} {noun}, not measured yet (run make matrix)"
    elif all(_everywhere(matrix, b.id) for b in page.behaviours):
        summary = f"{count} {noun}, each holding on torch {every}"
    else:
        summary = f"{count} {noun}, each holding on torch {every} unless dated"
    lines = [f"## {page.title}", "", f'??? note "{summary}"', ""]
    for b in page.behaviours:
        words = (
            f" *({version_ranges.describe(matrix, matrix.column(b.id))})*"
            if matrix.releases and not _everywhere(matrix, b.id)
            else ""
        )
        lines.append(
            f"    - {b.description}{words} ([shown here]({page.target(b)})): "
            f"{_code(b.code)}"
        )
    return "\n".join(lines)


def shown_at(
    project: DocsProject, pages: list[Path]
) -> dict[str, tuple[Path, str, str]]:
    """Where each snippet line is first shown: ``"snippets/x.py:12"`` -> (page, anchor,
    heading title)."""
    expander = SnippetExpander(project)
    found: dict[str, tuple[Path, str, str]] = {}
    for page in pages:
        text = page.read_text(encoding="utf-8")
        headings = page_headings(text)
        for block in find_python_blocks(page, text):
            if block.skipped:
                continue
            above = [h for h in headings if h.line < block.line]
            anchor, title = (above[-1].anchor, above[-1].title) if above else ("", "")
            for origin in expander.expand(block).origins:
                found.setdefault(str(origin), (page, anchor, title))
    return found


def _state(matrix: version_ranges.Matrix, behaviour_id: str, release: str) -> str:
    """A behaviour on one release, in words, with the reason when it does not hold."""
    status = matrix.column(behaviour_id).get(release)
    words = version_ranges.kind(status)
    note = matrix.notes.get(behaviour_id, {}).get(release)
    if status == "failed":
        return "fails (its assertion is false)"
    if words in ("fails", "not applicable") and note:
        return f"{words} ({note['why']})"
    return words


def upgrade_markdown(
    project: DocsProject, pages: list[tuple[str, Path]], from_page: Path
) -> str:
    """From matrix/results only: first, from each release, every documented behaviour
    that changes up to the newest and where; then, per release, the behaviours and the
    printed outputs that change from the release before, before and after, each linked
    to the section that shows it."""
    matrix = version_ranges.load_matrix(project.root)
    releases = matrix.releases
    if len(releases) < 2:
        return "Fewer than two releases are measured (run `make matrix`).\n"
    listed = _pages(project, pages, from_page)
    where = shown_at(project, [page for _, page in pages])
    here = Path(from_page).parent
    changes: dict[str, list[str]] = {}  # behaviour id -> the releases it changes in
    per_release = []
    for before, after in itertools.pairwise(releases):
        lines = []
        for page in listed:
            for b in page.behaviours:
                old, new = (_kinds_at(matrix, b.id, r) for r in (before, after))
                if old != new and "not measured" not in (old, new):
                    changes.setdefault(b.id, []).append(after)
                    lines.append(
                        f"- [{page.title}: {b.description}]({page.target(b)})  \n"
                        f"  {version_ranges.short(before)}: "
                        f"{_state(matrix, b.id, before)}; "
                        f"{version_ranges.short(after)}: {_state(matrix, b.id, after)}"
                    )
        outputs = _output_changes(matrix, before, after, where, here)
        section = [f"## torch {version_ranges.short(after)}", ""]
        if not lines and not outputs:
            section.append(
                f"No documented behaviour and no printed output changes from "
                f"{version_ranges.short(before)}."
            )
        if lines:
            section += ["Behaviours:", "", *lines, ""]
        if outputs:
            section += [
                "Printed output, compared with what the page shows:",
                "",
                *outputs,
            ]
        per_release.append("\n".join(section).rstrip())
    by_id = {b.id: (page, b) for page in listed for b in page.behaviours}
    parts = [_from_to(matrix, changes, by_id), *reversed(per_release)]
    return "\n\n".join(parts) + "\n"


def _kinds_at(matrix: version_ranges.Matrix, behaviour_id: str, release: str) -> str:
    return version_ranges.kind(matrix.column(behaviour_id).get(release))


def _from_to(
    matrix: version_ranges.Matrix,
    changes: dict[str, list[str]],
    by_id: dict[str, tuple[_Page, AssertedBehaviour]],
) -> str:
    releases = matrix.releases
    newest = version_ranges.short(releases[-1])
    lines = [
        "## From one release to a newer one",
        "",
        (
            f"Pick the release you upgrade from: its tab lists each documented "
            f"behaviour that changes after it, with the releases where it changes, up "
            f"to {newest}. Upgrading to an older release, read the changes up to it."
        ),
        "",
    ]
    for start in releases[:-1]:
        rows = []
        for behaviour_id, found in changes.items():
            later = [
                r
                for r in found
                if version_ranges.release(r) > version_ranges.release(start)
            ]
            if not later:
                continue
            page, b = by_id[behaviour_id]
            steps = "; ".join(
                f"{version_ranges.short(r)}: {_state(matrix, b.id, r)}" for r in later
            )
            rows.append(
                f"    | [{_cell(page.title)}: {_cell(b.description)}]"
                f"({page.target(b)}) | {_cell(_state(matrix, b.id, start))} | "
                f"{_cell(steps)} |"
            )
        lines += [f'=== "From {version_ranges.short(start)}"', ""]
        if rows:
            lines += [
                f"    | Behaviour | on {version_ranges.short(start)} | changes in |",
                "    |---|---|---|",
                *rows,
            ]
        else:
            lines.append(
                f"    No documented behaviour changes from "
                f"{version_ranges.short(start)} to {newest}."
            )
        lines.append("")
    return "\n".join(lines).rstrip()


def _output_changes(
    matrix: version_ranges.Matrix, before: str, after: str, where: dict, here: Path
) -> list[str]:
    """Printed outputs that differ from the page on one of two releases and not on the
    other (or differently), by the statement that prints them."""

    def by_source(release: str) -> dict[str, str]:
        found: dict[str, str] = {}
        for entries in matrix.outputs.get(release, {}).values():
            for entry in entries:
                source, _, what = entry.partition(": ")
                found.setdefault(source, what)
        return found

    old, new = by_source(before), by_source(after)
    lines = []
    for source in sorted(set(old) | set(new), key=_source_order):
        if old.get(source) == new.get(source) or source not in where:
            continue  # unchanged, or no longer shown on any page
        page, anchor, title = where[source]
        link = Path(os.path.relpath(page, here)).as_posix()
        link += f"#{anchor}" if anchor else ""
        lines.append(
            f"- [{title or page.stem}]({link}), `{source}`  \n"
            f"  {version_ranges.short(before)}: {_printed(old.get(source))}; "
            f"{version_ranges.short(after)}: {_printed(new.get(source))}"
        )
    return lines


def _source_order(source: str) -> tuple[str, int]:
    path, _, line = source.rpartition(":")
    return path, int(line) if line.isdigit() else 0


def _printed(difference: str | None) -> str:
    return _code(difference) if difference else "as the page shows"


# The generated pages, by the name of their marker (site_build/generated_markdown.py).
GENERATED_PAGES = {
    "specification": specification_markdown,
    "upgrade-guide": upgrade_markdown,
}
