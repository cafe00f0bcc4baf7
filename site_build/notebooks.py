"""A Jupyter notebook for every page with code, generated from what the page renders.

The notebook is the page: its markdown cells are the page's prose after the build
has filled it in (includes expanded, R mapping tables generated, figures embedded as
PNG attachments, containers turned into bold titles), and its code cells are the
page's code blocks exactly as the site shows them, ``# >`` lines included, in page
order (a ``notest`` block is shown as a listing, not run). The first cell says what a
reader installs: ``pip install torch numpy`` (and matplotlib if a cell draws), never
this project. Nothing is kept by hand in a second copy.

Notebooks are executed with a Jupyter kernel at build time, several at once, and
an executed notebook is cached under ``.cache/notebooks`` by a key covering its
content, every file it was made from (the page, included files, every project
module they import) and the library versions, so a build without source changes
executes nothing. A cell that raises fails the build (``allow_errors=False``).
"""

from __future__ import annotations

import asyncio
import base64
import concurrent.futures
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import nbformat

from executable_docs.build_cache import (
    ContentCache,
    cache_key,
    distribution_versions,
    environment_fingerprint,
    library_versions,
    source_closure,
)
from executable_docs.markdown_blocks import (
    BODY_INDENT,
    CONTAINER_MARKERS,
    fenced_lines,
    find_python_blocks,
)
from executable_docs.project import DocsProject
from executable_docs.snippet_expansion import SnippetExpander
from site_build.generated_markdown import TORCH_VERSION

CACHE_DIR = Path(".cache") / "notebooks"
NOTEBOOK_FOLDER = "notebooks"  # where the site serves the rendered notebooks
CELL_TIMEOUT_SECONDS = 300
_CONTAINER = re.compile(
    r"^(?:"
    + "|".join(re.escape(m) for m in CONTAINER_MARKERS)
    + r')\s+(?P<kind>[\w-]*)\s*(?:"(?P<title>[^"]*)")?'
)
_PAGE_LINK = re.compile(
    r"\]\((?!https?://)(?P<page>[\w./-]+)\.md(?P<anchor>#[\w-]*)?\)"
)
_HEADING = re.compile(r"^#{1,6} ")
_ATTRIBUTES = re.compile(r"\{[:.#][^}]*\}")  # attr_list syntax such as { .md-button }


def notebook_name(page: str | Path) -> str:
    """A page's notebook name, from its path under docs/: ``guide/setup.md`` -> ``guide-setup``."""
    return Path(page).with_suffix("").as_posix().replace("/", "-")


@dataclass(frozen=True)
class PageNotebook:
    page: Path
    name: str  # e.g. "autograd"
    notebook: nbformat.NotebookNode
    sources: tuple[
        Path, ...
    ] = ()  # the page, every file it includes, every project module those import
    root: Path | None = None

    def content(self) -> str:
        return nbformat.writes(self.notebook)

    def cache_key(self, torch_version: str) -> str:
        """Changes with the notebook, any of its source files (imported modules
        included), the libraries, and what executes it (executor_inputs)."""
        return cache_key(
            torch_version,
            library_versions("torch", "numpy", "matplotlib", "nbclient", "ipykernel"),
            self.content(),
            *executor_inputs(),
            files=self.sources,
            root=self.root,
        )

    def executed_problem(self, folder: Path) -> str | None:
        """Why a cached entry is not this notebook executed to its end, or None."""
        try:
            executed = nbformat.read(
                folder / NOTEBOOK_FOLDER / f"{self.name}.ipynb", as_version=4
            )
        except (OSError, ValueError) as error:
            return f"its notebook cannot be read ({error})"
        ours = [(cell.cell_type, cell.source) for cell in self.notebook.cells]
        if [(cell.cell_type, cell.source) for cell in executed.cells] != ours:
            return "its cells are not the page's"
        for cell in executed.cells:
            if cell.cell_type == "code" and (
                cell.get("execution_count") is None
                or any(out.get("output_type") == "error" for out in cell.outputs)
            ):
                return f"cell {cell.get('id')} did not run, or raised"
        return None


def executor_inputs() -> tuple[str, ...]:
    """What executing a notebook depends on besides the notebook: this module (the
    executor's settings: cell timeout, errors, kernel), the kernel's interpreter and the
    distributions the executor and the kernel load, and the environment the kernel
    inherits."""
    return (
        Path(__file__).read_text(encoding="utf-8"),
        sys.executable,
        distribution_versions("nbclient", "ipykernel", "torch", "numpy", "matplotlib"),
        environment_fingerprint(),
    )


def _flatten_containers(lines: list[str]) -> list[str]:
    """The page's lines with Material containers (admonitions, details, tabs) turned into bold titles.

    A container body loses its indentation, so Jupyter does not read it as an indented
    code block. Line for line (the result has as many lines), over the whole page: a
    code block inside a tab interrupts the prose, not the container.
    """
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
    return out


