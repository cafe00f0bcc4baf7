"""ReduceLROnPlateau: the metric it is given and the learning rate it leaves."""

SNIPPET = "snippets/schedules/schedules.py"
CAPTION = (
    "ReduceLROnPlateau: the metric passed to step() and the learning rate it leaves."
)


def draw(ns, ax, c):
    rates, metric = ns["plateau_rates"], ns["validation_losses"]
    epochs = range(len(metric))
    rate = "learning rate"
    ax.step(epochs, rates, where="post", color=c["first"], marker="o", label=rate)
    ax.set(xlabel="epoch", ylabel="learning rate (after the epoch)")
    twin = ax.twinx()
    twin.plot(
        epochs, metric, color=c["second"], marker="s", linestyle=":", label="metric"
    )
    twin.set_ylabel("metric passed to step()", color=c["text"])
    twin.tick_params(colors=c["text"])
    ax.legend(frameon=False, labelcolor=c["text"], loc="upper right")
    twin.legend(frameon=False, labelcolor=c["text"], loc="center right")


def describe(ns):
    rates = ", ".join(f"{rate:g}" for rate in ns["plateau_rates"])
    return (
        f"Over {len(ns['plateau_rates'])} epochs the metric falls, stalls and falls "
        "once more; the learning rate halves after each stretch of three epochs "
        f"without improvement: {rates}."
    )
