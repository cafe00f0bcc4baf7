"""Exercises for the modules page: a parameter count, a bias gradient, names."""

# --8<-- [start:imports]
import torch
from torch import nn

# --8<-- [end:imports]

# --8<-- [start:ex1_starter]
deeper = nn.Sequential(
    nn.Linear(10, 5),
    nn.ReLU(),
    nn.Linear(5, 5),
    nn.ReLU(),
    nn.Linear(5, 2),
)
# How many parameter tensors does `deeper` have, and how many values in all?
# --8<-- [end:ex1_starter]

# --8<-- [start:ex1_solution]
tensors = list(deeper.parameters())
values = sum(parameter.numel() for parameter in tensors)
print(len(tensors), values)
# > 6 97
# Spec: Linear(10, 5), ReLU, Linear(5, 5), ReLU, Linear(5, 2) hold six parameter
#       tensors: a weight and a bias per linear layer
assert len(tensors) == 6
# Spec: Linear(10, 5), ReLU, Linear(5, 5), ReLU, Linear(5, 2) hold
#       (10·5 + 5) + (5·5 + 5) + (5·2 + 2) = 97 values in all
assert values == 97
# --8<-- [end:ex1_solution]

# --8<-- [start:ex2_starter]
torch.manual_seed(0)
layer = nn.Linear(3, 4)
batch = torch.randn(10, 3)
layer(batch).sum().backward()
# What shape has layer.weight.grad, and what numbers are in layer.bias.grad?
# --8<-- [end:ex2_starter]

# --8<-- [start:ex2_solution]
print(layer.weight.grad.shape, layer.bias.grad)
# > torch.Size([4, 3]) tensor([10., 10., 10., 10.])
# Spec: the weight gradient of nn.Linear(3, 4) has the weight's shape, 4 x 3
assert layer.weight.grad.shape == (4, 3)
# Spec: summing the outputs of a linear layer over a batch of 10 rows gives each
#       bias entry the gradient 10, one per row it was added to
torch.testing.assert_close(layer.bias.grad, torch.full((4,), 10.0))
# --8<-- [end:ex2_solution]

# --8<-- [start:ex3_starter]
nested = nn.Sequential(
    nn.Sequential(nn.Linear(3, 8), nn.ReLU()),
    nn.Linear(8, 1),
)
# What names does nested.named_parameters() give?
# --8<-- [end:ex3_starter]

# --8<-- [start:ex3_solution]
names = [name for name, _ in nested.named_parameters()]
print(names)
# > ['0.0.weight', '0.0.bias', '1.weight', '1.bias']
# Spec: in a Sequential nested in a Sequential, parameter names join the
#       positions at every level, as in 0.0.weight
assert names == ["0.0.weight", "0.0.bias", "1.weight", "1.bias"]
# --8<-- [end:ex3_solution]
