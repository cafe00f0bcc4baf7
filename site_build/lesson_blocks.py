"""Each Python block of a page shown as a lesson: its code, its output, its checks.

A Python-Markdown extension (registered in ``mkdocs.yml``, so MkDocs and Zensical both
run it). Its preprocessor runs after pymdownx.snippets has expanded the includes (32)
and before pymdownx.superfences stashes the fences (25, or 31.05 with
``preserve_tabs``). It rewrites every executable Python fence, wherever it stands
(admonitions, ``???`` blocks, content tabs, ``<div markdown>``: the page is read with
``executable_docs.markdown_blocks.PageParser``), into Markdown at the fence's
indentation, from ``site_build.lesson_code.split_lesson_code``:

1. the fence with the **lesson code** only: what the copy button copies (none for a
   block that holds nothing but checks);
2. when the block prints, an **output** fence (class ``lesson-output``, titled
   "Output", no copy button) with the printed lines of its ``# >`` lines;
3. when the block checks something, a **checks** box (admonition ``checks``; class
   ``checks-only`` too for a block with no lesson code): each ``# Spec:`` sentence
   with the torch releases on which it holds (the Specification page's own label,
   ``site_build.version_ranges.note``), then a collapsed box (open for a block of
   checks only) with the checks' code (class ``check-code``, highlighted, no copy
   button).

Blocks marked ``.notest`` are shown as written. The release labels need the page
being rendered (``rendered_page``); Markdown run without a page shows the checks
without them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from markdown.preprocessors import Preprocessor

from executable_docs.markdown_blocks import (
    FenceError,
    PageParser,
    PythonBlock,
    find_python_blocks,
)
from executable_docs.project import DocsProject, load_project, rendered_page
from executable_docs.snippet_expansion import ExpandedBlock, SnippetExpander
from site_build import version_ranges
from site_build.generated_markdown import SiteExtension
from site_build.lesson_code import LessonCode, LessonCodeError, split_lesson_code
from site_build.specification import asserted_behaviours, behaviour_ids

# After pymdownx.snippets (32), before superfences' raw fences (31.05) and fences (25).
PRIORITY = 31.5
# What this module adds, by CSS class (docs/stylesheets/lessons.css; tests find them).
OUTPUT_CLASS = "lesson-output"
CHECKS_TYPE = "checks"  # the admonition, and the collapsed box of code inside it
CHECKS_ONLY_CLASS = "checks-only"  # a block with no lesson code: checks alone
CHECK_CODE_CLASS = "check-code"  # the fence of the checks' code
SENTENCE_CLASS = "check-sentence"
OUTPUT_TITLE = "Output"
CHECKS_TITLE = "Checks"
CHECK_CODE_TITLE = "Code of the checks"
CHECK_MARK = ":material-check:"
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]])")
_HL_LINES = re.compile(r'\bhl_lines="([^"]*)"')


class LessonBlockError(ValueError):
    """A block whose code cannot be shown as a lesson, named by page and line."""


def escape(text: str) -> str:
    """Text shown as it is in Markdown (no emphasis, links or code)."""
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def _fence(body: str, opening: str) -> list[str]:
    ticks = "`" * max([3, *(len(run) + 1 for run in re.findall(r"`+", body))])
    return [f"{ticks} {opening}", *body.splitlines(), ticks]


def lesson_markdown(
    split: LessonCode, opening: str, closing: str, releases: list[str]
) -> list[str]:
    """A block as Markdown lines (not indented): lesson fence, output fence, checks.

    ``opening`` and ``closing`` are the block's own fence lines; ``releases`` the
    Markdown each check's sentence is followed by (`` *(torch 2.0 to 2.14)*``), or "".
    """
    code = split.code.strip("\n")
    lines = [opening, *code.splitlines(), closing] if code else []
    if split.outputs:
        title = f'title="{OUTPUT_TITLE}"'
        lines += [
            "",
            *_fence(
                "\n".join(split.outputs),
                f"{{ .text .{OUTPUT_CLASS} .no-copy {title} }}",
            ),
        ]
    if split.checks:
        kind = CHECKS_TYPE if code else f"{CHECKS_TYPE} {CHECKS_ONLY_CLASS}"
        lines += ["", f'!!! {kind} "{CHECKS_TITLE}"']
        for check, label in zip(split.checks, releases, strict=True):
            sentence = f'<span class="{SENTENCE_CLASS}">{escape(check.sentence)}</span>'
            lines.append(f"    - {CHECK_MARK} {sentence}{label}")
        fence = f"{{ .python .{CHECK_CODE_CLASS} .no-copy }}"
        opener = "???" if code else "???+"
        lines += [
            "",
            f'    {opener} {CHECKS_TYPE} "{CHECK_CODE_TITLE}"',
            *(f"        {line}" for line in _fence(split.checks_source(), fence)),
        ]
    return lines


def _renumber_highlights(opening: str, split: LessonCode) -> str:
    """``hl_lines`` number the lines shown: renumber them for the lesson code."""
    match = _HL_LINES.search(opening)
    if not match:
        return opening
    removed = {
        part.first + offset
        for part in split.parts
        for offset in range(len(part.text.splitlines()))
    }
    total = len(split.rejoin().splitlines())
    kept = [number for number in range(1, total + 1) if number not in removed]
    new_numbers = {old: new for new, old in enumerate(kept, start=1)}
    numbers = []
    for item in match[1].split():
        first, _, last = item.partition("-")
        for old in range(int(first), int(last or first) + 1):
            if old not in new_numbers:
                raise ValueError(f"hl_lines names line {old}, a check or output line")
            numbers.append(str(new_numbers[old]))
    return opening[: match.start(1)] + " ".join(numbers) + opening[match.end(1) :]


@dataclass(frozen=True)
class _SourceBlock:
    block: PythonBlock
    expanded: ExpandedBlock


class _Page:
    """The page's executable blocks as the tests expand them; its checks' releases."""

    def __init__(self, project: DocsProject, page: Path) -> None:
        self.project, self.page = project, page
        expander = SnippetExpander(project)
        self.blocks = [
            _SourceBlock(block, expander.expand(block))
            for block in find_python_blocks(page)
            if not block.skipped
        ]
        behaviours = asserted_behaviours(project, page)
        ids = behaviour_ids(
            project.relative(page).as_posix(), [b.description for b in behaviours]
        )
        self.behaviour_ids = {b.source: i for b, i in zip(behaviours, ids)}

    def block(self, position: int, code: str) -> _SourceBlock:
        found = self.blocks[position] if position < len(self.blocks) else None
        if found is None or found.expanded.code.strip("\n") != code.strip("\n"):
            raise LessonBlockError(
                f"{self.project.relative(self.page)}: Python block {position + 1} of "
                "the page as rendered is not its block as the tests expand it"
            )
        return found

    def releases(self, source: _SourceBlock, split: LessonCode) -> list[str]:
        """The Specification's label of each check (a full script repeats checks)."""
        return [
            version_ranges.note(
                self.project.root,
                self.behaviour_ids[source.expanded.origin(check.line)],
            )
            for check in split.checks
        ]


