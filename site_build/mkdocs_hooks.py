"""mkdocs hooks: what the pages state about the build is generated, never typed.

* ``{{ torch_version }}`` becomes the version of the installed torch;
* a line ``<!-- specification -->`` becomes the list of every asserted behaviour;
* a line ``<!-- r-mapping: snippets/<file>.py:<section> -->`` becomes the table of
  R calls and their PyTorch equivalents, read from that section of the file;
* every page with Python code gets a notebook made of what the page renders
  (site_build/notebooks.py: figures embedded, tables generated, includes
  expanded), executed and cached, rendered by mkdocs-jupyter under ``notebooks/``
  and offered for download under ``downloads/``, with links at the top of the page;
* a line ``<!-- figure: <name> -->`` becomes a figure drawn from the page's code
  (executable_docs/figures.py), in both palettes, with alt text from the same values;
* formulas become MathML (site_build/math.py), so no page loads a math script.
"""

from __future__ import annotations

import os
import re
import textwrap
from importlib.metadata import version
from pathlib import Path

from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

from executable_docs.figures import FIGURES, draw_all
from site_build.math import render_arithmatex, render_dollars
from site_build.notebooks import NOTEBOOK_FOLDER as NOTEBOOK_PAGES, execute_all, page_notebook
from executable_docs.project import load_project
from site_build.slim_html import slim_html
from executable_docs.r_mapping import render_mapping_table
from site_build.specification import specification_markdown

TORCH_VERSION = re.compile(r"\{\{\s*torch_version\s*\}\}")
GENERATED = re.compile(
    r"^(?P<indent> *)<!-- (?:(?P<spec>specification)|r-mapping: (?P<path>[^:\s]+):(?P<section>[\w-]+)|figure: (?P<figure>[\w-]+)) -->$",
    re.M,
)
MARKER_START = re.compile(r"^ *<!-- *(?:specification|r-mapping|figure)\b")  # a marker, well formed or not
FIGURES_FOLDER = "figures"
DRAWN: dict = {}  # this build's figures, drawn (or read from the cache) in on_files
FIRST_HEADING = re.compile(r"^# .*$", re.M)
NOTEBOOK_DOWNLOADS = "downloads"
# mkdocs-jupyter inlines JupyterLab's whole stylesheet (about 575 kB), a MathJax
# loader and a Mermaid loader (both from CDNs) into every notebook page. The site
# styles notebooks itself (docs/stylesheets/notebooks.css, on Material's palette
# variables, so they follow the light/dark toggle) and renders math itself.
NOTEBOOK_BLOAT = re.compile(r"<style[^>]*>.*?</style>|<script[^>]*>.*?</script>", re.S | re.I)
NOTEBOOK_ANCHORS = re.compile(r'<a class="anchor-link" href="#[^"]*">¶</a>')
# Also dropped: mkdocs-jupyter's copy buttons (their script is gone with the CDN loaders;
# readers download the notebook instead), and JupyterLab's empty collapsers and "In [1]:" prompts.
NOTEBOOK_CHROME = re.compile(
    r'<div class="zeroclipboard-container">.*?</clipboard-copy>\s*</div>'
    r'|<div class="jp-Collapser[^"]*">\s*</div>'
    r'|<div class="jp-(?:InputPrompt|OutputPrompt)[^"]*">[^<]*</div>',
    re.S,
)
# A display formula may scroll sideways on a narrow screen (docs/stylesheets/theme.css): keyboard users too.
DISPLAY_MATH = re.compile(r'(<math\b[^>]*\bdisplay="block")(?![^>]*\btabindex=)')
SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'


def torch_version() -> str:
    """The version of the torch the pages were built and tested with (without the +cpu tag)."""
    return version("torch").split("+")[0]


def _project(config):
    return load_project(Path(config.config_file_path))


def on_config(config):
    config.extra["torch_version"] = torch_version()
    return config


@event_priority(100)  # before mkdocs-jupyter's on_files turns .ipynb files into pages
def on_files(files, config):
    project = _project(config)
    # Figures first: a page's notebook embeds them (cached, so usually nothing is drawn).
    DRAWN.clear()
    DRAWN.update(draw_all(project.root, torch_version()))
    attachments = {f"{name}.png": ("image/png", drawn.png) for name, drawn in DRAWN.items()}
    notebooks = [
        notebook
        for page in project.pages()
        if (
            notebook := page_notebook(
                project, page, project.site_url, torch_version(),
                expand_markers=lambda text, page=page: _generate(text, project, config, page, for_notebook=True),
                attachments=attachments,
            )
        )
    ]
    executed = execute_all(notebooks, project.root, torch_version())
    for name, drawn in DRAWN.items():
        for palette, svg in drawn.svgs.items():
            files.append(File.generated(config, f"{FIGURES_FOLDER}/{name}-{palette}.svg", content=svg))
    for notebook in notebooks:
        path = executed[notebook.name]
        # A plain File rooted in the cache (mkdocs-jupyter cannot render File.generated ones);
        # the download is the same notebook, served as a file rather than rendered.
        src_uri = path.relative_to(path.parents[1]).as_posix()
        files.append(File(src_uri, str(path.parents[1]), config.site_dir, config.use_directory_urls))
        files.append(File.generated(config, f"{NOTEBOOK_DOWNLOADS}/{notebook.name}.ipynb", content=path.read_bytes()))
    return files


