"""Exercises for the page on learning-rate schedules and gradient clipping."""

# --8<-- [start:ex1_starter]
import torch
from torch.nn.utils import clip_grad_norm_
from torch.optim import lr_scheduler

weight = torch.zeros(1, requires_grad=True)
optimizer = torch.optim.SGD([weight], lr=0.1)
scheduler = lr_scheduler.MultiStepLR(optimizer, milestones=[3, 7], gamma=0.1)
# Which learning rate does epoch 8 use?
# --8<-- [end:ex1_starter]

# --8<-- [start:ex1_solution]
rates = []
for epoch in range(9):
    rates.append(optimizer.param_groups[0]["lr"])
    optimizer.step()
    scheduler.step()
print([f"{rate:.0e}" for rate in rates])
# > ['1e-01', '1e-01', '1e-01', '1e-02', '1e-02', '1e-02', '1e-02', '1e-03', '1e-03']
# Spec: MultiStepLR multiplies the learning rate by gamma at each milestone epoch
torch.testing.assert_close(rates[8], 0.1 * 0.1 * 0.1)
# --8<-- [end:ex1_solution]

# --8<-- [start:ex2_starter]
p = torch.zeros(2, requires_grad=True)
p.grad = torch.tensor([6.0, 8.0])
# What does clip_grad_norm_([p], max_norm=5.0) return, and what is p.grad after?
# --8<-- [end:ex2_starter]

# --8<-- [start:ex2_solution]
returned = clip_grad_norm_([p], max_norm=5.0)
print(returned, p.grad)
# > tensor(10.) tensor([3.0000, 4.0000])
# Spec: clip_grad_norm_ on a gradient of norm 10 with max_norm 5 returns 10
torch.testing.assert_close(returned, torch.tensor(10.0))
# Spec: clip_grad_norm_ scales a gradient of norm 10 to norm 5 (up to 1e-6),
#       halving each element
torch.testing.assert_close(p.grad, torch.tensor([3.0, 4.0]))
# --8<-- [end:ex2_solution]


# --8<-- [start:ex3_starter]
def first_adam_step(max_norm):
    """One Adam step (lr 0.1) from 0 on a gradient of 1000, clipped if max_norm."""
    weight = torch.zeros(1, requires_grad=True)
    optimizer = torch.optim.Adam([weight], lr=0.1)
    weight.grad = torch.tensor([1000.0])
    if max_norm is not None:
        clip_grad_norm_([weight], max_norm=max_norm)
    optimizer.step()
    return weight.detach()


# Where does the weight end up without clipping, and with max_norm=1.0?
# --8<-- [end:ex3_starter]

# --8<-- [start:ex3_solution]
unclipped, clipped = first_adam_step(None), first_adam_step(1.0)
print(unclipped, clipped)
# > tensor([-0.1000]) tensor([-0.1000])
# Spec: Adam's first step moves a weight by the learning rate whatever the size
#       of its gradient, so clipping a single gradient does not change it
torch.testing.assert_close(unclipped, clipped)
# Spec: Adam's first step from 0 with lr 0.1 and a positive gradient ends at -0.1
torch.testing.assert_close(unclipped, torch.tensor([-0.1]))
# --8<-- [end:ex3_solution]
