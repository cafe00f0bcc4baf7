"""Figures drawn at build time from the values the pages' own code computes.

A page places a figure with a line ``<!-- figure: <name> -->``. The figure is a
module of its own beside the code it illustrates, ``snippets/<topic>/figures/<name
with underscores>.py`` (``gradient-descent`` is ``snippets/optimizers/figures/
gradient_descent.py``), which defines:

* ``SNIPPET``: the snippet file (path from the project root) whose run gives the values;
* ``CAPTION``: the figure's caption;
* ``draw(namespace, axes, colours)``: draws on matplotlib ``axes`` from the snippet
  run's ``namespace``, in ``colours`` (one of ``PALETTES``);
* ``describe(namespace) -> str``: the alt text, written from the same values;
* optionally ``HEIGHT`` (inches, default 4) and ``GRID`` (axes grid lines, default
  True).

This module is the machinery: it finds the figure modules, runs each snippet file
once (the same code the page shows and the tests check), draws every figure twice,
for Material's light and dark palettes, as SVG, plus a light PNG that the page's
notebook embeds. A drawn figure is cached under ``.cache/figures`` by the hash of
its inputs (its module, the snippet file, this module, every project module they
import, the library versions and torch's), so a build without source changes draws
nothing and changing one figure's module redraws that figure only.

Drawing is a step of the build, run once before the pages render (``draw_all``: by the
mkdocs hook, by site_build/zensical_check.py before a Zensical build, or by ``python -m
site_build.figures``); it reports its progress, figure by figure. The Markdown extension
(site_build/generated_markdown.py: the markup a marker becomes, the SVGs' paths in the
site, the check that fails the build on a marker naming no figure) only reads what that
step drew (``drawn_figures``).
"""

from __future__ import annotations

import argparse
import functools
import importlib.util
import io
import json
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from executable_docs.build_cache import (
    THREAD_POOL_VARIABLES,
    ContentCache,
    cache_key,
    environment_fingerprint,
    library_versions,
    source_closure,
)
from executable_docs.snippet_files import run_snippet_file
from site_build.progress import Progress, heartbeat

CACHE_DIR = Path(".cache") / "figures"
FIGURE_MODULES = "snippets/*/figures/*.py"  # under the project root
PALETTES = {
    "light": {
        "text": "#212121",
        "grid": "#d0d0d0",
        "first": "#b33a1d",
        "second": "#1f5fbf",
        "box": "#fbe9e4",
    },
    "dark": {
        "text": "#e2e4e9",
        "grid": "#4a4d5a",
        "first": "#ff9e80",
        "second": "#8ab4f8",
        "box": "#3a2a26",
    },
}
CACHED_FILES = (*(f"{palette}.svg" for palette in PALETTES), "notebook.png", "alt.json")


@dataclass(frozen=True)
class Figure:
    name: str  # as the page's marker names it
    module: Path  # the figure's module
    snippet: str  # the file whose run provides the values, from the project root
    caption: str
    draw: Callable  # (namespace, axes, colours) -> None
    describe: Callable  # namespace -> alt text
    height: float = 4  # inches; the width is always 7
    grid: bool = True


@dataclass(frozen=True)
class DrawnFigure:
    figure: Figure
    alt: str
    svgs: dict  # palette name -> SVG bytes
    png: bytes = (
        b""  # the light drawing on white, for notebooks (an image a notebook can embed)
    )


class FigureError(ValueError):
    """A figure module that cannot be used as written (the message names the file)."""


def figure_name(module: Path) -> str:
    return module.stem.replace("_", "-")


def _load(module: Path, root: Path) -> Figure:
    relative = module.relative_to(root).as_posix()
    spec = importlib.util.spec_from_file_location(
        relative.removesuffix(".py").replace("/", "."), module
    )
    if spec is None or spec.loader is None:
        raise ImportError(f"{relative}: not a Python module that can be loaded")
    loaded = importlib.util.module_from_spec(spec)
    # Not registered in sys.modules: every build reads the file as it is now.
    spec.loader.exec_module(loaded)
    missing = [
        name
        for name in ("SNIPPET", "CAPTION", "draw", "describe")
        if not hasattr(loaded, name)
    ]
    if missing:
        raise FigureError(
            f"{relative}: a figure module defines SNIPPET, CAPTION, draw and describe; "
            f"missing {', '.join(missing)}"
        )
    if not (root / loaded.SNIPPET).is_file():
        raise FigureError(
            f"{relative}: SNIPPET {loaded.SNIPPET!r} is no file of the project"
        )
    return Figure(
        figure_name(module),
        module,
        loaded.SNIPPET,
        loaded.CAPTION,
        loaded.draw,
        loaded.describe,
        getattr(loaded, "HEIGHT", Figure.height),
        getattr(loaded, "GRID", Figure.grid),
    )


