"""A lesson's reading time, from the words a reader sees without opening anything.

**Visible words** (defined here, once): the whitespace-separated words of a page's
rendered article, code and output included, not counting what is folded away by
default: the body of a closed ``<details>`` (``???`` boxes, the checks' code; its
``<summary>`` counts), the content tabs that are not selected (the first tab is
selected unless another's input is ``checked``), scripts and styles, heading
permalinks (``¶``) and the reading-time line itself. A tag that starts a block
(a paragraph, a list item, a table cell, a tab label...) separates words; inline
tags do not.

A Python-Markdown extension (``mkdocs.yml``; MkDocs and Zensical run it) puts the
reading time under the title of every page that shows runnable Python code, at
``WORDS_PER_MINUTE``. ``python -m site_build.reading_time [site]`` prints every
built page's visible words and reading time.
"""

from __future__ import annotations

import math
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

from markdown import Extension
from markdown.postprocessors import Postprocessor

WORDS_PER_MINUTE = 200  # technical text with code: slower than the 250 of plain prose
READING_TIME_CLASS = "reading-time"
# After the MathML postprocessor (10): formulas count as the page shows them.
PRIORITY = 5
_VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)
_BLOCKS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "dd",
        "details",
        "dialog",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
        "label",
        "caption",
        "math",
        "mtable",
        "mtr",
        "mtd",
    ]
)
_HIDING = frozenset({"script", "style", "template"})
_FIRST_H1_END = re.compile(r"</h1>", re.IGNORECASE)
# A runnable Python block as pymdownx.highlight renders it (not notest, not checks').
_RUNNABLE = re.compile(
    r'<div class="language-(?:python|py|python3|py3) highlight"', re.IGNORECASE
)


class _Element:
    __slots__ = ("blocks", "checked", "classes", "closed", "hidden", "tabs", "tag")

    def __init__(self, tag: str, classes: list[str], hidden: bool) -> None:
        self.tag, self.classes, self.hidden = tag, classes, hidden
        self.closed = False  # a <details> without "open"
        self.tabs = 0  # a tabbed set: its tab inputs so far, and the checked one
        self.checked = 0
        self.blocks = 0  # a tabbed content: its blocks so far


class _VisibleText(HTMLParser):
    def __init__(self, within: str | None) -> None:
        super().__init__(convert_charrefs=True)
        self.within = within
        self.stack: list[_Element] = []
        self.parts: list[str] = []
        self.inside = within is None

    def _hides(self, tag: str, classes: list[str], attrs: dict) -> bool:
        parent = self.stack[-1] if self.stack else None
        if tag in _HIDING or READING_TIME_CLASS in classes or "headerlink" in classes:
            return True
        if parent is None:
            return False
        if parent.closed and tag != "summary":
            return True
        if "tabbed-block" in classes and "tabbed-content" in parent.classes:
            tab_set = next(
                (e for e in reversed(self.stack) if "tabbed-set" in e.classes), None
            )
            index, parent.blocks = parent.blocks, parent.blocks + 1
            return tab_set is not None and index != tab_set.checked
        return False

    def handle_starttag(self, tag: str, attrs) -> None:
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if tag == "input" and self.stack:
            tab_set = next(
                (e for e in reversed(self.stack) if "tabbed-set" in e.classes), None
            )
            if tab_set is not None:
                if "checked" in attrs:
                    tab_set.checked = tab_set.tabs
                tab_set.tabs += 1
        if tag in _BLOCKS:
            self.parts.append(" ")
        if tag in _VOID:
            return
        if self.within and tag == self.within and not self.inside:
            self.inside = True
            self.stack = []
        parent_hidden = bool(self.stack) and self.stack[-1].hidden
        element = _Element(
            tag, classes, parent_hidden or self._hides(tag, classes, attrs)
        )
        element.closed = tag == "details" and "open" not in attrs
        self.stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        while self.stack:  # pop to the matching tag (tolerates a missing end tag)
            element = self.stack.pop()
            if element.tag == tag:
                break
        if tag in _BLOCKS:
            self.parts.append(" ")
        if self.within and tag == self.within and not self.stack:
            self.inside = False

    def handle_data(self, data: str) -> None:
        if self.inside and not (self.stack and self.stack[-1].hidden):
            self.parts.append(data)


def visible_text(html: str, within: str | None = None) -> str:
    """The text of ``html`` a reader sees by default (see the module's doc); with
    ``within`` (e.g. "article"), only inside the first such element."""
    parser = _VisibleText(within)
    parser.feed(html)
    parser.close()
    return "".join(parser.parts)


def visible_words(html: str, within: str | None = None) -> int:
    return len(visible_text(html, within).split())


def minutes(words: int) -> int:
    return max(1, math.ceil(words / WORDS_PER_MINUTE))


def reading_time_html(words: int) -> str:
    return (
        f'<p class="{READING_TIME_CLASS}">Reading time: about {minutes(words)} min</p>'
    )


def with_reading_time(html: str) -> str:
    """The page's HTML with its reading time under the title, if it runs Python."""
    if not _RUNNABLE.search(html):
        return html
    title_end = _FIRST_H1_END.search(html)
    if title_end is None:
        return html
    line = reading_time_html(visible_words(html))
    return html[: title_end.end()] + "\n" + line + html[title_end.end() :]


class _ReadingTime(Postprocessor):
    def run(self, text: str) -> str:
        return with_reading_time(text)


class ReadingTimeExtension(Extension):
    def extendMarkdown(self, md) -> None:
        md.postprocessors.register(_ReadingTime(md), "reading_time", PRIORITY)


def makeExtension(**kwargs) -> ReadingTimeExtension:
    return ReadingTimeExtension(**kwargs)


def site_pages(site: Path) -> list[tuple[str, int]]:
    """(URL path, visible words of its article) of every page of a built site."""
    found = []
    for page in sorted(site.rglob("index.html")):
        html = page.read_text(encoding="utf-8")
        if "<article" not in html:
            continue
        url = "/" + page.parent.relative_to(site).as_posix() + "/"
        found.append((url.replace("/./", "/"), visible_words(html, within="article")))
    return found


def main(argv: list[str]) -> int:
    site = Path(argv[0] if argv else "site")
    if not site.is_dir():
        print(f"{site}: no built site (run `make build` first)", file=sys.stderr)
        return 1
    pages = site_pages(site)
    if not pages:
        print(f"{site}: no built page (run `make build` first)", file=sys.stderr)
        return 1
    width = max(len(url) for url, _ in pages)
    print(f"{'page':{width}}  visible words  reading time")
    for url, words in pages:
        print(f"{url:{width}}  {words:13,}  {minutes(words):3} min")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
