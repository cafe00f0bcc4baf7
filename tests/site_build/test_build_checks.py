"""Serve and build: snippets are watched, bad TeX fails the build by page and line.

On main before this, `mkdocs serve` did not watch snippets/, a TeX typo (\\farc,
\\lamda) was shown raw, and a TeX syntax error failed without naming the page.
"""

import pytest
from mkdocs.utils.yaml import yaml_load

from site_build.mathml import MathError, to_mathml
from tests.conftest import ROOT
from tests.docs_fixture import mkdocs_build


def test_mkdocs_serve_watches_the_snippets_folder():
    config = yaml_load((ROOT / "mkdocs.yml").read_text())
    assert "snippets" in config.get("watch", [])


@pytest.mark.parametrize(
    ("tex", "message"),
    [
        (r"\farc{1}{2}", r"unknown TeX macro \farc"),
        (r"\lamda x", r"unknown TeX macro \lamda"),
        (r"\frac{1}{2", "TeX syntax error * 1 '{' never closed"),
        (r"x}", "TeX syntax error * a '}' closes no '{'"),
        (r"\left( x", r"TeX syntax error * 1 \left but 0 \right"),
        (r"\begin{cases} x", r"TeX syntax error * \begin{cases} never ended"),
    ],
)
def test_bad_tex_is_refused(tex, message):
    with pytest.raises(MathError) as error:
        to_mathml(tex, display=False)
    assert __import__("fnmatch").fnmatch(str(error.value), f"*{message}*")


@pytest.mark.parametrize(
    ("markdown", "line", "message"),
    [
        (
            "Text with $\\frac{1}{2}$ and $\\farc{1}{2}$ inline.\n",
            3,
            "unknown TeX macro \\farc in the formula '\\farc{1}{2}'",
        ),
        (
            "A display:\n\n$$\n\\lamda + 1\n$$\n",
            5,
            "unknown TeX macro \\lamda in the formula '\\lamda + 1'",
        ),
        (
            "Broken $\\frac{1}{2$ here.\n",
            3,
            "TeX syntax error in the formula '\\frac{1}{2': 1 '{' never closed",
        ),
    ],
)
def test_the_build_fails_on_bad_tex_naming_page_line_and_formula(
    docs, markdown, line, message
):
    docs.page("page.md", "# Title\n\n" + markdown)
    build = mkdocs_build(docs.root)
    assert build.returncode != 0
    assert f"docs/page.md:{line}: {message}" in build.stderr, build.stderr


def test_formulas_in_code_are_not_checked(docs):
    docs.page(
        "page.md",
        "# Title\n\nCode `$\\farc$` and\n\n``` text\n$\\lamda$\n```\n\nGood $x^2$.\n",
    )
    build = mkdocs_build(docs.root)
    assert build.returncode == 0, build.stderr
