"""Parameter groups: one optimizer, its own learning rate for each part of a model."""

# --8<-- [start:imports]
import torch
from torch import nn

# --8<-- [end:imports]
from snippets.regression_data import make_regression_data

# --8<-- [start:groups]
x, y = make_regression_data()
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(3, 32), nn.ReLU(), nn.Linear(32, 1))
optimizer = torch.optim.SGD(
    [
        {
            "params": model[0].parameters(),
            "lr": 1e-3,
        },  # first layer: its own, smaller rate
        {
            "params": model[2].parameters()
        },  # last layer: falls back to the default below
    ],
    lr=1e-2,
)
print([group["lr"] for group in optimizer.param_groups])
# > [0.001, 0.01]
# Spec: each parameter group keeps its own learning rate
assert [group["lr"] for group in optimizer.param_groups] == [1e-3, 1e-2]
# Spec: the constructor's lr is the default for parameter groups that set none
assert optimizer.defaults["lr"] == 1e-2
# --8<-- [end:groups]

# --8<-- [start:step]
snapshots = [
    [p.detach().clone() for p in group["params"]] for group in optimizer.param_groups
]
optimizer.zero_grad()
nn.functional.mse_loss(model(x), y).backward()
optimizer.step()

for index, (group, olds) in enumerate(zip(optimizer.param_groups, snapshots)):
    moved = sum((old - p.detach()).abs().sum() for old, p in zip(olds, group["params"]))
    gradient = sum(p.grad.abs().sum() for p in group["params"])
    ratio = moved / gradient
    print(f"group {index}: lr {group['lr']}, total |update| / |gradient| {ratio:.4f}")
    for old, p in zip(olds, group["params"]):
        # Spec: SGD moves each parameter by its own group's lr times its gradient
        torch.testing.assert_close(old - p.detach(), group["lr"] * p.grad)
# > group 0: lr 0.001, total |update| / |gradient| 0.0010
# > group 1: lr 0.01, total |update| / |gradient| 0.0100
# --8<-- [end:step]

# --8<-- [start:change]
optimizer.param_groups[1]["lr"] = 5e-3  # what a learning-rate scheduler does, too
print([group["lr"] for group in optimizer.param_groups])
# > [0.001, 0.005]

scheduler = torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=0.5)
last_layer = model[2].weight
before = last_layer.detach().clone()
optimizer.step()  # the same gradients as before, now with the new rate
# Spec: step() uses a learning rate written into a parameter group after the
#       optimizer was built
torch.testing.assert_close(before - last_layer.detach(), 5e-3 * last_layer.grad)
scheduler.step()  # halves every group's rate
print([group["lr"] for group in optimizer.param_groups])
# > [0.0005, 0.0025]
# Spec: a learning-rate scheduler changes the rate by writing a new value into each
#       parameter group's "lr"
assert [group["lr"] for group in optimizer.param_groups] == [5e-4, 2.5e-3]
# --8<-- [end:change]

# --8<-- [start:named]
named_optimizer = torch.optim.SGD(model.named_parameters(), lr=1e-2)
print(named_optimizer.param_groups[0]["param_names"])
# > ['0.weight', '0.bias', '2.weight', '2.bias']
saved_group = named_optimizer.state_dict()["param_groups"][0]
names = [name for name, _ in model.named_parameters()]
# Spec: an optimizer built from model.named_parameters() keeps the names, in
#       order, under "param_names" of its parameter group and of its state_dict
assert (
    named_optimizer.param_groups[0]["param_names"]
    == names
    == saved_group["param_names"]
)
# Spec: built from named_parameters(), the optimizer updates the same tensors
#       as one built from parameters()
assert all(
    p is q
    for p, q in zip(named_optimizer.param_groups[0]["params"], model.parameters())
)
mixed_error = None
try:
    torch.optim.SGD([("weight", model[0].weight), model[0].bias], lr=1e-2)
except ValueError as error:
    mixed_error = str(error)
print(mixed_error)
# > all optimizer params should be with/without names. Some param names are missing
# Spec: an optimizer refuses, with a ValueError, a list that names some of its
#       parameters and not others
assert mixed_error is not None and "param names are missing" in mixed_error
# --8<-- [end:named]
