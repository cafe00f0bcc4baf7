"""Training and validation loss of the classifier, epoch by epoch."""

SNIPPET = "snippets/regularisation/training.py"
CAPTION = "Training and validation loss of the classifier, epoch by epoch."


def draw(ns, ax, c):
    history = ns["history"]
    epochs = range(1, len(history) + 1)
    training = [t for t, _ in history]
    validation = [v for _, v in history]
    ax.plot(
        epochs, training, marker="o", color=c["first"], label="training (dropout on)"
    )
    ax.plot(epochs, validation, marker="s", color=c["second"], label="validation")
    ax.set(xlabel="epoch", ylabel="binary cross-entropy")
    ax.legend(frameon=False, labelcolor=c["text"])


def describe(ns):
    history = ns["history"]
    lowest = min(range(len(history)), key=lambda i: history[i][1]) + 1
    return (
        f"Training and validation loss over {len(history)} epochs: training falls "
        f"from {history[0][0]:.3f} to {history[-1][0]:.3f}, validation from "
        f"{history[0][1]:.3f} to {history[-1][1]:.3f}, lowest at epoch {lowest}."
    )
