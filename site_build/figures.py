"""Figures drawn at build time from the values the pages' own code computes.

Each figure runs the snippet file it illustrates (the same code the page shows
and the tests check), takes the values it needs from that run's namespace, and
draws them twice, for Material's light and dark palettes, as SVG. Its alt text
is written from the same values. A page places a figure with a line
``<!-- figure: <name> -->``. Drawn figures are cached under ``.cache/figures``
by the hash of their inputs (this module, the snippet file and every project
module it imports, the library versions), so a build without source changes
draws nothing. A light PNG of each is embedded in the page's notebook.
"""

from __future__ import annotations

import io
import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from executable_docs.build_cache import atomic_folder, cache_key, evict, library_versions, source_closure
from executable_docs.snippet_files import run_snippet_file

CACHE_DIR = Path(".cache") / "figures"
PALETTES = {
    "light": {"text": "#212121", "grid": "#d0d0d0", "first": "#b33a1d", "second": "#1f5fbf", "box": "#fbe9e4"},
    "dark": {"text": "#e2e4e9", "grid": "#4a4d5a", "first": "#ff9e80", "second": "#8ab4f8", "box": "#3a2a26"},
}


@dataclass(frozen=True)
class Figure:
    name: str
    snippet: str  # the file whose run provides the values
    caption: str
    draw: Callable  # (namespace, axes, colours) -> None
    describe: Callable  # namespace -> alt text


def _loss_curve(ns, ax, c):
    losses = ns["losses"]
    ax.plot(range(len(losses)), losses, color=c["first"], linewidth=1.8)
    ax.set_yscale("log")
    ax.set(xlabel="epoch", ylabel="training loss (sum of squares, log scale)")


def _train_validation(ns, ax, c):
    epochs = range(1, len(ns["history"]) + 1)
    ax.plot(epochs, [t for t, _ in ns["history"]], marker="o", color=c["first"], label="training (dropout on)")
    ax.plot(epochs, [v for _, v in ns["history"]], marker="s", color=c["second"], label="validation")
    ax.set(xlabel="epoch", ylabel="binary cross-entropy")
    ax.legend(frameon=False, labelcolor=c["text"])


def _descent(ns, ax, c):
    import numpy

    ws = [2.0, *ns["ws"]]
    grid = numpy.linspace(0.7, 2.1, 200)
    ax.plot(grid, (grid - 1) ** 2, color=c["grid"], linewidth=1.5, label="loss (w − 1)²")
    ax.plot(ws, [(w - 1) ** 2 for w in ws], marker="o", color=c["first"], label="w after each step (lr 0.1)")
    ax.annotate("start, w = 2", (2.0, 1.0), textcoords="offset points", xytext=(-75, -4), color=c["text"])
    ax.set(xlabel="w", ylabel="loss")
    ax.legend(frameon=False, labelcolor=c["text"], loc="upper center")


def _sgd_adam(ns, ax, c):
    ax.plot(ns["sgd_losses"], color=c["second"], label="SGD, lr 1e-4")
    ax.plot(ns["adam_losses"], color=c["first"], label="Adam, lr 0.08")
    ax.axhline(ns["truth_loss"], color=c["grid"], linestyle="--", label="the true function")
    ax.set_yscale("log")
    ax.set(xlabel="epoch", ylabel="training loss (log scale)")
    ax.legend(frameon=False, labelcolor=c["text"])


def _dropout(ns, ax, c):
    import numpy

    from matplotlib.colors import ListedColormap

    dropout, x = ns["dropout"], ns["x"]
    dropout.eval()
    rows = numpy.stack([ns["dropped"].numpy(), dropout(x).detach().numpy()])
    dropout.train()
    ax.imshow(rows, cmap=ListedColormap([c["box"], c["grid"], c["first"]]), vmin=0, vmax=2, aspect="equal")
    for (row, column), value in numpy.ndenumerate(rows):
        ax.text(column, row, f"{value:g}", ha="center", va="center", color=c["text"], fontsize=12)
    ax.set_yticks([0, 1], ["training mode", "eval mode"])
    ax.set_xticks(range(rows.shape[1]), [f"x{i}" for i in range(rows.shape[1])])
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)


