"""nn.Sequential: the series' network as a module, and the parameters it owns."""

# --8<-- [start:sequential]
import torch
from torch import nn

torch.manual_seed(0)
model = nn.Sequential(
    nn.Linear(3, 32),
    nn.ReLU(),
    nn.Linear(32, 1),
)
print(model)
# > Sequential(
# >   (0): Linear(in_features=3, out_features=32, bias=True)
# >   (1): ReLU()
# >   (2): Linear(in_features=32, out_features=1, bias=True)
# > )

x = torch.randn(100, 3)
print(model(x).shape)
# > torch.Size([100, 1])
# Spec: Sequential feeds each layer's output to the next
torch.testing.assert_close(model(x), model[2](model[1](model[0](x))))
# --8<-- [end:sequential]

# --8<-- [start:named_parameters]
for name, parameter in model.named_parameters():
    print(f"{name:9} {str(tuple(parameter.shape)):8} {parameter.numel():3} values")
# > 0.weight  (32, 3)   96 values
# > 0.bias    (32,)     32 values
# > 2.weight  (1, 32)   32 values
# > 2.bias    (1,)       1 values
names = [name for name, _ in model.named_parameters()]
# Spec: named by position in the Sequential; the ReLU (1) has none
assert names == ["0.weight", "0.bias", "2.weight", "2.bias"]
# --8<-- [end:named_parameters]

# --8<-- [start:count]
n_parameters = sum(parameter.numel() for parameter in model.parameters())
print(n_parameters)
# > 161
# Spec: 161 parameters: two weight matrices and two bias vectors
assert n_parameters == 3 * 32 + 32 + 32 * 1 + 1
# Spec: parameters() returns a new iterator on every call
assert model.parameters() is not model.parameters()
# Spec: four parameter tensors in all
assert len(list(model.parameters())) == 4
# Spec: the very tensors the layers use, not copies
assert next(iter(model.parameters())) is model[0].weight
# --8<-- [end:count]

# --8<-- [start:same_network]
from snippets.regression_data import make_regression_data

x, y = make_regression_data()
torch.manual_seed(42)  # the starting weights of the tensors page
w1, b1 = torch.randn(3, 32), torch.zeros(1, 32)
w2, b2 = torch.randn(32, 1), torch.zeros(1, 1)

with torch.no_grad():  # copying values into parameters must not be recorded
    model[0].weight.copy_(w1.T)  # nn.Linear stores out x in: the transpose of w1
    model[0].bias.copy_(b1[0])
    model[2].weight.copy_(w2.T)
    model[2].bias.copy_(b2[0])

by_hand = torch.relu(x @ w1 + b1) @ w2 + b2
# Spec: with the same weights, the Sequential computes the hand-written forward pass
torch.testing.assert_close(model(x), by_hand)
loss = ((model(x) - y) ** 2).sum()
print(f"loss {loss.item():.4f}")
# > loss 6074.8232
# --8<-- [end:same_network]

# --8<-- [start:zero_grad]
loss.backward()
print(model[2].bias.grad)
# > tensor([659.2337])
model.zero_grad()
print(model[2].bias.grad)
# > None
# Spec: model.zero_grad() sets every parameter's gradient to None
assert all(parameter.grad is None for parameter in model.parameters())
# --8<-- [end:zero_grad]