class _LessonBlocks(Preprocessor):
    def __init__(self, md, config_file: Path) -> None:
        super().__init__(md)
        self.config_file = config_file

    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        if "```" not in text and "~~~" not in text:
            return lines
        project = load_project(self.config_file)
        path = rendered_page(self.md, project.root)
        try:
            tokens = PageParser().parse(text)
        except FenceError as error:  # the tests' collection refuses the page too
            if path:
                find_python_blocks(path)  # raises naming the line of the page's source
            raise LessonBlockError(
                f"line {error.line} of the page with its includes expanded: "
                f"{error.message}"
            ) from None
        fences = [
            (token, token.map)
            for token in tokens
            # An executable block; a block-level token always has its lines (map).
            if token.type == "fence" and token.info == "python" and token.map
        ]
        if not fences:
            return lines
        page = _Page(project, path) if path else None
        for position, (token, (start, end)) in reversed(list(enumerate(fences))):
            source = page.block(position, token.content) if page else None
            try:
                split = split_lesson_code(token.content)
                opening = _renumber_highlights(lines[start].strip(), split)
            except (LessonCodeError, ValueError) as error:
                raise self._error(project, path, source, start, error) from None
            releases = (
                page.releases(source, split)
                if page and source
                else [""] * len(split.checks)
            )
            block = lesson_markdown(split, opening, lines[end - 1].strip(), releases)
            indent = lines[start].removesuffix(lines[start].lstrip(" \t"))
            lines[start:end] = [indent + line if line else line for line in block]
        return lines

    @staticmethod
    def _error(project, path, source, start: int, error: Exception) -> Exception:
        if source is None:
            return LessonBlockError(f"the block at line {start + 1}: {error}")
        where = f"{project.relative(path)}:{source.block.line}"
        if isinstance(error, LessonCodeError):  # names a line of the expanded block
            where += f" ({source.expanded.origin(error.line)})"
            return LessonBlockError(f"{where}: {error.message}")
        return LessonBlockError(f"{where}: {error}")


class LessonBlocksExtension(SiteExtension):
    def extendMarkdown(self, md) -> None:
        md.preprocessors.register(
            _LessonBlocks(md, self.config_file()),
            "lesson_blocks",
            PRIORITY,
        )


def makeExtension(**kwargs) -> LessonBlocksExtension:
    return LessonBlocksExtension(**kwargs)
