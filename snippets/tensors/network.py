"""The series' network with plain tensors: hand-derived gradients, manual updates.

Run it with: python -m snippets.tensors.network
"""

# --8<-- [start:imports]
import torch

# --8<-- [end:imports]
from snippets.regression_data import make_regression_data

# --8<-- [start:setup]
x, y = make_regression_data()
print(x.shape, y.shape)
# > torch.Size([100, 3]) torch.Size([100, 1])

torch.manual_seed(42)
w1 = torch.randn(3, 32)  # input -> hidden, stored in x out
b1 = torch.zeros(1, 32)
w2 = torch.randn(32, 1)  # hidden -> output
b2 = torch.zeros(1, 1)
learning_rate = 1e-4
# --8<-- [end:setup]

# --8<-- [start:train]
for t in range(200):
    # forward pass
    h = x @ w1 + b1  # 100 x 32, the bias row is broadcast to every observation
    a = torch.relu(h)  # 100 x 32
    y_pred = a @ w2 + b2  # 100 x 1
    loss = ((y_pred - y) ** 2).sum()
    if t % 10 == 0:
        print(f"iteration {t:3}: loss {loss.item():.4f}")

    # backward pass: the chain rule, from the loss back to each weight
    grad_y_pred = 2 * (y_pred - y)  # 100 x 1
    grad_w2 = a.T @ grad_y_pred  # 32 x 1, like w2
    grad_b2 = grad_y_pred.sum(dim=0, keepdim=True)  # 1 x 1, like b2
    grad_a = grad_y_pred @ w2.T  # 100 x 32
    # ReLU passes the gradient only where its input was positive
    grad_h = grad_a * (h > 0)
    grad_w1 = x.T @ grad_h  # 3 x 32, like w1
    grad_b1 = grad_h.sum(dim=0, keepdim=True)  # 1 x 32, like b1

    # update: a small step against each gradient
    w1 -= learning_rate * grad_w1
    b1 -= learning_rate * grad_b1
    w2 -= learning_rate * grad_w2
    b2 -= learning_rate * grad_b2
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
