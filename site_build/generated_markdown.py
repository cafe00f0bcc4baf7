"""The text the build generates into pages: a Markdown extension both builders run.

* ``{{ torch_version }}``: the installed torch's version (``fill_torch_version``);
* ``<!-- specification -->``: the list of every asserted behaviour (pages in nav order);
* ``<!-- upgrade-guide -->``: what changes between torch releases (from matrix/results);
* ``<!-- r-mapping: <file>:<section> -->``: the R-to-PyTorch table;
* ``<!-- figure: <name> -->``: a figure (site_build/figures.py), both palettes' SVGs
  with the alt text and caption (``figure_markdown``; in a notebook, the light PNG
  attached);
* formulas as MathML (a postprocessor).

This is the one place that reads the markers (``find_markers``) and turns them into
text (``expand_markers``): for a page here, for its notebook in site_build/notebooks.py,
and for the checks of site_build/zensical_check.py. MkDocs and Zensical both run this
extension (``markdown_extensions`` in ``mkdocs.yml``). What must run once per build and
the files a build adds are not a Markdown extension's: the figures are drawn before the
pages render (the mkdocs hook site_build/mkdocs_hooks.py, or ``python -m
site_build.figures`` for another builder), and this extension reads them from the cache
(``figures.drawn_figures``); their SVG files are added to the site by the hook, or by
site_build/zensical_check.py after a Zensical build (``figure_files``).

The Specification page needs the page being rendered (its links are relative to it):
executable_docs.project.rendered_page finds it under MkDocs and Zensical; without it (a
marker left under another generator) the build fails naming the marker.
"""

from __future__ import annotations

import os
import re
import textwrap
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from markdown import Extension
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from mkdocs.utils.yaml import yaml_load

from executable_docs.project import DocsProject, load_project, rendered_page
from executable_docs.safe_includes import IncludeError, include_problem
from site_build.figures import DrawnFigure, drawn_figures
from site_build.mathml import render_arithmatex
from site_build.r_tables import marker_table
from site_build.specification import GENERATED_PAGES

TORCH_VERSION = re.compile(r"\{\{\s*torch_version\s*\}\}")
# The markers, each alone on its line (indented inside a tab or an admonition).
MARKER = re.compile(
    r"^(?P<indent> *)<!-- (?:(?P<specification>specification|upgrade-guide)"
    r"|r-mapping: (?P<path>[^:\s]+):(?P<section>[\w-]+)"
    r"|figure: (?P<figure>[\w-]+)) -->$",
    re.MULTILINE,
)
MARKER_START = re.compile(
    r"^ *<!-- *(?:specification|upgrade-guide|r-mapping|figure)\b"
)  # a marker, well formed or not
MARKER_FORMS = (
    "'<!-- specification -->', '<!-- upgrade-guide -->', "
    "'<!-- r-mapping: <file>:<section> -->' "
    "or '<!-- figure: <name> -->'"
)
# Before pymdownx.snippets (32) and executable_docs.safe_includes (33): the generated
# text is plain Markdown.
PRIORITY = 40
# After Python-Markdown's raw HTML (30) has put arithmatex's spans back into the page.
MATH_PRIORITY = 10
FIGURES_FOLDER = "figures"  # in the built site


@dataclass(frozen=True)
class Marker:
    """A marker of a page: ``kind`` is "specification", "upgrade-guide", "r-mapping"
    or "figure"."""

    kind: str
    line: int  # in the text it was found in, from 1
    text: str  # the marker as written, without its indentation
    figure: str = ""  # a figure's name
    path: str = ""  # an R mapping's file (from the project root) and section
    section: str = ""


def _marker(match: re.Match, line: int) -> Marker:
    if match["figure"]:
        return Marker("figure", line, match[0].strip(), figure=match["figure"])
    if match["path"]:
        return Marker(
            "r-mapping",
            line,
            match[0].strip(),
            path=match["path"],
            section=match["section"],
        )
    return Marker(match["specification"], line, match[0].strip())


def find_markers(markdown: str, where: str = "the page") -> list[Marker]:
    """The markers of ``markdown``; a malformed one fails, naming ``where`` and line."""
    found = []
    for number, line in enumerate(markdown.splitlines(), start=1):
        if match := MARKER.fullmatch(line):
            found.append(_marker(match, number))
        elif MARKER_START.match(line):
            raise ValueError(
                f"{where}:{number}: malformed marker {line.strip()!r} "
                f"(expected {MARKER_FORMS})"
            )
    return found


def check_markers(
    markdown: str, known_figures: Collection[str], where: str, root: Path
) -> None:
    """Every marker is well formed and names what exists, or this fails naming its line.

    A figure marker names a known figure; an R mapping marker a file that the include
    guard lets a page read (executable_docs.safe_includes: under ``snippets/`` of the
    project at ``root``). Called on a page's whole source file, so that the line is the
    one its author sees.
    """
    for marker in find_markers(markdown, where):
        if marker.kind == "figure" and marker.figure not in known_figures:
            raise ValueError(
                f"{where}:{marker.line}: no figure {marker.figure!r} "
                f"(known: {', '.join(sorted(known_figures))})"
            )
        if marker.kind == "r-mapping" and (
            problem := include_problem(marker.path, root)
        ):
            raise IncludeError(f"{where}:{marker.line}: r-mapping marker: {problem}")


