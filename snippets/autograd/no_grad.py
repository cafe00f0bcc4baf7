"""torch.no_grad(): computing without recording, and why parameter updates need it."""

# --8<-- [start:no_grad]
import torch

w = torch.tensor(1.5, requires_grad=True)
with torch.no_grad():
    doubled = w * 2
print(doubled.requires_grad, doubled.grad_fn)
# > False None
# --8<-- [end:no_grad]

# --8<-- [start:update_error]
(w**2).backward()
try:
    w -= 0.1 * w.grad  # an in-place change to a leaf that autograd is tracking
except RuntimeError as error:
    print(error)
# > a leaf Variable that requires grad is being used in an in-place operation.
# --8<-- [end:update_error]

# --8<-- [start:update]
with torch.no_grad():
    w -= 0.1 * w.grad
w.grad = None
print(w, w.is_leaf)
# > tensor(1.2000, requires_grad=True) True
# Spec: 1.5 - 0.1 * (2 * 1.5)
torch.testing.assert_close(w.detach(), torch.tensor(1.2))
# --8<-- [end:update]
