"""The build caches (.cache/notebooks, .cache/figures, build_cache.ContentCache).

Complete keys, atomic writes, figures as modules of their own, notebooks made of the
page for a learner, the progress a cold build reports.

These run on throw-away projects, without the built site.
"""

from __future__ import annotations

import concurrent.futures
import gc
import os
import sys
import textwrap
import time
from pathlib import Path

import nbformat
import pytest

from executable_docs.build_cache import (
    MANIFEST,
    PARTIAL_PREFIX,
    ContentCache,
    atomic_folder,
    source_closure,
)
from executable_docs.project import load_project
from site_build import figures, notebooks, progress, version_ranges
from tests.docs_fixture import MKDOCS_YML as FIXTURE_MKDOCS_YML

# The harness's fixture project, with the site_url that notebooks' links need.
MKDOCS_YML = FIXTURE_MKDOCS_YML.replace(
    "docs_dir: docs", "site_url: https://example.org/fixture/\ndocs_dir: docs"
)

HELPER = """\
import torch


def make(n):
    return torch.arange(n, dtype=torch.float32)
"""

EXAMPLE = """\
# --8<-- [start:imports]
import torch
from fixture_helper import make
# --8<-- [end:imports]

# --8<-- [start:main]
x = make(3)
print(x.sum().item())
# > 3.0
# Spec: the helper's first three numbers add up to 3
assert x.sum().item() == 3.0

y = x * 2
# --8<-- [end:main]

# --8<-- [start:solution]
print(y.sum().item())
# > 6.0
# --8<-- [end:solution]
"""

PAGE = """\
# Fixture

## `make`: the helper

A table:

| a | b |
| --- | --- |
| 1 | 2 |

``` python
--8<-- "snippets/demo/example.py:imports"
--8<-- "snippets/demo/example.py:main"
```

<!-- figure: demo -->

=== "Full script"

    Prose in a tab, before a block. In the repository it is
    `snippets/demo/example.py`, runnable as `python -m snippets.demo.example`:

    ``` python
    --8<-- "snippets/demo/example.py:main"
    ```

    Prose in the tab after the block.

## Exercises

**1. Doubled.** What is the sum of `y`?

??? success "Solution"

    Twice the sum of `x`.

    ``` python
    --8<-- "snippets/demo/example.py:solution"
    ```
"""


