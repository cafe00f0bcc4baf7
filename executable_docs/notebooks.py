"""A Jupyter notebook for every page with code, generated from the page itself.

The notebook's markdown cells are the page's prose and its code cells are the
page's blocks, expanded from ``snippets/`` exactly as the site shows them (minus
the ``# >`` lines: a notebook shows real outputs instead). A "full script" block,
which includes a whole file the page has already shown section by section,
becomes a note naming the file: the notebook itself is that program, run in
order. Nothing is kept by hand in a second copy.

Notebooks are executed with a Jupyter kernel at build time, several at once,
and an executed notebook is cached under ``.cache/notebooks`` by the hash of
its content and the torch version, so a build without source changes executes
nothing. A cell that raises fails the build (``allow_errors=False``).
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import nbformat

from executable_docs import expected_output
from executable_docs.markdown_blocks import CONTAINER_MARKERS, BODY_INDENT, find_python_blocks
from executable_docs.project import DocsProject
from executable_docs.snippet_expansion import SnippetExpander

CACHE_DIR = Path(".cache") / "notebooks"
NOTEBOOK_FOLDER = "notebooks"  # where the site serves the rendered notebooks
CELL_TIMEOUT_SECONDS = 300
_CONTAINER = re.compile(r'^(?:' + "|".join(re.escape(m) for m in CONTAINER_MARKERS) + r')\s+(?P<kind>[\w-]*)\s*(?:"(?P<title>[^"]*)")?')
_PAGE_LINK = re.compile(r"\]\((?!https?://)(?P<page>[\w./-]+)\.md(?P<anchor>#[\w-]*)?\)")
_ATTRIBUTES = re.compile(r"\{[:.#][^}]*\}")  # attr_list syntax such as { .md-button }


@dataclass(frozen=True)
class PageNotebook:
    page: Path
    name: str  # e.g. "autograd"
    notebook: nbformat.NotebookNode

    def content(self) -> str:
        return nbformat.writes(self.notebook)

    def cache_key(self, torch_version: str) -> str:
        return hashlib.sha256(f"{torch_version}\n{self.content()}".encode()).hexdigest()[:20]


def _notebook_markdown(lines: list[str], site_url: str, page_url: str) -> str:
    """Material-flavoured Markdown turned into what Jupyter renders: containers become bold titles."""
    out, bodies = [], []  # bodies: the indentation of each open container's body
    for line in lines:
        indent = len(line) - len(line.lstrip(" "))
        while bodies and line.strip() and indent < bodies[-1]:
            bodies.pop()
        text = line[bodies[-1] :] if bodies else line
        match = _CONTAINER.match(text)
        if match:
            out.append(f"**{match['title'] or match['kind'].capitalize()}**")
            bodies.append(indent + BODY_INDENT)
        else:
            out.append(text)
    markdown = "\n".join(out).strip("\n")
    markdown = _PAGE_LINK.sub(lambda m: f"]({_page_url(site_url, m['page'], page_url)}{m['anchor'] or ''})", markdown)
    return _ATTRIBUTES.sub("", markdown)


def _page_url(site_url: str, page: str, from_url: str) -> str:
    target = os.path.normpath(os.path.join(os.path.dirname(from_url), page))
    return site_url.rstrip("/") + "/" + ("" if target == "index" else f"{target}/")


def page_notebook(project: DocsProject, page: Path, site_url: str, torch_version: str) -> PageNotebook | None:
    """The notebook of ``page``, or None for a page without executable Python."""
    text = page.read_text(encoding="utf-8")
    text = re.sub(r"\{\{\s*torch_version\s*\}\}", torch_version, text)
    lines = text.splitlines()
    blocks = [block for block in find_python_blocks(page, text) if not block.skipped]
    if not blocks:
        return None
    relative = page.relative_to(project.docs_dir).with_suffix("").as_posix()
    expander = SnippetExpander(project)
    cells = [
        nbformat.v4.new_markdown_cell(
            f"*Generated from the page [{relative}]({_page_url(site_url, relative, relative)}) of Torch "
            f"Fundamentals, verified with PyTorch {torch_version}. Run the cells in order; the package "
            "`snippets` comes with the project (`pip install -e .` in its repository).*"
        )
    ]
    cursor = 0
    for block in blocks:
        prose = _notebook_markdown(lines[cursor : block.line - 1], site_url, relative)
        if prose.strip():
            cells.append(nbformat.v4.new_markdown_cell(prose))
        cursor = block.end_line
        whole_files = expander.whole_files(block)
        if whole_files:
            names = ", ".join(f"`{path}`" for path in whole_files)
            cells.append(nbformat.v4.new_markdown_cell(f"The whole file: {names}, in the project's `snippets` package."))
            continue
        code = expander.expand(block).code
        code = "\n".join(line for line in code.splitlines() if not expected_output.is_output_line(line))
        cells.append(nbformat.v4.new_code_cell(code.strip("\n")))
    prose = _notebook_markdown(lines[cursor:], site_url, relative)
    if prose.strip():
        cells.append(nbformat.v4.new_markdown_cell(prose))
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.metadata["language_info"] = {"name": "python"}
    for index, cell in enumerate(notebook.cells):
        cell["id"] = f"{relative.replace('/', '-')}-{index}"  # stable ids: same page, same notebook, same cache key
    return PageNotebook(page, relative.replace("/", "-"), notebook)


async def _execute(notebook: PageNotebook, limit: asyncio.Semaphore, cwd: Path) -> nbformat.NotebookNode:
    from jupyter_client.manager import AsyncKernelManager  # imported only when a notebook must run
    from nbclient import NotebookClient

    async with limit:
        executed = nbformat.reads(notebook.content(), as_version=4)
        sockets = tempfile.mkdtemp(prefix="notebook-kernel-")
        # Local (ipc) sockets in a temporary folder: no TCP port, and no kernel-ipc-* files in the project.
        kernel = AsyncKernelManager(kernel_name="python3", transport="ipc", ip=os.path.join(sockets, "kernel"))
        client = NotebookClient(
            executed,
            km=kernel,
            timeout=CELL_TIMEOUT_SECONDS,
            allow_errors=False,  # a failing cell fails the build
            resources={"metadata": {"path": str(cwd)}},
        )
        try:
            await client.async_execute()
        finally:
            await kernel.shutdown_kernel()  # we own the kernel manager, so nbclient leaves this to us
            shutil.rmtree(sockets, ignore_errors=True)
        return executed


def execute_all(notebooks: list[PageNotebook], root: Path, torch_version: str) -> dict[str, Path]:
    """Executed copies of ``notebooks`` (by name), from the cache where the source is unchanged."""
    cache = root / CACHE_DIR
    cache.mkdir(parents=True, exist_ok=True)
    # <cache>/<key>/notebooks/<name>.ipynb: the part after <key> is where the site serves it.
    paths = {nb.name: cache / nb.cache_key(torch_version) / NOTEBOOK_FOLDER / f"{nb.name}.ipynb" for nb in notebooks}
    missing = [nb for nb in notebooks if not paths[nb.name].exists()]

    async def run_missing():
        limit = asyncio.Semaphore(os.cpu_count() or 1)
        return await asyncio.gather(*(_execute(nb, limit, root) for nb in missing))

    for nb, executed in zip(missing, asyncio.run(run_missing()) if missing else []):
        paths[nb.name].parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(executed, paths[nb.name])
    for entry in cache.iterdir():  # evict what no current notebook uses
        if entry not in {path.parents[1] for path in paths.values()}:
            shutil.rmtree(entry)
    return paths
