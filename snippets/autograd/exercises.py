"""Exercises for the autograd page: two partial derivatives, a second backward,
and accumulation."""

# --8<-- [start:imports]
import torch

# --8<-- [end:imports]

# --8<-- [start:ex1_starter]
x = torch.tensor(2.0, requires_grad=True)
y = torch.tensor(3.0, requires_grad=True)
z = x * y + y**2
# What will x.grad and y.grad hold after z.backward()?
# --8<-- [end:ex1_starter]

# --8<-- [start:ex1_solution]
z.backward()
print(x.grad, y.grad)
# > tensor(3.) tensor(8.)
# Spec: for z = x·y + y², dz/dx = y = 3 and dz/dy = x + 2y = 8 at x = 2, y = 3
torch.testing.assert_close(x.grad, torch.tensor(3.0))
# Spec: for z = x·y + y², the gradient of y collects both of its uses:
#       x + 2y = 8 at x = 2, y = 3
torch.testing.assert_close(y.grad, torch.tensor(8.0))
# --8<-- [end:ex1_solution]

# --8<-- [start:ex2_starter]
w = torch.tensor([0.5, -1.0], requires_grad=True)
grown = w.exp().sum()
moved = (w + 3).sum()
grown.backward()
moved.backward()
# Which of grown.backward() and moved.backward() can be called a second time?
# --8<-- [end:ex2_starter]


# --8<-- [start:ex2_solution]
def second_backward(loss):
    try:
        loss.backward()
    except RuntimeError:
        return "raises"
    return "runs"


outcomes = {"grown": second_backward(grown), "moved": second_backward(moved)}
print(outcomes)
# > {'grown': 'raises', 'moved': 'runs'}
# Spec: a second backward() through exp() raises, because exp's backward needs
#       its saved result; through w + 3 and a sum, which save nothing, it runs
assert outcomes == {"grown": "raises", "moved": "runs"}
# --8<-- [end:ex2_solution]

# --8<-- [start:ex3_starter]
w = torch.tensor(1.0, requires_grad=True)
for _ in range(3):
    (5 * w).backward()  # a new graph each time
# What is w.grad now? And after w.grad = None and one more (5 * w).backward()?
# --8<-- [end:ex3_starter]

# --8<-- [start:ex3_solution]
print(w.grad)
# > tensor(15.)
# Spec: three backward() calls of 5w without clearing leave 3 · 5 = 15 in w.grad
torch.testing.assert_close(w.grad, torch.tensor(15.0))
w.grad = None
(5 * w).backward()
print(w.grad)
# > tensor(5.)
# Spec: after w.grad = None, one backward() of 5w leaves exactly 5
torch.testing.assert_close(w.grad, torch.tensor(5.0))
# --8<-- [end:ex3_solution]
