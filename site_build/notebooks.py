"""A Jupyter notebook for every page with code, generated from what the page renders.

The notebook is the page, made for a learner:

* its first cell installs what it needs (``%pip install "torch>=2.X" numpy``, plus
  matplotlib where a cell draws; never this project). torch's lower bound is the
  oldest release from which every behaviour the page checks holds, as ``make matrix``
  measured it (site_build.version_ranges); no upper bound and no exact pin, so that
  where torch is installed already (Colab, most environments) the cell changes
  nothing. The build's kernel skips it (nbclient's ``skip-execution`` tag): the
  build's environment has everything;
* its markdown cells are the page's prose after the build has filled it in
  (includes expanded, R mapping tables generated, figures embedded as PNG attachments,
  containers turned into bold titles), without the sentences that point into the
  project's repository, which a notebook reader does not have;
* each code block of the page becomes its lesson code (site_build.lesson_code): the
  ``# >`` lines are left out, since the notebook shows the real output once, and each
  check (a ``# Spec:`` sentence and its assertion) becomes a cell of its own at its
  place, collapsed (``jupyter.source_hidden``) and tagged ``check``: a block whose
  check sits between two statements is a lesson cell, a check cell, a lesson cell. A
  check nested in a loop or a function stays in it: it cannot run apart from it;
* the exercises' solutions (the blocks and prose of a ``???`` box titled "Solution")
  are not in it: each is a pointer to the solutions notebook,
  ``<page>-solutions.ipynb``, the same notebook with them (tagged ``solution``). A
  notebook file cannot hide a cell in every front end: JupyterLab folds
  ``source_hidden`` cells, but VS Code and Colab show them; a separate notebook hides
  the answers everywhere.

A ``notest`` block is shown as a listing, not run. Nothing is kept by hand in a second
copy.

Notebooks are executed with a Jupyter kernel at build time, several at once (the one
with the solutions, when there are any; the other takes its outputs), and an executed
notebook is cached under ``.cache/notebooks`` by a key covering its content, every
file it was made from (the page, included files, every project module they import)
and the library versions, so a build without source changes executes nothing. A cell
that raises fails the build (``allow_errors=False``).
"""

from __future__ import annotations

import asyncio
import base64
import concurrent.futures
import copy
import itertools
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import nbformat
from markdown.extensions.toc import slugify

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
from site_build import version_ranges
from site_build.figures import DrawnFigure, drawn_figures
from site_build.generated_markdown import (
    TORCH_VERSION,
    check_markers,
    expand_markers,
)
from site_build.lesson_code import CHECK, OUTPUT, split_lesson_code
from site_build.progress import Progress, heartbeat
from site_build.specification import asserted_behaviours, behaviour_ids

