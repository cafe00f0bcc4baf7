"""site_build.lesson_blocks: each block as lesson code, output area and checks, in plain
Python-Markdown (as Zensical runs it; a stand-in for its ``rendering_context``
preprocessor names the page being rendered)."""

from __future__ import annotations

import ast
import textwrap
from types import SimpleNamespace

import markdown
import pytest
from bs4 import BeautifulSoup
from markdown.preprocessors import Preprocessor

from executable_docs.markdown_blocks import find_python_blocks
from executable_docs.project import load_project
from executable_docs.snippet_expansion import SnippetExpander
from site_build import version_ranges
from site_build.lesson_blocks import LessonBlockError
from site_build.lesson_code import split_lesson_code
from site_build.specification import (
    _is_assertion,
    asserted_behaviours,
    behaviour_ids,
)
from tests.conftest import ROOT

EXTENSIONS = [
    "admonition",
    "attr_list",
    "md_in_html",
    "pymdownx.details",
    "pymdownx.highlight",
    "pymdownx.superfences",
    "pymdownx.tabbed",
    "pymdownx.snippets",
    "site_build.lesson_blocks",
]


class _Context(Preprocessor):
    def __init__(self, md, path: str) -> None:
        super().__init__(md)
        self.page = SimpleNamespace(path=path)

    def run(self, lines):
        return lines


def render(text: str, page: str | None = None) -> BeautifulSoup:
    project = load_project(ROOT / "mkdocs.yml")
    md = markdown.Markdown(
        extensions=EXTENSIONS,
        extension_configs={
            "pymdownx.highlight": {"pygments_lang_class": True},
            "pymdownx.tabbed": {"alternate_style": True},
            "pymdownx.snippets": project.snippet_config,
            "site_build.lesson_blocks": {"config_file": str(ROOT / "mkdocs.yml")},
        },
    )
    if page is not None:
        md.preprocessors.register(_Context(md, page), "rendering_context", 100)
    return BeautifulSoup(md.convert(text), "html.parser")


CODE = """\
x = 2 + 2
print(x)
# > 4
# Spec: two and two
#       make four
assert x == 4
"""


def _fence(indent: str = "") -> str:
    return textwrap.indent(f"``` python\n{CODE}```\n", indent)


CONTAINERS = {
    "top level": _fence(),
    "admonition": '!!! note "A note"\n\n' + _fence("    "),
    "collapsed": '??? example "An example"\n\n' + _fence("    "),
    "tab": '=== "One"\n\n' + _fence("    ") + '\n=== "Two"\n\n    Text.\n',
    "div": "<div markdown>\n\n" + _fence() + "\n</div>\n",
}


@pytest.mark.parametrize("container", CONTAINERS)
def test_a_block_in_any_container_is_lesson_code_output_and_checks(container):
    soup = render("# Page\n\n" + CONTAINERS[container])
    python = [
        div
        for div in soup.select("div.language-python")
        if "check-code" not in div["class"]
    ]
    assert [div.code.get_text() for div in python] == ["x = 2 + 2\nprint(x)\n"]
    output = soup.select_one("div.lesson-output")
    assert "no-copy" in output["class"]
    assert output.select_one(".filename").get_text() == "Output"
    assert output.code.get_text() == "4\n"
    checks = soup.select_one("div.admonition.checks")
    assert [s.get_text() for s in checks.select("span.check-sentence")] == [
        "two and two make four"
    ]
    folded = checks.select_one("details.checks")
    assert folded is not None and not folded.has_attr("open")
    assert folded.select_one("div.check-code").code.get_text() == (
        "# Spec: two and two\n#       make four\nassert x == 4\n"
    )


def test_a_block_of_checks_alone_shows_them_open_and_no_empty_pane():
    soup = render("``` python\n# Spec: one is one\nassert 1 == 1\n```\n")
    assert not soup.select("div.language-python:not(.check-code)")
    checks = soup.select_one("div.admonition.checks.checks-only")
    assert checks.select_one("details.checks").has_attr("open")


def test_markdown_in_a_sentence_is_shown_as_written():
    soup = render(
        "``` python\nx = 1\n# Spec: clip_grad_norm_ keeps *x* [as is] `1`\n"
        "assert x == 1\n```\n"
    )
    assert soup.select_one("span.check-sentence").get_text() == (
        "clip_grad_norm_ keeps *x* [as is] `1`"
    )


def test_a_spec_comment_above_other_code_fails_naming_the_line():
    with pytest.raises(LessonBlockError, match="line 2: a '# Spec:' comment must"):
        render("``` python\n# Spec: x is one\nx = 1\n```\n")


def test_a_page_shows_each_check_with_the_specifications_release_label(monkeypatch):
    """A real page, rendered as Zensical renders it: each block's lesson code is its
    split; each check has the label the Specification page gives the behaviour."""
    monkeypatch.chdir(ROOT)  # pymdownx.snippets reads base_path from the working folder
    project = load_project(ROOT / "mkdocs.yml")
    page = project.docs_dir / "autograd.md"
    soup = render(page.read_text(encoding="utf-8"), page="autograd.md")
    expander = SnippetExpander(project)
    splits = [
        split_lesson_code(expander.expand(block).code)
        for block in find_python_blocks(page)
        if not block.skipped
    ]
    shown = [
        div.code.get_text()
        for div in soup.select("div.language-python")
        if "check-code" not in div["class"]
    ]
    assert shown == [s.code.strip("\n") + "\n" for s in splits if s.code.strip()]
    for code in shown:
        assert not any(_is_assertion(node) for node in ast.walk(ast.parse(code)))
    behaviours = asserted_behaviours(project, page)
    ids = behaviour_ids("docs/autograd.md", [b.description for b in behaviours])
    labels = {
        b.description: version_ranges.note(ROOT, i) for b, i in zip(behaviours, ids)
    }
    items = soup.select("div.admonition.checks > ul > li")
    assert len(items) == sum(len(s.checks) for s in splits)
    for item in items:
        sentence = item.select_one("span.check-sentence").get_text()
        label = BeautifulSoup(
            markdown.markdown(labels[sentence]), "html.parser"
        ).get_text()
        assert item.get_text().endswith(label.strip()), (sentence, label)


def test_highlighted_lines_are_renumbered_for_the_lesson_code():
    code = "a = 1\n# Spec: a is one\nassert a == 1\nb = 2\n"
    soup = render(f'``` python hl_lines="1 4"\n{code}```\n')
    assert [span.get_text() for span in soup.select("span.hll")] == [
        "a = 1\n",
        "b = 2\n",
    ]
    with pytest.raises(LessonBlockError, match="hl_lines names line 3"):
        render(f'``` python hl_lines="3"\n{code}```\n')