def _graph_nodes(ns):
    """(column, depth, label) of every node of out's backward graph, depth first, and its edges.

    A node's first input sits straight below it, each further input one column to the right.
    """
    names = {id(value): name for name, value in ns.items() if name in ("x1", "x2")}
    nodes, edges = [], []

    def walk(node, column, depth, parent):
        label = type(node).__name__
        if label == "AccumulateGrad":
            label += f"\n({names.get(id(node.variable), 'leaf')})"
        nodes.append((column, depth, label))
        index = len(nodes) - 1
        if parent is not None:
            edges.append((parent, index))
        inputs = [child for child, _ in node.next_functions if child is not None]
        for offset, child in enumerate(inputs):
            walk(child, column + offset, depth + 1, index)

    walk(ns["out"].grad_fn, 0, 0, None)
    return nodes, edges


def _graph(ns, ax, c):
    nodes, edges = _graph_nodes(ns)
    positions = [(column * 2.6, -depth) for column, depth, _ in nodes]
    columns = max(column for column, _, _ in nodes) + 1
    depths = max(depth for _, depth, _ in nodes) + 1
    for parent, child in edges:
        (x0, y0), (x1, y1) = positions[parent], positions[child]
        ax.annotate("", xy=(x1, y1 + 0.3), xytext=(x0, y0 - 0.3),
                    arrowprops={"arrowstyle": "->", "color": c["text"], "linewidth": 1.2})
    for (x, y), (_, _, label) in zip(positions, nodes):
        ax.text(x, y, label, ha="center", va="center", color=c["text"], fontsize=10, family="monospace",
                bbox={"boxstyle": "round,pad=0.4", "facecolor": c["box"], "edgecolor": c["first"]})
    ax.set_xlim(-1.6, 1.6 + 2.6 * (columns - 1))
    ax.set_ylim(-depths + 0.4, 0.6)
    ax.axis("off")


def _lr_schedules(ns, ax, c):
    epochs = range(30)
    ax.step(epochs, ns["step_rates"], where="post", color=c["first"], label="StepLR (step 10, gamma 0.5)")
    ax.plot(epochs, ns["cosine_rates"][:30], color=c["second"], label="CosineAnnealingLR (T_max 30)")
    ax.plot(epochs, ns["combined_rates"], color=c["text"], linestyle="--", label="LinearLR warmup, then cosine")
    ax.set(xlabel="epoch", ylabel="learning rate")
    ax.legend(frameon=False, labelcolor=c["text"])


def _lr_plateau(ns, ax, c):
    epochs = range(len(ns["validation_losses"]))
    ax.step(epochs, ns["plateau_rates"], where="post", color=c["first"], marker="o", label="learning rate")
    ax.set(xlabel="epoch", ylabel="learning rate (after the epoch)")
    twin = ax.twinx()
    twin.plot(epochs, ns["validation_losses"], color=c["second"], marker="s", linestyle=":", label="metric")
    twin.set_ylabel("metric passed to step()", color=c["text"])
    twin.tick_params(colors=c["text"])
    ax.legend(frameon=False, labelcolor=c["text"], loc="upper right")
    twin.legend(frameon=False, labelcolor=c["text"], loc="center right")


def _clipping(ns, ax, c):
    ax.plot(ns["adam_losses"], color=c["first"], label="Adam, lr 0.08")
    ax.plot(ns["clipped_losses"], color=c["second"], label="Adam, gradients clipped to norm 10")
    ax.plot(ns["cosine_losses"], color=c["text"], linestyle="--", label="Adam, cosine schedule")
    ax.set_yscale("log")
    ax.set(xlabel="epoch", ylabel="training loss (log scale)")
    ax.legend(frameon=False, labelcolor=c["text"])


