"""mkdocs hooks: what runs once per build, the files it adds, the links to them.

What a page's text becomes (torch version, Specification, R tables, figure markup,
MathML) is the Markdown extension site_build.generated_markdown's, which MkDocs and
Zensical both run. These hooks do what a Markdown extension cannot:

* once per build (``on_files``, before any page renders): draw the figures
  (site_build/figures.py; cached, so usually nothing is drawn; the extension reads
  them from the cache), make every page's notebook from what the page renders and
  execute it in a Jupyter kernel (site_build/notebooks.py; cached), both reporting
  their progress on mkdocs' log, "N of M";
* add their files: each figure's SVGs under ``figures/``, each notebook under
  ``notebooks/`` (rendered by mkdocs-jupyter) and ``downloads/`` (offered for
  download, with its solutions notebook where the page has exercises), with the
  download and view links at the top of the page;
* clean mkdocs-jupyter's rendering of a notebook (no CDN scripts, formulas as MathML
  by site_build/mathml.py, since mkdocs-jupyter runs no Markdown extension);
* name Material's search dialog for screen readers, and slim every page's HTML.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.files import File

from executable_docs.project import load_project
from site_build.figures import draw_all
from site_build.generated_markdown import figure_files, torch_version
from site_build.mathml import render_dollars
from site_build.notebooks import (
    CHECK_TAG,
    DOWNLOADS_FOLDER,
    FOLD_TITLE_TAG,
    FOLDED_TAG,
    NOTEBOOK_FOLDER,
    execute_all,
    notebook_name,
    page_notebook,
)
from site_build.slim_html import slim_html

LOG = get_plugin_logger("site_build")  # INFO lines on mkdocs' log: the build's progress
FIRST_HEADING = re.compile(r"^# .*$", re.MULTILINE)
# mkdocs-jupyter inlines JupyterLab's whole stylesheet (about 575 kB), a MathJax
# loader and a Mermaid loader (both from CDNs) into every notebook page. The site
# styles notebooks itself (docs/stylesheets/notebooks.css, on Material's palette
# variables, so they follow the light/dark toggle) and renders math itself.
NOTEBOOK_BLOAT = re.compile(
    r"<style[^>]*>.*?</style>|<script[^>]*>.*?</script>", re.DOTALL | re.IGNORECASE
)
NOTEBOOK_ANCHORS = re.compile(r'<a class="anchor-link" href="#[^"]*">¶</a>')
# Also dropped: mkdocs-jupyter's copy buttons (their script is gone with the CDN
# loaders; readers download the notebook instead), and JupyterLab's empty collapsers
# and "In [1]:" prompts.
NOTEBOOK_CHROME = re.compile(
    r'<div class="zeroclipboard-container">.*?</clipboard-copy>\s*</div>'
    r'|<div class="jp-Collapser[^"]*">\s*</div>'
    r'|<div class="jp-(?:InputPrompt|OutputPrompt)[^"]*">[^<]*</div>'
    # The copy buttons' hidden text (a second copy of the cell's code) and the cell
    # tags' toolbar: mkdocs-jupyter's stylesheet, dropped above, hid them.
    r'|<div class="clipboard-copy-txt"[^>]*>[^<]*</div>'
    r'|<div class="celltoolbar">(?:\s*<div class="button_container[^"]*">\s*'
    r'<span class="tag-container">\s*<span class="cell-tag">[^<]*</span>\s*</span>'
    r"\s*</div>)*\s*</div>",
    re.DOTALL,
)
# The rendered notebook page (nbconvert's HTML): each cell is a ``jp-Cell`` div with a
# ``celltag_<tag>`` class per tag (on the div of a markdown cell's rendering); cells are
# siblings, and the code in them is escaped.
_CELL = re.compile(r'<div class="jp-Cell ')
_CLASSES = re.compile(r'class="([^"]*)"')  # code in a cell is escaped: no stray quotes
_DIV = re.compile(r"<div\b|</div>")
_FIRST_PARAGRAPH = re.compile(r"<p>(?P<inner>.*?)</p>", re.DOTALL)
CHECKS_SUMMARY = "Checks"


def fold_cells(html: str) -> str:
    """Fold a rendered notebook page as its lesson page is folded: each run of check
    cells in a closed "Checks" box, each folded box of the page (its title cell, then
    its body's cells) in a closed box under that title. The notebook file is left as
    it is; its check cells are collapsed by their own metadata."""
    cells = []  # (start, end, tags) of each top-level cell
    position = 0
    while match := _CELL.search(html, position):
        depth, end = 0, None
        for div in _DIV.finditer(html, match.start()):
            depth += 1 if div.group() == "<div" else -1
            if depth == 0:
                end = div.end()
                break
        if end is None:
            raise ValueError("a notebook cell's <div> is never closed")
        tags = {  # on the cell's div (code) or on its rendered markdown's div
            name.removeprefix("celltag_")
            for classes in _CLASSES.findall(html, match.start(), end)
            for name in classes.split()
            if name.startswith("celltag_")
        }
        cells.append((match.start(), end, tags))
        position = end
    out, copied, index = [], 0, 0
    while index < len(cells):
        start, end, tags = cells[index]
        if FOLD_TITLE_TAG in tags:
            run = _run(html, cells, index + 1, FOLDED_TAG)
            paragraph = _FIRST_PARAGRAPH.search(html, start, end)
            title = paragraph["inner"] if paragraph else ""
            title = title.replace("<strong>", "").replace("</strong>", "").strip()
            body = html[end : cells[run - 1][1]]  # "" when the box holds no cell
            out += [html[copied:start], _details("note", title, body)]
        elif CHECK_TAG in tags:
            run = _run(html, cells, index, CHECK_TAG)
            body = html[start : cells[run - 1][1]]
            out += [html[copied:start], _details("checks", CHECKS_SUMMARY, body)]
        else:
            index += 1
            continue
        copied, index = cells[run - 1][1], run
    out.append(html[copied:])
    return "".join(out)


def _run(html: str, cells: list, first: int, tag: str) -> int:
    """The index after the run of adjacent cells from ``first`` that carry ``tag``."""
    index = first
    while (
        index < len(cells)
        and tag in cells[index][2]
        and (index == first or not html[cells[index - 1][1] : cells[index][0]].strip())
    ):
        index += 1
    return index


def _details(kind: str, summary: str, body: str) -> str:
    return f'<details class="{kind}"><summary>{summary}</summary>{body}</details>'


SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'


@event_priority(100)  # before mkdocs-jupyter's on_files turns .ipynb files into pages
def on_files(files, config):
    project = load_project(Path(config.config_file_path))
    # Figures first: a page's notebook embeds them.
    drawn = draw_all(project.root, torch_version(), progress=LOG.info)
    notebooks = [
        notebook
        for page in project.pages()
        if (
            notebook := page_notebook(
                project,
                page,
                project.site_url,
                torch_version(),
                figures=drawn,
                nav=lambda: config.nav,
            )
        )
    ]
    executed = execute_all(notebooks, project.root, torch_version(), LOG.info)
    for figure in drawn.values():
        for svg_path, svg in figure_files(figure).items():
            files.append(File.generated(config, svg_path, content=svg))
    for notebook in notebooks:
        path = executed[notebook.name].notebook
        # A plain File rooted in the cache (mkdocs-jupyter cannot render File.generated
        # ones); the download is the same notebook, served as a file, not rendered.
        src_uri = path.relative_to(path.parents[1]).as_posix()
        files.append(
            File(
                src_uri,
                str(path.parents[1]),
                config.site_dir,
                config.use_directory_urls,
            )
        )
        downloads = {f"{notebook.name}.ipynb": path}
        if (solutions := executed[notebook.name].solutions) is not None:
            downloads[solutions.name] = (
                solutions  # linked from the notebook's exercises
            )
        for name, source in downloads.items():
            files.append(
                File.generated(
                    config,
                    f"{DOWNLOADS_FOLDER}/{name}",
                    content=source.read_bytes(),
                )
            )
    return files


def _notebook_links(page, files) -> str:
    name = notebook_name(page.file.src_uri)
    if files.get_file_from_path(f"{DOWNLOADS_FOLDER}/{name}.ipynb") is None:
        return ""
    here = os.path.dirname(page.file.src_uri)
    rendered = os.path.relpath(f"{NOTEBOOK_FOLDER}/{name}.ipynb", here or ".")
    download = os.path.relpath(f"{DOWNLOADS_FOLDER}/{name}.ipynb", here or ".")
    return (
        f"[:material-download: Download notebook]({download})"
        f'{{ .md-button download="{name}.ipynb" }} '
        f"[:material-notebook-outline: View the executed notebook]({rendered})"
        "{ .md-button }\n"
    )


def on_page_markdown(markdown: str, page, config, files) -> str:
    links = _notebook_links(page, files)
    if links:
        markdown = FIRST_HEADING.sub(
            lambda heading: f"{heading[0]}\n\n{links}", markdown, count=1
        )
    return markdown


def on_page_content(html: str, page, config, files) -> str:
    if page.file.src_uri.startswith(f"{NOTEBOOK_FOLDER}/"):
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
        html = fold_cells(NOTEBOOK_CHROME.sub("", html))  # folded as its lesson page
        html = html.replace(
            "<pre>", '<pre tabindex="0">'
        )  # wide outputs scroll: reachable by keyboard
        return render_dollars(
            html
        )  # nbconvert's $...$: mkdocs-jupyter runs no Markdown extension
    return html  # formulas: MathML from site_build.generated_markdown's postprocessor


def on_post_page(output: str, page, config) -> str:
    # Material's search dialog has no accessible name (axe: aria-dialog-name): name it.
    if SEARCH_DIALOG not in output:
        raise ValueError(
            f"{page.file.src_uri}: Material's search dialog markup changed; "
            "update SEARCH_DIALOG"
        )
    output = output.replace(
        SEARCH_DIALOG,
        SEARCH_DIALOG.replace('role="dialog"', 'role="dialog" aria-label="Search"'),
    )
    return slim_html(output)
