"""nn.Linear and nn.ReLU: layers that own their parameters."""

# --8<-- [start:linear]
import torch
from torch import nn

torch.manual_seed(0)
layer = nn.Linear(3, 32)  # 3 inputs, 32 outputs
print(layer)
# > Linear(in_features=3, out_features=32, bias=True)
print(layer.weight.shape, layer.bias.shape)
# > torch.Size([32, 3]) torch.Size([32])
# Spec: the weight is stored out_features x in_features
assert layer.weight.shape == (32, 3)
# Spec: the bias is a vector with one entry per output
assert layer.bias.shape == (32,)
# --8<-- [end:linear]

# --8<-- [start:forward]
x = torch.randn(100, 3)
out = layer(x)  # call the module like a function
print(out.shape)
# > torch.Size([100, 32])
# Spec: nn.Linear computes x Wᵀ + b
torch.testing.assert_close(out, x @ layer.weight.T + layer.bias)
# --8<-- [end:forward]

# --8<-- [start:parameter]
print(type(layer.weight).__name__, layer.weight.requires_grad, layer.weight.is_leaf)
# > Parameter True True
# Spec: a layer's weight is an nn.Parameter
assert isinstance(layer.weight, nn.Parameter)
# Spec: a leaf that autograd tracks, with no extra flag
assert layer.weight.requires_grad and layer.weight.is_leaf
bound = 1 / 3**0.5  # 1 / sqrt(in_features)
# Spec: initial weights are drawn uniformly from (-1/sqrt(3), 1/sqrt(3))
assert layer.weight.abs().max() <= bound
# Spec: initial biases are drawn from the same range
assert layer.bias.abs().max() <= bound
# --8<-- [end:parameter]

# --8<-- [start:relu]
relu = nn.ReLU()
z = torch.tensor([-2.0, -0.5, 0.0, 1.5])
print(relu(z))
# > tensor([0.0000, 0.0000, 0.0000, 1.5000])
# Spec: the nn.ReLU module computes the same as torch.relu
torch.testing.assert_close(relu(z), torch.relu(z))
# Spec: ReLU has nothing to learn
assert len(list(relu.parameters())) == 0
# --8<-- [end:relu]
