"""The hand-derived gradients of the tensors page agree with what autograd computes."""

# --8<-- [start:check]
import torch

from snippets.regression_data import make_regression_data

x, y = make_regression_data()
torch.manual_seed(42)
w1 = torch.randn(
    3, 32, requires_grad=True
)  # the same starting weights as the training loop,
b1 = torch.zeros(1, 32, requires_grad=True)  # now tracked by autograd
w2 = torch.randn(32, 1, requires_grad=True)
b2 = torch.zeros(1, 1, requires_grad=True)

h = x @ w1 + b1
a = torch.relu(h)
y_pred = a @ w2 + b2
loss = ((y_pred - y) ** 2).sum()
loss.backward()  # autograd's gradients, in w1.grad, b1.grad, w2.grad, b2.grad

with torch.no_grad():  # the formulas of the training loop, on the same forward pass
    grad_y_pred = 2 * (y_pred - y)
    grad_w2 = a.T @ grad_y_pred
    grad_b2 = grad_y_pred.sum(dim=0, keepdim=True)
    grad_h = (grad_y_pred @ w2.T) * (h > 0)
    grad_w1 = x.T @ grad_h
    grad_b1 = grad_h.sum(dim=0, keepdim=True)

# Spec: the hand-derived gradient of w1 equals autograd's
torch.testing.assert_close(grad_w1, w1.grad)
# Spec: the hand-derived gradient of b1 equals autograd's
torch.testing.assert_close(grad_b1, b1.grad)
# Spec: the hand-derived gradient of w2 equals autograd's
torch.testing.assert_close(grad_w2, w2.grad)
# Spec: the hand-derived gradient of b2 equals autograd's
torch.testing.assert_close(grad_b2, b2.grad)
print(
    f"loss {loss.item():.4f}; gradient of b2 by hand {grad_b2.item():.3f}, by autograd {b2.grad.item():.3f}"
)
# > loss 6074.8232; gradient of b2 by hand 659.234, by autograd 659.234
# --8<-- [end:check]
