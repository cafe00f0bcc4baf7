"""nn.Linear and nn.ReLU: layers that own their parameters."""

# --8<-- [start:imports]
import torch
from torch import nn

# --8<-- [end:imports]

# --8<-- [start:linear]
torch.manual_seed(0)
layer = nn.Linear(3, 32)  # 3 inputs, 32 outputs
print(layer)
# > Linear(in_features=3, out_features=32, bias=True)
print(layer.weight.shape, layer.bias.shape)
# > torch.Size([32, 3]) torch.Size([32])
# Spec: nn.Linear(3, 32) stores its weight as out_features x in_features, 32 x 3
assert layer.weight.shape == (32, 3)
# Spec: nn.Linear(3, 32) has a bias vector with one entry per output, 32
assert layer.bias.shape == (32,)
# --8<-- [end:linear]

# --8<-- [start:forward]
x = torch.randn(100, 3)
out = layer(x)  # call the module like a function
print(out.shape)
# > torch.Size([100, 32])
# Spec: calling an nn.Linear layer on a batch x computes x Wᵀ + b
torch.testing.assert_close(out, x @ layer.weight.T + layer.bias)
# --8<-- [end:forward]

# --8<-- [start:parameter]
print(type(layer.weight).__name__, layer.weight.requires_grad, layer.weight.is_leaf)
# > Parameter True True
# Spec: the weight of an nn.Linear layer is an nn.Parameter
assert isinstance(layer.weight, nn.Parameter)
# Spec: a layer's weight is a leaf that requires grad without being asked to
assert layer.weight.requires_grad and layer.weight.is_leaf
bound = 1 / 3**0.5  # 1 / sqrt(in_features)
# Spec: the initial weights of nn.Linear(3, 32) lie within (-1/√3, 1/√3)
assert layer.weight.abs().max() <= bound
# Spec: the initial biases of nn.Linear(3, 32) lie within (-1/√3, 1/√3) too
assert layer.bias.abs().max() <= bound
# --8<-- [end:parameter]

# --8<-- [start:relu]
relu = nn.ReLU()
z = torch.tensor([-2.0, -0.5, 0.0, 1.5])
print(relu(z))
# > tensor([0.0000, 0.0000, 0.0000, 1.5000])
# Spec: the nn.ReLU module computes the same as torch.relu
torch.testing.assert_close(relu(z), torch.relu(z))
# Spec: nn.ReLU has no parameters
assert len(list(relu.parameters())) == 0
# --8<-- [end:relu]
