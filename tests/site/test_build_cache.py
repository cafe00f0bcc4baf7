"""The build caches (.cache/notebooks, .cache/figures): complete keys, atomic writes, notebooks made of the page.

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

from executable_docs import figures
from site_build import notebooks
from executable_docs.build_cache import PARTIAL_PREFIX, atomic_folder, source_closure
from executable_docs.project import load_project
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

PAGE = '''\
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
'''


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
    return text.replace("<!-- figure: demo -->", "![A demo figure](attachment:demo.png)\n\n*The caption.*")


def _notebook(project):
    return notebooks.page_notebook(
        project, project.docs_dir / "page.md", project.site_url, "9.9.9",
        expand_markers=_figure_marker, attachments={"demo.png": ("image/png", b"\x89PNG fake")},
    )


def test_a_notebook_has_the_pages_tables_figures_and_shown_code_and_no_markers(fixture_project):
    notebook = _notebook(fixture_project).notebook
    cells = [(cell.cell_type, cell.source) for cell in notebook.cells]
    text = "\n".join(source for _, source in cells)
    assert "pip install torch numpy" in cells[0][1] and "pip install -e" not in text
    assert "| --- | --- |" in text, "the page's table"
    assert "## make: the helper" in text, "no code span in a heading (mkdocs-jupyter's TOC would drop it)"
    assert "--8<--" not in text and "<!-- figure" not in text
    (with_image,) = [cell for cell in notebook.cells if "attachments" in cell]
    assert "![A demo figure](attachment:demo.png)" in with_image.source
    assert with_image.attachments == {"demo.png": {"image/png": "iVBORyBmYWtl"}}
    code = [source for kind, source in cells if kind == "code"]
    shown = "x = make(3)\nprint(x.sum().item())\n# > 3.0"
    assert code == [f"import torch\nfrom fixture_helper import make\n{shown}", shown], "exactly the shown code, '# >' lines included"
    tab = next(source for kind, source in cells if kind == "markdown" and "after the block" in source)
    assert tab.startswith("Prose in the tab after the block."), "a tab's prose after a block is not an indented code block"


def test_the_notebook_key_changes_with_an_imported_module_an_included_file_and_torch(fixture_project):
    root = fixture_project.root
    key = _notebook(fixture_project).cache_key("2.13.0")
    assert _notebook(fixture_project).cache_key("2.13.0") == key, "stable for the same inputs"
    assert _notebook(fixture_project).cache_key("2.14.0") != key, "torch version"
    write(root, "fixture_helper.py", HELPER.replace("arange(n", "arange(1, n + 1"))
    changed = _notebook(fixture_project).cache_key("2.13.0")
    assert changed != key, "a module the shown code imports changed: the cached notebook is stale"
    write(root, "snippets/demo/example.py", EXAMPLE + "\nprint('outside every section')\n")
    assert _notebook(fixture_project).cache_key("2.13.0") != changed, "an included file changed outside its sections"


def test_the_source_closure_follows_imports_transitively(tmp_path):
    write(tmp_path, "snippets/__init__.py", "")
    write(tmp_path, "snippets/a.py", "from snippets.b import f\n")
    write(tmp_path, "snippets/b.py", "from . import c\nimport torch\n")
    write(tmp_path, "snippets/c.py", "")
    closure = source_closure([tmp_path / "snippets/a.py"], tmp_path)
    assert [p.relative_to(tmp_path.resolve()).as_posix() for p in closure] == [
        "snippets/__init__.py", "snippets/a.py", "snippets/b.py", "snippets/c.py"
    ]


def _tiny_figure(draw=None):
    def plot(ns, ax, colours):
        ax.plot(ns["values"], color=colours["first"])

    return figures.Figure("tiny", "snippets/tiny.py", "A tiny figure.", draw or plot, lambda ns: f"{len(ns['values'])} values")


@pytest.fixture
def figure_root(tmp_path, monkeypatch):
    write(tmp_path, "snippets/tiny.py", "from fixture_values import VALUES\n\nvalues = list(VALUES)\n")
    write(tmp_path, "fixture_values.py", "VALUES = (1, 3, 2)\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "fixture_values", raising=False)
    yield tmp_path
    sys.modules.pop("fixture_values", None)


def test_figures_are_redrawn_when_a_module_their_snippet_imports_changes(figure_root):
    tiny = {"tiny": _tiny_figure()}
    first = figures.draw_all(figure_root, "2.13.0", tiny)["tiny"]
    assert first.alt == "3 values" and first.png.startswith(b"\x89PNG") and set(first.svgs) == set(figures.PALETTES)
    write(figure_root, "fixture_values.py", "VALUES = (1, 3, 2, 5)\n")
    del sys.modules["fixture_values"]  # a new build is a new process
    assert figures.draw_all(figure_root, "2.13.0", tiny)["tiny"].alt == "4 values"
    assert len(list((figure_root / figures.CACHE_DIR).iterdir())) == 1, "the stale drawing is evicted"


def test_a_killed_figure_build_leaves_nothing_that_a_later_build_reads(figure_root):
    tiny = {"tiny": _tiny_figure()}
    cache = figure_root / figures.CACHE_DIR
    key = figures._figure_key(tiny["tiny"], figure_root, "2.13.0")
    # What a build killed mid-drawing used to leave: the final folder with one file of four,
    # and what a killed build leaves now: a partial folder of a process that no longer runs.
    write(figure_root, f"{figures.CACHE_DIR}/tiny-{key}/light.svg", "<svg/>")
    write(figure_root, f"{figures.CACHE_DIR}/{PARTIAL_PREFIX}999999999-0000-tiny-{key}/light.svg", "<svg/>")
    drawn = figures.draw_all(figure_root, "2.13.0", tiny)["tiny"]
    assert drawn.alt == "3 values"
    assert sorted(entry.name for entry in cache.iterdir()) == [f"tiny-{key}"]
    assert sorted(path.name for path in (cache / f"tiny-{key}").iterdir()) == sorted(figures.CACHED_FILES)


def test_a_drawing_that_fails_half_way_writes_no_cache_entry(figure_root):
    def fails(ns, ax, colours):
        if colours is figures.PALETTES["dark"]:
            raise RuntimeError("killed")
        ax.plot(ns["values"])

    with pytest.raises(RuntimeError, match="killed"):
        figures.draw_all(figure_root, "2.13.0", {"tiny": _tiny_figure(fails)})
    assert list((figure_root / figures.CACHE_DIR).iterdir()) == []


def test_an_atomic_folder_appears_complete_or_not_at_all(tmp_path):
    final = tmp_path / "cache" / "key"
    with pytest.raises(KeyboardInterrupt):
        with atomic_folder(final) as partial:
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
    (cache / key / notebooks.NOTEBOOK_FOLDER).mkdir(parents=True)  # killed before the notebook was written
    (cache / f"{PARTIAL_PREFIX}999999999-0000-{key}").mkdir()
    paths = notebooks.execute_all([notebook], root, "9.9.9")
    executed = nbformat.read(paths["page"], as_version=4)
    outputs = [output for cell in executed.cells if cell.cell_type == "code" for output in cell.outputs]
    assert [output.get("text") for output in outputs] == ["3.0\n", "3.0\n"]
    assert sorted(entry.name for entry in cache.iterdir()) == [key]
    assert json.loads(paths["page"].read_text())["cells"][0]["cell_type"] == "markdown"
    gc.collect()  # a socket the kernel run left open would fail here (filterwarnings = error), not in a later test


def test_notebooks_execute_beside_a_running_event_loop(fixture_project):
    """As in a process that uses Playwright's sync API (the browser tests) before a build."""
    import asyncio

    async def build_inside_a_loop():
        return notebooks.execute_all([_notebook(fixture_project)], fixture_project.root, "9.9.9")

    # A thread of its own, so that the test does not depend on what earlier tests left
    # running in this one.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        paths = pool.submit(asyncio.run, build_inside_a_loop()).result()
    assert paths["page"].is_file()
    gc.collect()