def write(root: Path, relative: str, text: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture
def fixture_project(tmp_path):
    write(tmp_path, "mkdocs.yml", MKDOCS_YML)
    write(tmp_path, "snippets/__init__.py", "")
    write(tmp_path, "snippets/demo/__init__.py", "")
    write(tmp_path, "fixture_helper.py", HELPER)
    write(tmp_path, "snippets/demo/example.py", EXAMPLE)
    write(tmp_path, "docs/page.md", PAGE)
    load_project.cache_clear()
    yield load_project(tmp_path / "mkdocs.yml")
    load_project.cache_clear()


DEMO_FIGURE = figures.DrawnFigure(
    figures.Figure(
        "demo", Path("demo.py"), "snippets/demo/example.py", "The caption.", print, str
    ),
    alt="A demo figure",
    svgs={},
    png=b"\x89PNG fake",
)


def _notebook(project, known=None):
    return notebooks.page_notebook(
        project,
        project.docs_dir / "page.md",
        project.site_url,
        "9.9.9",
        figures={"demo": DEMO_FIGURE} if known is None else known,
    )


def _cells(notebook) -> list[tuple[str, str, list[str]]]:
    return [
        (cell.cell_type, cell.source, cell.metadata.get("tags", []))
        for cell in notebook.cells
    ]


def test_a_notebook_has_the_pages_tables_figures_and_lesson_code_and_no_markers(
    fixture_project,
):
    notebook = _notebook(fixture_project).notebook
    cells = _cells(notebook)
    text = "\n".join(source for _, source, _ in cells)
    kind, install, tags = cells[0]
    assert kind == "code" and tags == ["install", "skip-execution"], (
        "the first cell installs; the build's kernel skips it"
    )
    assert install.splitlines()[-1] == '%pip install --quiet "torch>=9.9" numpy', (
        "no matrix data: torch from the release the site is verified with"
    )
    assert "pip install -e" not in text
    assert "| --- | --- |" in text, "the page's table"
    assert "## make: the helper" in text, (
        "no code span in a heading (mkdocs-jupyter's TOC would drop it)"
    )
    assert "--8<--" not in text and "<!-- figure" not in text
    (with_image,) = [cell for cell in notebook.cells if "attachments" in cell]
    assert (
        "![A demo figure](attachment:demo.png)\n\n*The caption.*" in with_image.source
    )
    assert with_image.attachments == {"demo.png": {"image/png": "iVBORyBmYWtl"}}
    code = [(source, tags) for kind, source, tags in cells[1:] if kind == "code"]
    lesson = "x = make(3)\nprint(x.sum().item())"
    check = (
        "# Spec: the helper's first three numbers add up to 3\n"
        "assert x.sum().item() == 3.0"
    )
    assert code == [
        (f"import torch\nfrom fixture_helper import make\n{lesson}", []),
        (check, ["check"]),
        ("y = x * 2", []),
        (lesson, []),
        (check, ["check"]),
        ("y = x * 2", []),
    ], "lesson code, its check in a cell of its own, lesson code: no '# >' line"
    checks = [
        cell for cell in notebook.cells if "check" in cell.metadata.get("tags", [])
    ]
    assert all(cell.metadata["jupyter"] == {"source_hidden": True} for cell in checks)
    tab = next(
        source
        for kind, source, _ in cells
        if kind == "markdown" and "before a block" in source
    )
    assert tab.endswith("**Full script**\n\nProse in a tab, before a block."), (
        "the sentence pointing into the repository is left out, the rest kept"
    )
    after = next(
        source
        for kind, source, _ in cells
        if kind == "markdown" and "after the block" in source
    )
    assert after.startswith("Prose in the tab after the block."), (
        "a tab's prose after a block is not an indented code block"
    )
    assert "snippets/" not in text and "repository" not in text


def test_the_solutions_are_in_a_notebook_of_their_own_that_the_learners_points_to(
    fixture_project,
):
    page = _notebook(fixture_project)
    learner, solutions = _cells(page.notebook), _cells(page.solutions)
    text = "\n".join(source for _, source, _ in learner)
    assert "Twice the sum" not in text and "print(y.sum().item())" not in text
    (pointer,) = [source for _, source, _ in learner if "**Solution**" in source]
    assert "(https://example.org/fixture/downloads/page-solutions.ipynb)" in pointer
    assert "page-solutions.ipynb" in learner[1][1], "the header says where they are"
    assert [cell for cell in solutions if "solution" in cell[2]] == [
        ("markdown", "**Solution**\n\nTwice the sum of `x`.", ["solution"]),
        ("code", "print(y.sum().item())", ["solution"]),
    ]
    shared = [c["id"] for c in page.solutions.cells[2:] if "tags" not in c.metadata]
    assert shared == [
        c["id"]
        for c in page.notebook.cells[2:]
        if "tags" not in c.metadata and "**Solution**" not in c.source
    ], "the same cells, with the same ids, apart from the solutions"


def test_a_block_becomes_lesson_and_check_cells_with_nested_checks_kept_in_place():
    code = (
        "a = 1\nprint(a)\n# > 1\n\n"
        "# Spec: one is one\n#       (really)\nassert a == 1\n"
        "for b in (1, 2):\n    print(b)\n    # Spec: b is small\n    assert b < 3\n"
        "# > 1\n# > 2\n"
    )
    cells = notebooks.block_cells(code)
    assert [(c.kind, c.source) for c in cells] == [
        ("lesson", "a = 1\nprint(a)"),
        ("check", "# Spec: one is one\n#       (really)\nassert a == 1"),
        (
            "lesson",
            "for b in (1, 2):\n    print(b)\n    # Spec: b is small\n    assert b < 3",
        ),
    ]
    assert [c.shown.count("# > ") for c in cells] == [1, 0, 2]
    assert cells[0].lines == (1, 2, 3) and cells[2].lines[-1] == 13


def test_the_install_cell_asks_for_the_oldest_torch_on_which_every_check_holds(
    fixture_project,
):
    root = fixture_project.root
    behaviour = "docs/page.md: the helper's first three numbers add up to 3"
    for release, status in [
        ("2.5.1", "failed"),
        ("2.6.0", "held"),
        ("2.7.1", "held"),
        ("9.10.0", "failed"),  # newer than the verified release: not counted
    ]:
        path = root / f"matrix/results/torch-{release}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        version_ranges.write_result(  # the parts of a result the site reads
            path,
            {
                "format": version_ranges.FORMAT,
                "torch": release,
                "behaviours": {behaviour: status},
                "notes": {},
                "pages": {
                    "docs/page.md": {
                        "date": "2026-01-01 00:00 UTC",
                        "output_differs": [],
                    }
                },
            },
        )
    assert notebooks.oldest_torch(fixture_project, root / "docs/page.md", "9.9.9") == (
        "2.6"
    )
    install = _notebook(fixture_project).notebook.cells[0].source
    assert install.endswith('%pip install --quiet "torch>=2.6" numpy')


