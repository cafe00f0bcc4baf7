"""What the built site shows: each page's code blocks and prose, read from its HTML.

A page ``docs/<name>.md`` is built to ``site/<name>/index.html`` (``index.md`` to
``site/index.html``). A Python block is a ``div.highlight`` whose ``language-*``
class names a Python spelling, in any case (``language-Python``, ``language-py3``);
a block whose div carries the class ``notest`` is shown but never run. The code of a
block is the text of its ``code`` element: what Material's copy button copies.
"""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup

from executable_docs.markdown_blocks import rendered_block_kind

# Spellings that Pygments (and so pymdownx.highlight) renders as Python, and Python sessions:
# more than the collector runs (rendered_block_kind), so a block in any of them that no
# test runs is reported rather than passed over.
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
    """ "run", "notest" or None (not Python), as the harness defines it, for any Python spelling."""
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
    code: str  # the copy-button text
    notest: bool


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


def read_page(site: Path, docs_dir: Path, page: Path) -> RenderedPage:
    html, url = page_html(site, docs_dir, page)
    soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
    article = soup.select_one("article.md-content__inner") or soup.select_one("article")
    if article is None:
        raise AssertionError(f"{html}: no <article> (Material's page layout changed?)")
    blocks = []
    for div in article.select("div.highlight"):
        classes = div.get("class", [])
        kind = block_kind(classes)
        if kind is None:
            continue
        cells = div.select("td.code code") or div.select(
            "code"
        )  # linenums render a table
        code = cells[0].get_text() if cells else div.get_text()
        blocks.append(
            RenderedBlock(
                len(blocks) + 1, _language(classes) or "", code, kind == "notest"
            )
        )
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
    """Code compared as text: trailing spaces and surrounding blank lines do not count."""
    return "\n".join(line.rstrip() for line in code.strip("\n").splitlines())


LEAKS = ("```", "--8<--")
_COLLECTED_ITEM = re.compile(r"^(?P<page>\S+?\.md)::.*?\bline:(?P<line>\d+)\]", re.MULTILINE)


def collected_fence_lines(root: Path, docs_dir: Path) -> dict[Path, set[int]]:
    """Fence lines of the tests pytest really collects from ``docs_dir`` (its own language rules included)."""
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
    )
    fences: dict[Path, set[int]] = {}
    for match in _COLLECTED_ITEM.finditer(completed.stdout):
        fences.setdefault((root / match["page"]).resolve(), set()).add(
            int(match["line"])
        )
    if completed.returncode not in (0, 5) and not fences:  # 5: nothing collected
        raise AssertionError(
            f"pytest --collect-only failed:\n{completed.stdout[-2000:]}\n{completed.stderr[-2000:]}"
        )
    return fences


def _first_line(code: str) -> str:
    return next((line for line in code.splitlines() if line.strip()), "").strip()


def unexecuted_blocks(view: RenderedPage, ran: list[str]) -> list[str]:
    """The page's shown Python blocks (notest aside) whose code no test ran, described; then any order mismatch."""
    ran = [normalised_code(code) for code in ran]
    problems = [
        f"block {block.index} (language-{block.language}), starting {_first_line(block.code)!r}, was never executed"
        for block in view.executable_blocks
        if normalised_code(block.code) not in ran
    ]
    shown = [normalised_code(block.code) for block in view.executable_blocks]
    if not problems and shown != ran:
        problems.append(
            f"the executed blocks are not the shown ones in page order ({len(ran)} executed, {len(shown)} shown)"
        )
    return problems


def leaked_fence_text(view: RenderedPage) -> list[str]:
    """Fence or include syntax shown to the reader: in the prose, or an include line inside a code block."""
    problems = []
    for leak in LEAKS:
        at = view.prose.find(leak)
        if at >= 0:
            problems.append(
                f"{leak!r} in the rendered text: ...{view.prose[max(0, at - 80) : at + 80]!r}..."
            )
    for number, code in enumerate(view.code_texts, start=1):
        if "--8<--" in code:
            problems.append(
                f"code block {number} shows an include line: {_first_line(code)!r}"
            )
    return problems