CACHE_DIR = Path(".cache") / "notebooks"
NOTEBOOK_FOLDER = "notebooks"  # where the site serves the rendered notebooks
DOWNLOADS_FOLDER = "downloads"  # where the site offers notebooks for download
SOLUTIONS_SUFFIX = "-solutions"
CELL_TIMEOUT_SECONDS = 300
# Cell tags. "skip-execution" is nbclient's: the build's kernel does not run that cell.
INSTALL_TAGS = ["install", "skip-execution"]
CHECK_TAG = "check"
SOLUTION_TAG = "solution"
# A box the page shows folded (``???``, e.g. "Going deeper"): its title cell and the
# cells of its body. The rendered notebook page folds them again (fold_cells).
FOLD_TITLE_TAG = "fold-title"
FOLDED_TAG = "folded"
_SOLUTION_TITLE = re.compile(r"^solution\b", re.IGNORECASE)
_CONTAINER = re.compile(
    r"^(?P<marker>"
    + "|".join(re.escape(m) for m in CONTAINER_MARKERS)
    + r')\s+(?P<kind>[\w-]*)\s*(?:"(?P<title>[^"]*)")?'
)
_PAGE_LINK = re.compile(
    r"\]\((?!https?://)(?P<page>[\w./-]+)\.md(?P<anchor>#[\w-]*)?\)"
)
_HEADING = re.compile(r"^#{1,6} ")
_ATTRIBUTES = re.compile(r"\{[:.#][^}]*\}")  # attr_list syntax such as { .md-button }
# A sentence that points into the repository: "In the repository it is `snippets/...`".
_REPOSITORY = re.compile(r"\brepositor(?:y|ies)\b|\bsnippets[/.]\w", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?:])\s+(?=[A-Z`*_\[(])")


def notebook_name(page: str | Path) -> str:
    """A page's notebook name, from its path under docs/: ``a/b.md`` -> ``a-b``."""
    return Path(page).with_suffix("").as_posix().replace("/", "-")


def solutions_name(name: str) -> str:
    """The name of the solutions notebook of the notebook ``name``."""
    return f"{name}{SOLUTIONS_SUFFIX}"


@dataclass(frozen=True)
class CodeCell:
    """A notebook code cell made from part of a page's block."""

    kind: str  # "lesson" or "check"
    source: str  # what the cell holds
    shown: (
        str  # the same with the '# >' lines under its statements, as the tests compare
    )
    lines: tuple[
        int, ...
    ]  # the lines of the block's code that ``shown`` holds (from 1)


def block_cells(code: str) -> list[CodeCell]:
    """A block's code as notebook cells: lesson code and checks apart, no '# >' lines.

    The split is site_build.lesson_code's. Each check at the top level of the block is a
    cell of its own at its place; a check inside a statement (a loop, a function) stays
    in that statement's cell. Blank lines at a cell's ends are dropped.
    """
    kinds: dict[int, str] = {}  # line -> CHECK or OUTPUT, for the lines that leave
    for part in split_lesson_code(code).parts:
        if part.kind == CHECK and part.text[:1].isspace():
            continue  # nested: it runs inside its statement, so it stays there
        for offset in range(len(part.text.splitlines())):
            kinds[part.first + offset] = part.kind
    cells: list[CodeCell] = []
    kind = "lesson"
    lines: list[tuple[int, str, bool]] = []  # (number, text, is output)

    def close() -> None:
        while lines and not lines[-1][1].strip():
            lines.pop()
        while lines and not lines[0][1].strip():
            lines.pop(0)
        if any(not output for _, _, output in lines):
            cells.append(
                CodeCell(
                    kind,
                    "\n".join(text for _, text, output in lines if not output),
                    "\n".join(text for _, text, _ in lines),
                    tuple(number for number, _, _ in lines),
                )
            )

    for number, line in enumerate(code.splitlines(), start=1):
        line_kind = "check" if kinds.get(number) == CHECK else "lesson"
        if kinds.get(number) != OUTPUT and line_kind != kind and line.strip():
            close()  # a blank line or an output line does not start a cell
            kind, lines = line_kind, []
        lines.append((number, line.rstrip(), kinds.get(number) == OUTPUT))
    close()
    return cells


@dataclass(frozen=True)
class PageNotebook:
    page: Path
    name: str  # e.g. "autograd"
    notebook: nbformat.NotebookNode  # the learner's: without the exercises' solutions
    solutions: nbformat.NotebookNode | None = None  # the same with them, if it has any
    sources: tuple[
        Path, ...
    ] = ()  # the page, every file it includes, every project module those import
    root: Path | None = None

    @property
    def executed_notebook(self) -> nbformat.NotebookNode:
        """The notebook the build executes: the one with every cell.

        The other takes its outputs (``with_outputs``).
        """
        return self.solutions if self.solutions is not None else self.notebook

    def content(self) -> str:
        return nbformat.writes(self.notebook) + (
            nbformat.writes(self.solutions) if self.solutions is not None else ""
        )

    def cache_key(self, torch_version: str) -> str:
        """Changes with the notebooks, any of their source files (imported modules
        included), the libraries, and what executes them (executor_inputs)."""
        return cache_key(
            torch_version,
            library_versions("torch", "numpy", "matplotlib", "nbclient", "ipykernel"),
            self.content(),
            *executor_inputs(),
            files=self.sources,
            root=self.root,
        )

    def executed_problem(self, folder: Path) -> str | None:
        """Why a cached entry is not these notebooks, the executed one run to its end
        (every cell the kernel runs has run, none raised), or None."""
        stored = [(folder / NOTEBOOK_FOLDER / f"{self.name}.ipynb", self.notebook)]
        if self.solutions is not None:
            name = solutions_name(self.name)
            stored.append((folder / DOWNLOADS_FOLDER / f"{name}.ipynb", self.solutions))
        for path, ours in stored:
            try:
                cached = nbformat.read(path, as_version=4)
            except (OSError, ValueError) as error:
                return f"{path.name} cannot be read ({error})"
            if [(c.cell_type, c.source) for c in cached.cells] != [
                (c.cell_type, c.source) for c in ours.cells
            ]:
                return f"{path.name}: its cells are not the page's"
        for cell in cached.cells:  # (the executed one is the last)
            skipped = "skip-execution" in cell.get("metadata", {}).get("tags", [])
            if (
                cell.cell_type == "code"
                and not skipped
                and (
                    cell.get("execution_count") is None
                    or any(out.get("output_type") == "error" for out in cell.outputs)
                )
            ):
                return f"{path.name}: cell {cell.get('id')} did not run, or raised"
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


def _flatten_containers(
    lines: list[str],
) -> tuple[list[str], list[bool], list[str | None]]:
    """The page's lines with Material's containers (admonitions, tabs) as bold titles.

    A container body loses its indentation, so Jupyter does not read it as an indented
    code block. Line for line (the result has as many lines), over the whole page: a
    code block inside a tab interrupts the prose, not the container. With, for each
    line, whether it is part of an exercise's solution (``???`` titled "Solution"),
    and whether it is the title (FOLD_TITLE_TAG) or the body (FOLDED_TAG) of another
    box the page shows folded (``???``), or neither (None).
    """
    out, solution, fold = [], [], []
    # each open container: its body's indentation, solution, folded
    bodies: list[tuple[int, bool, bool]] = []
    for line in lines:
        indent = len(line) - len(line.lstrip(" "))
        while bodies and line.strip() and indent < bodies[-1][0]:
            bodies.pop()
        text = line[bodies[-1][0] :] if bodies else line
        inside = any(is_solution for _, is_solution, _ in bodies)
        folded = any(is_folded for _, _, is_folded in bodies)
        state = FOLDED_TAG if folded else None
        match = _CONTAINER.match(text)
        if match:
            title = match["title"] or match["kind"].capitalize()
            opens_solution = match["marker"].startswith("???") and bool(
                _SOLUTION_TITLE.match(title)
            )
            opens_fold = match["marker"] == "???" and not opens_solution
            out.append(f"**{title}**")
            bodies.append((indent + BODY_INDENT, opens_solution, opens_fold))
            inside = inside or opens_solution
            if opens_fold and not folded:
                state = FOLD_TITLE_TAG
        else:
            out.append(text)
        solution.append(inside)
        fold.append(None if inside else state)
    return out, solution, fold


def _plain_headings(markdown: str) -> str:
    """Headings without code spans: mkdocs-jupyter's table of contents drops code from a
    heading (``## `StepLR`: ...`` would become ": ...", and a heading that is all code
    an empty, unnamed link)."""
    lines = markdown.split("\n")
    return "\n".join(
        line.replace("`", "") if not fenced and _HEADING.match(line) else line
        for line, fenced in zip(lines, fenced_lines(lines))
    )


def _without_repository(markdown: str) -> str:
    """The prose without the sentences that point into the project's repository.

    A notebook reader has only the notebook: "In the repository the same code is
    `snippets/...`, runnable as ..." is left out, with the rest of its paragraph kept
    (reflowed on one line).
    """
    lines = markdown.split("\n")
    out: list[str] = []
    paragraph: list[str] = []

    def close() -> None:
        if paragraph:
            text = "\n".join(paragraph)
            if _REPOSITORY.search(text):
                sentences = _SENTENCE_END.split(" ".join(text.split()))
                text = " ".join(s for s in sentences if not _REPOSITORY.search(s))
            if text:
                out.append(text)
            paragraph.clear()

    for line, fenced in zip(lines, fenced_lines(lines)):
        if fenced or not line.strip() or line.lstrip().startswith(("|", "<", "$$")):
            close()
            out.append(line)
        else:
            paragraph.append(line)
    close()
    return "\n".join(out)


def _notebook_markdown(markdown: str, site_url: str, page_url: str) -> str:
    """Links to other pages point at the published site; attr_list attributes go."""
    markdown = _without_repository(_plain_headings(markdown.strip("\n")))
    markdown = _PAGE_LINK.sub(
        lambda m: f"]({_page_url(site_url, m['page'], page_url)}{m['anchor'] or ''})",
        markdown,
    )
    return _ATTRIBUTES.sub("", markdown).strip("\n")


def _page_url(site_url: str, page: str, from_url: str) -> str:
    target = os.path.normpath(os.path.join(os.path.dirname(from_url), page))
    return site_url.rstrip("/") + "/" + ("" if target == "index" else f"{target}/")


# A cell that draws needs matplotlib in the reader's environment too.
_DRAWS = re.compile(r"^\s*(?:import|from)\s+matplotlib\b", re.MULTILINE)
_ATTACHMENT = re.compile(r"\(attachment:(?P<name>[^)\s]+)\)")


def oldest_torch(project: DocsProject, page: Path, torch_version: str) -> str:
    """The oldest torch release (``2.7``) from which every check of ``page`` holds.

    From ``make matrix``'s measurements (site_build.version_ranges), on the releases up
    to the one the site is verified with; that one's minor release when none is.
    """
    matrix = version_ranges.load_matrix(project.root)
    verified = version_ranges.release(torch_version)
    releases = [r for r in matrix.releases if version_ranges.release(r) <= verified]
    ids = behaviour_ids(
        project.relative(page).as_posix(),
        [b.description for b in asserted_behaviours(project, page)],
    )
    oldest = version_ranges.short(torch_version)
    for release in reversed(releases):  # newest first: stop at the first one that fails
        if not all(matrix.column(i).get(release) == "held" for i in ids):
            break
        oldest = version_ranges.short(release)
    return oldest


def _install_cell(packages: str) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(
        "# What this notebook needs; where it is installed, this changes nothing.\n"
        f"%pip install --quiet {packages}"
    )
    cell.metadata["tags"] = list(INSTALL_TAGS)
    return cell


def _header(
    relative: str, page_link: str, torch_version: str, solutions: str | None
) -> str:
    text = (
        f"*Generated from the page [{relative}]({page_link}) of Torch Fundamentals, "
        f"verified with PyTorch {torch_version}. Run the cells from the top: the first "
        "installs what the notebook needs. The cells tagged `check` (folded in "
        "JupyterLab) check what the page states, and print nothing while it holds: "
        "run them with the others.*"
    )
    if solutions is None:
        return text
    return text + (
        f"\n\n*The exercises' solutions are in `{solutions}.ipynb`, the same notebook "
        "with them.*"
    )


def _solutions_header(relative: str, page_link: str, torch_version: str) -> str:
    return (
        _header(relative, page_link, torch_version, None)
        + "\n\n*This copy includes the exercises' solutions, tagged `solution`.*"
    )


def _placeholder(download: str, exercise_link: str) -> str:
    name = download.rsplit("/", 1)[-1]
    return (
        "**Solution**: try it first. The solution is in the solutions notebook, "
        f"[`{name}`]({download}), and folded under this exercise on "
        f"[the page]({exercise_link})."
    )


def _section_link(page_link: str, lines: list[str], line: int) -> str:
    """The page's link to the section that line ``line`` (0-based) is in."""
    for text, fenced in reversed(
        list(zip(lines[: line + 1], fenced_lines(lines[: line + 1])))
    ):
        if not fenced and text.startswith("## "):
            return f"{page_link}#{slugify(_ATTRIBUTES.sub('', text[3:]).strip(), '-')}"
    return page_link


def _fence(code: str, language: str = "python") -> str:
    return f"```{language}\n{code.strip(chr(10))}\n```"


@dataclass
class _Item:
    kind: str  # "markdown", "lesson" or "check"
    text: str
    solution: bool
    line: int  # 0-based line of the page where it starts
    fold: str | None = None  # FOLD_TITLE_TAG, FOLDED_TAG or None


def page_notebook(
    project: DocsProject,
    page: Path,
    site_url: str,
    torch_version: str,
    *,
    figures: Mapping[str, DrawnFigure] | None = None,
    nav: Callable[[], list] = list,
) -> PageNotebook | None:
    """The notebooks of ``page``, made of what it renders (None: no executable Python).

    Its markers become what the page shows (site_build.generated_markdown), with each
    figure as a PNG attachment from ``figures`` (by default, those the build's figure
    step drew); ``nav`` is mkdocs' nav, for a Specification marker. Include lines in
    prose are expanded like the site does.
    """
    if figures is None:
        figures = drawn_figures(project.root, torch_version)
    check_markers(
        page.read_text(encoding="utf-8"),
        figures,
        project.relative(page).as_posix(),
        project.root,
    )
    text = TORCH_VERSION.sub(torch_version, page.read_text(encoding="utf-8"))
    blocks = find_python_blocks(page, text)
    if not any(not block.skipped for block in blocks):
        return None
    source_lines = text.splitlines()
    lines, in_solution, in_fold = _flatten_containers(source_lines)
    relative = page.relative_to(project.docs_dir).with_suffix("").as_posix()
    name = notebook_name(relative)
    expander = SnippetExpander(project)
    inputs: set[Path] = {page.resolve()}
    codes: list[str] = []
    items: list[_Item] = []

    def prose(start: int, end: int) -> None:
        """Lines ``start`` to ``end`` (0-based, end excluded): a cell per run in or out
        of a solution, and of a folded box's title or body."""
        for (solution, fold), numbers in itertools.groupby(
            range(start, end), key=lambda number: (in_solution[number], in_fold[number])
        ):
            run = list(numbers)
            chunk, included = _expand_prose_includes(
                expander, [lines[number] for number in run]
            )
            inputs.update(included)
            generated = expand_markers(
                "\n".join(chunk), project, nav, page, figures, for_notebook=True
            )
            markdown = _notebook_markdown(generated, site_url, relative)
            if markdown.strip():
                items.append(_Item("markdown", markdown, solution, run[0], fold))

    cursor = 0
    for block in blocks:
        prose(cursor, block.line - 1)
        cursor = block.end_line
        solution = in_solution[block.line - 1]
        fold = in_fold[block.line - 1]
        if block.skipped:  # shown, never run: a code listing in a markdown cell
            listing, included = _expand_prose_includes(
                expander, block.content.splitlines()
            )
            inputs.update(included)
            items.append(
                _Item(
                    "markdown",
                    _fence("\n".join(listing)),
                    solution,
                    block.line - 1,
                    fold,
                )
            )
            continue
        expanded = expander.expand(block)
        inputs.update(project.root / origin.path for origin in expanded.origins)
        codes.append(expanded.code)
        items.extend(
            _Item(cell.kind, cell.source, solution, block.line - 1, fold)
            for cell in block_cells(expanded.code)
        )
    prose(cursor, len(lines))

    packages = f'"torch>={oldest_torch(project, page, torch_version)}" numpy'
    if any(_DRAWS.search(code) for code in codes):
        packages += " matplotlib"
    page_link = _page_url(site_url, relative, relative)
    has_solutions = any(item.solution for item in items)
    cells = [_item_cell(item, figures) for item in items]
    for index, cell in enumerate(cells):
        cell["id"] = (
            f"{name}-{index}"  # stable: same page, same notebook, same cache key
        )
    learner = [_install_cell(packages)]
    learner.append(
        nbformat.v4.new_markdown_cell(
            _header(
                relative,
                page_link,
                torch_version,
                solutions_name(name) if has_solutions else None,
            )
        )
    )
    download = f"{site_url.rstrip('/')}/{DOWNLOADS_FOLDER}/{solutions_name(name)}.ipynb"
    for number, (solution, run) in enumerate(
        itertools.groupby(zip(items, cells), key=lambda pair: pair[0].solution)
    ):
        if not solution:
            learner.extend(cell for _, cell in run)
            continue
        first = next(run)[0].line
        placeholder = nbformat.v4.new_markdown_cell(
            _placeholder(download, _section_link(page_link, source_lines, first))
        )
        placeholder["id"] = f"{name}-solution-{number}"
        learner.append(placeholder)
    solutions = None
    if has_solutions:
        solutions = _notebook(
            [
                _install_cell(packages),
                nbformat.v4.new_markdown_cell(
                    _solutions_header(relative, page_link, torch_version)
                ),
                *cells,
            ],
            name,
        )
    sources = source_closure(sorted(inputs), project.root, codes)
    return PageNotebook(
        page, name, _notebook(learner, name), solutions, tuple(sources), project.root
    )


def _item_cell(
    item: _Item, figures: Mapping[str, DrawnFigure]
) -> nbformat.NotebookNode:
    if item.kind == "markdown":
        cell = nbformat.v4.new_markdown_cell(item.text)
        for attachment in dict.fromkeys(
            match["name"] for match in _ATTACHMENT.finditer(item.text)
        ):
            drawing = figures[attachment.removesuffix(".png")].png
            cell["attachments"] = {
                **cell.get("attachments", {}),
                attachment: {"image/png": base64.b64encode(drawing).decode()},
            }
    else:
        cell = nbformat.v4.new_code_cell(item.text)
    tags = [CHECK_TAG] if item.kind == "check" else []
    if item.solution:
        tags.append(SOLUTION_TAG)
    if item.fold:
        tags.append(item.fold)
    if tags:
        cell.metadata["tags"] = tags
    if item.kind == "check":
        cell.metadata["jupyter"] = {"source_hidden": True}
    return cell


def _notebook(cells: list, name: str) -> nbformat.NotebookNode:
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    notebook.metadata["language_info"] = {"name": "python"}
    cells[0]["id"] = f"{name}-install"
    cells[1]["id"] = f"{name}-header"
    return notebook


def _expand_prose_includes(
    expander: SnippetExpander, chunk: list[str]
) -> tuple[list[str], set[Path]]:
    """Prose lines with pymdownx.snippets' include lines replaced, as the site does."""
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


async def _execute(notebook: nbformat.NotebookNode, cwd: Path) -> nbformat.NotebookNode:
    from jupyter_client.manager import (
        AsyncKernelManager,
    )  # imported only when a notebook must run
    from nbclient import NotebookClient

    executed = copy.deepcopy(notebook)
    sockets = tempfile.mkdtemp(prefix="notebook-kernel-")
    # Local (ipc) sockets in a temporary folder: no TCP port, and no kernel-ipc-* files
    # in the project.
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
            client.kc.stop_channels()  # close its sockets now, not when collected
        # We own the kernel manager, so nbclient leaves its shutdown to us.
        await kernel.shutdown_kernel()
        shutil.rmtree(sockets, ignore_errors=True)
    return executed


def execute_notebook(notebook: PageNotebook, cwd: Path) -> nbformat.NotebookNode:
    """The page's notebook run top to bottom in a fresh Jupyter kernel, in ``cwd``.

    What the build executes: the notebook with the exercises' solutions when the page
    has any (``PageNotebook.executed_notebook``); returns an executed copy. No cache and
    no parallelism (``execute_all`` is the build's, with both). A cell that raises
    raises here (nbclient's ``CellExecutionError``, naming the cell).
    """
    return _run_to_completion(lambda: _execute(notebook.executed_notebook, Path(cwd)))


def with_outputs(
    notebook: nbformat.NotebookNode, executed: nbformat.NotebookNode
) -> nbformat.NotebookNode:
    """A copy of ``notebook`` with the outputs of its cells' namesakes in ``executed``.

    Execution counts are numbered again from 1, in the copy's order.
    """
    ran = {cell["id"]: cell for cell in executed.cells if cell.cell_type == "code"}
    result = copy.deepcopy(notebook)
    count = 0
    for cell in result.cells:
        if cell.cell_type != "code" or cell["id"] not in ran:
            continue
        source = ran[cell["id"]]
        cell.outputs = copy.deepcopy(source.outputs)
        if source.execution_count is None:
            continue
        count += 1
        cell.execution_count = count
        for output in cell.outputs:
            if "execution_count" in output:
                output["execution_count"] = count
    return result


@dataclass(frozen=True)
class ExecutedNotebook:
    notebook: (
        Path  # <cache entry>/notebooks/<name>.ipynb: the site renders it, offers it
    )
    solutions: Path | None  # <cache entry>/downloads/<name>-solutions.ipynb, if any


def execute_all(
    notebooks: list[PageNotebook],
    root: Path,
    torch_version: str,
    progress: Progress | None = None,
) -> dict[str, ExecutedNotebook]:
    """Executed copies of ``notebooks`` (by name), from the cache if no input changed.

    Each executed notebook is written into a private folder and renamed to its key
    when complete (build_cache.ContentCache), so a killed build never leaves a
    cache entry that a later build would trust. ``progress`` is told how many come
    from the cache and, as each of the others completes, "notebook 3 of 10 ...".
    """
    cache = ContentCache(root / CACHE_DIR)
    keys = {nb.name: nb.cache_key(torch_version) for nb in notebooks}
    # <cache>/<key>/notebooks/<name>.ipynb: the part after <key> is the site's path.
    files = {
        nb.name: [f"{NOTEBOOK_FOLDER}/{nb.name}.ipynb"]
        + (
            [f"{DOWNLOADS_FOLDER}/{solutions_name(nb.name)}.ipynb"]
            if nb.solutions is not None
            else []
        )
        for nb in notebooks
    }
    missing = [
        nb
        for nb in notebooks
        if cache.lookup(keys[nb.name], files[nb.name], check=nb.executed_problem)
        is None
    ]
    at_once = os.cpu_count() or 1
    if progress and notebooks:
        progress(
            f"notebooks: {len(notebooks) - len(missing)} of {len(notebooks)} unchanged"
            + (
                f", executing {len(missing)} in Jupyter kernels, {at_once} at a time"
                if missing
                else ""
            )
        )

    done: list[str] = []
    running: list[str] = []

    async def run_missing():
        limit = asyncio.Semaphore(at_once)

        async def run(nb: PageNotebook) -> nbformat.NotebookNode:
            async with limit:
                started = time.perf_counter()
                running.append(nb.name)
                try:
                    return await _execute(nb.executed_notebook, root)
                finally:
                    running.remove(nb.name)
                    done.append(nb.name)
                    if progress:
                        progress(
                            f"notebook {len(done)} of {len(missing)} executed: "
                            f"{nb.name} ({time.perf_counter() - started:.0f} s)"
                        )

        # Every notebook runs to its end (or its error): one page's failure does not
        # kill the others' kernels.
        return await asyncio.gather(
            *(run(nb) for nb in missing), return_exceptions=True
        )

    def still() -> str:
        return (
            f"notebooks: {len(done)} of {len(missing)} executed, "
            f"running {', '.join(list(running))}"
        )

    with heartbeat(progress if missing else None, still):
        results = _run_to_completion(run_missing) if missing else []
    failures = []
    for nb, executed in zip(missing, results):
        if isinstance(executed, BaseException):
            page = (
                nb.page.relative_to(root) if nb.page.is_relative_to(root) else nb.page
            )
            failures.append(
                f"{page}: its notebook failed in the build's Jupyter kernel:\n"
                + _ANSI.sub("", str(executed))
            )
            continue

        def write(
            folder: Path,
            nb: PageNotebook = nb,
            executed: nbformat.NotebookNode = executed,
        ) -> None:
            learner, *solutions = files[nb.name]
            (folder / learner).parent.mkdir()
            nbformat.write(with_outputs(nb.notebook, executed), folder / learner)
            for path in solutions:
                (folder / path).parent.mkdir()
                nbformat.write(executed, folder / path)

        cache.store(keys[nb.name], write)  # the good ones are kept for the next build
    if failures:
        raise NotebookError("\n\n".join(failures))
    cache.evict_unused()  # what no current notebook uses
    return {
        nb.name: ExecutedNotebook(
            cache.path(keys[nb.name]) / files[nb.name][0],
            cache.path(keys[nb.name]) / files[nb.name][1]
            if len(files[nb.name]) > 1
            else None,
        )
        for nb in notebooks
    }


def _run_to_completion(make_coroutine):
    """``asyncio.run`` of it, in a thread of its own if this one runs an event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(make_coroutine())
    with concurrent.futures.ThreadPoolExecutor(
        max_workers=1
    ) as pool:  # e.g. beside Playwright's sync API
        return pool.submit(lambda: asyncio.run(make_coroutine())).result()


class NotebookError(RuntimeError):
    """A page's notebook raised when the build ran it (the message names page, cell)."""


_ANSI = re.compile(r"\x1b\[[0-9;]*m")
