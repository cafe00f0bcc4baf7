"""Exercises for the page on saving and resuming training."""

# --8<-- [start:ex1_starter]
import os
import pickle
import tempfile

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

# --8<-- [start:ex3_starter]
folder = tempfile.TemporaryDirectory()
path = os.path.join(folder.name, "checkpoint.pt")
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
plain = {
    "epoch": 3,
    "losses": [2.5, 1.75],
    "note": "run A",
    "rng": torch.get_rng_state(),
}
with_object = {"epoch": 3, "optimizer": optimizer}  # the object, not its state_dict
# Which of the two loads back with torch.load(path), weights_only=True by default?
# --8<-- [end:ex3_starter]

# --8<-- [start:ex3_solution]
torch.save(plain, path)
loaded = torch.load(path)
print(loaded["epoch"], loaded["losses"], loaded["note"], loaded["rng"].dtype)
# > 3 [2.5, 1.75] run A torch.uint8
# Spec: torch.load with weights_only=True reads back numbers, strings, lists and
#       tensors such as the random state
assert loaded["losses"] == [2.5, 1.75] and torch.equal(loaded["rng"], plain["rng"])

torch.save(with_object, path)
try:
    torch.load(path)
    refused = False
except pickle.UnpicklingError:
    refused = True
print(refused)
# > True
# Spec: torch.load, with its default weights_only=True, refuses a file holding an
#       optimizer object
assert refused
folder.cleanup()
# --8<-- [end:ex3_solution]