def torch_version() -> str:
    """The version of the torch the pages are built and tested with (without +cpu)."""
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


def figure_path(name: str, palette: str) -> str:
    """Where a figure's drawing in one palette is in the built site (from its root)."""
    return f"{FIGURES_FOLDER}/{name}-{palette}.svg"


def figure_files(drawn: DrawnFigure) -> dict[str, bytes]:
    """The figure's files in the site, by path from its root: one SVG per palette."""
    return {
        figure_path(drawn.figure.name, palette): svg
        for palette, svg in drawn.svgs.items()
    }


def figure_markdown(
    drawn: DrawnFigure, src_uri: str, for_notebook: bool = False
) -> str:
    """Both palettes' drawings (Material shows the palette's), the alt text, a caption.

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
    return (
        f'<figure markdown="span">\n  {images}\n'
        f"  <figcaption>{drawn.figure.caption}</figcaption>\n</figure>"
    )


def expand_markers(
    markdown: str,
    project: DocsProject,
    nav: Callable[[], list],
    page_path: Path | None,
    figures: Mapping[str, DrawnFigure] | None = None,
    for_notebook: bool = False,
) -> str:
    """The text's markers replaced by what they stand for (for a page and its notebook).

    ``nav`` gives mkdocs' nav (read only for a Specification marker); ``figures`` the
    drawn figures by name (read only for the figures the text places; without them,
    figure markers stay as they are); ``for_notebook``: figures as notebook
    attachments. Check the page's markers first (``check_markers``).
    """
    src_uri = (
        page_path.relative_to(project.docs_dir).as_posix() if page_path else "the page"
    )
    page = project.relative(page_path).as_posix() if page_path else src_uri

    def generate(match: re.Match) -> str:
        marker = _marker(match, markdown.count("\n", 0, match.start()) + 1)
        if marker.kind == "figure":
            if figures is None:
                return match[0]
            text = figure_markdown(figures[marker.figure], src_uri, for_notebook)
        elif marker.kind == "r-mapping":
            where = f"{page}:{marker.line}"
            text = marker_table(project.root, marker.path, marker.section, where)
        else:
            if page_path is None:
                raise ValueError(
                    f"{marker.text}: the page being rendered is unknown "
                    "(no rendering context)"
                )
            text = GENERATED_PAGES[marker.kind](
                project, nav_pages(nav(), project.docs_dir), page_path
            )
        return textwrap.indent(
            text, match["indent"]
        )  # a marker inside a tab or admonition stays inside

    return MARKER.sub(generate, markdown)


class _GeneratedText(Preprocessor):
    def __init__(self, md, config_file: Path) -> None:
        super().__init__(md)
        self.config_file = config_file

    def run(self, lines: list[str]) -> list[str]:
        text = fill_torch_version("\n".join(lines))
        if "<!--" not in text:  # no marker, well formed or not
            return lines if text == "\n".join(lines) else text.split("\n")
        project = load_project(self.config_file)
        page = rendered_page(self.md, project.root)
        figures = drawn_figures(project.root, torch_version())
        where = "the page"
        if page is not None and page.is_file():
            # The source file first, so that an error names the line its author sees (a
            # builder drops front matter, a hook may add lines); then the text as given.
            where = project.relative(page).as_posix()
            check_markers(
                page.read_text(encoding="utf-8"), figures, where, project.root
            )
            where += " (as rendered)"
        check_markers(text, figures, where, project.root)
        text = expand_markers(text, project, self._nav, page, figures)
        return text.split("\n")

    def _nav(self) -> list:
        return yaml_load(self.config_file.read_text(encoding="utf-8")).get("nav") or []


class _MathML(Postprocessor):
    def run(self, text: str) -> str:
        return render_arithmatex(text)


class SiteExtension(Extension):
    """A Markdown extension of this site: it reads the site's config file (MkDocs and
    Zensical both run extensions from the project's folder)."""

    def __init__(self, **kwargs) -> None:
        self.config = {
            "config_file": [
                "mkdocs.yml",
                "The site's config (relative to the working directory)",
            ]
        }
        super().__init__(**kwargs)

    def config_file(self) -> Path:
        return Path(self.getConfig("config_file")).resolve()


class GeneratedMarkdownExtension(SiteExtension):
    def extendMarkdown(self, md) -> None:
        config_file = self.config_file()
        md.preprocessors.register(
            _GeneratedText(md, config_file), "generated_text", PRIORITY
        )
        md.postprocessors.register(_MathML(md), "mathml", MATH_PRIORITY)


def makeExtension(**kwargs) -> GeneratedMarkdownExtension:
    return GeneratedMarkdownExtension(**kwargs)
