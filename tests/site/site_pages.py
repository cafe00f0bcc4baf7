"""What the built site shows: each page's code blocks and prose, read from its HTML.

A page ``docs/<name>.md`` is built to ``site/<name>/index.html`` (``index.md`` to
``site/index.html``). A Python block is a ``div.highlight`` whose ``language-*``
class names a Python spelling, in any case (``language-Python``, ``language-py3``);
a block whose div carries the class ``notest`` is shown but never run. The code of a
block is the text of its ``code`` element: what Material's copy button copies.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup

# Spellings that Pygments (and so pymdownx.highlight) renders as Python, and Python sessions.
PYTHON_SPELLINGS = frozenset(
    {"python", "py", "python3", "py3", "pyi", "python2", "py2", "pycon", "python-console", "ipython", "ipython3"}
)


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
        language = _language(classes)
        if language is None or language.lower() not in PYTHON_SPELLINGS:
            continue
        cells = div.select("td.code code") or div.select("code")  # linenums render a table
        code = cells[0].get_text() if cells else div.get_text()
        blocks.append(RenderedBlock(len(blocks) + 1, language, code, "notest" in classes))
    code_texts = [pre.get_text() for pre in article.select("pre")]
    for pre in article.select("pre"):
        pre.decompose()
    for tag in article.select("script, style"):
        tag.decompose()
    return RenderedPage(
        page, html, url, blocks, article.get_text(" "), code_texts,
        tables=len([table for table in article.select("table") if not table.find_parent(class_="highlight")]), figures=len(article.select("figure")),
    )


def normalised_code(code: str) -> str:
    """Code compared as text: trailing spaces and surrounding blank lines do not count."""
    return "\n".join(line.rstrip() for line in code.strip("\n").splitlines())
