"""nn.Dropout on ten ones: which survive (scaled) in training mode, and eval mode."""

import numpy

SNIPPET = "snippets/regularisation/dropout.py"
CAPTION = "nn.Dropout(p=0.5) applied to ten ones, in training mode and in eval mode."
HEIGHT = 2.2  # two rows of cells
GRID = False


def draw(ns, ax, c):
    from matplotlib.colors import ListedColormap

    dropout, x = ns["dropout"], ns["x"]
    dropout.eval()
    rows = numpy.stack([ns["dropped"].numpy(), dropout(x).detach().numpy()])
    dropout.train()
    colours = ListedColormap([c["box"], c["grid"], c["first"]])
    ax.imshow(rows, cmap=colours, vmin=0, vmax=2, aspect="equal")
    for (row, column), value in numpy.ndenumerate(rows):
        ax.text(
            column,
            row,
            f"{value:g}",
            ha="center",
            va="center",
            color=c["text"],
            fontsize=12,
        )
    ax.set_yticks([0, 1], ["training mode", "eval mode"])
    ax.set_xticks(range(rows.shape[1]), [f"x{i}" for i in range(rows.shape[1])])
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)


def describe(ns):
    training = " ".join(f"{v:g}" for v in ns["dropped"].tolist())
    return (
        f"Two rows of ten cells. Training mode: {training}. Eval mode: all ten are 1."
    )
