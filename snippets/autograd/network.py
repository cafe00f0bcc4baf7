"""The series' network again, with autograd computing the gradients.

Run it with: python -m snippets.autograd.network
"""

# --8<-- [start:imports]
import torch

# --8<-- [end:imports]
from snippets.regression_data import make_regression_data

# --8<-- [start:setup]
x, y = make_regression_data()
torch.manual_seed(42)
w1 = torch.randn(3, 32, requires_grad=True)
b1 = torch.zeros(1, 32, requires_grad=True)
w2 = torch.randn(32, 1, requires_grad=True)
b2 = torch.zeros(1, 1, requires_grad=True)
learning_rate = 1e-4
# --8<-- [end:setup]

# --8<-- [start:train]
for t in range(200):
    y_pred = torch.relu(x @ w1 + b1) @ w2 + b2
    loss = ((y_pred - y) ** 2).sum()
    if t % 10 == 0:
        print(f"iteration {t:3}: loss {loss.item():.4f}")

    loss.backward()  # fills w1.grad, b1.grad, w2.grad, b2.grad

    with torch.no_grad():  # the update itself must not become part of the graph
        for parameter in (w1, b1, w2, b2):
            parameter -= learning_rate * parameter.grad
            parameter.grad = None  # gradients would otherwise add up across iterations
# > iteration   0: loss 6074.8232
# > iteration  10: loss 186.3100
# > iteration  20: loss 134.7709
# > iteration  30: loss 116.8430
# > iteration  40: loss 106.8031
# > iteration  50: loss 100.8208
# > iteration  60: loss 97.0139
# > iteration  70: loss 94.3986
# > iteration  80: loss 92.4824
# > iteration  90: loss 90.9205
# > iteration 100: loss 89.5452
# > iteration 110: loss 88.3398
# > iteration 120: loss 87.2476
# > iteration 130: loss 86.2097
# > iteration 140: loss 85.1927
# > iteration 150: loss 84.2734
# > iteration 160: loss 83.4371
# > iteration 170: loss 82.6563
# > iteration 180: loss 81.9177
# > iteration 190: loss 81.2127
# --8<-- [end:train]
