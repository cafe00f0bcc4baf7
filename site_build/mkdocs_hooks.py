"""mkdocs hooks: what the pages state about the build is generated, never typed.

* a line ``<!-- specification -->`` becomes the list of every asserted behaviour;
* a line ``<!-- r-mapping: snippets/<file>.py:<section> -->`` becomes the table of
  R calls and their PyTorch equivalents, read from that section of the file;
  (both by site_build.generated_markdown.expand_markers, which the Markdown extension of
  that module also runs, with ``{{ torch_version }}``, for builders without these hooks);
* every page with Python code gets a notebook made of what the page renders
  (site_build/notebooks.py: figures embedded, tables generated, includes
  expanded), executed and cached, rendered by mkdocs-jupyter under ``notebooks/``
  and offered for download under ``downloads/``, with links at the top of the page;
* a line ``<!-- figure: <name> -->`` becomes a figure drawn from the page's code
  (site_build/figures.py; each drawing in snippets/<topic>/figures/), in both palettes, with alt text from the same values
  (the markup: site_build.generated_markdown.figure_markdown, which the Markdown extension also uses);
* formulas in notebooks become MathML (site_build/math.py; on pages the Markdown extension
  does it), so no page loads a math script.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

from executable_docs.project import load_project
from site_build.figures import draw_all
from site_build.generated_markdown import (
    check_figure_markers,
    expand_markers,
    figure_files,
    torch_version,
)
from site_build.math import render_dollars
from site_build.notebooks import (
    NOTEBOOK_FOLDER as NOTEBOOK_PAGES,
)
from site_build.notebooks import (
    execute_all,
    notebook_name,
    page_notebook,
)
from site_build.slim_html import slim_html

DRAWN: dict = {}  # this build's figures, drawn (or read from the cache) in on_files
FIRST_HEADING = re.compile(r"^# .*$", re.MULTILINE)
NOTEBOOK_DOWNLOADS = "downloads"
# mkdocs-jupyter inlines JupyterLab's whole stylesheet (about 575 kB), a MathJax
# loader and a Mermaid loader (both from CDNs) into every notebook page. The site
# styles notebooks itself (docs/stylesheets/notebooks.css, on Material's palette
# variables, so they follow the light/dark toggle) and renders math itself.
NOTEBOOK_BLOAT = re.compile(
    r"<style[^>]*>.*?</style>|<script[^>]*>.*?</script>", re.DOTALL | re.IGNORECASE
)
NOTEBOOK_ANCHORS = re.compile(r'<a class="anchor-link" href="#[^"]*">¶</a>')
# Also dropped: mkdocs-jupyter's copy buttons (their script is gone with the CDN loaders;
# readers download the notebook instead), and JupyterLab's empty collapsers and "In [1]:" prompts.
NOTEBOOK_CHROME = re.compile(
    r'<div class="zeroclipboard-container">.*?</clipboard-copy>\s*</div>'
    r'|<div class="jp-Collapser[^"]*">\s*</div>'
    r'|<div class="jp-(?:InputPrompt|OutputPrompt)[^"]*">[^<]*</div>',
    re.DOTALL,
)
SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'


def _project(config):
    return load_project(Path(config.config_file_path))


@event_priority(100)  # before mkdocs-jupyter's on_files turns .ipynb files into pages
def on_files(files, config):
    project = _project(config)
    # Figures first: a page's notebook embeds them (cached, so usually nothing is drawn).
    DRAWN.clear()
    DRAWN.update(draw_all(project.root, torch_version()))
    _check_figure_markers(project)
    attachments = {
        f"{name}.png": ("image/png", drawn.png) for name, drawn in DRAWN.items()
    }
    notebooks = [
        notebook
        for page in project.pages()
        if (
            notebook := page_notebook(
                project,
                page,
                project.site_url,
                torch_version(),
                expand_markers=lambda text, page=page: _generate(
                    text, project, config, page, for_notebook=True
                ),
                attachments=attachments,
            )
        )
    ]
    executed = execute_all(notebooks, project.root, torch_version())
    for drawn in DRAWN.values():
        for path, svg in figure_files(drawn).items():
            files.append(File.generated(config, path, content=svg))
    for notebook in notebooks:
        path = executed[notebook.name]
        # A plain File rooted in the cache (mkdocs-jupyter cannot render File.generated ones);
        # the download is the same notebook, served as a file rather than rendered.
        src_uri = path.relative_to(path.parents[1]).as_posix()
        files.append(
            File(
                src_uri,
                str(path.parents[1]),
                config.site_dir,
                config.use_directory_urls,
            )
        )
        files.append(
            File.generated(
                config,
                f"{NOTEBOOK_DOWNLOADS}/{notebook.name}.ipynb",
                content=path.read_bytes(),
            )
        )
    return files


def _notebook_links(page, files) -> str:
    name = notebook_name(page.file.src_uri)
    if files.get_file_from_path(f"{NOTEBOOK_DOWNLOADS}/{name}.ipynb") is None:
        return ""
    here = os.path.dirname(page.file.src_uri)
    rendered = os.path.relpath(f"{NOTEBOOK_PAGES}/{name}.ipynb", here or ".")
    download = os.path.relpath(f"{NOTEBOOK_DOWNLOADS}/{name}.ipynb", here or ".")
    return (
        f'[:material-download: Download notebook]({download}){{ .md-button download="{name}.ipynb" }} '
        f"[:material-notebook-outline: View the executed notebook]({rendered}){{ .md-button }}\n"
    )


def _check_figure_markers(project) -> None:
    """Every figure marker of every page names a figure: else the build fails naming page and line."""
    for page in project.pages():
        check_figure_markers(
            page.read_text(encoding="utf-8"), DRAWN, project.relative(page).as_posix()
        )


def _generate(
    markdown: str, project, config, page_path: Path, for_notebook: bool = False
) -> str:
    """The page's markers replaced by what they stand for (the same for the page and its notebook)."""
    return expand_markers(
        markdown, project, lambda: config.nav, page_path, DRAWN, for_notebook
    )


