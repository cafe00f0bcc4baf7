"""What the built site shows: each page's code blocks and prose, read from its HTML.

A page ``docs/<name>.md`` is built to ``site/<name>/index.html`` (``index.md`` to
``site/index.html``). A Python block is a ``div.highlight`` whose ``language-*``
class names a Python spelling, in any case (``language-Python``, ``language-py3``);
a block whose div carries the class ``notest`` is shown but never run. The code of a
block is the text of its ``code`` element: what Material's copy button copies.

A block that ran is shown in up to three pieces (site_build/lesson_blocks.py): its
lesson code, then its output area (``div.lesson-output``), then its checks box
(``div.admonition.checks``: the Spec sentences, and the checks' code folded in a
``details``); a block of checks alone has only the box (class ``checks-only``). The
pieces are read back into one RenderedBlock, and ``block_differences`` compares them,
part by part, with the split of the code that ran (site_build/lesson_code.py).
"""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup

from executable_docs.markdown_blocks import rendered_block_kind
from site_build.lesson_blocks import (
    CHECK_CODE_CLASS,
    CHECKS_ONLY_CLASS,
    CHECKS_TYPE,
    OUTPUT_CLASS,
    SENTENCE_CLASS,
)
from site_build.lesson_code import split_lesson_code

# Spellings that Pygments (and so pymdownx.highlight) renders as Python, and Python
# sessions: more than the collector runs (rendered_block_kind), so a block in any of
# them that no test runs is reported rather than passed over.
PYTHON_SPELLINGS = frozenset(
    {
        "python",
        "py",
        "python3",
        "py3",
        "pyi",
        "python2",
        "py2",
        "pycon",
        "python-console",
        "ipython",
        "ipython3",
    }
)


def block_kind(classes: list[str]) -> str | None:
    """ "run", "notest" or None (not Python), as the harness defines it, for any
    Python spelling."""
    kind = rendered_block_kind(classes)
    if kind is None:
        language = _language(classes)
        if language is not None and language.lower() in PYTHON_SPELLINGS:
            kind = "notest" if "notest" in [name.lower() for name in classes] else "run"
    return kind


@dataclass(frozen=True)
class RenderedBlock:
    index: int  # 1-based, among the page's Python blocks (notest included)
    language: str
    code: str  # the copy-button text ("" for a block of checks alone)
    notest: bool
    outputs: tuple[str, ...] = ()  # the lines of its output area
    checks: tuple[str, ...] = ()  # the Spec sentences of its checks box
    checks_code: str = ""  # the checks' code, folded in the box


@dataclass(frozen=True)
class RenderedPage:
    source: Path  # docs/<name>.md
    html: Path
    url: str  # e.g. "/autograd/"
    blocks: list[RenderedBlock]
    prose: str  # the article's text outside code blocks
    code_texts: list[str]  # the text of every <pre> of the article (any language)
    tables: int
    figures: int

    @property
    def executable_blocks(self) -> list[RenderedBlock]:
        return [block for block in self.blocks if not block.notest]


def page_html(site: Path, docs_dir: Path, page: Path) -> tuple[Path, str]:
    relative = page.relative_to(docs_dir).with_suffix("")
    if relative.name == "index":
        relative = relative.parent
    folder = site / relative
    url = "/" if relative == Path(".") else f"/{relative.as_posix()}/"
    return folder / "index.html", url


def _language(classes: list[str]) -> str | None:
    for name in classes:
        if name.lower().startswith("language-"):
            return name[len("language-") :]
    return None


def _code_text(div) -> str:
    cells = div.select("td.code code") or div.select("code")  # linenums render a table
    return cells[0].get_text() if cells else div.get_text()


def _lines(text: str) -> tuple[str, ...]:
    return tuple(text.rstrip("\n").split("\n")) if text.strip("\n") else ()


def _is_checks_box(element) -> bool:
    return element.name == "div" and {"admonition", CHECKS_TYPE} <= set(
        element.get("class", [])
    )


def _read_blocks(article, html: Path) -> list[RenderedBlock]:
    """The article's Python blocks, each with its output area and checks box."""
    blocks: list[RenderedBlock] = []
    last = None  # what the previous piece was: "code", "output", "checks" or None
    for element in article.find_all(
        lambda tag: (
            tag.name == "div"
            and ("highlight" in tag.get("class", []) or _is_checks_box(tag))
        )
    ):
        if element.find_parent(_is_checks_box):
            continue  # the checks' code, read with its box
        classes = element.get("class", [])
        if _is_checks_box(element):
            sentences = tuple(
                " ".join(span.get_text().split())
                for span in element.select(f"span.{SENTENCE_CLASS}")
            )
            folded = element.select_one(f"div.{CHECK_CODE_CLASS}")
            pieces = {
                "checks": sentences,
                "checks_code": _code_text(folded) if folded else "",
            }
            if CHECKS_ONLY_CLASS in classes:
                blocks.append(
                    RenderedBlock(len(blocks) + 1, "python", "", False, **pieces)
                )
            elif last not in ("code", "output"):
                raise AssertionError(f"{html}: a checks box that follows no code")
            else:
                blocks[-1] = _with(blocks[-1], **pieces)
            last = "checks"
            continue
        if OUTPUT_CLASS in classes:
            if last != "code":
                raise AssertionError(f"{html}: an output area that follows no code")
            blocks[-1] = _with(blocks[-1], outputs=_lines(_code_text(element)))
            last = "output"
            continue
        kind = block_kind(classes)
        last = None
        if kind is None:
            continue
        blocks.append(
            RenderedBlock(
                len(blocks) + 1,
                _language(classes) or "",
                _code_text(element),
                kind == "notest",
            )
        )
        last = "code"
    return blocks


