"""Find the Python code blocks of a page the way the site renders them.

pytest-markdown-docs parses pages with plain CommonMark, where a fence indented
inside an admonition (``!!! note``), a collapsible block (``??? note``) or a
content tab (``=== "Tab"``) is an indented code block and is silently skipped.
``PageParser`` teaches markdown-it those containers, and reads a line that is only
an HTML tag (``<div markdown>``, ``</details>``) as that tag alone, as
pymdownx.superfences does, so a fence under it is still a fence (markdown-it would
read the tag and the lines after it as one raw HTML block). Nothing
may escape: a fence that would render as text (unclosed, or indented under prose), a
fence that mentions Python but would not run, and every spelling of ``notest`` but
the one that renders (``{ .python .notest }``) are errors naming the page and line.
The built-site check (tests/built_site) guards the rest. Every other reader of fences
(``fenced_lines``: the Specification's headings, formulas, notebooks, the matrix's
sections) asks this parser.

mdit-py-plugins' ``admon`` is not used: it ends an admonition at two blank lines, where
Python-Markdown goes on, so a fence after them would be misread (and it has no tabs).
"""

from __future__ import annotations

import functools
import re
import shlex
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.token import Token

# Matched case-insensitively: ``Python`` renders as a Python block too.
PYTHON_LANGUAGES = ("python", "py", "python3", "py3")
# The one spelling of a block that is shown but never run. superfences renders it as
# <div class="language-python notest highlight">: other runners (tests/built_site, the
# browser copy test) skip a block by that CSS class, NOTEST_CSS_CLASS.
NOTEST_CSS_CLASS = "notest"
NOTEST_SPELLING = "``` { .python .notest }"

# Python-Markdown container markers whose body is indented by one tab (4 spaces): the
# admonition, pymdownx.details' collapsible blocks, pymdownx.tabbed's content tabs.
CONTAINER_MARKERS = ("???+", "===+", "===!", "!!!", "???", "===")
BODY_INDENT = 4

# Fence options a Python block may carry: settings are key="value"; notest is only the
# class .notest.
SETTING_OPTIONS = {
    "title": "a title shown above the block",
    "hl_lines": "lines to highlight",
    "linenums": "first line number to show",
}
REJECTED_OPTIONS = {
    "continuation": "a page's blocks already share one namespace and run in page order",
    "retry": "pages are deterministic; a flaky block is a bug",
    "fixture": "page code must run as shown, without pytest fixtures",
    "runner": "every page runs through the executable-docs runner",
}


def rendered_block_kind(css_classes: Iterable[str]) -> str | None:
    """How the suite treats a code block of the built site, from its highlight div's
    CSS classes.

    ``"run"``: a Python block the page tests execute; ``"notest"``: a Python block
    marked notest (shown, never run: a copy test must skip it); None: not Python. For
    tests/built_site and the browser copy test, so every runner agrees with this
    collector.
    """
    classes = [css_class.lower() for css_class in css_classes]
    if not any(
        css_class.removeprefix("language-") in PYTHON_LANGUAGES
        for css_class in classes
        if css_class.startswith("language-")
    ):
        return None
    return "notest" if NOTEST_CSS_CLASS in classes else "run"


class FenceError(ValueError):
    """A code fence that the harness cannot run as written."""

    def __init__(self, line: int, message: str, page: Path | None = None) -> None:
        where = f"{page}:{line}" if page else f"line {line}"
        super().__init__(f"{where}: {message}")
        self.line, self.message = line, message

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


# A line holding one HTML tag (or one element, like <summary>...</summary>):
# md_in_html's <div markdown>, <details markdown>. superfences finds fences under it, so
# must the parser.
_TAG_LINE = re.compile(
    r"</?[A-Za-z][\w-]*(?:\s[^<>]*)?/?>(?:[^<>]*</[A-Za-z][\w-]*>)?\s*"
)
# Anything that looks like the start or end of a fence, wherever it stands.
_FENCE_LIKE = re.compile(r"^\s*(`{3,}|~{3,})")


def fenced_lines(lines: list[str]) -> list[bool]:
    """For each line, whether it is in a fenced code block (fence lines included).

    Read by the page parser, containers and all (an unclosed fence runs to the end),
    without validating the fences: for text that is not collected, such as formulas.
    """
    fenced = [False] * len(lines)
    for token in _block_tokens("\n".join(lines)):
        if token.type == "fence" and token.map:
            first, end = token.map
            fenced[first:end] = [True] * (min(end, len(lines)) - first)
    return fenced


def _block_start(state: StateBlock, start: int) -> str | None:
    """Line ``start`` without its indentation; None if it is indented code there."""
    if state.sCount[start] - state.blkIndent >= BODY_INDENT:
        return None
    return state.src[state.bMarks[start] + state.tShift[start] : state.eMarks[start]]


