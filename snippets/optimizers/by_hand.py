"""Gradient descent on loss = (w - 1)², first by hand, then with torch.optim.SGD."""

# --8<-- [start:imports]
import torch

# --8<-- [end:imports]

# --8<-- [start:by_hand]
w = torch.tensor(2.0, requires_grad=True)
learning_rate = 0.1
losses, ws = [], []

print("step   loss    w after")
# > step   loss    w after
for step in range(1, 7):
    loss = (w - 1) ** 2
    loss.backward()  # w.grad = 2 (w - 1)
    with torch.no_grad():  # the update must not be recorded in the graph
        w -= learning_rate * w.grad
    w.grad = None  # start the next step from a clean gradient
    losses.append(loss.item())
    ws.append(w.item())
    print(f"{step:4}   {loss.item():.4f}  {w.item():.4f}")
# >    1   1.0000  1.8000
# >    2   0.6400  1.6400
# >    3   0.4096  1.5120
# >    4   0.2621  1.4096
# >    5   0.1678  1.3277
# >    6   0.1074  1.2621
# --8<-- [end:by_hand]

# --8<-- [start:by_hand_check]
expected_losses = torch.tensor([1.0, 0.64, 0.4096, 0.2621, 0.1678, 0.1074])
expected_ws = torch.tensor([1.8, 1.64, 1.512, 1.4096, 1.3277, 1.2621])
# Spec: gradient descent on (w - 1)² from w = 2 with lr 0.1: the loss before each of six
#       steps is 1, 0.64, 0.4096, 0.2621, 0.1678, 0.1074
torch.testing.assert_close(torch.tensor(losses), expected_losses, rtol=0, atol=5e-5)
# Spec: gradient descent on (w - 1)² from w = 2 with lr 0.1: w after each of six steps
#       is 1.8, 1.64, 1.512, 1.4096, 1.3277, 1.2621
torch.testing.assert_close(torch.tensor(ws), expected_ws, rtol=0, atol=5e-5)
steps = torch.arange(1, 7)
# Spec: with lr 0.1, every gradient-descent step on (w - 1)² multiplies the distance
#       w - 1 to the minimum by 0.8
torch.testing.assert_close(torch.tensor(ws), 1 + 0.8**steps)
# --8<-- [end:by_hand_check]

# --8<-- [start:sgd]
w = torch.tensor(2.0, requires_grad=True)
optimizer = torch.optim.SGD([w], lr=0.1)
sgd_ws = []

for step in range(1, 7):
    optimizer.zero_grad()  # 1. forget the previous gradient
    loss = (w - 1) ** 2  # 2. forward pass and loss
    loss.backward()  # 3. gradients into w.grad
    optimizer.step()  # 4. w <- w - lr * w.grad, without recording it
    sgd_ws.append(w.item())

print([round(value, 4) for value in sgd_ws])
# > [1.8, 1.64, 1.512, 1.4096, 1.3277, 1.2621]
# Spec: torch.optim.SGD(lr=0.1) follows the trajectory of the hand-written update
#       w -= lr * w.grad, equal within float32 rounding
torch.testing.assert_close(torch.tensor(sgd_ws), torch.tensor(ws))
# --8<-- [end:sgd]

# --8<-- [start:rounding]
generator = torch.Generator().manual_seed(0)
start = torch.randn(1000, generator=generator)  # 1,000 parameters ...
gradient = torch.randn(1000, generator=generator)  # ... and their gradients
lr = 0.1

w = start.clone().requires_grad_(True)
w.grad = gradient.clone()
torch.optim.SGD([w], lr=lr).step()

as_step_writes_it = start.add(gradient, alpha=-lr)  # one operation: w - lr * g
product_first = start - lr * gradient  # two operations, each rounded
# Spec: one plain SGD step computes w.add_(grad, alpha=-lr): the same float32
#       numbers, bit for bit
assert torch.equal(w.detach(), as_step_writes_it)
# Spec: one plain SGD step agrees with w - lr * w.grad within float32 rounding
torch.testing.assert_close(w.detach(), product_first)
# --8<-- [end:rounding]
