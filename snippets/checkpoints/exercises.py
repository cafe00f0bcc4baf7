"""Exercises for the page on saving and resuming training."""

# --8<-- [start:ex1_starter]
import torch
from torch import nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.Linear(4, 1))
parameter_count = len(list(model.parameters()))
print(parameter_count)
# > 6
# --8<-- [end:ex1_starter]

# --8<-- [start:ex1_solution]
state = model.state_dict()
print(len(state))
# > 9
parameter_names = {name for name, _ in model.named_parameters()}
print(sorted(set(state) - parameter_names))
# > ['1.num_batches_tracked', '1.running_mean', '1.running_var']
# Spec: a model's state_dict also holds its buffers, such as BatchNorm's running
#       statistics, which are not parameters
assert set(state) - parameter_names == {
    "1.running_mean",
    "1.running_var",
    "1.num_batches_tracked",
}
# --8<-- [end:ex1_solution]


# --8<-- [start:ex2_starter]
def six_steps(momentum, new_optimizer_after=None):
    """Six full-batch SGD steps on one linear layer; returns the final weights."""
    torch.manual_seed(0)
    x, y = torch.randn(20, 3), torch.randn(20, 1)
    layer = nn.Linear(3, 1)
    optimizer = torch.optim.SGD(layer.parameters(), lr=0.1, momentum=momentum)
    for step in range(6):
        if step == new_optimizer_after:  # "resumed" without the optimizer's state
            optimizer = torch.optim.SGD(layer.parameters(), lr=0.1, momentum=momentum)
        optimizer.zero_grad()
        nn.functional.mse_loss(layer(x), y).backward()
        optimizer.step()
    return layer.weight.detach()


# With momentum=0 and with momentum=0.9: does a fresh optimizer after step 3
# change the final weights?
# --8<-- [end:ex2_starter]

# --8<-- [start:ex2_solution]
for momentum in (0.0, 0.9):
    weight = torch.zeros(2, requires_grad=True)
    optimizer = torch.optim.SGD([weight], lr=0.1, momentum=momentum)
    weight.sum().backward()
    optimizer.step()
    print(momentum, optimizer.state_dict()["state"])
# > 0.0 {}
# > 0.9 {0: {'momentum_buffer': tensor([1., 1.])}}
# Spec: plain SGD (no momentum) ends with the same weights whether or not its
#       optimizer is rebuilt mid-run: it has no state to lose
assert torch.equal(six_steps(0.0), six_steps(0.0, new_optimizer_after=3))
# Spec: SGD with momentum ends elsewhere when its optimizer is rebuilt mid-run:
#       the momentum buffers are lost
assert not torch.equal(six_steps(0.9), six_steps(0.9, new_optimizer_after=3))
# --8<-- [end:ex2_solution]
