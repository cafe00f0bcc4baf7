"""The build caches (.cache/notebooks, .cache/figures, build_cache.ContentCache): complete keys, atomic writes,
figures as modules of their own, notebooks made of the page.

These run on throw-away projects, without the built site.
"""

from __future__ import annotations

import concurrent.futures
import gc
import json
import sys
import textwrap
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
from site_build import figures, notebooks
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
# --8<-- [end:main]
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

=== "Tab"

    Prose in a tab, before a block.

    ``` python
    --8<-- "snippets/demo/example.py:main"
    ```

    Prose in the tab after the block.
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


def _figure_marker(text: str) -> str:
    return text.replace(
        "<!-- figure: demo -->",
        "![A demo figure](attachment:demo.png)\n\n*The caption.*",
    )


def _notebook(project):
    return notebooks.page_notebook(
        project,
        project.docs_dir / "page.md",
        project.site_url,
        "9.9.9",
        expand_markers=_figure_marker,
        attachments={"demo.png": ("image/png", b"\x89PNG fake")},
    )


def test_a_notebook_has_the_pages_tables_figures_and_shown_code_and_no_markers(
    fixture_project,
):
    notebook = _notebook(fixture_project).notebook
    cells = [(cell.cell_type, cell.source) for cell in notebook.cells]
    text = "\n".join(source for _, source in cells)
    assert "pip install torch numpy" in cells[0][1] and "pip install -e" not in text
    assert "| --- | --- |" in text, "the page's table"
    assert "## make: the helper" in text, (
        "no code span in a heading (mkdocs-jupyter's TOC would drop it)"
    )
    assert "--8<--" not in text and "<!-- figure" not in text
    (with_image,) = [cell for cell in notebook.cells if "attachments" in cell]
    assert "![A demo figure](attachment:demo.png)" in with_image.source
    assert with_image.attachments == {"demo.png": {"image/png": "iVBORyBmYWtl"}}
    code = [source for kind, source in cells if kind == "code"]
    shown = "x = make(3)\nprint(x.sum().item())\n# > 3.0"
    assert code == [f"import torch\nfrom fixture_helper import make\n{shown}", shown], (
        "exactly the shown code, '# >' lines included"
    )
    tab = next(
        source
        for kind, source in cells
        if kind == "markdown" and "after the block" in source
    )
    assert tab.startswith("Prose in the tab after the block."), (
        "a tab's prose after a block is not an indented code block"
    )


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


def test_a_figure_module_that_misses_a_definition_or_repeats_a_name_fails_naming_the_file(
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
    fixture_project, monkeypatch
):
    from site_build import mkdocs_hooks

    line = PAGE.splitlines().index("<!-- figure: demo -->") + 1
    monkeypatch.setattr(
        mkdocs_hooks, "DRAWN", {"other": None}
    )  # what draw_all found: no "demo"
    with pytest.raises(
        ValueError, match=rf"^docs/page.md:{line}: no figure 'demo' \(known: other\)$"
    ):
        mkdocs_hooks._check_figure_markers(fixture_project)
    monkeypatch.setattr(mkdocs_hooks, "DRAWN", {"demo": None})
    mkdocs_hooks._check_figure_markers(fixture_project)


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
    # What a build killed mid-drawing used to leave: the final folder with one file of four,
    # and what a killed build leaves now: a partial folder of a process that no longer runs.
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
            'def draw(ns, ax, colours):\n    if colours["text"] == "#e2e4e9":  # dark\n        raise RuntimeError("killed")\n',
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
    """As under pytest-xdist: workers get or build entries, the controller evicts at the end."""
    import os
    import time

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
    """A leftover folder under the notebook's key without its notebook is rebuilt, a partial one deleted."""
    root = fixture_project.root
    notebook = _notebook(fixture_project)
    key = notebook.cache_key("9.9.9")
    cache = root / notebooks.CACHE_DIR
    (cache / key / notebooks.NOTEBOOK_FOLDER).mkdir(
        parents=True
    )  # killed before the notebook was written
    (cache / f"{PARTIAL_PREFIX}999999999-0000-{key}").mkdir()
    paths = notebooks.execute_all([notebook], root, "9.9.9")
    executed = nbformat.read(paths["page"], as_version=4)
    outputs = [
        output
        for cell in executed.cells
        if cell.cell_type == "code"
        for output in cell.outputs
    ]
    assert [output.get("text") for output in outputs] == ["3.0\n", "3.0\n"]
    assert sorted(entry.name for entry in cache.iterdir()) == [key]
    assert json.loads(paths["page"].read_text())["cells"][0]["cell_type"] == "markdown"
    gc.collect()  # a socket the kernel run left open would fail here (filterwarnings = error), not in a later test


def test_notebooks_execute_beside_a_running_event_loop(fixture_project):
    """As in a process that uses Playwright's sync API (the browser tests) before a build."""
    import asyncio

    async def build_inside_a_loop():
        return notebooks.execute_all(
            [_notebook(fixture_project)], fixture_project.root, "9.9.9"
        )

    # A thread of its own, so that the test does not depend on what earlier tests left
    # running in this one.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        paths = pool.submit(asyncio.run, build_inside_a_loop()).result()
    assert paths["page"].is_file()
    gc.collect()
