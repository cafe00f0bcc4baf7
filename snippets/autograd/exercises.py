"""Exercises for the autograd page: two partial derivatives, a value computed
under no_grad, and accumulation."""

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
w = torch.tensor(2.0, requires_grad=True)
tripled = w * 3  # recorded: tripled remembers that it came from w
with torch.no_grad():
    frozen = w * 3  # not recorded: the same value, 6, without a history
product = frozen * w
product.backward()
# frozen * w has the value of 3w² at w = 2. Is w.grad then 12, the slope of 3w²?
# And which of tripled and frozen require grad?
# --8<-- [end:ex2_starter]

# --8<-- [start:ex2_solution]
print(w.grad, tripled.requires_grad, frozen.requires_grad)
# > tensor(6.) True False
# Spec: a result computed under torch.no_grad() enters later operations as a
#       constant: for frozen = 3w made under no_grad, d(frozen · w)/dw is
#       frozen = 6 at w = 2, not the 12 of d(3w²)/dw
torch.testing.assert_close(w.grad, torch.tensor(6.0))
# Spec: of two copies of 3w, the one computed while autograd records requires
#       grad and the one computed under torch.no_grad() does not
assert tripled.requires_grad and not frozen.requires_grad
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
