"""The text the build generates into pages, in one place: for the mkdocs hooks and as a Python-Markdown extension.

* ``{{ torch_version }}``: the installed torch's version (``fill_torch_version``);
* ``<!-- specification -->``: the list of every asserted behaviour (pages in nav order);
* ``<!-- r-mapping: <file>:<section> -->``: the R-to-PyTorch table;
* ``<!-- figure: <name> -->``: a figure, drawn by the mkdocs hook (``expand_markers``'s ``figure``);
* formulas as MathML (a postprocessor).

MkDocs fills the text in with its hooks (site_build/mkdocs_hooks.py, which also make each
page's notebook from the same text) before Markdown runs, so under MkDocs the extension's
preprocessor finds nothing left to do. Zensical reads ``markdown_extensions`` from
``mkdocs.yml`` but runs no mkdocs hooks: this extension gives its build the same text.
Figures and notebooks are files of their own in the built site (SVGs, notebook pages,
downloads): a Markdown extension cannot add files, so a ``<!-- figure: ... -->`` marker is
left as it is (an HTML comment) and ``make zensical-check`` reports it.

The Specification page needs the page being rendered (its links are relative to it):
executable_docs.project.rendered_page finds it under MkDocs and Zensical; without it (a
marker left under another generator) the build fails naming the marker.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path

from markdown import Extension
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from mkdocs.utils.yaml import yaml_load

from executable_docs.project import DocsProject, load_project, rendered_page
from site_build.r_tables import render_mapping_table
from site_build.math import render_arithmatex
from site_build.specification import specification_markdown

TORCH_VERSION = re.compile(r"\{\{\s*torch_version\s*\}\}")
GENERATED = re.compile(
    r"^(?P<indent> *)<!-- (?:(?P<spec>specification)|r-mapping: (?P<path>[^:\s]+):(?P<section>[\w-]+)|figure: (?P<figure>[\w-]+)) -->$",
    re.M,
)
MARKER_START = re.compile(r"^ *<!-- *(?:specification|r-mapping|figure)\b")  # a marker, well formed or not
# Before pymdownx.snippets (32) and executable_docs.safe_includes (33): generated text is plain Markdown.
PRIORITY = 40
# After Python-Markdown's raw HTML (30) has put arithmatex's spans back into the page.
MATH_PRIORITY = 10


def torch_version() -> str:
    """The version of the torch the pages were built and tested with (without the +cpu tag)."""
    return version("torch").split("+")[0]


def fill_torch_version(text: str) -> str:
    return TORCH_VERSION.sub(torch_version(), text) if TORCH_VERSION.search(text) else text


def nav_pages(nav, docs_dir: Path) -> list[tuple[str, Path]]:
    """(title, path) of every page of mkdocs' ``nav``, in nav order."""
    pages = []
    for entry in nav or []:
        for title, target in entry.items() if isinstance(entry, dict) else [(None, entry)]:
            if isinstance(target, list):
                pages.extend(nav_pages(target, docs_dir))
            elif str(target).endswith(".md"):
                pages.append((title or target, docs_dir / target))
    return pages


def expand_markers(
    markdown: str,
    project: DocsProject,
    nav: Callable[[], list],
    page_path: Path | None,
    figure: Callable[[str, str], str] | None = None,
) -> str:
    """The page's markers replaced by what they stand for (the same for the page and its notebook).

    ``nav`` gives mkdocs' nav (read only for a Specification marker); ``figure(name, src_uri)``
    draws a figure marker's Markdown (without it, figure markers are left as they are).
    """
    src_uri = page_path.relative_to(project.docs_dir).as_posix() if page_path else "the page"
    for number, line in enumerate(markdown.splitlines(), start=1):
        if MARKER_START.match(line) and not GENERATED.fullmatch(line):
            raise ValueError(
                f"{src_uri}:{number}: malformed marker {line.strip()!r} (expected '<!-- specification -->', "
                "'<!-- r-mapping: <file>:<section> -->' or '<!-- figure: <name> -->')"
            )

    def generate(match: re.Match) -> str:
        if match["figure"]:
            if figure is None:
                return match[0]  # a figure is a file of its own: only the mkdocs hook can add it
            text = figure(match["figure"], src_uri)
        elif match["path"]:
            text = render_mapping_table(project.root / match["path"], match["section"])
        else:
            if page_path is None:
                raise ValueError(f"{match[0].strip()}: the page being rendered is unknown (no rendering context)")
            text = specification_markdown(project, nav_pages(nav(), project.docs_dir), page_path)
        return textwrap.indent(text, match["indent"])  # a marker inside a tab or admonition stays inside

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
            text = expand_markers(text, project, self._nav, page)
        return text.split("\n")

    def _nav(self) -> list:
        return yaml_load(self.config_file.read_text(encoding="utf-8")).get("nav")


class _MathML(Postprocessor):
    def run(self, text: str) -> str:
        return render_arithmatex(text)


class GeneratedMarkdownExtension(Extension):
    def __init__(self, **kwargs) -> None:
        self.config = {"config_file": ["mkdocs.yml", "The site's config (relative to the working directory)"]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md) -> None:  # noqa: N802 (Python-Markdown's API)
        config_file = Path(self.getConfig("config_file")).resolve()
        md.preprocessors.register(_GeneratedText(md, config_file), "generated_text", PRIORITY)
        md.postprocessors.register(_MathML(md), "mathml", MATH_PRIORITY)


def makeExtension(**kwargs) -> GeneratedMarkdownExtension:  # noqa: N802 (Python-Markdown's API)
    return GeneratedMarkdownExtension(**kwargs)