FIGURES = {
    figure.name: figure
    for figure in [
        Figure(
            "autograd-graph", "snippets/autograd/graph.py",
            "The backward graph of out = mean(3·(x1·(x2 + 2))²), drawn by walking out.grad_fn.",
            _graph,
            lambda ns: "The backward graph of out, from the top: "
            + ", then ".join(label.replace("\n", " ") for _, _, label in _graph_nodes(ns)[0]) + ".",
        ),
        Figure(
            "gradient-descent", "snippets/optimizers/by_hand.py",
            "Six steps of gradient descent on (w − 1)², from w = 2 with learning rate 0.1.",
            _descent,
            lambda ns: "The parabola (w − 1)² with six gradient-descent steps marked on it: w goes "
            + ", ".join(f"{w:.4g}" for w in [2.0, *ns["ws"]]) + ", each step shorter than the last.",
        ),
        Figure(
            "sgd-vs-adam", "snippets/optimizers/compare.py",
            "SGD and Adam training the same network from the same starting weights.",
            _sgd_adam,
            lambda ns: f"Training loss over 200 epochs on a log scale. SGD with lr 1e-4 falls from "
            f"{ns['sgd_losses'][0]:.1f} to {ns['sgd_losses'][-1]:.1f}; Adam with lr 0.08 falls faster, to "
            f"{ns['adam_losses'][-1]:.1f}, below the true function's {ns['truth_loss']:.1f}.",
        ),
        Figure(
            "final-network-loss", "snippets/optimizers/network.py",
            "The training loss of the final network, every epoch.",
            _loss_curve,
            lambda ns: f"Training loss of the final network over {len(ns['losses'])} epochs on a log scale: "
            f"from {ns['losses'][0]:.1f} down to {ns['losses'][-1]:.1f}, with small jumps late in training.",
        ),
        Figure(
            "train-validation-loss", "snippets/regularisation/training.py",
            "Training and validation loss of the classifier, epoch by epoch.",
            _train_validation,
            lambda ns: "Training and validation loss over "
            f"{len(ns['history'])} epochs: training falls from {ns['history'][0][0]:.3f} to {ns['history'][-1][0]:.3f}, "
            f"validation from {ns['history'][0][1]:.3f} to {ns['history'][-1][1]:.3f}, lowest at epoch "
            f"{min(range(len(ns['history'])), key=lambda i: ns['history'][i][1]) + 1}.",
        ),
        Figure(
            "dropout-mask", "snippets/regularisation/dropout.py",
            "nn.Dropout(p=0.5) applied to ten ones, in training mode and in eval mode.",
            _dropout,
            lambda ns: "Two rows of ten cells. Training mode: "
            + " ".join(f"{v:g}" for v in ns["dropped"].tolist()) + ". Eval mode: all ten are 1.",
        ),
        Figure(
            "lr-schedules", "snippets/schedules/schedules.py",
            "The learning rate of each epoch under three schedules, all starting from 0.1.",
            _lr_schedules,
            lambda ns: "Learning rate over 30 epochs. StepLR holds 0.1 and halves every 10 epochs, ending at "
            f"{ns['step_rates'][-1]:g}; CosineAnnealingLR glides from 0.1 to {ns['cosine_rates'][29]:.4f}; "
            f"the warmup rises from {ns['combined_rates'][0]:g} to 0.1 in 5 epochs, then follows a cosine down.",
        ),
        Figure(
            "lr-plateau", "snippets/schedules/schedules.py",
            "ReduceLROnPlateau: the metric passed to step() and the learning rate it leaves.",
            _lr_plateau,
            lambda ns: "Over " f"{len(ns['plateau_rates'])} epochs the metric falls, stalls and falls once more; "
            "the learning rate halves after each stretch of three epochs without improvement: "
            + ", ".join(f"{rate:g}" for rate in ns["plateau_rates"]) + ".",
        ),
        Figure(
            "clipping-loss", "snippets/schedules/network.py",
            "The series' Adam run with and without gradient clipping, and with a cosine schedule.",
            _clipping,
            lambda ns: "Training loss over 200 epochs on a log scale. Without clipping Adam ends at "
            f"{ns['adam_losses'][-1]:.1f}, with clipping at {ns['clipped_losses'][-1]:.1f}, with the cosine schedule at "
            f"{ns['cosine_losses'][-1]:.1f}. The largest rise from one epoch to the next after epoch 100 is "
            f"{ns['largest_late_jump'](ns['adam_losses']):.2f} without clipping, "
            f"{ns['largest_late_jump'](ns['clipped_losses']):.2f} with it, and "
            + ("with the schedule the loss falls at every epoch after epoch 100."
               if ns["largest_late_jump"](ns["cosine_losses"]) <= 0
               else f"{ns['largest_late_jump'](ns['cosine_losses']):.2f} with the schedule."),
        ),
    ]
}


