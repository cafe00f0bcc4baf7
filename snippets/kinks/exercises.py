"""Exercises for the Gradients at kinks and ties page."""

# --8<-- [start:imports]
import torch

# --8<-- [end:imports]

# --8<-- [start:ex1_starter]
x = torch.tensor(0.0, requires_grad=True)
y = torch.tensor(0.0, requires_grad=True)
torch.relu(x).backward()
torch.maximum(y, torch.tensor(0.0)).backward()
# relu(x) and maximum(y, 0) have the same value everywhere.
# What are x.grad and y.grad at 0?
# --8<-- [end:ex1_starter]

# --8<-- [start:ex1_solution]
print(x.grad, y.grad)
# > tensor(0.) tensor(0.5000)
# Spec: exercise: at 0, relu's gradient is 0 but maximum(y, 0) splits the tie and
#       gives y half
assert (x.grad.item(), y.grad.item()) == (0.0, 0.5)
# --8<-- [end:ex1_solution]

# --8<-- [start:ex2_starter]
x = torch.tensor([-2.0, 2.0], requires_grad=True)
largest = x.abs().max()
# Both entries have the largest absolute value. What is x.grad after
# largest.backward()?
# --8<-- [end:ex2_starter]

# --8<-- [start:ex2_solution]
largest.backward()
print(x.grad)
# > tensor([-0.5000,  0.5000])
# Spec: exercise: max splits the tie between |-2| and |2| in halves, and abs turns
#       each half by the sign of its entry
torch.testing.assert_close(x.grad, torch.tensor([-0.5, 0.5]))
# --8<-- [end:ex2_solution]

# --8<-- [start:ex3_starter]
x = torch.zeros(3, requires_grad=True)
length = x.pow(2).sum().sqrt()
# length's gradient at the zero vector is NaN. Change one thing in the formula
# so that the gradient there is 0 and elsewhere barely changes.
# --8<-- [end:ex3_starter]


# --8<-- [start:ex3_solution]
def safe_length(v):
    return (v.pow(2).sum() + 1e-12).sqrt()  # the slope of sqrt at 1e-12 is finite


x = torch.zeros(3, requires_grad=True)
safe_length(x).backward()
print(x.grad)
# > tensor([0., 0., 0.])
# Spec: exercise: a tiny constant inside the square root makes the gradient at the
#       zero vector 0 instead of NaN
assert torch.equal(x.grad, torch.zeros(3))
away = torch.tensor([3.0, 4.0], requires_grad=True)
safe_length(away).backward()
# Spec: exercise: away from zero the constant changes the gradient of the length
#       by less than 1e-6
torch.testing.assert_close(away.grad, torch.tensor([0.6, 0.8]), atol=1e-6, rtol=0)
# --8<-- [end:ex3_solution]