def test_the_notebook_key_changes_with_an_imported_module_an_included_file_and_torch(
    fixture_project,
):
    root = fixture_project.root
    key = _notebook(fixture_project).cache_key("2.13.0")
    assert _notebook(fixture_project).cache_key("2.13.0") == key, (
        "stable for the same inputs"
    )
    assert _notebook(fixture_project).cache_key("2.14.0") != key, "torch version"
    write(root, "fixture_helper.py", HELPER.replace("arange(n", "arange(1, n + 1"))
    changed = _notebook(fixture_project).cache_key("2.13.0")
    assert changed != key, (
        "a module the shown code imports changed: the cached notebook is stale"
    )
    write(
        root, "snippets/demo/example.py", EXAMPLE + "\nprint('outside every section')\n"
    )
    assert _notebook(fixture_project).cache_key("2.13.0") != changed, (
        "an included file changed outside its sections"
    )


def test_the_source_closure_follows_imports_transitively(tmp_path):
    write(tmp_path, "snippets/__init__.py", "")
    write(tmp_path, "snippets/a.py", "from snippets.b import f\n")
    write(tmp_path, "snippets/b.py", "from . import c\nimport torch\n")
    write(tmp_path, "snippets/c.py", "")
    closure = source_closure([tmp_path / "snippets/a.py"], tmp_path)
    assert [p.relative_to(tmp_path.resolve()).as_posix() for p in closure] == [
        "snippets/__init__.py",
        "snippets/a.py",
        "snippets/b.py",
        "snippets/c.py",
    ]


TINY_FIGURE = """\
SNIPPET = "snippets/tiny.py"
CAPTION = "A tiny figure."


def draw(ns, ax, colours):
    ax.plot(ns["values"], color=colours["first"])


def describe(ns):
    return f"{len(ns['values'])} values"
"""


@pytest.fixture
def figure_root(tmp_path, monkeypatch):
    write(
        tmp_path,
        "snippets/tiny.py",
        "from fixture_values import VALUES\n\nvalues = list(VALUES)\n",
    )
    write(tmp_path, "fixture_values.py", "VALUES = (1, 3, 2)\n")
    write(tmp_path, "snippets/demo/figures/tiny.py", TINY_FIGURE)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "fixture_values", raising=False)
    yield tmp_path
    sys.modules.pop("fixture_values", None)


def test_a_figure_is_a_module_beside_its_content_named_as_the_marker_names_it(
    figure_root,
):
    write(
        figure_root,
        "snippets/demo/figures/two_words.py",
        TINY_FIGURE + "HEIGHT = 2.2\nGRID = False\n",
    )
    found = figures.discover(figure_root)
    assert sorted(found) == ["tiny", "two-words"]
    assert (found["tiny"].height, found["tiny"].grid) == (4, True), "the defaults"
    assert (found["two-words"].height, found["two-words"].grid) == (2.2, False), (
        "layout settings are data"
    )
    assert found["tiny"].module == figure_root / "snippets/demo/figures/tiny.py"