def _nav_pages(nav, docs_dir: Path) -> list[tuple[str, Path]]:
    pages = []
    for entry in nav or []:
        for title, target in entry.items() if isinstance(entry, dict) else [(None, entry)]:
            if isinstance(target, list):
                pages.extend(_nav_pages(target, docs_dir))
            elif str(target).endswith(".md"):
                pages.append((title or target, docs_dir / target))
    return pages


def _notebook_links(page, files) -> str:
    name = Path(page.file.src_uri).with_suffix("").as_posix().replace("/", "-")
    if files.get_file_from_path(f"{NOTEBOOK_DOWNLOADS}/{name}.ipynb") is None:
        return ""
    here = os.path.dirname(page.file.src_uri)
    rendered = os.path.relpath(f"{NOTEBOOK_PAGES}/{name}.ipynb", here or ".")
    download = os.path.relpath(f"{NOTEBOOK_DOWNLOADS}/{name}.ipynb", here or ".")
    return (
        f'[:material-download: Download notebook]({download}){{ .md-button download="{name}.ipynb" }} '
        f"[:material-notebook-outline: View the executed notebook]({rendered}){{ .md-button }}\n"
    )


def _figure_markdown(name: str, src_uri: str, for_notebook: bool = False) -> str:
    """Both palettes' drawings (Material shows the one matching the palette), the alt text, a caption.

    In a notebook: the light drawing, embedded as a PNG attachment, and the caption.
    """
    if name not in FIGURES:
        raise ValueError(f"{src_uri}: no figure {name!r} (known: {', '.join(FIGURES)})")
    drawn = DRAWN[name]
    alt = drawn.alt.replace("[", "(").replace("]", ")")
    if for_notebook:
        return f"![{alt}](attachment:{name}.png)\n\n*{drawn.figure.caption}*"
    folder = os.path.relpath(FIGURES_FOLDER, os.path.dirname(src_uri) or ".")
    images = " ".join(f"![{alt}]({folder}/{name}-{palette}.svg#only-{palette})" for palette in drawn.svgs)
    return f'<figure markdown="span">\n  {images}\n  <figcaption>{drawn.figure.caption}</figcaption>\n</figure>'


def _generate(markdown: str, project, config, page_path: Path, for_notebook: bool = False) -> str:
    """The page's markers replaced by what they stand for (the same for the page and its notebook)."""
    src_uri = page_path.relative_to(project.docs_dir).as_posix()
    for number, line in enumerate(markdown.splitlines(), start=1):
        if MARKER_START.match(line) and not GENERATED.fullmatch(line):
            raise ValueError(
                f"{src_uri}:{number}: malformed marker {line.strip()!r} (expected '<!-- specification -->', "
                "'<!-- r-mapping: <file>:<section> -->' or '<!-- figure: <name> -->')"
            )

    def generate(match: re.Match) -> str:
        if match["spec"]:
            text = specification_markdown(project, _nav_pages(config.nav, project.docs_dir), page_path)
        elif match["figure"]:
            text = _figure_markdown(match["figure"], src_uri, for_notebook)
        else:
            text = render_mapping_table(project.root / match["path"], match["section"])
        return textwrap.indent(text, match["indent"])  # a marker inside a tab or admonition stays inside

    return GENERATED.sub(generate, markdown)


def on_page_markdown(markdown: str, page, config, files) -> str:
    markdown = TORCH_VERSION.sub(config.extra["torch_version"], markdown)
    project = _project(config)
    markdown = _generate(markdown, project, config, project.docs_dir / page.file.src_path)
    links = _notebook_links(page, files)
    if links:
        markdown = FIRST_HEADING.sub(lambda heading: f"{heading[0]}\n\n{links}", markdown, count=1)
    return markdown


def on_page_content(html: str, page, config, files) -> str:
    if page.file.src_uri.startswith(f"{NOTEBOOK_PAGES}/"):
        page.meta["search"] = {"exclude": True}  # the page itself is indexed; its notebook would repeat it
        if config.edit_uri:  # the notebook is generated: "edit this page" opens the page it came from
            page.edit_url = config.edit_uri + Path(page.file.src_uri).with_suffix(".md").name
        html = NOTEBOOK_BLOAT.sub("", html)
        html = NOTEBOOK_ANCHORS.sub("", html)  # Material adds its own permalinks to headings
        html = NOTEBOOK_CHROME.sub("", html)
        html = html.replace("<pre>", '<pre tabindex="0">')  # wide outputs scroll: reachable by keyboard
        return _focusable_formulas(render_dollars(html))
    return _focusable_formulas(render_arithmatex(html))


def _focusable_formulas(html: str) -> str:
    return DISPLAY_MATH.sub(r'\1 tabindex="0"', html)


def on_post_page(output: str, page, config) -> str:
    # Material's search dialog has no accessible name (axe: aria-dialog-name); give it one.
    if SEARCH_DIALOG not in output:
        raise ValueError(f"{page.file.src_uri}: Material's search dialog markup changed; update SEARCH_DIALOG")
    output = output.replace(SEARCH_DIALOG, SEARCH_DIALOG.replace('role="dialog"', 'role="dialog" aria-label="Search"'))
    return slim_html(output)