def on_page_markdown(markdown: str, page, config, files) -> str:
    project = _project(config)
    markdown = _generate(
        markdown, project, config, project.docs_dir / page.file.src_path
    )
    links = _notebook_links(page, files)
    if links:
        markdown = FIRST_HEADING.sub(
            lambda heading: f"{heading[0]}\n\n{links}", markdown, count=1
        )
    return markdown


def on_page_content(html: str, page, config, files) -> str:
    if page.file.src_uri.startswith(f"{NOTEBOOK_PAGES}/"):
        page.meta["search"] = {
            "exclude": True
        }  # the page itself is indexed; its notebook would repeat it
        if (
            config.edit_uri
        ):  # the notebook is generated: "edit this page" opens the page it came from
            page.edit_url = (
                config.edit_uri + Path(page.file.src_uri).with_suffix(".md").name
            )
        html = NOTEBOOK_BLOAT.sub("", html)
        html = NOTEBOOK_ANCHORS.sub(
            "", html
        )  # Material adds its own permalinks to headings
        html = NOTEBOOK_CHROME.sub("", html)
        html = html.replace(
            "<pre>", '<pre tabindex="0">'
        )  # wide outputs scroll: reachable by keyboard
        return render_dollars(
            html
        )  # nbconvert's $...$: mkdocs-jupyter runs no Markdown extension
    return html  # formulas: MathML from site_build.generated_markdown's postprocessor


def on_post_page(output: str, page, config) -> str:
    # Material's search dialog has no accessible name (axe: aria-dialog-name); give it one.
    if SEARCH_DIALOG not in output:
        raise ValueError(
            f"{page.file.src_uri}: Material's search dialog markup changed; update SEARCH_DIALOG"
        )
    output = output.replace(
        SEARCH_DIALOG,
        SEARCH_DIALOG.replace('role="dialog"', 'role="dialog" aria-label="Search"'),
    )
    return slim_html(output)
