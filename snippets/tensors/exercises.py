"""Exercises for the tensors page: predict a dtype, two shapes and a gradient."""

# --8<-- [start:imports]
import torch

# --8<-- [end:imports]

# --8<-- [start:ex1_starter]
counts = torch.tensor([1, 2])
halved = counts / 2
floored = counts // 2
# What are halved.dtype and floored.dtype? Decide, then print them.
# --8<-- [end:ex1_starter]

# --8<-- [start:ex1_solution]
print(halved, halved.dtype)
# > tensor([0.5000, 1.0000]) torch.float32
print(floored, floored.dtype)
# > tensor([0, 1]) torch.int64
# Spec: dividing an integer tensor with / gives a floating-point tensor, float32
#       by default
assert halved.dtype == torch.float32
# Spec: floor division // of an integer tensor keeps the integer type
assert floored.dtype == torch.int64
# Spec: floor division // of integers rounds down, also below zero: -3 // 2 is -2
assert (torch.tensor([-3, 3]) // 2).tolist() == [-2, 1]
# --8<-- [end:ex1_solution]

# --8<-- [start:ex2_starter]
column = torch.zeros(3, 1)
row = torch.zeros(4)
matrix = torch.ones(2, 3)
vector = torch.ones(3)
# What are the shapes of column + row and of matrix @ vector?
# --8<-- [end:ex2_starter]

# --8<-- [start:ex2_solution]
print((column + row).shape, (matrix @ vector).shape)
# > torch.Size([3, 4]) torch.Size([2])
# Spec: a 3 x 1 column plus a vector of length 4 broadcasts to a 3 x 4 matrix
assert (column + row).shape == (3, 4)
# Spec: a 2 x 3 matrix times a vector of length 3 is a vector of length 2, not a
#       2 x 1 matrix
assert (matrix @ vector).shape == (2,)
# --8<-- [end:ex2_solution]

# --8<-- [start:ex3_starter]
inputs = torch.tensor([[1.0, 2.0], [3.0, -1.0]])
weights = torch.tensor([[0.5], [1.0]])
targets = torch.tensor([[1.0], [0.0]])
# For loss = ((inputs @ weights - targets) ** 2).sum(), what is the gradient of
# the loss with respect to weights? Work it out by hand with the formulas of the
# page, then check it.
# --8<-- [end:ex3_starter]

# --8<-- [start:ex3_solution]
residuals = inputs @ weights - targets  # [[1.5], [0.5]]
by_hand = inputs.T @ (2 * residuals)  # [[1 * 3 + 3 * 1], [2 * 3 - 1 * 1]]
print(by_hand)
# > tensor([[6.],
# >         [5.]])

tracked = weights.clone().requires_grad_(True)
((inputs @ tracked - targets) ** 2).sum().backward()
# Spec: for loss = sum((X w - y)²), the gradient with respect to w is 2 Xᵀ (X w - y),
#       [[6], [5]] for the exercise's numbers
torch.testing.assert_close(by_hand, torch.tensor([[6.0], [5.0]]))
# Spec: for loss = sum((X w - y)²), autograd's gradient with respect to w equals
#       the formula 2 Xᵀ (X w - y)
torch.testing.assert_close(tracked.grad, by_hand)
# --8<-- [end:ex3_solution]
