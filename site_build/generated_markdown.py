"""The text the build generates into pages, in one place: for the mkdocs hooks and as a Python-Markdown extension.

* ``{{ torch_version }}``: the installed torch's version (``fill_torch_version``);
* ``<!-- specification -->``: the list of every asserted behaviour (pages in nav order);
* ``<!-- upgrade-guide -->``: what changes between torch releases (from matrix/results);
* ``<!-- r-mapping: <file>:<section> -->``: the R-to-PyTorch table;
* ``<!-- figure: <name> -->``: a figure (site_build/figures.py), both palettes' SVGs with
  the alt text and caption (``figure_markdown``; in a notebook, the light PNG attached);
* formulas as MathML (a postprocessor).

MkDocs fills the text in with its hooks (site_build/mkdocs_hooks.py, which also make each
page's notebook from the same text and add the figures' SVGs to the site) before Markdown
runs, so under MkDocs the extension's preprocessor finds nothing left to do. Zensical reads
``markdown_extensions`` from ``mkdocs.yml`` but runs no mkdocs hooks: this extension gives its
build the same text. For a figure marker it also draws the figures (from the cache in
``.cache/figures``: unchanged figures are not redrawn) and writes the marker's SVGs into the
``site_dir`` of its ``config_file``, under the URLs the MkDocs build uses
(``figure_files``). Notebooks (rendered pages, downloads) remain the mkdocs hook's.

The Specification page needs the page being rendered (its links are relative to it):
executable_docs.project.rendered_page finds it under MkDocs and Zensical; without it (a
marker left under another generator) the build fails naming the marker.
"""

from __future__ import annotations

import os
import re
import textwrap
import threading
from collections.abc import Callable, Collection, Mapping
from importlib.metadata import version
from pathlib import Path

from markdown import Extension
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from mkdocs.utils.yaml import yaml_load

from executable_docs.project import DocsProject, load_project, rendered_page
from site_build.figures import DrawnFigure, draw_all
from site_build.math import render_arithmatex
from site_build.r_tables import render_mapping_table
from site_build.specification import GENERATED_PAGES

TORCH_VERSION = re.compile(r"\{\{\s*torch_version\s*\}\}")
GENERATED = re.compile(
    r"^(?P<indent> *)<!-- (?:(?P<spec>specification|upgrade-guide)|r-mapping: (?P<path>[^:\s]+):(?P<section>[\w-]+)|figure: (?P<figure>[\w-]+)) -->$",
    re.MULTILINE,
)
MARKER_START = re.compile(
    r"^ *<!-- *(?:specification|upgrade-guide|r-mapping|figure)\b"
)  # a marker, well formed or not
# Before pymdownx.snippets (32) and executable_docs.safe_includes (33): generated text is plain Markdown.
PRIORITY = 40
# After Python-Markdown's raw HTML (30) has put arithmatex's spans back into the page.
MATH_PRIORITY = 10
FIGURES_FOLDER = "figures"  # in the built site
DRAWING = (
    threading.Lock()
)  # matplotlib's pyplot is not thread-safe (a builder may render pages in threads)


def torch_version() -> str:
    """The version of the torch the pages were built and tested with (without the +cpu tag)."""
    return version("torch").split("+")[0]


def fill_torch_version(text: str) -> str:
    return (
        TORCH_VERSION.sub(torch_version(), text) if TORCH_VERSION.search(text) else text
    )


def nav_pages(nav, docs_dir: Path) -> list[tuple[str, Path]]:
    """(title, path) of every page of mkdocs' ``nav``, in nav order."""
    pages = []
    for entry in nav or []:
        for title, target in (
            entry.items() if isinstance(entry, dict) else [(None, entry)]
        ):
            if isinstance(target, list):
                pages.extend(nav_pages(target, docs_dir))
            elif str(target).endswith(".md"):
                pages.append((title or target, docs_dir / target))
    return pages


def figure_names(markdown: str) -> set[str]:
    """The names of the figures the markers of ``markdown`` place."""
    return {
        match["figure"] for match in GENERATED.finditer(markdown) if match["figure"]
    }


def check_figure_markers(markdown: str, known: Collection[str], where: str) -> None:
    """Every figure marker of ``markdown`` names one of ``known``: else fails naming ``where`` and the line."""
    for number, line in enumerate(markdown.splitlines(), start=1):
        if (
            (marker := GENERATED.fullmatch(line))
            and marker["figure"]
            and marker["figure"] not in known
        ):
            raise ValueError(
                f"{where}:{number}: no figure {marker['figure']!r} (known: {', '.join(sorted(known))})"
            )


def figure_path(name: str, palette: str) -> str:
    """Where a figure's drawing in one palette is in the built site (from the site's root)."""
    return f"{FIGURES_FOLDER}/{name}-{palette}.svg"


def figure_files(drawn: DrawnFigure) -> dict[str, bytes]:
    """The figure's files in the built site, by path from the site's root: one SVG per palette."""
    return {
        figure_path(drawn.figure.name, palette): svg
        for palette, svg in drawn.svgs.items()
    }


