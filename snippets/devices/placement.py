"""Device-agnostic code: choose a device at run time, move data and model to it."""

# --8<-- [start:imports]
import torch
from torch import nn

# --8<-- [end:imports]
from snippets.devices.choose import device
from snippets.regression_data import make_regression_data

# --8<-- [start:tensors]
x, y = make_regression_data()  # created on the CPU
x, y = x.to(device), y.to(device)  # .to() on a tensor returns the moved tensor
zeros = torch.zeros(3, device=device)  # or create a tensor on the device directly
# Spec: .to(device) and device= place tensors on the chosen device (compared by type:
#       a tensor on torch.device("cuda") reports index 0)
assert x.device.type == y.device.type == zeros.device.type == device.type
# --8<-- [end:tensors]

# --8<-- [start:tensor_to_copy]
t = torch.ones(3)
t64 = t.to(torch.float64)
print(t.dtype, t64.dtype)
# > torch.float32 torch.float64
# Spec: Tensor.to() leaves the original tensor alone and returns a converted one
assert t.dtype == torch.float32 and t64 is not t
# --8<-- [end:tensor_to_copy]

# --8<-- [start:module_to]
torch.manual_seed(42)  # the series' network, as on the Optimizers page
model = nn.Sequential(nn.Linear(3, 32), nn.ReLU(), nn.Linear(32, 1))
returned = model.to(device)
# Spec: Module.to() moves the module in place and returns the module itself
assert returned is model
# Spec: after model.to(device) every parameter is on the chosen device
assert all(p.device.type == device.type for p in model.parameters())
# --8<-- [end:module_to]

# --8<-- [start:same_objects]
layer = nn.Linear(3, 1)
before = list(layer.parameters())
old_memory = layer.weight.data_ptr()  # where the weight's numbers are stored
layer.to(torch.float64)
print([p is q for p, q in zip(before, layer.parameters())], before[0].dtype)
# > [True, True] torch.float64
# Spec: by default Module.to() keeps the module's Parameter objects: after a
#       conversion it holds the same objects
assert all(p is q for p, q in zip(before, layer.parameters()))
# Spec: Module.to(torch.float64) stores a kept Parameter's values in new memory
assert layer.weight.data_ptr() != old_memory
# --8<-- [end:same_objects]

# --8<-- [start:overwrite]
previous = torch.__future__.get_overwrite_module_params_on_conversion()
torch.__future__.set_overwrite_module_params_on_conversion(True)
try:
    layer = nn.Linear(3, 1)
    optimizer = torch.optim.SGD(layer.parameters(), lr=0.1)  # built too early
    layer.to(torch.float64)  # now assigns new Parameter objects
finally:
    torch.__future__.set_overwrite_module_params_on_conversion(previous)
held = optimizer.param_groups[0]["params"][0]
print(held is layer.weight, held.dtype, layer.weight.dtype)
# > False torch.float32 torch.float64
# Spec: with the overwrite flag set, Module.to() replaces the parameters, and an
#       optimizer built before the move holds the old, orphaned tensors
assert held is not layer.weight
# --8<-- [end:overwrite]

# --8<-- [start:stale_state]
layer = nn.Linear(3, 1)
optimizer = torch.optim.Adam(layer.parameters(), lr=0.1)
layer(torch.ones(2, 3)).sum().backward()
optimizer.step()  # creates Adam's running averages, in float32
layer.to(torch.float64)  # stands in for a move to another device
print(optimizer.state[layer.weight]["exp_avg"].dtype, layer.weight.dtype)
# > torch.float32 torch.float64
# Spec: optimizer state created before Module.to() keeps its old dtype
assert optimizer.state[layer.weight]["exp_avg"].dtype == torch.float32

optimizer.zero_grad()
layer(torch.ones(2, 3, dtype=torch.float64)).sum().backward()
try:
    optimizer.step()
    outcome = "stepped"
except RuntimeError:
    outcome = "RuntimeError"
print(outcome)
# > RuntimeError
# Spec: Adam's next step raises when its state kept float32 and its parameters
#       became float64
assert outcome == "RuntimeError"
# --8<-- [end:stale_state]

# --8<-- [start:train]
optimizer = torch.optim.Adam(model.parameters(), lr=0.08)  # after model.to(device)
loss_fn = nn.MSELoss(reduction="sum")
losses = []
for epoch in range(200):
    optimizer.zero_grad()
    loss = loss_fn(model(x), y)
    losses.append(loss.item())  # .item() copies the number back to Python
    loss.backward()
    optimizer.step()
print(f"epoch 0: loss {losses[0]:.4f}")
# > epoch 0: loss 406.9156
# Spec: the loss of a model and data on one device is computed on that device
assert loss.device.type == device.type
# --8<-- [end:train]

# --8<-- [start:cpu]
predictions = model(x).detach().cpu()  # back on the CPU, for NumPy or plotting
# Spec: .cpu() returns a tensor on the CPU whatever device the model used
assert predictions.device.type == "cpu"
print(predictions.shape)
# > torch.Size([100, 1])
# --8<-- [end:cpu]
