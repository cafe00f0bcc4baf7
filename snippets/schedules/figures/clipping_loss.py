"""The series' Adam run with and without gradient clipping, and with a schedule."""

from site_build.figures import log_loss_curves

SNIPPET = "snippets/schedules/network.py"
CAPTION = (
    "The series' Adam run with and without gradient clipping, "
    "and with a cosine schedule."
)


def draw(ns, ax, c):
    curves = [
        (ns["adam_losses"], "first", {"label": "Adam, lr 0.08"}),
        (
            ns["clipped_losses"],
            "second",
            {"label": "Adam, gradients clipped to norm 10"},
        ),
        (
            ns["cosine_losses"],
            "text",
            {"linestyle": "--", "label": "Adam, cosine schedule"},
        ),
    ]
    log_loss_curves(ax, c, curves, ylabel="training loss (log scale)")


def describe(ns):
    adam, clipped, cosine = (
        ns["adam_losses"],
        ns["clipped_losses"],
        ns["cosine_losses"],
    )
    jump = ns["largest_late_jump"]
    with_schedule = (
        "with the schedule the loss falls at every epoch after epoch 100."
        if jump(cosine) <= 0
        else f"{jump(cosine):.2f} with the schedule."
    )
    return (
        "Training loss over 200 epochs on a log scale. Without clipping Adam ends at "
        f"{adam[-1]:.1f}, with clipping at {clipped[-1]:.1f}, with the cosine "
        f"schedule at {cosine[-1]:.1f}. The largest rise from one epoch to the next "
        f"after epoch 100 is {jump(adam):.2f} without clipping, "
        f"{jump(clipped):.2f} with it, and " + with_schedule
    )
