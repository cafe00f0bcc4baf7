"""Gradients of scalar functions: requires_grad, leaf tensors and .grad."""

# --8<-- [start:square]
import torch

x = torch.tensor(3.0, requires_grad=True)
y = x**2
y.backward()
print(x.grad)
# > tensor(6.)
# Spec: dy/dx = 2x = 6 at x = 3
torch.testing.assert_close(x.grad, torch.tensor(6.0))
# --8<-- [end:square]

# --8<-- [start:leaf]
print(x.is_leaf, x.requires_grad, x.grad_fn)
# > True True None
print(y.is_leaf, y.requires_grad, y.grad_fn.name())
# > False True PowBackward0
# --8<-- [end:leaf]

# --8<-- [start:chain]
x = torch.tensor(2.0, requires_grad=True)
y = x**2
z = 3 * y
h = z + 1  # h = 3x² + 1
h.backward()
print(x.grad)
# > tensor(12.)
# Spec: dh/dx = 6x = 12 at x = 2
torch.testing.assert_close(x.grad, torch.tensor(12.0))
# --8<-- [end:chain]

# --8<-- [start:relu]
x = torch.tensor([-2.0, -0.5, 0.5, 3.0], requires_grad=True)
torch.relu(x).sum().backward()
print(x.grad)
# > tensor([0., 0., 1., 1.])
# Spec: 1 where the input is positive, else 0
torch.testing.assert_close(x.grad, (x > 0).float())
# --8<-- [end:relu]
