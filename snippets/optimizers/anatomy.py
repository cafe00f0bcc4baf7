"""What an optimizer holds, and what backward() and step() each change."""

# --8<-- [start:imports]
import textwrap

import torch
from torch import nn

# --8<-- [end:imports]

# --8<-- [start:build]
torch.manual_seed(3)
model = nn.Linear(3, 1)  # weight 1 x 3, bias 1
x = torch.randn(1, 3)  # one data point
y = torch.randn(1, 1)
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
# --8<-- [end:build]

# --8<-- [start:param_groups]
print(len(optimizer.param_groups))
# > 1
group = optimizer.param_groups[0]
print(textwrap.fill(", ".join(sorted(group)), width=72))
# > amsgrad, betas, capturable, decoupled_weight_decay, differentiable, eps,
# > foreach, fused, lr, maximize, params, weight_decay
print(group["lr"], group["betas"], group["eps"], group["weight_decay"])
# > 0.01 (0.9, 0.999) 1e-08 0
# Spec: a parameter group of torch.optim.Adam has a decoupled_weight_decay setting
assert "decoupled_weight_decay" in group
# --8<-- [end:param_groups]

# --8<-- [start:same_objects]
print([tuple(p.shape) for p in group["params"]])
# > [(1, 3), (1,)]
# Spec: an optimizer's param_groups hold the model's own weight tensor, not a copy
assert group["params"][0] is model.weight
# Spec: an optimizer's param_groups hold the model's own bias tensor, not a copy
assert group["params"][1] is model.bias
# --8<-- [end:same_objects]

# --8<-- [start:defaults_state]
print(optimizer.defaults["lr"], optimizer.defaults["eps"])  # eps was not passed
# > 0.01 1e-08
# Spec: an optimizer's defaults hold every setting of its groups, those passed to
#       the constructor and the default values of the rest
assert set(optimizer.defaults) == set(group) - {"params"}
print(len(optimizer.state))
# > 0
# Spec: an optimizer has no per-parameter state before its first step
assert len(optimizer.state) == 0
# --8<-- [end:defaults_state]

# --8<-- [start:backward]
weight_before = model.weight.detach().clone()
bias_before = model.bias.detach().clone()

print("weight", model.weight.detach(), "grad", model.weight.grad)
# > weight tensor([[-0.5724, -0.4554, -0.2473]]) grad None
loss = nn.functional.mse_loss(model(x), y)
loss.backward()
print("weight", model.weight.detach())
# > weight tensor([[-0.5724, -0.4554, -0.2473]])
print("grad  ", model.weight.grad)
# > grad   tensor([[ 0.1849, -1.2755,  0.0960]])
print("bias  ", model.bias.detach(), "grad", model.bias.grad)
# > bias   tensor([-0.5462]) grad tensor([2.0784])
# Spec: backward() fills the .grad of every parameter
assert model.weight.grad is not None and model.bias.grad is not None
# Spec: backward() changes no parameter, seen through the model
assert torch.equal(model.weight, weight_before) and torch.equal(model.bias, bias_before)
# Spec: backward() changes no parameter, seen through the optimizer's param_groups
assert torch.equal(group["params"][0], weight_before) and torch.equal(
    group["params"][1], bias_before
)
# --8<-- [end:backward]

# --8<-- [start:step]
optimizer.step()
print("weight", model.weight.detach())
# > weight tensor([[-0.5824, -0.4454, -0.2573]])
print("bias  ", model.bias.detach())
# > bias   tensor([-0.5562])
# Spec: optimizer.step() changes the model's parameters in place
assert not torch.equal(model.weight, weight_before) and not torch.equal(
    model.bias, bias_before
)
# Spec: after step() the optimizer's param_groups show the same new values as the model
assert torch.equal(group["params"][0], model.weight) and torch.equal(
    group["params"][1], model.bias
)
# --8<-- [end:step]

# --8<-- [start:adam_first_step]
print(weight_before - model.weight.detach(), bias_before - model.bias.detach())
# > tensor([[ 0.0100, -0.0100,  0.0100]]) tensor([0.0100])
# Spec: Adam's first step moves each weight by lr = 0.01 against the sign of its
#       gradient (for gradients far larger than eps)
torch.testing.assert_close(
    weight_before - model.weight.detach(), 0.01 * model.weight.grad.sign()
)
# Spec: Adam's first step moves the bias by lr = 0.01 against the sign of its gradient
#       (for a gradient far larger than eps)
torch.testing.assert_close(
    bias_before - model.bias.detach(), 0.01 * model.bias.grad.sign()
)
# --8<-- [end:adam_first_step]

# --8<-- [start:state_after]
print(len(optimizer.state), sorted(optimizer.state[model.weight].keys()))
# > 2 ['exp_avg', 'exp_avg_sq', 'step']
# Spec: after Adam's first step, the state of the weight records step 1
assert optimizer.state[model.weight]["step"] == 1
# --8<-- [end:state_after]
