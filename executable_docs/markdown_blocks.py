"""Find the Python code blocks of a page the way the site renders them.

pytest-markdown-docs parses pages with plain CommonMark, where a fence indented
inside an admonition (``!!! note``), a collapsible block (``??? note``) or a
content tab (``=== "Tab"``) is an indented code block and is silently skipped.
``make_parser`` teaches markdown-it those containers, so the tested blocks are
the shown blocks. The built-site check (tests/site) guards the rest: a Python
block in the HTML that this parser did not find fails the suite.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock

PYTHON_LANGUAGES = ("python", "py", "python3")

# Python-Markdown container markers whose body is indented by one tab (4 spaces).
CONTAINER_MARKERS = ("???+", "===+", "===!", "!!!", "???", "===")
BODY_INDENT = 4

# Fence options a Python block may carry. Flags stand alone, settings are key="value".
FLAG_OPTIONS = {"notest": "do not execute this block (reported in the test summary)"}
SETTING_OPTIONS = {
    "title": "a title shown above the block",
    "hl_lines": "lines to highlight",
    "linenums": "first line number to show",
}
REJECTED_OPTIONS = {
    "continuation": "blocks of a page already share one namespace and run in page order",
    "retry": "pages are deterministic; a flaky block is a bug",
    "fixture": "page code must run as shown, without pytest fixtures",
    "runner": "every page runs through the executable-docs runner",
}


class FenceError(ValueError):
    """A code fence that the harness cannot run as written."""

    def __init__(self, line: int, message: str, page: Path | None = None) -> None:
        where = f"{page}:{line}" if page else f"line {line}"
        super().__init__(f"{where}: {message}")
        self.line, self.message, self.page = line, message, page

    def on_page(self, page: Path) -> FenceError:
        return FenceError(self.line, self.message, page)


@dataclass(frozen=True)
class PythonBlock:
    """A Python fence on a page, before snippet expansion."""

    page: Path
    line: int  # 1-based line of the opening fence
    content: str  # fence body, de-indented as the site renders it
    options: dict[str, str] = field(default_factory=dict)
    end_line: int = 0  # 1-based line of the closing fence

    @property
    def skipped(self) -> bool:
        return "notest" in self.options

    @property
    def first_code_line(self) -> int:
        return self.line + 1


def _indented_container(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """Parse ``!!!``/``???``/``===`` containers whose body is indented by four spaces."""
    if state.sCount[start] - state.blkIndent >= BODY_INDENT:
        return False
    begin = state.bMarks[start] + state.tShift[start]
    text = state.src[begin : state.eMarks[start]]
    if not any(text.startswith(marker + " ") for marker in CONTAINER_MARKERS):
        return False
    if silent:
        return True

    body_indent = state.sCount[start] + BODY_INDENT
    last = start
    line = start + 1
    while line < end:
        if not state.isEmpty(line):
            if state.sCount[line] < body_indent:
                break
            last = line
        line += 1

    saved = state.parentType, state.lineMax, state.blkIndent
    state.parentType, state.lineMax, state.blkIndent = "container", last + 1, body_indent
    token = state.push("container_open", "div", 1)
    token.info, token.map = text, [start, last + 1]
    state.md.block.tokenize(state, start + 1, last + 1)
    state.push("container_close", "div", -1)
    state.parentType, state.lineMax, state.blkIndent = saved
    state.line = last + 1
    return True


def parse_fence_info(info: str, line: int) -> tuple[str, dict[str, str]]:
    """Split a fence's info string into its language and validated options."""
    info = info.strip()
    if info.startswith("{") and info.endswith("}"):  # superfences' {.python ...} form
        info = info[1:-1].strip().removeprefix(".")
    try:
        words = shlex.split(info)
    except ValueError as error:
        raise FenceError(line, f"cannot read the fence options {info!r}: {error}") from None
    if not words:
        return "", {}
    language, options = words[0].lower(), {}
    if language not in PYTHON_LANGUAGES:
        return language, {}
    for word in words[1:]:
        name, _, value = word.partition("=")
        base = name.split(":", 1)[0]
        if base in REJECTED_OPTIONS:
            raise FenceError(line, f"fence option {word!r} is not supported: {REJECTED_OPTIONS[base]}")
        if name in FLAG_OPTIONS and not value:
            options[name] = ""
        elif name in SETTING_OPTIONS and value:
            options[name] = value
        else:
            known = ", ".join([*FLAG_OPTIONS, *(f'{key}="..."' for key in SETTING_OPTIONS)])
            raise FenceError(line, f"unknown fence option {word!r} (known options: {known})")
    return language, options


class PageParser(MarkdownIt):
    """CommonMark plus the Material containers; Python fences get validated options."""

    def __init__(self) -> None:
        super().__init__("commonmark")
        self.block.ruler.before(
            "fence",
            "indented_container",
            _indented_container,
            {"alt": ["paragraph", "reference", "blockquote", "list"]},
        )
        self.disable("inline")  # only block structure matters here: no need to parse emphasis or links

    def parse(self, src: str, env=None):
        tokens = super().parse(src, env)
        for token in tokens:
            if token.type == "fence" and token.map:
                parse_fence_info(token.info, token.map[0] + 1)  # raises on a bad option
        return tokens


def find_python_blocks(page: Path, text: str | None = None) -> list[PythonBlock]:
    """Every Python fence of ``page`` in page order, executable or marked ``notest``."""
    if text is None:
        text = page.read_text(encoding="utf-8")
    try:
        tokens = PageParser().parse(text)
    except FenceError as error:
        raise error.on_page(page) from None
    blocks = []
    for token in tokens:
        if token.type != "fence" or not token.map:
            continue
        line = token.map[0] + 1
        language, options = parse_fence_info(token.info, line)
        if language in PYTHON_LANGUAGES:
            blocks.append(PythonBlock(page, line, token.content, options, end_line=token.map[1]))
    return blocks
