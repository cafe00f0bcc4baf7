"""The rules of backward(): non-leaf gradients, freed graphs, accumulation, shapes."""

# --8<-- [start:non_leaf]
import warnings

import torch

x = torch.tensor(2.0, requires_grad=True)
y = x * 3  # not a leaf: it was computed from x
(y**2).backward()

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    print(y.grad)
# > None
print(caught[0].category.__name__, str(caught[0].message).split(". ")[0])
# > UserWarning The .grad attribute of a Tensor that is not a leaf Tensor is being accessed
# --8<-- [end:non_leaf]

# --8<-- [start:retain_grad_error]
plain = torch.tensor(2.0)  # requires_grad=False: autograd never sees it
try:
    plain.retain_grad()
except RuntimeError as error:
    print(error)
# > can't retain_grad on Tensor that has requires_grad=False
# --8<-- [end:retain_grad_error]

# --8<-- [start:second_backward]
x = torch.tensor(2.0, requires_grad=True)
loss = (x * x).sum()  # x * x saves both inputs for the backward pass
loss.backward()
try:
    loss.backward()
except RuntimeError as error:
    message = str(error)
print(message)
# > Trying to backward through the graph a second time...
# Spec: a freed graph refuses a second backward
assert message.startswith("Trying to backward through the graph a second time")
# --8<-- [end:second_backward]

# --8<-- [start:retain_graph]
x = torch.tensor(2.0, requires_grad=True)
loss = x * x
loss.backward(retain_graph=True)
print(x.grad)
# > tensor(4.)
loss.backward()  # allowed: the graph was kept, and the new gradient is added
print(x.grad)
# > tensor(8.)
# Spec: 4 + 4
torch.testing.assert_close(x.grad, torch.tensor(8.0))
# --8<-- [end:retain_graph]

# --8<-- [start:zeroing]
x.grad.zero_()  # or x.grad = None
(x * x).backward()
print(x.grad)
# > tensor(4.)
# Spec: after zeroing, one backward gives exactly one gradient
torch.testing.assert_close(x.grad, torch.tensor(4.0))
# --8<-- [end:zeroing]

# --8<-- [start:matrix_leaf]
w = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
(w**2).sum().backward()
print(w.grad)
# > tensor([[2., 4.],
# >         [6., 8.]])
# Spec: the gradient of a matrix leaf is a matrix of the same shape
assert w.grad.shape == w.shape
# Spec: d(sum w²)/dw_ij = 2 w_ij, element by element
torch.testing.assert_close(w.grad, 2 * w.detach())
# --8<-- [end:matrix_leaf]
