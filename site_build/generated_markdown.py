"""Python-Markdown extension: the generated text of a page, for any generator that runs Markdown extensions.

MkDocs fills these in with hooks (site_build/mkdocs_hooks.py) before Markdown runs, so
under MkDocs the preprocessor finds nothing left to do. Zensical reads ``markdown_extensions``
from ``mkdocs.yml`` but runs no mkdocs hooks: with this extension its build gets

* ``{{ torch_version }}``: the installed torch's version;
* ``<!-- specification -->``: the list of every asserted behaviour (pages in nav order);
* ``<!-- r-mapping: <file>:<section> -->``: the R-to-PyTorch table;
* formulas as MathML (a postprocessor; under MkDocs too, where the hook then finds none left).

Figures and notebooks are files of their own in the built site (SVGs, notebook pages,
downloads): a Markdown extension cannot add files, so a ``<!-- figure: ... -->`` marker is
left as it is (an HTML comment) and ``make zensical-check`` reports it.

The page being rendered: Zensical registers a ``rendering_context`` preprocessor holding it
(zensical/extensions/context.py, 0.1.x); without one (a marker left under another generator)
the build fails naming the marker.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

from markdown import Extension
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from mkdocs.utils.yaml import yaml_load

from site_build.math import render_arithmatex
from site_build.mkdocs_hooks import (
    GENERATED,
    TORCH_VERSION,
    _nav_pages,
    torch_version,
)
from executable_docs.project import load_project
from executable_docs.r_mapping import render_mapping_table
from site_build.specification import specification_markdown

# Before pymdownx.snippets (32) and executable_docs.safe_includes (33): generated text is plain Markdown.
PRIORITY = 40
# After Python-Markdown's raw HTML (30) has put arithmatex's spans back into the page.
MATH_PRIORITY = 10


def _current_page(md) -> str | None:
    """The page's path under docs/, from Zensical's rendering context (None under MkDocs)."""
    if "rendering_context" in md.preprocessors:
        return getattr(md.preprocessors["rendering_context"].page, "path", None)
    return None


class _GeneratedText(Preprocessor):
    def __init__(self, md, config_file: Path) -> None:
        super().__init__(md)
        self.config_file = config_file

    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        if TORCH_VERSION.search(text):
            text = TORCH_VERSION.sub(torch_version(), text)
        if any(match["spec"] or match["path"] for match in GENERATED.finditer(text)):
            text = GENERATED.sub(self._generate, text)
        return text.split("\n")

    def _generate(self, match: re.Match) -> str:
        if match["figure"]:
            return match[0]  # a figure is a file of its own: only the mkdocs hook can add it
        project = load_project(self.config_file)
        if match["path"]:
            text = render_mapping_table(project.root / match["path"], match["section"])
        else:
            page = _current_page(self.md)
            if page is None:
                raise ValueError(f"{match[0].strip()}: the page being rendered is unknown (no rendering context)")
            config = yaml_load(self.config_file.read_text(encoding="utf-8"))
            pages = _nav_pages(config.get("nav"), project.docs_dir)
            text = specification_markdown(project, pages, project.docs_dir / page)
        return textwrap.indent(text, match["indent"])


class _MathML(Postprocessor):
    def run(self, text: str) -> str:
        return render_arithmatex(text)


class GeneratedMarkdownExtension(Extension):
    def __init__(self, **kwargs) -> None:
        self.config = {"config_file": ["mkdocs.yml", "The site's config (relative to the working directory)"]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md) -> None:
        config_file = Path(self.getConfig("config_file")).resolve()
        md.preprocessors.register(_GeneratedText(md, config_file), "generated_text", PRIORITY)
        md.postprocessors.register(_MathML(md), "mathml", MATH_PRIORITY)


def makeExtension(**kwargs) -> GeneratedMarkdownExtension:
    return GeneratedMarkdownExtension(**kwargs)
