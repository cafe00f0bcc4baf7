"""What the state_dicts of a model and an optimizer hold; torch.save and torch.load."""

# --8<-- [start:imports]
import copy
import io
import pickle

import numpy as np
import torch
from torch import nn

# --8<-- [end:imports]

# --8<-- [start:model_state]
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1))
state = model.state_dict()
for name, tensor in state.items():
    print(name, tuple(tensor.shape))
# > 0.weight (4, 3)
# > 0.bias (4,)
# > 2.weight (1, 4)
# > 2.bias (1,)
# Spec: a model's state_dict maps each parameter's dotted name to a tensor
assert list(state) == [name for name, _ in model.named_parameters()]
# --8<-- [end:model_state]

# --8<-- [start:shares_storage]
# Spec: the tensors of a state_dict share memory with the model's parameters
assert state["0.weight"].data_ptr() == model[0].weight.data_ptr()
# Spec: the tensors of a state_dict are detached: they do not require gradients
assert not state["0.weight"].requires_grad

snapshot = copy.deepcopy(model.state_dict())
with torch.no_grad():
    model[0].weight.add_(1.0)
# Spec: a state_dict follows later changes of the parameters
assert torch.equal(state["0.weight"], model[0].weight)
# Spec: a deep copy of a state_dict keeps the values it had when it was taken
assert not torch.equal(snapshot["0.weight"], model[0].weight)
model.load_state_dict(snapshot)
# --8<-- [end:shares_storage]

# --8<-- [start:optimizer_state]
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
print(optimizer.state_dict()["state"])
# > {}
x = torch.randn(8, 3)
y = torch.randn(8, 1)
for _ in range(3):
    optimizer.zero_grad()
    nn.functional.mse_loss(model(x), y).backward()
    optimizer.step()
saved = optimizer.state_dict()
print(sorted(saved))
# > ['param_groups', 'state']
print(saved["param_groups"][0]["params"], saved["param_groups"][0]["lr"])
# > [0, 1, 2, 3] 0.01
# --8<-- [end:optimizer_state]

# --8<-- [start:adam_state]
for index, parameter in enumerate(model.parameters()):
    entry = saved["state"][index]
    print(index, sorted(entry), entry["step"], tuple(entry["exp_avg"].shape))
    # Spec: Adam keeps a step count and two running averages per parameter
    assert sorted(entry) == ["exp_avg", "exp_avg_sq", "step"]
    # Spec: Adam's step count is a tensor that counts the steps taken
    assert entry["step"].item() == 3
    # Spec: Adam's running averages have the shape of their parameter
    assert entry["exp_avg"].shape == entry["exp_avg_sq"].shape == parameter.shape
# > 0 ['exp_avg', 'exp_avg_sq', 'step'] tensor(3.) (4, 3)
# > 1 ['exp_avg', 'exp_avg_sq', 'step'] tensor(3.) (4,)
# > 2 ['exp_avg', 'exp_avg_sq', 'step'] tensor(3.) (1, 4)
# > 3 ['exp_avg', 'exp_avg_sq', 'step'] tensor(3.) (1,)
# --8<-- [end:adam_state]

# --8<-- [start:save_load]
buffer = io.BytesIO()  # stands in for a file: torch.save(checkpoint, "run.pt")
checkpoint = {"model": model.state_dict(), "optimizer": optimizer.state_dict()}
torch.save(checkpoint, buffer)
buffer.seek(0)
loaded = torch.load(buffer, weights_only=True)

torch.manual_seed(1)
new_model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1))
new_optimizer = torch.optim.Adam(new_model.parameters(), lr=0.5)
new_model.load_state_dict(loaded["model"])
new_optimizer.load_state_dict(loaded["optimizer"])
pairs = zip(new_model.parameters(), model.parameters())
# Spec: load_state_dict copies saved values into a new model's own parameters
assert all(torch.equal(new, old) for new, old in pairs)
# Spec: an optimizer's load_state_dict restores its settings, such as the learning rate
assert new_optimizer.param_groups[0]["lr"] == 0.01
restored = new_optimizer.state[new_model[0].weight]
# Spec: an optimizer's load_state_dict attaches the saved state to the new parameters
assert torch.equal(restored["exp_avg"], saved["state"][0]["exp_avg"])
# --8<-- [end:save_load]