def _html_tag_line(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """Read a line that is only an HTML tag as an HTML block of that one line."""
    text = _block_start(state, start)
    if text is None or not _TAG_LINE.fullmatch(text):
        return False
    if silent:
        return True
    token = state.push("html_block", "", 0)
    token.map, token.content = [start, start + 1], text + "\n"
    state.line = start + 1
    return True


def _indented_container(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """Parse ``!!!``/``???``/``===`` containers, whose body is indented by four spaces
    (blank lines inside it included, as Python-Markdown reads them)."""
    text = _block_start(state, start)
    if text is None or not any(
        text.startswith(marker + " ") for marker in CONTAINER_MARKERS
    ):
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
    state.parentType, state.lineMax, state.blkIndent = (
        "container",
        last + 1,
        body_indent,
    )
    token = state.push("container_open", "div", 1)
    token.info, token.map = text, [start, last + 1]
    state.md.block.tokenize(state, start + 1, last + 1)
    state.push("container_close", "div", -1)
    state.parentType, state.lineMax, state.blkIndent = saved
    state.line = last + 1
    return True


def _notest_hint(line: int, info: str) -> FenceError:
    return FenceError(
        line,
        f"'{info.strip()}' does not mark a block notest (it would render wrongly or "
        "still run); "
        f'the one spelling is {NOTEST_SPELLING} (options may follow, e.g. title="...")',
    )


def parse_fence_info(info: str, line: int) -> tuple[str, dict[str, str]]:
    """Split a fence's info string into its language (lower case) and validated options.

    Plain form: ``python title="..."``. Brace form (superfences'):
    ``{ .python .notest title="..." }``, the only form that can carry ``.notest``.
    """
    info = info.strip()
    braces = info.startswith("{") and info.endswith("}")
    body = info[1:-1].strip() if braces else info
    try:
        words = shlex.split(body)
    except ValueError as error:
        raise FenceError(
            line, f"cannot read the fence options {info!r}: {error}"
        ) from None
    if not words:
        return "", {}
    first = words[0]
    language = (first[1:] if braces and first.startswith(".") else first).lower()
    if language not in PYTHON_LANGUAGES:
        mentioned = [
            word for word in words if word.strip("{}.").lower() in PYTHON_LANGUAGES
        ]
        if mentioned:
            raise FenceError(
                line,
                f"fence '{info}' mentions {mentioned[0]!r} but renders as language "
                f"{language!r}, so it would never "
                "run; put the language first (``` python) or mark it with "
                + NOTEST_SPELLING,
            )
        return language, {}
    if braces and not first.startswith("."):
        raise FenceError(
            line,
            f"fence '{info}': in braces the language is a class: {{ .{first} ... }}",
        )
    options: dict[str, str] = {}
    for word in words[1:]:
        name, _, value = word.partition("=")
        base = name.split(":", 1)[0]
        if base.strip("{}.") == "notest":
            if not (braces and word == ".notest"):
                raise _notest_hint(line, info)
            options["notest"] = ""
        elif base in REJECTED_OPTIONS:
            raise FenceError(
                line,
                f"fence option {word!r} is not supported: {REJECTED_OPTIONS[base]}",
            )
        elif name in SETTING_OPTIONS and value:
            options[name] = value
        else:
            known = ", ".join(f'{key}="..."' for key in SETTING_OPTIONS)
            raise FenceError(
                line,
                f"unknown fence option {word!r} (known options: {known}; and "
                f"{NOTEST_SPELLING} for notest)",
            )
    return language, options


def _fence_is_closed(lines: list[str], token) -> bool:
    """Whether the fence's last line closes it (markdown-it runs an unclosed one on)."""
    first, end = token.map
    if end - first < 2:
        return False
    closing = lines[end - 1].strip()
    marker = token.markup[0]
    return len(closing) >= len(token.markup) and closing == marker * len(closing)


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
        self.block.ruler.before(
            "html_block", "html_tag_line", _html_tag_line, {"alt": ["paragraph"]}
        )
        self.disable(
            "inline"
        )  # only block structure matters here: no need to parse emphasis or links

    def parse(self, src: str, env=None) -> list[Token]:
        """Tokens of ``src``; raises FenceError on a fence that would escape the tests.

        Python fences get the info string ``python`` (``python notest`` when marked), so
        pytest-markdown-docs, which matches languages by exact name, collects each.
        """
        tokens = _block_tokens(src, self)
        lines = src.splitlines()
        for token in tokens:
            if not token.map:
                continue
            if token.type != "fence":
                _reject_fence_text(token)
                continue
            line = token.map[0] + 1
            language, options = parse_fence_info(
                token.info, line
            )  # raises on a bad option
            if not _fence_is_closed(lines, token):
                raise FenceError(
                    line,
                    f"the fence '{lines[token.map[0]].strip()}' is never closed: it "
                    "renders as text",
                )
            if language in PYTHON_LANGUAGES:
                token.info = "python notest" if "notest" in options else "python"
                token.meta["python_options"] = options
        return tokens


def _block_tokens(src: str, parser: PageParser | None = None) -> list[Token]:
    """The block structure of ``src`` as the page parser reads it (fences unchecked)."""
    return MarkdownIt.parse(parser or PageParser(), src)


def _reject_fence_text(token) -> None:
    """A fence line in prose, raw HTML or an indented code block: shown as text."""
    for offset, text in enumerate(token.content.splitlines()):
        if _FENCE_LIKE.match(text):
            raise FenceError(
                token.map[0] + 1 + offset,
                f"{text.strip()!r} renders as text, not as a code block: a fence needs "
                "a blank line before it and the indentation of its container (none at "
                "top level, four spaces per container level)",
            )


def find_python_blocks(page: Path, text: str | None = None) -> list[PythonBlock]:
    """Every Python fence of ``page`` in page order, executable or marked ``notest``."""
    if text is None:
        text = page.read_text(encoding="utf-8")
    return list(_python_blocks(page, text))


# Collection and the page's run both ask for a page's blocks: the text is parsed once.
@functools.lru_cache(maxsize=256)
def _python_blocks(page: Path, text: str) -> tuple[PythonBlock, ...]:
    try:
        tokens = PageParser().parse(text)
    except FenceError as error:
        raise error.on_page(page) from None
    blocks = []
    for token in tokens:
        # A block-level token always has its source lines (map); inline ones do not.
        if token.type == "fence" and "python_options" in token.meta and token.map:
            options = token.meta["python_options"]
            first, end = token.map
            blocks.append(
                PythonBlock(page, first + 1, token.content, options, end_line=end)
            )
    return tuple(blocks)