def _with(block: RenderedBlock, **changes) -> RenderedBlock:
    return RenderedBlock(**{**block.__dict__, **changes})


def read_page(site: Path, docs_dir: Path, page: Path) -> RenderedPage:
    html, url = page_html(site, docs_dir, page)
    soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
    article = soup.select_one("article.md-content__inner") or soup.select_one("article")
    if article is None:
        raise AssertionError(f"{html}: no <article> (Material's page layout changed?)")
    blocks = _read_blocks(article, html)
    code_texts = [pre.get_text() for pre in article.select("pre")]
    for pre in article.select("pre"):
        pre.decompose()
    for tag in article.select("script, style"):
        tag.decompose()
    return RenderedPage(
        page,
        html,
        url,
        blocks,
        article.get_text(" "),
        code_texts,
        tables=len(
            [
                table
                for table in article.select("table")
                if not table.find_parent(class_="highlight")
            ]
        ),
        figures=len(article.select("figure")),
    )


def normalised_code(code: str) -> str:
    """Code compared as text: trailing spaces, surrounding blank lines do not count."""
    return "\n".join(line.rstrip() for line in code.strip("\n").splitlines())


LEAKS = ("```", "--8<--")
_COLLECTED_ITEM = re.compile(
    r"^(?P<page>\S+?\.md)::.*?\bline:(?P<line>\d+)\]", re.MULTILINE
)


def collected_fence_lines(root: Path, docs_dir: Path) -> dict[Path, set[int]]:
    """Fence lines of the tests pytest really collects from ``docs_dir`` (its own
    language rules included)."""
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--collect-only",
            "-q",
            "-p",
            "no:randomly",
            "-p",
            "no:cacheprovider",
            "-n",
            "0",
            str(docs_dir),
        ],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,  # the return code is read below
    )
    fences: dict[Path, set[int]] = {}
    for match in _COLLECTED_ITEM.finditer(completed.stdout):
        fences.setdefault((root / match["page"]).resolve(), set()).add(
            int(match["line"])
        )
    if completed.returncode not in (0, 5) and not fences:  # 5: nothing collected
        raise AssertionError(
            f"pytest --collect-only failed:\n{completed.stdout[-2000:]}\n"
            f"{completed.stderr[-2000:]}"
        )
    return fences


def _first_line(code: str) -> str:
    return next((line for line in code.splitlines() if line.strip()), "").strip()


def shown_parts(block: RenderedBlock) -> tuple:
    """What a page shows of a block: code, output, check sentences, checks' code."""
    return (
        normalised_code(block.code),
        block.outputs,
        block.checks,
        normalised_code(block.checks_code),
    )


def ran_parts(code: str) -> tuple:
    """The same parts, split from the code that ran (site_build/lesson_code.py)."""
    split = split_lesson_code(code)
    return (
        normalised_code(split.code),
        split.outputs,
        tuple(" ".join(check.sentence.split()) for check in split.checks),
        normalised_code(split.checks_source()),
    )


PART_NAMES = ("lesson code", "output area", "check sentences", "checks' code")


def block_differences(block: RenderedBlock, ran: str) -> list[str]:
    """How what a page shows of a block differs from the split of the code that ran.

    Part by part, and as a whole: the shown lesson code with the checks and output lines
    put back where they were is exactly the code that ran.
    """
    shown, expected = shown_parts(block), ran_parts(ran)
    problems = [
        f"its {name} differs from the code that ran: shows {got!r}, ran {want!r}"
        for name, got, want in zip(PART_NAMES, shown, expected)
        if got != want
    ]
    if not problems:
        try:
            rejoined = split_lesson_code(ran).rejoin(block.code)
        except ValueError as error:
            problems.append(f"its lesson code cannot be put back together: {error}")
        else:
            if rejoined != ran:
                problems.append(
                    "its lesson code, checks and outputs are not the code that ran"
                )
    return problems


def _describe(block: RenderedBlock) -> str:
    start = _first_line(block.code) or (block.checks[:1] or ("",))[0]
    return f"block {block.index} (language-{block.language}), starting {start!r}"


def unexecuted_blocks(view: RenderedPage, ran: list[str]) -> list[str]:
    """The page's shown Python blocks (notest aside) that are no block that ran.

    A shown block is one that ran when its lesson code, output area, checks and
    checks' code are the split of that block's code; then the blocks must be the ran
    ones in page order.
    """
    ran_split = [ran_parts(code) for code in ran]
    problems = [
        f"{_describe(block)}, was never executed"
        for block in view.executable_blocks
        if shown_parts(block) not in ran_split
    ]
    shown = [shown_parts(block) for block in view.executable_blocks]
    if not problems and shown != ran_split:
        problems.append(
            "the executed blocks are not the shown ones in page order "
            f"({len(ran)} executed, {len(shown)} shown)"
        )
    if not problems:
        for block, code in zip(view.executable_blocks, ran):
            problems += [
                f"{_describe(block)}: {p}" for p in block_differences(block, code)
            ]
    return problems


def leaked_fence_text(view: RenderedPage) -> list[str]:
    """Fence or include syntax shown to the reader: in the prose, or an include line
    inside a code block."""
    problems = []
    for leak in LEAKS:
        at = view.prose.find(leak)
        if at >= 0:
            problems.append(
                f"{leak!r} in the rendered text: "
                f"...{view.prose[max(0, at - 80) : at + 80]!r}..."
            )
    for number, code in enumerate(view.code_texts, start=1):
        if "--8<--" in code:
            problems.append(
                f"code block {number} shows an include line: {_first_line(code)!r}"
            )
    return problems
