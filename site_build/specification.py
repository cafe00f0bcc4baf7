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
import os
import re
from dataclasses import dataclass
from pathlib import Path

from markdown.extensions.toc import slugify

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
    description: str  # the assertion's '# Spec:' comment
    code: str  # the assertion as shown
    anchor: str  # the heading above it on its page ("" for the top)
    source: SourceLine


def _is_assertion(node: ast.AST) -> bool:
    if isinstance(node, ast.Assert):
        return True
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Call)
        and ast.unparse(node.value.func) in ASSERTING_CALLS
    )


SPEC_PREFIX = "Spec:"


def _spec_comments(code: str) -> dict[int, str]:
    """The ``# Spec:`` description ending on the line above each line, by that line."""
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


def _heading_anchors(page_text: str) -> list[tuple[int, str]]:
    """(line, anchor) of each ATX heading, as the toc extension would slugify it."""
    anchors, lines = [], page_text.splitlines()
    for number, (line, fenced) in enumerate(zip(lines, fenced_lines(lines)), start=1):
        if not fenced and line.startswith("#"):
            title = re.sub(
                r"\s*\{[^{}]*\}\s*$", "", line.lstrip("#").strip()
            )  # attr_list, as toc drops it
            anchors.append(
                (number, slugify(title, "-") if line.startswith("##") else "")
            )
    return anchors


def asserted_behaviours(project: DocsProject, page: Path) -> list[AssertedBehaviour]:
    expander = SnippetExpander(project)
    text = page.read_text(encoding="utf-8")
    headings = _heading_anchors(text)
    found, seen = [], set()
    for block in find_python_blocks(page, text):
        if block.skipped:
            continue
        expanded = expander.expand(block)
        descriptions = _spec_comments(expanded.code)
        code_lines = expanded.code.splitlines()
        anchor = next((a for line, a in reversed(headings) if line < block.line), "")
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
                continue  # a full-script block repeats the assertions of the steps
            seen.add(origin)
            if node.lineno not in descriptions:
                raise SpecificationError(
                    f"{origin}: an assertion needs a '# {SPEC_PREFIX} ...' comment "
                    "on the line above it that says what it asserts, for the "
                    "Specification page "
                    f"(shown on {project.relative(page)}:{block.line})"
                )
            code = source_segment(code_lines, node)
            found.append(
                AssertedBehaviour(
                    descriptions[node.lineno], " ".join(code.split()), anchor, origin
                )
            )
    return found


def specification_markdown(
    project: DocsProject, pages: list[tuple[str, Path]], from_page: Path
) -> str:
    """Markdown listing every asserted behaviour of ``pages`` (title, path), in turn."""
    sections = []
    for title, page in pages:
        behaviours = asserted_behaviours(project, page)
        if not behaviours:
            continue
        link = Path(os.path.relpath(page, Path(from_page).parent)).as_posix()
        lines = [f"## {title}", ""]
        ids = version_ranges.behaviour_ids(
            project.relative(page).as_posix(), [b.description for b in behaviours]
        )
        for behaviour, identity in zip(behaviours, ids):
            target = f"{link}#{behaviour.anchor}" if behaviour.anchor else link
            code = behaviour.code.replace("`", "'")
            releases = version_ranges.note(
                project.root, identity
            )  # from matrix/results (make matrix)
            lines.append(
                f"- {behaviour.description}{releases} "
                f"([shown here]({target})): `{code}`"
            )
        sections.append("\n".join(lines))
    return version_ranges.preamble(project.root) + "\n\n".join(sections) + "\n"