def figure_markdown(
    drawn: DrawnFigure, src_uri: str, for_notebook: bool = False
) -> str:
    """Both palettes' drawings (Material shows the one matching the palette), the alt text, a caption.

    In a notebook: the light drawing, embedded as a PNG attachment, and the caption.
    """
    name = drawn.figure.name
    alt = drawn.alt.replace("[", "(").replace("]", ")")
    if for_notebook:
        return f"![{alt}](attachment:{name}.png)\n\n*{drawn.figure.caption}*"
    here = os.path.dirname(src_uri) or "."
    images = " ".join(
        f"![{alt}]({os.path.relpath(figure_path(name, palette), here)}#only-{palette})"
        for palette in drawn.svgs
    )
    return f'<figure markdown="span">\n  {images}\n  <figcaption>{drawn.figure.caption}</figcaption>\n</figure>'


def expand_markers(
    markdown: str,
    project: DocsProject,
    nav: Callable[[], list],
    page_path: Path | None,
    figures: Mapping[str, DrawnFigure] | None = None,
    for_notebook: bool = False,
) -> str:
    """The page's markers replaced by what they stand for (the same for the page and its notebook).

    ``nav`` gives mkdocs' nav (read only for a Specification marker); ``figures`` the drawn
    figures by name (without them, figure markers are left as they are; a marker naming none
    of them fails naming page and line); ``for_notebook``: figures as notebook attachments.
    """
    src_uri = (
        page_path.relative_to(project.docs_dir).as_posix() if page_path else "the page"
    )
    for number, line in enumerate(markdown.splitlines(), start=1):
        if MARKER_START.match(line) and not GENERATED.fullmatch(line):
            raise ValueError(
                f"{src_uri}:{number}: malformed marker {line.strip()!r} (expected '<!-- specification -->', "
                "'<!-- r-mapping: <file>:<section> -->' or '<!-- figure: <name> -->')"
            )
    if figures is not None:
        check_figure_markers(
            markdown,
            figures,
            project.relative(page_path).as_posix() if page_path else "the page",
        )

    def generate(match: re.Match) -> str:
        if match["figure"]:
            if figures is None:
                return match[0]
            text = figure_markdown(figures[match["figure"]], src_uri, for_notebook)
        elif match["path"]:
            text = render_mapping_table(project.root / match["path"], match["section"])
        else:
            if page_path is None:
                raise ValueError(
                    f"{match[0].strip()}: the page being rendered is unknown (no rendering context)"
                )
            text = GENERATED_PAGES[match["spec"]](
                project, nav_pages(nav(), project.docs_dir), page_path
            )
        return textwrap.indent(
            text, match["indent"]
        )  # a marker inside a tab or admonition stays inside

    return GENERATED.sub(generate, markdown)


class _GeneratedText(Preprocessor):
    def __init__(self, md, config_file: Path) -> None:
        super().__init__(md)
        self.config_file = config_file

    def run(self, lines: list[str]) -> list[str]:
        text = fill_torch_version("\n".join(lines))
        if "<!--" in text:  # a marker, well formed or not
            project = load_project(self.config_file)
            page = rendered_page(self.md, project.root)
            names = figure_names(text)
            figures = self._draw(project) if names else None
            text = expand_markers(
                text, project, self._nav, page, figures
            )  # fails on an unknown name
            if names:
                self._write(
                    {
                        path: svg
                        for name in names
                        for path, svg in figure_files(figures[name]).items()
                    }
                )
        return text.split("\n")

    def _config(self) -> dict:
        return yaml_load(self.config_file.read_text(encoding="utf-8"))

    def _nav(self) -> list:
        return self._config().get("nav")

    def _draw(self, project: DocsProject) -> dict[str, DrawnFigure]:
        """Every figure, from the cache where its inputs are unchanged (site_build.figures)."""
        with DRAWING:
            return draw_all(project.root, torch_version())

    def _write(self, files: dict[str, bytes]) -> None:
        """Files (by path from the site's root) into the config's ``site_dir``: a builder adds none for an extension."""
        site = self.config_file.parent / self._config().get("site_dir", "site")
        for path, content in files.items():
            target = site / path
            if not target.is_file() or target.read_bytes() != content:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(content)


class _MathML(Postprocessor):
    def run(self, text: str) -> str:
        return render_arithmatex(text)


class GeneratedMarkdownExtension(Extension):
    def __init__(self, **kwargs) -> None:
        self.config = {
            "config_file": [
                "mkdocs.yml",
                "The site's config (relative to the working directory)",
            ]
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md) -> None:
        config_file = Path(self.getConfig("config_file")).resolve()
        md.preprocessors.register(
            _GeneratedText(md, config_file), "generated_text", PRIORITY
        )
        md.postprocessors.register(_MathML(md), "mathml", MATH_PRIORITY)


def makeExtension(**kwargs) -> GeneratedMarkdownExtension:
    return GeneratedMarkdownExtension(**kwargs)
