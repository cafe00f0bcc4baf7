"""SGD and Adam on the same network: the training loss of each, epoch by epoch."""

from site_build.figures import log_loss_curves

SNIPPET = "snippets/optimizers/compare.py"
CAPTION = "SGD and Adam training the same network from the same starting weights."


def draw(ns, ax, c):
    curves = [
        (ns["sgd_losses"], "second", {"label": "SGD, lr 1e-4"}),
        (ns["adam_losses"], "first", {"label": "Adam, lr 0.08"}),
    ]
    reference = (ns["truth_loss"], "the true function")
    log_loss_curves(
        ax, c, curves, ylabel="training loss (log scale)", reference=reference
    )


def describe(ns):
    sgd, adam = ns["sgd_losses"], ns["adam_losses"]
    return (
        "Training loss over 200 epochs on a log scale. SGD with lr 1e-4 falls from "
        f"{sgd[0]:.1f} to {sgd[-1]:.1f}; Adam with lr 0.08 falls faster, to "
        f"{adam[-1]:.1f}, below the true function's {ns['truth_loss']:.1f}."
    )