def test_a_figure_module_missing_a_definition_or_repeating_a_name_fails_naming_it(
    figure_root,
):
    write(figure_root, "snippets/other/figures/tiny.py", TINY_FIGURE)
    with pytest.raises(figures.FigureError, match="two figures named 'tiny'"):
        figures.discover(figure_root)
    write(
        figure_root,
        "snippets/other/figures/tiny.py",
        TINY_FIGURE.replace("CAPTION", "TITLE"),
    )
    with pytest.raises(
        figures.FigureError, match=r"snippets/other/figures/tiny.py: .*missing CAPTION"
    ):
        figures.discover(figure_root)
    write(
        figure_root,
        "snippets/other/figures/tiny.py",
        TINY_FIGURE.replace("tiny.py", "gone.py"),
    )
    with pytest.raises(
        figures.FigureError, match="SNIPPET 'snippets/gone.py' is no file"
    ):
        figures.discover(figure_root)


def test_a_marker_naming_no_figure_fails_the_build_naming_page_and_line(
    fixture_project,
):
    line = PAGE.splitlines().index("<!-- figure: demo -->") + 1
    with pytest.raises(
        ValueError, match=rf"^docs/page.md:{line}: no figure 'demo' \(known: other\)$"
    ):
        _notebook(fixture_project, known={"other": DEMO_FIGURE})


def test_figures_are_redrawn_when_a_module_their_snippet_imports_changes(figure_root):
    first = figures.draw_all(figure_root, "2.13.0")["tiny"]
    assert (
        first.alt == "3 values"
        and first.png.startswith(b"\x89PNG")
        and set(first.svgs) == set(figures.PALETTES)
    )
    write(figure_root, "fixture_values.py", "VALUES = (1, 3, 2, 5)\n")
    del sys.modules["fixture_values"]  # a new build is a new process
    assert figures.draw_all(figure_root, "2.13.0")["tiny"].alt == "4 values"
    assert len(list((figure_root / figures.CACHE_DIR).iterdir())) == 1, (
        "the stale drawing is evicted"
    )


def test_the_figure_step_reports_its_progress_and_the_extension_reads_what_it_drew(
    figure_root,
):
    write(figure_root, "snippets/demo/figures/other.py", TINY_FIGURE)
    told = []
    figures.draw_all(figure_root, "2.13.0", progress=told.append)
    assert told == [
        "figures: 0 of 2 unchanged, drawing 2",
        "figure 1 of 2: other (from a run of snippets/tiny.py)",
        "figure 2 of 2: tiny (from a run of snippets/tiny.py)",
    ]
    told.clear()
    drawn = figures.draw_all(figure_root, "2.13.0", progress=told.append)
    assert told == ["figures: 2 of 2 unchanged"], "a warm build draws nothing"
    cached = figures.drawn_figures(figure_root, "2.13.0")
    assert sorted(cached) == ["other", "tiny"]
    tiny = cached["tiny"]
    assert (tiny.alt, tiny.svgs, tiny.png) == (
        drawn["tiny"].alt,
        drawn["tiny"].svgs,
        drawn["tiny"].png,
    ), "read from the cache, as drawn"
    write(figure_root, "fixture_values.py", "VALUES = (1, 3, 2, 5)\n")
    with pytest.raises(
        figures.FigureError, match="'tiny' is not drawn for its current"
    ):
        figures.drawn_figures(figure_root, "2.13.0")["tiny"]


def test_a_long_step_says_what_is_still_running_until_it_is_done():
    told = []
    with progress.heartbeat(told.append, lambda: "figure 1 of 1: slow", every=0.05):
        time.sleep(0.3)
    assert told and all(line.startswith("figure 1 of 1: slow (") for line in told)
    count = len(told)
    time.sleep(0.2)
    assert len(told) == count, "silent once the step is done"


