"""Clipping and a schedule applied to the series' network: Adam at lr 0.08, and SGD."""

# --8<-- [start:imports]
import itertools
import math

import torch
from torch import nn
from torch.nn.utils import clip_grad_norm_
from torch.optim.lr_scheduler import CosineAnnealingLR

# --8<-- [end:imports]
from snippets.regression_data import make_regression_data

# --8<-- [start:train]
x, y = make_regression_data()


def train(optimizer_class, lr, max_norm=None, cosine=False, epochs=200, seed=42):
    """The series' network; returns each epoch's loss and gradient norm."""
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(3, 32), nn.ReLU(), nn.Linear(32, 1))
    loss_fn = nn.MSELoss(reduction="sum")
    optimizer = optimizer_class(model.parameters(), lr=lr)
    scheduler = CosineAnnealingLR(optimizer, T_max=epochs) if cosine else None
    losses, norms = [], []
    for epoch in range(epochs):
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        losses.append(loss.item())
        loss.backward()
        limit = math.inf if max_norm is None else max_norm  # inf: measure only
        norms.append(clip_grad_norm_(model.parameters(), limit).item())
        optimizer.step()
        if scheduler is not None:
            scheduler.step()
    return losses, norms


# --8<-- [end:train]

# --8<-- [start:adam]
adam_losses, adam_norms = train(torch.optim.Adam, lr=0.08)
clipped_losses, clipped_norms = train(torch.optim.Adam, lr=0.08, max_norm=10.0)
print([round(norm, 1) for norm in adam_norms[:5]])
# > [469.5, 258.2, 160.0, 181.5, 144.8]
print(round(adam_losses[1], 3), round(clipped_losses[1], 3))
# > 247.504 247.504
# Spec: the series' Adam run has gradient norms above 10 in each of its first
#       100 epochs, so clipping at 10 scales every one of those steps
assert min(clipped_norms[:100]) > 10.0
# Spec: Adam's first step barely depends on the size of the gradient, so clipping
#       leaves the loss after it almost unchanged
assert math.isclose(adam_losses[1], clipped_losses[1], rel_tol=1e-5)
# --8<-- [end:adam]


# --8<-- [start:late_jumps]
def largest_late_jump(losses):
    """The largest rise of the loss from one epoch to the next, after epoch 100."""
    return max(after - before for before, after in itertools.pairwise(losses[100:]))


# Spec: in the series' Adam run (lr 0.08) the loss still rises from one epoch to
#       the next after epoch 100
assert largest_late_jump(adam_losses) > 0
cosine_losses, _ = train(torch.optim.Adam, lr=0.08, cosine=True)
print(largest_late_jump(adam_losses) > largest_late_jump(cosine_losses))
# > True
adam_jumps = []
for seed in range(5):  # other starting weights
    adam_seed, _ = train(torch.optim.Adam, lr=0.08, seed=seed)
    cosine_seed, _ = train(torch.optim.Adam, lr=0.08, cosine=True, seed=seed)
    # Spec: a cosine schedule on the series' Adam run makes its largest late loss
    #       jump smaller than without a schedule, from any of several starts
    assert largest_late_jump(cosine_seed) < largest_late_jump(adam_seed)
    adam_jumps.append(largest_late_jump(adam_seed))

clipped_from_0, _ = train(torch.optim.Adam, lr=0.08, max_norm=10.0, seed=0)
smaller_from_42 = largest_late_jump(clipped_losses) < largest_late_jump(adam_losses)
larger_from_0 = largest_late_jump(clipped_from_0) > adam_jumps[0]
# Spec: clipping at norm 10 makes the largest late loss jump of the series' Adam
#       run smaller from the page's start (seed 42) and larger from seed 0
assert smaller_from_42 and larger_from_0
# --8<-- [end:late_jumps]

# --8<-- [start:sgd]
sgd_losses, _ = train(torch.optim.SGD, lr=0.01)
print([f"{loss:.3g}" for loss in sgd_losses[:3]], sgd_losses[-1])
# > ['407', '1.43e+03', '6.94e+04'] nan
sgd_clipped_losses, _ = train(torch.optim.SGD, lr=0.01, max_norm=10.0)
# Spec: plain SGD at learning rate 0.01 on the series' network diverges
#       to nan without clipping
assert math.isnan(sgd_losses[-1])
# Spec: the same SGD run with clip_grad_norm_(max_norm=10) stays finite and
#       ends far below its starting loss
assert (
    math.isfinite(sgd_clipped_losses[-1])
    and sgd_clipped_losses[-1] < 0.5 * sgd_clipped_losses[0]
)
# --8<-- [end:sgd]
