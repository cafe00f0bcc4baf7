"""torch.no_grad(): computing without recording, and why parameter updates need it."""

# --8<-- [start:imports]
import torch

# --8<-- [end:imports]

# --8<-- [start:no_grad]
w = torch.tensor(1.5, requires_grad=True)
with torch.no_grad():
    doubled = w * 2
print(doubled.requires_grad, doubled.grad_fn)
# > False None
# Spec: a result computed inside torch.no_grad() does not require grad, even
#       when its input does
assert not doubled.requires_grad
# --8<-- [end:no_grad]

# --8<-- [start:update_error]
(w**2).backward()
try:
    w -= 0.1 * w.grad  # an in-place change to a leaf that autograd is tracking
except RuntimeError as error:
    message = str(error)
print(message)
# > a leaf Variable that requires grad is being used in an in-place operation.
# Spec: outside torch.no_grad(), an in-place change to a leaf that requires grad
#       raises a RuntimeError
assert message.startswith("a leaf Variable that requires grad")
# --8<-- [end:update_error]

# --8<-- [start:update]
with torch.no_grad():
    w -= 0.1 * w.grad
w.grad = None
print(w, w.is_leaf)
# > tensor(1.2000, requires_grad=True) True
# Spec: inside torch.no_grad(), w -= 0.1 * w.grad updates w in place: from 1.5,
#       with gradient 2w = 3, to 1.2
torch.testing.assert_close(w.detach(), torch.tensor(1.2))
# Spec: after an update inside torch.no_grad() the parameter is still a leaf
#       that requires grad
assert w.is_leaf and w.requires_grad
# --8<-- [end:update]
