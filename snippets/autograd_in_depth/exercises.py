"""Exercises for the Autograd in depth page."""

# --8<-- [start:imports]
import math

import torch

# --8<-- [end:imports]

# --8<-- [start:ex1_starter]
x = torch.tensor(2.0, requires_grad=True)
z = x**2 + x.detach() ** 3
# What will x.grad be after z.backward()?
# --8<-- [end:ex1_starter]

# --8<-- [start:ex1_solution]
z.backward()
print(x.grad)
# > tensor(4.)
# Spec: exercise: only the attached term counts: d(x² + c)/dx = 2x = 4 at x = 2
torch.testing.assert_close(x.grad, torch.tensor(4.0))
# --8<-- [end:ex1_solution]

# --8<-- [start:ex2_starter]
x = torch.tensor(1.0, requires_grad=True)
y = 3 * x
y.register_hook(lambda grad: grad + 1)
z = y**2
# What will x.grad be after z.backward()?
# --8<-- [end:ex2_starter]

# --8<-- [start:ex2_solution]
z.backward()
print(x.grad)
# > tensor(21.)
# Spec: exercise: a hook on y changes what reaches x: dz/dy = 2y = 6, the hook makes
#       it 7, and dy/dx = 3 gives 21
torch.testing.assert_close(x.grad, torch.tensor(21.0))
# --8<-- [end:ex2_solution]

# --8<-- [start:ex3_starter]
points = torch.tensor([math.pi / 6, math.pi / 2, 3 * math.pi / 2], requires_grad=True)
(slope,) = torch.autograd.grad(torch.sin(points).sum(), points, create_graph=True)
# What is the second derivative of sin at these three points?
# --8<-- [end:ex3_starter]

# --8<-- [start:ex3_solution]
(curvature,) = torch.autograd.grad(slope.sum(), points)
print(curvature.round(decimals=4))
# > tensor([-0.5000, -1.0000,  1.0000])
# Spec: exercise: the second derivative of sin(x) is -sin(x)
torch.testing.assert_close(curvature, -torch.sin(points.detach()))
# --8<-- [end:ex3_solution]
