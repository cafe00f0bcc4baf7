"""site_build.generated_markdown: the generated text of a page without mkdocs hooks (as Zensical renders).

Python-Markdown runs the extensions mkdocs.yml lists, as Zensical does; a stand-in for Zensical's
``rendering_context`` preprocessor names the page being rendered.
"""

from __future__ import annotations

import re
import uuid
from types import SimpleNamespace

import markdown
import pytest
from markdown.preprocessors import Preprocessor

from site_build.figures import draw_all
from site_build.generated_markdown import torch_version
from tests.conftest import ROOT

EXTENSIONS = [
    "attr_list",
    "md_in_html",
    "tables",
    "pymdownx.arithmatex",
    "site_build.generated_markdown",
]
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


def render(text: str, page: str | None = None, config_file=None) -> str:
    configs = CONFIGS
    if config_file is not None:
        configs = {
            **CONFIGS,
            "site_build.generated_markdown": {"config_file": str(config_file)},
        }
    md = markdown.Markdown(extensions=EXTENSIONS, extension_configs=configs)
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
    html = render(
        "# Specification\n\n<!-- specification -->\n", page="specification.md"
    )
    assert html.count("<li>") > 100
    assert 'href="tensors.md#' in html


def test_the_specification_needs_the_page_being_rendered():
    with pytest.raises(ValueError, match="the page being rendered is unknown"):
        render("<!-- specification -->\n")


@pytest.fixture
def site_config(tmp_path):
    """The site's mkdocs.yml with site_dir in tmp_path (beside mkdocs.yml: the project root is the config's folder)."""
    config = ROOT / f".test-generated-markdown-{uuid.uuid4().hex}.yml"
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config.write_text(f"{text}\nsite_dir: {tmp_path / 'site'}\n", encoding="utf-8")
    yield config
    config.unlink()


def test_a_figure_marker_becomes_both_palettes_images_and_the_extension_writes_their_svgs(
    site_config, tmp_path
):
    html = render(
        "# Schedules\n\n<!-- figure: lr-schedules -->\n",
        page="schedules.md",
        config_file=site_config,
    )
    drawn = draw_all(ROOT, torch_version())[
        "lr-schedules"
    ]  # from the cache the extension just used
    images = re.findall(r'<img alt="([^"]+)" src="([^"]+)"', html)
    alt = drawn.alt.replace("[", "(").replace("]", ")")
    assert images == [
        (alt, "figures/lr-schedules-light.svg#only-light"),
        (alt, "figures/lr-schedules-dark.svg#only-dark"),
    ], "both palettes, each with the alt text, at the URLs of the MkDocs build"
    assert f"<figcaption>{drawn.figure.caption}</figcaption>" in html
    assert "<!-- figure" not in html
    site = tmp_path / "site"
    assert sorted(
        path.relative_to(site).as_posix() for path in site.rglob("*.svg")
    ) == [
        "figures/lr-schedules-dark.svg",
        "figures/lr-schedules-light.svg",
    ], "the SVGs of the page's figure, written into the config's site_dir"
    for palette, svg in drawn.svgs.items():
        assert (site / f"figures/lr-schedules-{palette}.svg").read_bytes() == svg


def test_a_figure_marker_naming_no_figure_fails_naming_page_and_line(
    site_config, tmp_path
):
    with pytest.raises(
        ValueError,
        match=r"^docs/schedules.md:3: no figure 'no-such' \(known: .*lr-schedules",
    ):
        render(
            "# Schedules\n\n<!-- figure: no-such -->\n",
            page="schedules.md",
            config_file=site_config,
        )
    assert not (tmp_path / "site").exists(), "nothing written for a page that fails"