def discover(root: Path) -> dict[str, Figure]:
    """Every figure of the project under ``root``, by name (used twice: an error)."""
    figures: dict[str, Figure] = {}
    for module in sorted(Path(root).glob(FIGURE_MODULES)):
        if module.name == "__init__.py":
            continue
        figure = _load(module, Path(root))
        if figure.name in figures:
            raise FigureError(
                f"two figures named {figure.name!r}: "
                f"{figures[figure.name].module} and {module}"
            )
        figures[figure.name] = figure
    return figures


def log_loss_curves(
    axes,
    colours: dict,
    curves,
    *,
    ylabel: str,
    reference: tuple[float, str] | None = None,
) -> None:
    """Training losses epoch by epoch on a log scale: every loss-curve figure's shape.

    ``curves``: one ``(losses, colour name, plot keywords)`` per curve (a ``label``
    keyword puts it in the legend); ``reference``: ``(loss, label)``, a dashed
    horizontal line.
    """
    for losses, colour, keywords in curves:
        axes.plot(losses, color=colours[colour], **keywords)
    if reference is not None:
        axes.axhline(
            reference[0], color=colours["grid"], linestyle="--", label=reference[1]
        )
    axes.set_yscale("log")
    axes.set(xlabel="epoch", ylabel=ylabel)
    if reference is not None or any("label" in keywords for *_, keywords in curves):
        axes.legend(frameon=False, labelcolor=colours["text"])


def _rc(figure: Figure, colours: dict) -> dict:
    return {
        "svg.fonttype": "none",
        "svg.hashsalt": figure.name,
        "font.size": 11,
        "text.color": colours["text"],
        "axes.labelcolor": colours["text"],
        "axes.edgecolor": colours["grid"],
        "xtick.color": colours["text"],
        "ytick.color": colours["text"],
        "axes.grid": figure.grid,
        "grid.color": colours["grid"],
        "grid.linewidth": 0.5,
    }


def _render(figure: Figure, namespace: dict, colours: dict, fmt: str) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with plt.rc_context(_rc(figure, colours)):
        fig, ax = plt.subplots(figsize=(7, figure.height))
        figure.draw(namespace, ax, colours)
        out = io.BytesIO()
        if fmt == "svg":
            fig.savefig(
                out,
                format="svg",
                transparent=True,
                bbox_inches="tight",
                metadata={"Date": None},
            )
        else:
            fig.savefig(
                out,
                format="png",
                dpi=96,
                facecolor="white",
                bbox_inches="tight",
                metadata={"Software": None},
            )
        plt.close(fig)
    return out.getvalue()


def matplotlib_configuration() -> str:
    """matplotlib's settings as a drawing gets them (every rcParam, from whichever
    matplotlibrc it read: the working folder's, $MATPLOTLIBRC, $MPLCONFIGDIR's, its
    own), and the file matplotlib would read now."""
    import matplotlib

    params = matplotlib.rcParams
    # (Not "backend" and "backend_fallback": reading the first picks a backend, and
    # choosing one sets the second; _render uses Agg whatever they say.)
    settings = sorted(
        (name, repr(params[name])) for name in params if not name.startswith("backend")
    )
    return f"{matplotlib.matplotlib_fname()} {settings}"


def figure_key(figure: Figure, root: Path, torch_version: str) -> str:
    """Changes with the figure's module, its snippet file, this module, every project
    module they import, the libraries, matplotlib's settings and the environment but
    its thread pools' sizes (what the drawing then reads is recorded beside the
    drawing: draw_all)."""
    sources = source_closure(
        [figure.module, root / figure.snippet, Path(__file__)], root
    )
    return cache_key(
        figure.name,
        torch_version,
        library_versions("matplotlib", "numpy"),
        matplotlib_configuration(),
        # Not the thread pools' sizes: the build's drawings are looked up
        # (drawn_figures) from processes with a share of the cores of their own
        # (pytest-xdist workers), and the pages' values are checked at the digits
        # shown under both counts.
        environment_fingerprint(ignore=THREAD_POOL_VARIABLES),
        files=sources,
        root=root,
    )


