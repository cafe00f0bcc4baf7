"""site_build.generated_markdown: the generated text of a page without mkdocs hooks (as Zensical renders).

Python-Markdown runs the extensions mkdocs.yml lists, as Zensical does; a stand-in for Zensical's
``rendering_context`` preprocessor names the page being rendered.
"""

from __future__ import annotations

from types import SimpleNamespace

import markdown
import pytest
from markdown.preprocessors import Preprocessor

from site_build.generated_markdown import torch_version
from tests.conftest import ROOT

EXTENSIONS = ["tables", "pymdownx.arithmatex", "site_build.generated_markdown"]
CONFIGS = {
    "pymdownx.arithmatex": {"generic": True},
    "site_build.generated_markdown": {"config_file": str(ROOT / "mkdocs.yml")},
}


class _Context(Preprocessor):
    def __init__(self, md, path: str) -> None:
        super().__init__(md)
        self.page = SimpleNamespace(path=path)

    def run(self, lines):
        return lines


def render(text: str, page: str | None = None) -> str:
    md = markdown.Markdown(extensions=EXTENSIONS, extension_configs=CONFIGS)
    if page is not None:
        md.preprocessors.register(_Context(md, page), "rendering_context", 100)
    return md.convert(text)


def test_torch_version_formulas_and_r_tables_are_generated():
    html = render(
        "Built with PyTorch {{ torch_version }}; the loss is $\\frac{1}{n}$.\n\n"
        "<!-- r-mapping: snippets/from_r/mapping.py:imports -->\n"
    )
    assert f"PyTorch {torch_version()};" in html
    assert "<math" in html and "arithmatex" not in html
    assert "<table>" in html and "<!-- r-mapping" not in html


def test_the_specification_lists_asserted_behaviours_with_links_from_its_page():
    html = render("# Specification\n\n<!-- specification -->\n", page="specification.md")
    assert html.count("<li>") > 100
    assert 'href="tensors.md#' in html


def test_the_specification_needs_the_page_being_rendered():
    with pytest.raises(ValueError, match="the page being rendered is unknown"):
        render("<!-- specification -->\n")


def test_a_figure_marker_is_left_for_the_mkdocs_hook():
    assert "<!-- figure: lr-schedules -->" in render("<!-- figure: lr-schedules -->\n")
