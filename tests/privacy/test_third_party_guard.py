"""The build-time guard against third-party requests (site_build/third_party_guard.py).

A real `mkdocs build --strict` of a small Material site with only the guard hook: a page
with an external image or script fails the build, naming the page and the URL; links to
other sites and the site's own absolute URLs pass. The scanner's other cases are checked
on strings.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from site_build.third_party_guard import external_urls
from tests.conftest import ROOT

HOST = "example.org"


def build_site(tmp_path: Path, pages: dict[str, str]) -> Path:
    (tmp_path / "docs").mkdir(exist_ok=True)
    for name, text in pages.items():
        (tmp_path / "docs" / name).write_text(textwrap.dedent(text), encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        textwrap.dedent(
            f"""\
            site_name: guard fixture
            site_url: https://{HOST}/docs/
            strict: true
            theme:
              name: material
              font: false
            plugins: []
            markdown_extensions: [attr_list, md_in_html]
            hooks:
              - {ROOT / "site_build" / "third_party_guard.py"}
            """
        ),
        encoding="utf-8",
    )
    config = load_config(str(tmp_path / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    build(config)
    return tmp_path / "site"


CLEAN = (
    "# Home\n"
    "\n"
    "[a link to another site](https://pytorch.org/docs/) and "
    "[our own page](https://example.org/docs/other/)\n"
    "\n"
    '<a href="https://github.com/">'
    '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="pixel"></a>\n'
)


def test_a_site_without_external_assets_builds(tmp_path):
    site = build_site(tmp_path, {"index.md": CLEAN})
    assert (site / "index.html").exists()


@pytest.mark.parametrize(
    "markup, url",
    [
        (
            '<img src="https://cdn.example.com/chart.png" alt="chart">',
            "https://cdn.example.com/chart.png",
        ),
        (
            '<script src="https://cdn.example.com/tracker.js"></script>',
            "https://cdn.example.com/tracker.js",
        ),
        (
            '<iframe src="//video.example.net/embed/1" title="video"></iframe>',
            "//video.example.net/embed/1",
        ),
    ],
    ids=["img", "script", "iframe"],
)
def test_an_external_asset_on_a_page_fails_the_build_naming_page_and_url(
    tmp_path, caplog, markup, url
):
    pages = {"index.md": CLEAN, "bad.md": f"# Bad\n\n{markup}\n"}
    with pytest.raises(Abort):
        build_site(tmp_path, pages)
    message = caplog.text
    assert "the built site loads files from other hosts" in message
    assert f"docs/bad.md (bad/index.html): {url}" in message
    assert "index.md" not in message.replace("bad/index.html", "")


def test_an_external_font_in_a_stylesheet_fails_the_build(tmp_path, caplog):
    (tmp_path / "docs" / "css").mkdir(parents=True)
    (tmp_path / "docs" / "css" / "extra.css").write_text(
        '@font-face { font-family: X; src: url("https://fonts.example.com/x.woff2"); }',
        encoding="utf-8",
    )
    with pytest.raises(Abort):
        build_site(tmp_path, {"index.md": CLEAN})
    assert "css/extra.css: https://fonts.example.com/x.woff2" in caplog.text


@pytest.mark.parametrize(
    "kind, text, expected",
    [
        (
            "html",
            '<img srcset="a.png 1x, https://x.test/b.png 2x" alt="">',
            ["https://x.test/b.png"],
        ),
        (
            "html",
            '<link rel="stylesheet" href="https://x.test/s.css">',
            ["https://x.test/s.css"],
        ),
        (
            "html",
            '<link rel="preconnect" href="https://fonts.x.test">',
            ["https://fonts.x.test"],
        ),
        ("html", '<link rel="canonical" href="https://x.test/page/">', []),
        (
            "html",
            '<div style="background: url(//x.test/bg.png)"></div>',
            ["//x.test/bg.png"],
        ),
        (
            "html",
            "<style>@import 'https://x.test/a.css';</style>",
            ["https://x.test/a.css"],
        ),
        (
            "html",
            '<svg><image href="https://x.test/i.png"/></svg>',
            ["https://x.test/i.png"],
        ),
        (
            "html",
            '<a href="https://x.test/">a link</a><form action="https://x.test/"></form>',
            [],
        ),
        (
            "html",
            f'<img src="https://{HOST}/docs/img.png" alt=""><img src="img.png" alt="">',
            [],
        ),
        ("css", "a { background: url('data:image/svg+xml;utf8,<svg/>') }", []),
        (
            "js",
            'load("https://x.test/lib.min.js"); fetch("https://api.x.test/v1")',
            ["https://x.test/lib.min.js"],
        ),
    ],
)
def test_what_counts_as_an_external_asset(kind, text, expected):
    assert external_urls(text, kind, HOST) == expected
