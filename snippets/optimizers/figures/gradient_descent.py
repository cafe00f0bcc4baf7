"""Gradient descent on (w - 1)², step by step."""

import numpy

SNIPPET = "snippets/optimizers/by_hand.py"
CAPTION = (
    "Six steps of gradient descent on (w − 1)², from w = 2 with learning rate 0.1."
)


def draw(ns, ax, c):
    ws = [2.0, *ns["ws"]]
    grid = numpy.linspace(0.7, 2.1, 200)
    ax.plot(
        grid, (grid - 1) ** 2, color=c["grid"], linewidth=1.5, label="loss (w − 1)²"
    )
    ax.plot(
        ws,
        [(w - 1) ** 2 for w in ws],
        marker="o",
        color=c["first"],
        label="w after each step (lr 0.1)",
    )
    ax.annotate(
        "start, w = 2",
        (2.0, 1.0),
        textcoords="offset points",
        xytext=(-75, -4),
        color=c["text"],
    )
    ax.set(xlabel="w", ylabel="loss")
    ax.legend(frameon=False, labelcolor=c["text"], loc="upper center")


def describe(ns):
    steps = ", ".join(f"{w:.4g}" for w in [2.0, *ns["ws"]])
    return (
        "The parabola (w − 1)² with six gradient-descent steps marked on it: w goes "
        f"{steps}, each step shorter than the last."
    )
