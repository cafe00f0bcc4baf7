"""Expand the ``--8<--`` lines of a page's code block with pymdownx.snippets itself.

The site renders a block by letting pymdownx.snippets replace each include line
with the named section of a file under ``snippets/``. The harness runs the same
preprocessor, configured from ``mkdocs.yml``, so the tested code is the shown
code. It also records where each line came from, so a failure can name the
snippet file and line as well as the page and line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import markdown
from pymdownx.snippets import SnippetMissingError, SnippetPreprocessor

from executable_docs.markdown_blocks import PythonBlock
from executable_docs.project import SNIPPETS_EXTENSION, DocsProject
from executable_docs.safe_includes import include_problem


class SnippetError(ValueError):
    """An include line that names a missing file or section, or code typed on a page."""


@dataclass(frozen=True)
class SourceLine:
    path: Path
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class ExpandedBlock:
    """A page block with its include lines replaced by the code they name."""

    code: str
    origins: tuple[SourceLine, ...]  # where each line of ``code`` lives

    def origin(self, code_line: int) -> SourceLine:
        return self.origins[code_line - 1]


class SnippetExpander:
    def __init__(self, project: DocsProject) -> None:
        self.project = project
        md = markdown.Markdown(
            extensions=[SNIPPETS_EXTENSION],
            extension_configs={SNIPPETS_EXTENSION: project.snippet_config},
        )
        self.preprocessor: SnippetPreprocessor = md.preprocessors["snippet"]

    def expand(self, block: PythonBlock) -> ExpandedBlock:
        code: list[str] = []
        origins: list[SourceLine] = []
        page = self.project.relative(block.page)
        for offset, text in enumerate(block.content.splitlines()):
            page_line = block.first_code_line + offset
            where = f"{page}:{page_line}"
            if not text.strip():
                code.append("")
                origins.append(SourceLine(page, page_line))
                continue
            match = self.preprocessor.RE_ALL_SNIPPETS.match(text)
            if not match or not match.group("inline_marker"):
                raise SnippetError(
                    f"{where}: Python code on a page must come from snippets/; "
                    f"move {text.strip()!r} into a snippet file and include it with "
                    '--8<-- "snippets/<topic>/<example>.py:<section>"'
                )
            lines, file_lines = self._include(
                match.group("snippet")[1:-1].strip(), text.strip(), where
            )
            code.extend(lines)
            origins.extend(file_lines)
        return ExpandedBlock("\n".join(code) + "\n", tuple(origins))

    def _include(
        self, spec: str, include_line: str, where: str
    ) -> tuple[list[str], list[SourceLine]]:
        problem = include_problem(spec, self.project.root)
        if problem:
            raise SnippetError(f"{where}: {problem}")
        target = self.preprocessor.parse_snippet_target(spec)
        if target is None or target["start"]:
            raise SnippetError(
                f"{where}: include a named section (file.py:section), not {spec!r}"
            )
        found = self.preprocessor.get_snippet_path(target["path"])
        if found is None:
            bases = ", ".join(self.preprocessor.base_path)
            raise SnippetError(
                f"{where}: snippet file {target['path']!r} not found "
                f"(looked in {bases})"
            )
        path = Path(found)
        section = target["section"]
        try:
            lines = self.preprocessor.run([include_line])
        except SnippetMissingError:
            raise SnippetError(
                f"{where}: section {section!r} not found in {target['path']} "
                f"(it needs '# --8<-- [start:{section}]' and "
                f"'# --8<-- [end:{section}]' lines)"
            ) from None
        origin_lines = _section_lines(self.preprocessor, path, section)
        if len(origin_lines) != len(lines):
            raise SnippetError(
                f"{where}: {spec!r} nests other includes; "
                "a Python section must be plain code"
            )
        relative = self.project.relative(path)
        return lines, [SourceLine(relative, number) for number in origin_lines]


def section_marker(text: str) -> tuple[str, str] | None:
    """``("start" | "end", name)`` if ``text`` is a section marker, else None.

    A marker is ``# --8<-- [start:name]``, read as pymdownx.snippets reads it (an
    escaped marker, ``;--8<--``, is not one).
    """
    marker = (
        SnippetPreprocessor.RE_SNIPPET_SECTION.match(text) if "8<-" in text else None
    )
    if marker is None or marker.group("escape"):
        return None
    return marker.group("type"), marker.group("name")


def _section_lines(
    preprocessor: SnippetPreprocessor, path: Path, section: str | None
) -> list[int]:
    """1-based line numbers of the file lines the include of ``section`` produces."""
    numbers, inside = [], section is None
    for number, text in enumerate(preprocessor.read_lines(path), start=1):
        marker = section_marker(text)
        if marker:
            kind, name = marker
            if name == section:
                if kind == "end" and inside:
                    break
                inside = inside or kind == "start"
            continue  # section markers never reach the page
        if inside:
            numbers.append(number)
    return numbers