def _plain_headings(markdown: str) -> str:
    """Headings without code spans: mkdocs-jupyter's table of contents drops code from a heading
    (``## `StepLR`: ...`` would become ": ...", and a heading that is all code an empty, unnamed link)."""
    lines = markdown.split("\n")
    return "\n".join(
        line.replace("`", "") if not fenced and _HEADING.match(line) else line
        for line, fenced in zip(lines, fenced_lines(lines))
    )


def _notebook_markdown(markdown: str, site_url: str, page_url: str) -> str:
    """Links to other pages point at the published site; attr_list attributes are dropped."""
    markdown = _plain_headings(markdown.strip("\n"))
    markdown = _PAGE_LINK.sub(
        lambda m: f"]({_page_url(site_url, m['page'], page_url)}{m['anchor'] or ''})",
        markdown,
    )
    return _ATTRIBUTES.sub("", markdown)


def _page_url(site_url: str, page: str, from_url: str) -> str:
    target = os.path.normpath(os.path.join(os.path.dirname(from_url), page))
    return site_url.rstrip("/") + "/" + ("" if target == "index" else f"{target}/")


# A cell that draws needs matplotlib in the reader's environment too.
_DRAWS = re.compile(r"^\s*(?:import|from)\s+matplotlib\b", re.MULTILINE)
_ATTACHMENT = re.compile(r"\(attachment:(?P<name>[^)\s]+)\)")


def _header(relative: str, page_link: str, torch_version: str, draws: bool) -> str:
    packages = "torch numpy matplotlib" if draws else "torch numpy"
    return (
        f"*Generated from the page [{relative}]({page_link}) of Torch Fundamentals, verified with PyTorch "
        f"{torch_version}. The cells are the page's code blocks, in page order: run them top to bottom in "
        "any Python with these packages (nothing else from the project is needed):*\n\n"
        f"```bash\npip install {packages}\n```\n\n"
        "*A `# >` comment under a statement shows what it printed when the page was built.*"
    )


def _fence(code: str, language: str = "python") -> str:
    return f"```{language}\n{code.strip(chr(10))}\n```"


def page_notebook(
    project: DocsProject,
    page: Path,
    site_url: str,
    torch_version: str,
    expand_markers: Callable[[str], str] = lambda text: text,
    attachments: dict[str, tuple[str, bytes]] | None = None,
) -> PageNotebook | None:
    """The notebook of ``page`` (None for a page without executable Python), made of what it renders.

    ``expand_markers`` turns the page's generated-content markers (figures, R
    tables) into Markdown, as the mkdocs hook does for the page itself; an image
    ``(attachment:<name>)`` it writes is embedded from ``attachments`` (name ->
    (MIME type, bytes)). Include lines in prose are expanded like the site does.
    """
    attachments = attachments or {}
    text = page.read_text(encoding="utf-8")
    text = TORCH_VERSION.sub(torch_version, text)
    blocks = find_python_blocks(page, text)
    lines = _flatten_containers(text.splitlines())
    if not any(not block.skipped for block in blocks):
        return None
    relative = page.relative_to(project.docs_dir).with_suffix("").as_posix()
    expander = SnippetExpander(project)
    inputs: set[Path] = {page.resolve()}
    codes: list[str] = []
    body: list[tuple[str, str]] = []  # ("markdown" | "code", text)

    def prose(chunk: list[str]) -> None:
        chunk, included = _expand_prose_includes(expander, chunk)
        inputs.update(included)
        markdown = _notebook_markdown(
            expand_markers("\n".join(chunk)), site_url, relative
        )
        if markdown.strip():
            body.append(("markdown", markdown))

    cursor = 0
    for block in blocks:
        prose(lines[cursor : block.line - 1])
        cursor = block.end_line
        if block.skipped:  # shown, never run: a code listing in a markdown cell
            listing, included = _expand_prose_includes(
                expander, block.content.splitlines()
            )
            inputs.update(included)
            body.append(("markdown", _fence("\n".join(listing))))
            continue
        expanded = expander.expand(block)
        inputs.update(project.root / origin.path for origin in expanded.origins)
        code = expanded.code.strip("\n")
        codes.append(code)
        body.append(("code", code))
    prose(lines[cursor:])
    draws = any(_DRAWS.search(code) for code in codes)
    page_link = _page_url(site_url, relative, relative)
    cells = [
        nbformat.v4.new_markdown_cell(
            _header(relative, page_link, torch_version, draws)
        )
    ]
    for kind, content in body:
        if kind == "code":
            cells.append(nbformat.v4.new_code_cell(content))
            continue
        cell = nbformat.v4.new_markdown_cell(content)
        for name in dict.fromkeys(
            match["name"] for match in _ATTACHMENT.finditer(content)
        ):
            if name not in attachments:
                raise ValueError(
                    f"{project.relative(page)}: the notebook refers to an unknown image {name!r}"
                )
            mime, data = attachments[name]
            cell["attachments"] = {
                **cell.get("attachments", {}),
                name: {mime: base64.b64encode(data).decode()},
            }
        cells.append(cell)
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    notebook.metadata["language_info"] = {"name": "python"}
    for index, cell in enumerate(notebook.cells):
        cell["id"] = (
            f"{notebook_name(relative)}-{index}"  # stable ids: same page, same notebook, same cache key
        )
    sources = source_closure(sorted(inputs), project.root, codes)
    return PageNotebook(
        page, notebook_name(relative), notebook, tuple(sources), project.root
    )


