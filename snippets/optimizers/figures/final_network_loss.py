"""The final network's training loss, epoch by epoch."""

from site_build.figures import log_loss_curves

SNIPPET = "snippets/optimizers/network.py"
CAPTION = "The training loss of the final network, every epoch."


def draw(ns, ax, c):
    curves = [(ns["losses"], "first", {"linewidth": 1.8})]
    ylabel = "training loss (sum of squares, log scale)"
    log_loss_curves(ax, c, curves, ylabel=ylabel)


def describe(ns):
    losses = ns["losses"]
    return (
        f"Training loss of the final network over {len(losses)} epochs on a log "
        f"scale: from {losses[0]:.1f} down to {losses[-1]:.1f}, with small jumps "
        "late in training."
    )
