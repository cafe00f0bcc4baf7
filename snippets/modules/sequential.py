"""nn.Sequential: the series' network as a module, and the parameters it owns."""

# --8<-- [start:imports]
import torch
from torch import nn

# --8<-- [end:imports]
from snippets.regression_data import make_regression_data

# --8<-- [start:sequential]
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
# Spec: nn.Sequential feeds each module's output to the next module
torch.testing.assert_close(model(x), model[2](model[1](model[0](x))))
# --8<-- [end:sequential]

# --8<-- [start:named_parameters]
for name, parameter in model.named_parameters():
    shape = str(tuple(parameter.shape))
    print(f"{name:9} {shape:8} {parameter.numel():3} values")
# > 0.weight  (32, 3)   96 values
# > 0.bias    (32,)     32 values
# > 2.weight  (1, 32)   32 values
# > 2.bias    (1,)       1 values
names = [name for name, _ in model.named_parameters()]
# Spec: the parameters of Sequential(Linear, ReLU, Linear) are named by position
#       and attribute; the ReLU at position 1 owns none
assert names == ["0.weight", "0.bias", "2.weight", "2.bias"]
# --8<-- [end:named_parameters]

# --8<-- [start:count]
n_parameters = sum(parameter.numel() for parameter in model.parameters())
print(n_parameters)
# > 161
# Spec: the 3 -> 32 -> 1 network holds 3·32 + 32 + 32·1 + 1 = 161 values
assert n_parameters == 3 * 32 + 32 + 32 * 1 + 1
# Spec: model.parameters() returns a new iterator on every call
assert model.parameters() is not model.parameters()
once = model.parameters()
list(once)  # the first pass uses the iterator up ...
# Spec: the iterator that model.parameters() returns is used up after one pass
assert list(once) == []  # ... and a second pass finds nothing
# Spec: the 3 -> 32 -> 1 Sequential holds four parameter tensors
assert len(list(model.parameters())) == 4
# Spec: model.parameters() yields the layers' own tensors, not copies
assert next(iter(model.parameters())) is model[0].weight
# --8<-- [end:count]

# --8<-- [start:same_network]
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
# Spec: given the same weights, the Sequential computes the hand-written forward
#       pass of the tensors page
torch.testing.assert_close(model(x), by_hand)
loss = ((model(x) - y) ** 2).sum()
print(f"loss {loss.item():.2f}")
# > loss 6074.82
# --8<-- [end:same_network]

# --8<-- [start:zero_grad]
loss.backward()
print(model[2].bias.grad)
# > tensor([659.2337])
# the tensors page's formula for the output bias: the sum of 2 (y_pred - y)
grad_b2 = (2 * (by_hand - y)).sum(dim=0)
# Spec: for the series' network as a Sequential, backward() gives the output bias
#       the gradient of the hand-derived formula, the sum of 2 (y_pred - y)
torch.testing.assert_close(model[2].bias.grad, grad_b2)
model.zero_grad()
print(model[2].bias.grad)
# > None
# Spec: model.zero_grad() sets every parameter's gradient to None by default
assert all(parameter.grad is None for parameter in model.parameters())
# --8<-- [end:zero_grad]