def _expand_prose_includes(
    expander: SnippetExpander, chunk: list[str]
) -> tuple[list[str], set[Path]]:
    """Prose lines with pymdownx.snippets' include lines replaced, as the site renders them."""
    preprocessor = expander.preprocessor
    included = set()
    for line in chunk:
        match = preprocessor.RE_ALL_SNIPPETS.match(line)
        if match and match.group("inline_marker"):
            target = preprocessor.parse_snippet_target(
                match.group("snippet")[1:-1].strip()
            )
            found = target and preprocessor.get_snippet_path(target["path"])
            if found:
                included.add(Path(found).resolve())
    if not included:
        return chunk, included
    return preprocessor.run(list(chunk)), included


async def _execute(
    notebook: PageNotebook, limit: asyncio.Semaphore, cwd: Path
) -> nbformat.NotebookNode:
    from jupyter_client.manager import (
        AsyncKernelManager,
    )  # imported only when a notebook must run
    from nbclient import NotebookClient

    async with limit:
        executed = nbformat.reads(notebook.content(), as_version=4)
        sockets = tempfile.mkdtemp(prefix="notebook-kernel-")
        # Local (ipc) sockets in a temporary folder: no TCP port, and no kernel-ipc-* files in the project.
        kernel = AsyncKernelManager(
            kernel_name="python3", transport="ipc", ip=os.path.join(sockets, "kernel")
        )
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
            if client.kc is not None:
                client.kc.stop_channels()  # close the client's sockets now, not when garbage collected
            await (
                kernel.shutdown_kernel()
            )  # we own the kernel manager, so nbclient leaves this to us
            shutil.rmtree(sockets, ignore_errors=True)
        return executed


def execute_all(
    notebooks: list[PageNotebook], root: Path, torch_version: str
) -> dict[str, Path]:
    """Executed copies of ``notebooks`` (by name), from the cache where no input changed.

    Each executed notebook is written into a private folder and renamed to its key
    when complete (build_cache.ContentCache), so a killed build never leaves a
    cache entry that a later build would trust.
    """
    cache = ContentCache(root / CACHE_DIR)
    # <cache>/<key>/notebooks/<name>.ipynb: the part after <key> is where the site serves it.
    keys = {nb.name: nb.cache_key(torch_version) for nb in notebooks}
    paths = {
        nb.name: cache.path(keys[nb.name]) / NOTEBOOK_FOLDER / f"{nb.name}.ipynb"
        for nb in notebooks
    }
    missing = [
        nb
        for nb in notebooks
        if cache.lookup(
            keys[nb.name],
            [f"{NOTEBOOK_FOLDER}/{nb.name}.ipynb"],
            check=nb.executed_problem,
        )
        is None
    ]

    async def run_missing():
        limit = asyncio.Semaphore(os.cpu_count() or 1)
        # Every notebook runs to its end (or its error): one page's failure does not kill the others' kernels.
        return await asyncio.gather(
            *(_execute(nb, limit, root) for nb in missing), return_exceptions=True
        )

    failures = []
    for nb, executed in zip(
        missing, _run_to_completion(run_missing) if missing else []
    ):
        if isinstance(executed, BaseException):
            page = (
                nb.page.relative_to(root) if nb.page.is_relative_to(root) else nb.page
            )
            failures.append(
                f"{page}: its notebook failed in the build's Jupyter kernel:\n{_ANSI.sub('', str(executed))}"
            )
            continue

        def write(
            folder: Path,
            nb: PageNotebook = nb,
            executed: nbformat.NotebookNode = executed,
        ) -> None:
            (folder / NOTEBOOK_FOLDER).mkdir()
            nbformat.write(executed, folder / NOTEBOOK_FOLDER / paths[nb.name].name)

        cache.store(keys[nb.name], write)  # the good ones are kept for the next build
    if failures:
        raise NotebookError("\n\n".join(failures))
    cache.evict_unused()  # what no current notebook uses
    return paths


def _run_to_completion(make_coroutine):
    """``asyncio.run`` of the coroutine, in a thread of its own if this one already runs an event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(make_coroutine())
    with concurrent.futures.ThreadPoolExecutor(
        max_workers=1
    ) as pool:  # e.g. beside Playwright's sync API
        return pool.submit(lambda: asyncio.run(make_coroutine())).result()


class NotebookError(RuntimeError):
    """A page's notebook raised when the build executed it (the message names the page and the cell)."""


_ANSI = re.compile(r"\x1b\[[0-9;]*m")
