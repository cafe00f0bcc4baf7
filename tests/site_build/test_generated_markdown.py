"""site_build.generated_markdown: a page's generated text without mkdocs hooks.

That is how Zensical renders: Python-Markdown runs the extensions mkdocs.yml lists,
as Zensical does; a stand-in for Zensical's ``rendering_context`` preprocessor names
the page being rendered.
"""

from __future__ import annotations

import re
import uuid
from types import SimpleNamespace

import markdown
import pytest
from markdown.preprocessors import Preprocessor

from site_build import figures
from site_build.figures import draw_all
from site_build.generated_markdown import find_markers, torch_version
from tests.conftest import ROOT

EXTENSIONS = [
    "admonition",
    "attr_list",
    "md_in_html",
    "tables",
    "pymdownx.details",  # the Specification folds each page's behaviours
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
    """The site's mkdocs.yml with site_dir in tmp_path.

    The copy is written beside mkdocs.yml: the project root is the config's folder.
    """
    config = ROOT / f".test-generated-markdown-{uuid.uuid4().hex}.yml"
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config.write_text(f"{text}\nsite_dir: {tmp_path / 'site'}\n", encoding="utf-8")
    yield config
    config.unlink()


def test_a_figure_marker_becomes_both_palettes_images_and_nothing_is_written(
    site_config, tmp_path
):
    """The images are those of the drawn figure."""
    # The build's figure step (the mkdocs hook, or zensical_check) draws before pages
    # render.
    schedules = {"lr-schedules": figures.discover(ROOT)["lr-schedules"]}
    drawn = draw_all(ROOT, torch_version(), schedules, evict=False)["lr-schedules"]
    html = render(
        "# Schedules\n\n<!-- figure: lr-schedules -->\n",
        page="schedules.md",
        config_file=site_config,
    )
    images = re.findall(r'<img alt="([^"]+)" src="([^"]+)"', html)
    alt = drawn.alt.replace("[", "(").replace("]", ")")
    assert images == [
        (alt, "figures/lr-schedules-light.svg#only-light"),
        (alt, "figures/lr-schedules-dark.svg#only-dark"),
    ], "both palettes, each with the alt text, at the URLs of the MkDocs build"
    assert f"<figcaption>{drawn.figure.caption}</figcaption>" in html
    assert "<!-- figure" not in html
    assert not (tmp_path / "site").exists(), (
        "a Markdown extension writes no file: the build adds the SVGs (figure_files)"
    )


def test_a_figure_that_the_build_has_not_drawn_fails_saying_how_to_draw_it(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(
        figures, "CACHE_DIR", tmp_path / "empty-cache"
    )  # an absolute path: ROOT / it is it
    with pytest.raises(
        figures.FigureError,
        match=r"^snippets/schedules/figures/lr_schedules.py: the figure 'lr-schedules' "
        r"is not drawn .*python -m site_build.figures",
    ):
        render("# Schedules\n\n<!-- figure: lr-schedules -->\n", page="schedules.md")


def test_a_figure_marker_naming_no_figure_fails_naming_page_and_line(site_config):
    with pytest.raises(
        ValueError,
        match=r"^docs/schedules.md \(as rendered\):3: no figure 'no-such' "
        r"\(known: .*lr-schedules",
    ):
        render(
            "# Schedules\n\n<!-- figure: no-such -->\n",
            page="schedules.md",
            config_file=site_config,
        )


def test_markers_are_read_in_one_place_and_a_malformed_one_names_its_line():
    markers = find_markers(
        "# Page\n\n<!-- specification -->\n\n    <!-- figure: a-b -->\n"
        "<!-- r-mapping: snippets/x.py:rows -->\n"
    )
    assert [(m.kind, m.line, m.figure, m.path, m.section) for m in markers] == [
        ("specification", 3, "", "", ""),
        ("figure", 5, "a-b", "", ""),
        ("r-mapping", 6, "", "snippets/x.py", "rows"),
    ]
    with pytest.raises(
        ValueError, match=r"^docs/x.md:2: malformed marker '<!-- figure:"
    ):
        find_markers("# Page\n<!-- figure: two words -->\n", "docs/x.md")
