"""The learning rate, epoch by epoch, under torch.optim.lr_scheduler's schedules."""

# --8<-- [start:imports]
import math
import warnings

import torch
from torch.optim import lr_scheduler

# --8<-- [end:imports]


# --8<-- [start:trace]
def learning_rates(make_scheduler, epochs):
    """The learning rate used in each epoch, for SGD starting at lr=0.1."""
    weight = torch.zeros(1, requires_grad=True)
    optimizer = torch.optim.SGD([weight], lr=0.1)
    scheduler = make_scheduler(optimizer)
    rates = []
    for epoch in range(epochs):
        rates.append(optimizer.param_groups[0]["lr"])
        optimizer.step()  # a real loop trains one epoch here
        scheduler.step()
    return rates


# --8<-- [end:trace]

# --8<-- [start:step]
step_rates = learning_rates(
    lambda optimizer: lr_scheduler.StepLR(optimizer, step_size=10, gamma=0.5), 30
)
print(step_rates[8:12], step_rates[-1])
# > [0.1, 0.1, 0.05, 0.05] 0.025
# Spec: StepLR multiplies the learning rate by gamma every step_size epochs:
#       lr_e = lr_0 * gamma ** (e // step_size)
torch.testing.assert_close(step_rates, [0.1 * 0.5 ** (e // 10) for e in range(30)])
# --8<-- [end:step]

# --8<-- [start:warmup]
warmup_rates = learning_rates(
    lambda optimizer: lr_scheduler.LinearLR(
        optimizer, start_factor=0.1, end_factor=1.0, total_iters=5
    ),
    8,
)
print([round(rate, 4) for rate in warmup_rates])
# > [0.01, 0.028, 0.046, 0.064, 0.082, 0.1, 0.1, 0.1]
expected = [0.1 * (0.1 + 0.9 * min(e, 5) / 5) for e in range(8)]
# Spec: LinearLR moves the factor on the learning rate in a straight line from
#       start_factor to end_factor over total_iters epochs, then keeps it
torch.testing.assert_close(warmup_rates, expected)
# --8<-- [end:warmup]

# --8<-- [start:cosine]
cosine_rates = learning_rates(
    lambda optimizer: lr_scheduler.CosineAnnealingLR(
        optimizer, T_max=30, eta_min=0.001
    ),
    61,
)
print(round(cosine_rates[15], 4), round(cosine_rates[30], 4))
# > 0.0505 0.001
expected = [
    0.001 + (0.1 - 0.001) * (1 + math.cos(math.pi * e / 30)) / 2 for e in range(31)
]
# Spec: CosineAnnealingLR follows half a cosine from lr_0 down to eta_min over
#       T_max epochs
torch.testing.assert_close(cosine_rates[:31], expected)
# Spec: after T_max epochs CosineAnnealingLR climbs back: after 2 * T_max
#       epochs the learning rate is lr_0 again
torch.testing.assert_close(cosine_rates[60], 0.1)
# --8<-- [end:cosine]


# --8<-- [start:warmup_cosine]
def warmup_then_cosine(optimizer):
    warmup = lr_scheduler.LinearLR(optimizer, start_factor=0.1, total_iters=5)
    cosine = lr_scheduler.CosineAnnealingLR(optimizer, T_max=25)
    return lr_scheduler.SequentialLR(
        optimizer, schedulers=[warmup, cosine], milestones=[5]
    )


combined_rates = learning_rates(warmup_then_cosine, 30)
print([round(rate, 4) for rate in combined_rates[3:8]])
# > [0.064, 0.082, 0.1, 0.0996, 0.0984]
expected = [
    0.1 * (0.1 + 0.9 * e / 5)
    if e < 5
    else 0.1 * (1 + math.cos(math.pi * (e - 5) / 25)) / 2
    for e in range(30)
]
# Spec: SequentialLR runs the warmup until the milestone, then the cosine
#       schedule counted from the milestone
torch.testing.assert_close(combined_rates, expected)
# --8<-- [end:warmup_cosine]

# --8<-- [start:plateau]
weight = torch.zeros(1, requires_grad=True)
optimizer = torch.optim.SGD([weight], lr=0.1)
plateau = lr_scheduler.ReduceLROnPlateau(optimizer, mode="min", factor=0.5, patience=2)
validation_losses = [5.0, 4.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 2.5, 2.5, 2.5, 2.5]
plateau_rates = []
for loss in validation_losses:
    optimizer.step()
    plateau.step(loss)  # the scheduler is told the metric
    plateau_rates.append(optimizer.param_groups[0]["lr"])
print(plateau_rates)
# > [0.1, 0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.025, 0.0125]
# Spec: ReduceLROnPlateau multiplies the learning rate by factor once the metric has
#       not improved for more than patience epochs, and counts again from there
assert plateau_rates == [0.1] * 5 + [0.05] * 3 + [0.025] * 4 + [0.0125]
# --8<-- [end:plateau]

# --8<-- [start:plateau_last_lr]
# Spec: ReduceLROnPlateau is an LRScheduler, the base class of the other schedulers
assert isinstance(plateau, lr_scheduler.LRScheduler)
print(plateau.get_last_lr())
# > [0.0125]
# Spec: ReduceLROnPlateau's get_last_lr() lists the learning rate of each
#       parameter group after the last step, as the other schedulers' does
assert plateau.get_last_lr() == [optimizer.param_groups[0]["lr"]] == [0.0125]
# --8<-- [end:plateau_last_lr]

# --8<-- [start:verbose]
scheduler_classes = [
    (lr_scheduler.StepLR, {"step_size": 10}),
    (lr_scheduler.CosineAnnealingLR, {"T_max": 30}),
    (lr_scheduler.ReduceLROnPlateau, {}),
]
refused = []
for scheduler_class, arguments in scheduler_classes:
    try:
        scheduler_class(optimizer, verbose=True, **arguments)
    except TypeError as error:
        refused.append(str(error))
print(refused[0])
# > StepLR.__init__() got an unexpected keyword argument 'verbose'
# Spec: the learning-rate schedulers take no verbose argument: passing
#       verbose=True raises a TypeError
assert len(refused) == len(scheduler_classes) and all(
    "unexpected keyword argument 'verbose'" in text for text in refused
)
# --8<-- [end:verbose]

# --8<-- [start:order]
weight = torch.ones(1, requires_grad=True)
optimizer = torch.optim.SGD([weight], lr=0.1)
scheduler = lr_scheduler.StepLR(optimizer, step_size=1, gamma=0.5)
weight.grad = torch.ones(1)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    scheduler.step()  # wrong order: the scheduler first
    optimizer.step()
print(caught[0].category.__name__)
# > UserWarning
message = str(caught[0].message)
# Spec: calling scheduler.step() before optimizer.step() raises a UserWarning that
#       names the two calls
assert issubclass(caught[0].category, UserWarning) and message.startswith(
    "Detected call of `lr_scheduler.step()` before `optimizer.step()`"
)
print(round(weight.item(), 4))
# > 0.95
# Spec: with the scheduler stepped first, the first optimizer step already uses
#       the second learning rate: the initial one is skipped
torch.testing.assert_close(weight, torch.tensor([1.0 - 0.05]))

weight.grad = torch.ones(1)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    optimizer.step()  # the right order
    scheduler.step()
# Spec: optimizer.step() then scheduler.step() raises no warning
assert caught == []
# --8<-- [end:order]