def test_changing_one_figures_module_redraws_that_figure_only(figure_root, monkeypatch):
    write(figure_root, "snippets/demo/figures/other.py", TINY_FIGURE)
    figures.draw_all(figure_root, "2.13.0")
    cache = figure_root / figures.CACHE_DIR
    before = {entry.name: entry.stat().st_ino for entry in cache.iterdir()}
    drawn = []
    render = figures._render
    monkeypatch.setattr(
        figures,
        "_render",
        lambda figure, *args: drawn.append(figure.name) or render(figure, *args),
    )
    write(
        figure_root,
        "snippets/demo/figures/other.py",
        TINY_FIGURE.replace('colours["first"]', 'colours["second"]'),
    )
    figures.draw_all(figure_root, "2.13.0")
    assert set(drawn) == {"other"}, "only the changed figure is drawn again"
    after = {entry.name: entry.stat().st_ino for entry in cache.iterdir()}
    (tiny,) = [name for name in before if name.startswith("tiny-")]
    assert after[tiny] == before[tiny], (
        "the unchanged figure's cache entry is the same folder"
    )
    assert len(after) == 2 and set(after) != set(before), (
        "the changed figure has a new key; its old entry is evicted"
    )


def test_a_killed_figure_build_leaves_nothing_that_a_later_build_reads(figure_root):
    tiny = figures.discover(figure_root)
    cache = figure_root / figures.CACHE_DIR
    key = figures.figure_key(tiny["tiny"], figure_root, "2.13.0")
    # What a build killed mid-drawing used to leave: the final folder with one file of
    # four, and what a killed build leaves now: a partial folder of a process that no
    # longer runs.
    write(figure_root, f"{figures.CACHE_DIR}/tiny-{key}/light.svg", "<svg/>")
    write(
        figure_root,
        f"{figures.CACHE_DIR}/{PARTIAL_PREFIX}999999999-0000-tiny-{key}/light.svg",
        "<svg/>",
    )
    drawn = figures.draw_all(figure_root, "2.13.0", tiny)["tiny"]
    assert drawn.alt == "3 values"
    assert sorted(entry.name for entry in cache.iterdir()) == [f"tiny-{key}"]
    assert sorted(path.name for path in (cache / f"tiny-{key}").iterdir()) == sorted(
        [*figures.CACHED_FILES, MANIFEST]
    )


def test_a_drawing_that_fails_half_way_writes_no_cache_entry(figure_root):
    write(
        figure_root,
        "snippets/demo/figures/tiny.py",
        TINY_FIGURE.replace(
            "def draw(ns, ax, colours):\n",
            'def draw(ns, ax, colours):\n    if colours["text"] == "#e2e4e9":  # dark\n'
            '        raise RuntimeError("killed")\n',
        ),
    )
    with pytest.raises(RuntimeError, match="killed"):
        figures.draw_all(figure_root, "2.13.0")
    assert list((figure_root / figures.CACHE_DIR).iterdir()) == []


def test_a_content_cache_builds_an_entry_once_and_evicts_what_the_run_did_not_use(
    tmp_path,
):
    built = []

    def build(text):
        return lambda folder: (
            built.append(text) or (folder / "result.txt").write_text(text)
        )

    first = ContentCache(tmp_path / "results")
    a = first.entry("key-a", build("a"), files=["result.txt"])
    b = first.entry("key-b", build("b"), files=["result.txt"], label="named")
    assert (a.name, b.name) == ("key-a", "named-key-b") and built == ["a", "b"]
    first.evict_unused()
    second = ContentCache(tmp_path / "results")  # the next run
    assert second.entry(
        "key-a", build("again"), files=["result.txt"]
    ) == a and built == ["a", "b"], "reused"
    assert (a / "result.txt").read_text() == "a"
    other = ContentCache(
        tmp_path / "other"
    )  # another user's entries, in a folder of its own
    other.entry("key-b", build("other"))
    second.evict_unused()
    assert sorted(p.name for p in (tmp_path / "results").iterdir()) == ["key-a"], (
        "unused in this run: evicted"
    )
    assert [p.name for p in (tmp_path / "other").iterdir()] == ["key-b"], (
        "eviction stays in its own folder"
    )


def test_a_content_cache_keeps_what_other_processes_of_the_run_used(tmp_path):
    """As under pytest-xdist: workers get or build entries; the controller evicts."""
    for name in ("stale", "reused"):  # entries of an earlier run
        ContentCache(tmp_path).store(
            name, lambda folder: (folder / "result.txt").write_text("earlier")
        )
        os.utime(tmp_path / name, (0, 0))
    started = time.time()
    ContentCache(tmp_path).entry(
        "reused", lambda folder: pytest.fail("rebuilt"), files=["result.txt"]
    )  # worker 1
    ContentCache(tmp_path).entry(
        "new", lambda folder: (folder / "result.txt").write_text("new")
    )  # worker 2
    ContentCache(tmp_path).evict_unused(
        used_since=started
    )  # the controller, which used nothing itself
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new", "reused"]


