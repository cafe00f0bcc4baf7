"""Gradients of scalar functions: requires_grad, leaf tensors and .grad."""

# --8<-- [start:imports]
import torch

# --8<-- [end:imports]

# --8<-- [start:square]
x = torch.tensor(3.0, requires_grad=True)
y = x**2
y.backward()
print(x.grad)
# > tensor(6.)
# Spec: for y = x², backward() stores dy/dx = 2x in x.grad: 6 at x = 3
torch.testing.assert_close(x.grad, torch.tensor(6.0))
# --8<-- [end:square]

# --8<-- [start:leaf]
print(x.is_leaf, x.requires_grad, x.grad_fn)
# > True True None
print(y.is_leaf, y.requires_grad, y.grad_fn.name())
# > False True PowBackward0
# Spec: a tensor created with requires_grad=True is a leaf; a result computed
#       from it while autograd records is not, and carries a grad_fn
assert x.is_leaf and not y.is_leaf and y.grad_fn is not None
# --8<-- [end:leaf]

# --8<-- [start:other_leaves]
constant = torch.tensor(5.0)  # requires_grad=False
derived = constant * 3  # computed, but from a tensor autograd does not track
with torch.no_grad():
    unrecorded = x * 2  # computed from x, while recording is switched off
print(constant.is_leaf, derived.is_leaf, unrecorded.is_leaf)
# > True True True
print(derived.requires_grad, unrecorded.requires_grad, unrecorded.grad_fn)
# > False False None
# Spec: every tensor that does not require grad is a leaf, including results
#       computed from untracked tensors
assert constant.is_leaf and derived.is_leaf
# Spec: a result computed under torch.no_grad() is a leaf without a grad_fn,
#       even when its input requires grad
assert unrecorded.is_leaf and unrecorded.grad_fn is None
# --8<-- [end:other_leaves]

# --8<-- [start:chain]
x = torch.tensor(2.0, requires_grad=True)
y = x**2
z = 3 * y
h = z + 1  # h = 3x² + 1
h.backward()
print(x.grad)
# > tensor(12.)
# Spec: through the chain y = x², z = 3y, h = z + 1, dh/dx = 6x: 12 at x = 2
torch.testing.assert_close(x.grad, torch.tensor(12.0))
# --8<-- [end:chain]

# --8<-- [start:relu]
x = torch.tensor([-2.0, -0.5, 0.0, 0.5, 3.0], requires_grad=True)
torch.relu(x).sum().backward()
print(x.grad)
# > tensor([0., 0., 0., 1., 1.])
# Spec: the gradient of ReLU is 1 where its input is positive and 0 where it is
#       negative or exactly zero
torch.testing.assert_close(x.grad, (x > 0).float())
# --8<-- [end:relu]