# --8<-- [start:mismatch]
wider = nn.Sequential(nn.Linear(3, 8), nn.ReLU(), nn.Linear(8, 1))  # 8, not 4
try:
    wider.load_state_dict(loaded["model"])
except RuntimeError as error:
    message = str(error)
print(message.splitlines()[1].strip())
# > size mismatch for 0.weight: copying a param with shape torch.Size([4, 3])...
# Spec: a model's load_state_dict refuses saved tensors whose shapes differ from
#       the model's parameters
assert "size mismatch for 0.weight" in message

no_relu = nn.Sequential(nn.Linear(3, 4), nn.Linear(4, 1))  # names 0.* and 1.*
try:
    no_relu.load_state_dict(loaded["model"])
except RuntimeError as error:
    message = str(error)
print(message.splitlines()[1].strip())
# > Missing key(s) in state_dict: "1.weight", "1.bias".
# Spec: a model's load_state_dict refuses a saved state whose parameter names
#       differ from the model's
assert "Missing key(s)" in message and "Unexpected key(s)" in message

two_groups = torch.optim.Adam(
    [{"params": new_model[0].parameters()}, {"params": new_model[2].parameters()}],
    lr=0.01,
)
try:
    two_groups.load_state_dict(loaded["optimizer"])
except ValueError as error:
    message = str(error)
print(message)
# > loaded state dict has a different number of parameter groups
# Spec: an optimizer's load_state_dict refuses a saved state with another number
#       of parameter groups
assert message == "loaded state dict has a different number of parameter groups"
# --8<-- [end:mismatch]

# --8<-- [start:weights_only]
everyday = {
    "epoch": 3,
    "note": "run A",
    "losses": [2.5, 1.75],
    "best": None,
    "shape": torch.Size([4, 3]),
    "dtype": torch.float64,
}
sample = io.BytesIO()
torch.save(everyday, sample)
sample.seek(0)
# Spec: torch.load with its default weights_only=True reads back numbers, strings,
#       lists, None, torch.Size and dtypes as they were saved
assert torch.load(sample) == everyday

whole = io.BytesIO()
torch.save(model, whole)  # pickles the module object itself, not just its tensors
whole.seek(0)
try:
    torch.load(whole)  # weights_only=True is the default
except pickle.UnpicklingError as error:
    message = str(error)
print(message[:25])
# > Weights only load failed.
# Spec: torch.load refuses a pickled nn.Module unless weights_only=False is passed
assert message.startswith("Weights only load failed")
# --8<-- [end:weights_only]

# --8<-- [start:numpy_number]
losses = [2.5, 1.75, 1.5]
checkpoint = {"epoch": 3, "mean_loss": np.mean(losses)}  # a numpy number, not a float
file = io.BytesIO()
torch.save(checkpoint, file)
file.seek(0)
refused = False
try:
    torch.load(file)
except pickle.UnpicklingError:
    refused = True
print(type(checkpoint["mean_loss"]).__name__, refused)
# > float64 True
# Spec: torch.load with its default weights_only=True refuses a checkpoint that
#       holds a numpy number, such as the result of np.mean
assert refused
file.seek(0)
needed = torch.serialization.get_unsafe_globals_in_checkpoint(file)
# Spec: torch.serialization.get_unsafe_globals_in_checkpoint names, without
#       loading the file, the numpy globals that such a checkpoint needs
assert needed and all(name.startswith("numpy") for name in needed)

checkpoint["mean_loss"] = float(np.mean(losses))  # a Python float
file = io.BytesIO()
torch.save(checkpoint, file)
file.seek(0)
# Spec: converted with float(), the same number loads with weights_only=True
assert torch.load(file) == {"epoch": 3, "mean_loss": 1.9166666666666667}
file.seek(0)
print(torch.serialization.get_unsafe_globals_in_checkpoint(file))
# > []
# --8<-- [end:numpy_number]