def test_a_content_cache_rebuilds_an_entry_that_lacks_one_of_its_files(tmp_path):
    cache = ContentCache(tmp_path)
    write(tmp_path, "key/first.txt", "left by an older layout")
    assert (
        cache.lookup("key", files=["first.txt", "second.txt"]) is None
        and not (tmp_path / "key").exists()
    )
    folder = cache.entry(
        "key",
        lambda f: [(f / n).write_text(n) for n in ("first.txt", "second.txt")],
        ["first.txt", "second.txt"],
    )
    assert sorted(p.name for p in folder.iterdir()) == [
        "first.txt",
        MANIFEST,
        "second.txt",
    ]


def test_an_atomic_folder_appears_complete_or_not_at_all(tmp_path):
    final = tmp_path / "cache" / "key"
    with pytest.raises(KeyboardInterrupt), atomic_folder(final) as partial:
        (partial / "half.txt").write_text("half")
        raise KeyboardInterrupt
    assert not final.exists() and list(final.parent.iterdir()) == []
    with atomic_folder(final) as partial:
        (partial / "whole.txt").write_text("whole")
    assert [p.name for p in final.iterdir()] == ["whole.txt"]


def test_notebook_cache_ignores_partial_and_incomplete_folders(fixture_project):
    """A folder under its key without its notebooks is rebuilt, a partial one deleted.

    The notebook with the solutions runs once; the learner's takes its outputs.
    """
    root = fixture_project.root
    notebook = _notebook(fixture_project)
    key = notebook.cache_key("9.9.9")
    cache = root / notebooks.CACHE_DIR
    (cache / key / notebooks.NOTEBOOK_FOLDER).mkdir(
        parents=True
    )  # killed before the notebook was written
    (cache / f"{PARTIAL_PREFIX}999999999-0000-{key}").mkdir()
    told = []
    paths = notebooks.execute_all([notebook], root, "9.9.9", told.append)["page"]
    assert told == [
        (
            "notebooks: 0 of 1 unchanged, executing 1 in Jupyter kernels, "
            f"{os.cpu_count()} at a time"
        ),
        told[-1],
    ] and told[-1].startswith("notebook 1 of 1 executed: page (")
    assert paths.solutions.name == "page-solutions.ipynb"
    learner = nbformat.read(paths.notebook, as_version=4)
    solutions = nbformat.read(paths.solutions, as_version=4)
    assert [_outputs(cell) for cell in learner.cells if cell.cell_type == "code"] == [
        [],  # the install cell: not run by the build
        ["3.0\n"],
        [],
        [],
        ["3.0\n"],
        [],
        [],
    ]
    assert [
        cell.execution_count for cell in learner.cells if cell.cell_type == "code"
    ] == [None, 1, 2, 3, 4, 5, 6], "counted again without the solutions"
    assert [
        _outputs(c) for c in solutions.cells if "solution" in c.metadata.get("tags", [])
    ] == [[], ["6.0\n"]]
    assert sorted(entry.name for entry in cache.iterdir()) == [key]
    again = []
    notebooks.execute_all([notebook], root, "9.9.9", again.append)
    assert again == ["notebooks: 1 of 1 unchanged"]
    # A socket the kernel run left open would fail here (filterwarnings = error), not in
    # a later test.
    gc.collect()


def _outputs(cell) -> list[str]:
    return [output.get("text") for output in cell.get("outputs", [])]


def test_notebooks_execute_beside_a_running_event_loop(fixture_project):
    """As in a process that uses Playwright's sync API (browser tests), then builds."""
    import asyncio

    async def build_inside_a_loop():
        return notebooks.execute_all(
            [_notebook(fixture_project)], fixture_project.root, "9.9.9"
        )

    # A thread of its own, so that the test does not depend on what earlier tests left
    # running in this one.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        paths = pool.submit(asyncio.run, build_inside_a_loop()).result()
    assert paths["page"].notebook.is_file()
    gc.collect()
