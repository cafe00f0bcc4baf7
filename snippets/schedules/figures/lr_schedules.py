"""The learning rate of each epoch under StepLR, CosineAnnealingLR and a warmup."""

SNIPPET = "snippets/schedules/schedules.py"
CAPTION = (
    "The learning rate of each epoch under three schedules, all starting from 0.1."
)


def draw(ns, ax, c):
    epochs = range(30)
    step = "StepLR (step 10, gamma 0.5)"
    ax.step(epochs, ns["step_rates"], where="post", color=c["first"], label=step)
    cosine = "CosineAnnealingLR (T_max 30)"
    ax.plot(epochs, ns["cosine_rates"][:30], color=c["second"], label=cosine)
    warmup = "LinearLR warmup, then cosine"
    ax.plot(epochs, ns["combined_rates"], color=c["text"], linestyle="--", label=warmup)
    ax.set(xlabel="epoch", ylabel="learning rate")
    ax.legend(frameon=False, labelcolor=c["text"])


def describe(ns):
    return (
        "Learning rate over 30 epochs. StepLR holds 0.1 and halves every 10 epochs, "
        f"ending at {ns['step_rates'][-1]:g}; CosineAnnealingLR glides from 0.1 to "
        f"{ns['cosine_rates'][29]:.4f}; the warmup rises from "
        f"{ns['combined_rates'][0]:g} to 0.1 in 5 epochs, then follows a cosine down."
    )
