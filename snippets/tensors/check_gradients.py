"""The hand-derived gradients of the tensors page agree with autograd's."""

# --8<-- [start:imports]
import torch

# --8<-- [end:imports]
from snippets.regression_data import make_regression_data

# --8<-- [start:check]
x, y = make_regression_data()
# the same starting weights as the training loop, now tracked by autograd
torch.manual_seed(42)
w1 = torch.randn(3, 32, requires_grad=True)
b1 = torch.zeros(1, 32, requires_grad=True)
w2 = torch.randn(32, 1, requires_grad=True)
b2 = torch.zeros(1, 1, requires_grad=True)

h = x @ w1 + b1
a = torch.relu(h)
y_pred = a @ w2 + b2
loss = ((y_pred - y) ** 2).sum()
loss.backward()  # autograd's gradients, in w1.grad, b1.grad, w2.grad, b2.grad

# the formulas of the training loop, on the same forward pass
with torch.no_grad():
    grad_y_pred = 2 * (y_pred - y)
    grad_w2 = a.T @ grad_y_pred
    grad_b2 = grad_y_pred.sum(dim=0, keepdim=True)
    grad_h = (grad_y_pred @ w2.T) * (h > 0)
    grad_w1 = x.T @ grad_h
    grad_b1 = grad_h.sum(dim=0, keepdim=True)

# Spec: for the series' network, the hand-derived gradient of the first weight
#       matrix equals the one autograd computes
torch.testing.assert_close(grad_w1, w1.grad)
# Spec: for the series' network, the hand-derived gradient of the first bias
#       equals autograd's
torch.testing.assert_close(grad_b1, b1.grad)
# Spec: for the series' network, the hand-derived gradient of the second weight
#       matrix equals autograd's
torch.testing.assert_close(grad_w2, w2.grad)
# Spec: for the series' network, the hand-derived gradient of the output bias
#       equals autograd's
torch.testing.assert_close(grad_b2, b2.grad)
print(f"loss {loss.item():.2f}")
# > loss 6074.82
print(f"gradient of b2: by hand {grad_b2.item():.3f}, by autograd {b2.grad.item():.3f}")
# > gradient of b2: by hand 659.234, by autograd 659.234
# --8<-- [end:check]