def _read(figure: Figure, folder: Path) -> DrawnFigure:
    return DrawnFigure(
        figure,
        json.loads((folder / "alt.json").read_text()),
        {palette: (folder / f"{palette}.svg").read_bytes() for palette in PALETTES},
        (folder / "notebook.png").read_bytes(),
    )


def draw_all(
    root: Path,
    torch_version: str,
    figures: dict[str, Figure] | None = None,
    progress: Progress | None = None,
    evict: bool = True,
) -> dict[str, DrawnFigure]:
    """Every figure (the project's unless given), drawn, or read from the cache.

    The build's figure step: drawings whose inputs have changed since, and partial
    folders of killed builds, are evicted (build_cache.ContentCache), unless ``evict``
    is false (some figures only, keeping the others' drawings). ``progress`` is
    told which figure is drawn ("figure 2 of 9: ..."), and how many came from the cache.
    """
    figures = discover(root) if figures is None else figures
    cache = ContentCache(root / CACHE_DIR)
    namespaces: dict[
        str, dict
    ] = {}  # snippet file -> its run's namespace, run once for all its figures
    keys = {
        name: figure_key(figure, root, torch_version)
        for name, figure in figures.items()
    }
    missing = [
        name
        for name in figures
        if cache.lookup(keys[name], CACHED_FILES, label=name) is None
    ]
    if progress and figures:
        progress(
            f"figures: {len(figures) - len(missing)} of {len(figures)} unchanged"
            + (f", drawing {len(missing)}" if missing else "")
        )

    def draw(figure: Figure, folder: Path) -> None:
        number = f"figure {missing.index(figure.name) + 1} of {len(missing)}"
        if progress:
            progress(f"{number}: {figure.name} (from a run of {figure.snippet})")
        with heartbeat(progress, lambda: f"{number}: {figure.name} still drawing"):
            _draw(figure, folder)

    def _draw(figure: Figure, folder: Path) -> None:
        if figure.snippet not in namespaces:
            namespaces[figure.snippet] = {}
            run_snippet_file(
                root / figure.snippet, root, namespace=namespaces[figure.snippet]
            )
        namespace = namespaces[figure.snippet]
        for palette, colours in PALETTES.items():
            (folder / f"{palette}.svg").write_bytes(
                _render(figure, namespace, colours, "svg")
            )
        (folder / "notebook.png").write_bytes(
            _render(figure, namespace, PALETTES["light"], "png")
        )
        (folder / "alt.json").write_text(json.dumps(figure.describe(namespace)))

    drawn = {}
    for name, figure in figures.items():
        folder = cache.entry(
            keys[name],
            functools.partial(draw, figure),
            CACHED_FILES,
            label=name,
            record=True,  # what drawing reads (files, modules) must stay as it was
        )
        drawn[name] = _read(figure, folder)
    if evict:
        cache.evict_unused()
    return drawn


class DrawnFigures(Mapping):
    """The project's figures by name, each read from the cache when asked for.

    Never drawn here. For the Markdown extension: the build's figure step (``draw_all``)
    has drawn them before any page renders; a figure that is not in the cache under its
    current inputs raises FigureError saying how to draw it.
    """

    def __init__(self, root: Path, torch_version: str) -> None:
        self.root = Path(root)
        self.torch_version = torch_version
        self.figures = discover(self.root)

    def __getitem__(self, name: str) -> DrawnFigure:
        figure = self.figures[name]
        key = figure_key(figure, self.root, self.torch_version)
        folder = ContentCache(self.root / CACHE_DIR).lookup(
            key, CACHED_FILES, label=name
        )
        if folder is None:
            raise FigureError(
                f"{figure.module.relative_to(self.root).as_posix()}: the figure "
                f"{name!r} is not drawn for its current inputs; the build draws "
                "figures before the pages render (mkdocs build or serve; before "
                "another builder, run `python -m site_build.figures`)"
            )
        return _read(figure, folder)

    def __iter__(self) -> Iterator[str]:
        return iter(self.figures)

    def __len__(self) -> int:
        return len(self.figures)


def drawn_figures(root: Path, torch_version: str) -> DrawnFigures:
    """The figures the build's figure step drew, by name, each read when asked for."""
    return DrawnFigures(root, torch_version)


def main(argv: list[str] | None = None) -> int:
    """``python -m site_build.figures``: the figure step, for builders without hooks."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument(
        "root", nargs="?", default=".", help="the project root (default: here)"
    )
    args = parser.parse_args(argv)
    from site_build.generated_markdown import torch_version

    draw_all(Path(args.root).resolve(), torch_version(), progress=print)
    return 0


if __name__ == "__main__":
    sys.exit(main())
