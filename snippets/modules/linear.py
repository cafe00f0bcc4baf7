"""nn.Linear and nn.ReLU: layers that own their parameters."""

# --8<-- [start:linear]
import torch
from torch import nn

torch.manual_seed(0)
layer = nn.Linear(3, 32)  # 3 inputs, 32 outputs
print(layer)
#> Linear(in_features=3, out_features=32, bias=True)
print(layer.weight.shape, layer.bias.shape)
#> torch.Size([32, 3]) torch.Size([32])
assert layer.weight.shape == (32, 3)  # the weight is stored out_features x in_features
assert layer.bias.shape == (32,)  # the bias is a vector with one entry per output
# --8<-- [end:linear]

# --8<-- [start:forward]
x = torch.randn(100, 3)
out = layer(x)  # call the module like a function
print(out.shape)
#> torch.Size([100, 32])
torch.testing.assert_close(out, x @ layer.weight.T + layer.bias)  # nn.Linear computes x Wᵀ + b
# --8<-- [end:forward]

# --8<-- [start:parameter]
print(type(layer.weight).__name__, layer.weight.requires_grad, layer.weight.is_leaf)
#> Parameter True True
assert isinstance(layer.weight, nn.Parameter)  # a layer's weight is an nn.Parameter
assert layer.weight.requires_grad and layer.weight.is_leaf  # a leaf that autograd tracks, with no extra flag
bound = 1 / 3**0.5  # 1 / sqrt(in_features)
assert layer.weight.abs().max() <= bound  # initial weights are drawn uniformly from (-1/sqrt(3), 1/sqrt(3))
assert layer.bias.abs().max() <= bound  # initial biases are drawn from the same range
# --8<-- [end:parameter]

# --8<-- [start:relu]
relu = nn.ReLU()
z = torch.tensor([-2.0, -0.5, 0.0, 1.5])
print(relu(z))
#> tensor([0.0000, 0.0000, 0.0000, 1.5000])
torch.testing.assert_close(relu(z), torch.relu(z))  # the nn.ReLU module computes the same as torch.relu
assert len(list(relu.parameters())) == 0  # ReLU has nothing to learn
# --8<-- [end:relu]