@dataclass(frozen=True)
class DrawnFigure:
    figure: Figure
    alt: str
    svgs: dict  # palette name -> SVG bytes
    png: bytes = b""  # the light drawing on white, for notebooks (an image a notebook can embed)


def _rc(figure: Figure, colours: dict) -> dict:
    return {
        "svg.fonttype": "none", "svg.hashsalt": figure.name, "font.size": 11,
        "text.color": colours["text"], "axes.labelcolor": colours["text"], "axes.edgecolor": colours["grid"],
        "xtick.color": colours["text"], "ytick.color": colours["text"], "axes.grid": figure.name != "dropout-mask",
        "grid.color": colours["grid"], "grid.linewidth": 0.5,
    }


def _render(figure: Figure, namespace: dict, colours: dict, fmt: str) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with plt.rc_context(_rc(figure, colours)):
        fig, ax = plt.subplots(figsize=(7, 2.2 if figure.name == "dropout-mask" else 4))
        figure.draw(namespace, ax, colours)
        out = io.BytesIO()
        if fmt == "svg":
            fig.savefig(out, format="svg", transparent=True, bbox_inches="tight", metadata={"Date": None})
        else:
            fig.savefig(out, format="png", dpi=96, facecolor="white", bbox_inches="tight", metadata={"Software": None})
        plt.close(fig)
    return out.getvalue()


CACHED_FILES = (*(f"{palette}.svg" for palette in PALETTES), "notebook.png", "alt.json")


def _figure_key(figure: Figure, root: Path, torch_version: str) -> str:
    # This module (the drawing code), the snippet file and every project module it imports.
    sources = source_closure([Path(__file__), root / figure.snippet], root)
    return cache_key(figure.name, torch_version, library_versions("matplotlib", "numpy"), files=sources, root=root)


def draw_all(root: Path, torch_version: str, figures: dict[str, Figure] | None = None) -> dict[str, DrawnFigure]:
    """Every figure, from the cache where its inputs are unchanged.

    A figure is drawn into a private folder that is renamed into the cache only when
    complete (build_cache.atomic_folder): a build killed mid-drawing leaves nothing
    that a later build reads.
    """
    figures = FIGURES if figures is None else figures
    cache = root / CACHE_DIR
    drawn, used = {}, set()
    namespaces: dict[str, dict] = {}
    for figure in figures.values():
        folder = cache / f"{figure.name}-{_figure_key(figure, root, torch_version)}"
        if folder.exists() and not all((folder / name).is_file() for name in CACHED_FILES):
            shutil.rmtree(folder)  # not written by atomic_folder (an older build's layout): draw again
        if not folder.exists():
            if figure.snippet not in namespaces:
                namespaces[figure.snippet] = {}
                run_snippet_file(root / figure.snippet, root, namespace=namespaces[figure.snippet])
            namespace = namespaces[figure.snippet]
            with atomic_folder(folder) as partial:
                for palette, colours in PALETTES.items():
                    (partial / f"{palette}.svg").write_bytes(_render(figure, namespace, colours, "svg"))
                (partial / "notebook.png").write_bytes(_render(figure, namespace, PALETTES["light"], "png"))
                (partial / "alt.json").write_text(json.dumps(figure.describe(namespace)))
        drawn[figure.name] = DrawnFigure(
            figure,
            json.loads((folder / "alt.json").read_text()),
            {palette: (folder / f"{palette}.svg").read_bytes() for palette in PALETTES},
            (folder / "notebook.png").read_bytes(),
        )
        used.add(folder)
    evict(cache, used)  # drawings whose inputs have changed since, and partial folders of killed builds
    return drawn
