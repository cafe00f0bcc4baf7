"""Exercises for the page on training, validation and regularisation."""

# --8<-- [start:imports]
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset, random_split

# --8<-- [end:imports]

# --8<-- [start:ex1_starter]
torch.manual_seed(10)
layer = nn.Dropout(p=0.2)
out = layer(torch.ones(20))
# Before running the solution: which values can `out` contain?
# --8<-- [end:ex1_starter]

# --8<-- [start:ex1_solution]
print(sorted(set(out.tolist())))
# > [0.0, 1.25]
many = layer(torch.ones(100_000))
# Spec: nn.Dropout(p=0.2) in training mode outputs only 0 and 1/(1 - 0.2) = 1.25
#       for inputs of 1
assert set(many.unique().tolist()) == {0.0, 1.25}
layer.eval()
# Spec: nn.Dropout(p=0.2) in eval mode returns a tensor of ones unchanged
assert torch.equal(layer(torch.ones(20)), torch.ones(20))
# --8<-- [end:ex1_solution]

# --8<-- [start:ex2_starter]
rows = TensorDataset(torch.arange(1001.0).unsqueeze(1))
parts = random_split(
    rows, [0.7, 0.15, 0.15], generator=torch.Generator().manual_seed(0)
)
loader = DataLoader(parts[0], batch_size=64)
# Before running the solution: how many rows does each part get (1001 does not
# divide evenly), and how many batches does the loader give, the last of what size?
# --8<-- [end:ex2_starter]

# --8<-- [start:ex2_solution]
sizes = [len(part) for part in parts]
last = len(list(loader)[-1][0])
print(sizes, len(loader), last)
# > [701, 150, 150] 11 61
# Spec: random_split with fractions rounds each size down and hands the leftover
#       rows out one by one from the first part: 1001 rows give 701, 150 and 150
assert sizes == [701, 150, 150]
# Spec: a DataLoader over 701 rows in batches of 64 gives 10 full batches and a
#       last batch of 61 rows
assert (len(loader), last) == (11, 61)
# --8<-- [end:ex2_solution]

# --8<-- [start:ex3_starter]
w = torch.tensor([1.0, -2.0], requires_grad=True)
optimizer = torch.optim.SGD([w], lr=0.1, weight_decay=0.5)
w.sum().backward()  # the loss gradient is 1 for both elements
optimizer.step()
# Before running the solution: where is w now? One of its elements did not move.
# --8<-- [end:ex3_starter]

# --8<-- [start:ex3_solution]
print(w.detach())
# > tensor([ 0.8500, -2.0000])
# Spec: one SGD step with lr=0.1 and weight_decay=0.5 on a loss gradient of 1
#       moves w = (1, -2) to w - 0.1 * (1 + 0.5 * w) = (0.85, -2)
torch.testing.assert_close(w.detach(), torch.tensor([0.85, -2.0]))
# --8<-- [end:ex3_solution]
