"""The rules of backward(): non-leaf gradients, freed graphs, accumulation, shapes."""

# --8<-- [start:imports]
import warnings

import torch

# --8<-- [end:imports]

# --8<-- [start:non_leaf]
x = torch.tensor(2.0, requires_grad=True)
y = x * 3  # not a leaf: it was computed from x
(y**2).backward()

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    grad = y.grad
print(grad)
# > None
print(caught[0].category.__name__)
# > UserWarning
print(str(caught[0].message).split(". ")[0])
# > The .grad attribute of a Tensor that is not a leaf Tensor is being accessed
# Spec: without retain_grad(), the .grad of a non-leaf tensor is None after
#       backward(), and reading it warns
assert grad is None and caught[0].category is UserWarning
# --8<-- [end:non_leaf]

# --8<-- [start:retain_grad_error]
plain = torch.tensor(2.0)  # requires_grad=False: autograd never sees it
try:
    plain.retain_grad()
except RuntimeError as error:
    message = str(error)
print(message)
# > can't retain_grad on Tensor that has requires_grad=False
# Spec: retain_grad() on a tensor that does not require grad raises a
#       RuntimeError
assert message == "can't retain_grad on Tensor that has requires_grad=False"
# --8<-- [end:retain_grad_error]

# --8<-- [start:second_backward]
x = torch.tensor(2.0, requires_grad=True)
loss = x * x  # the backward of x * x needs x, so the graph saves it
loss.backward()  # uses the saved x, then frees it
try:
    loss.backward()
except RuntimeError as error:
    message = str(error)
print(message.split(" (")[0])  # the first words of a long message
# > Trying to backward through the graph a second time
# Spec: a second backward() through a graph whose saved tensors were freed by
#       the first one raises a RuntimeError
assert message.startswith("Trying to backward through the graph a second time")
# --8<-- [end:second_backward]

# --8<-- [start:nothing_saved]
x = torch.tensor(2.0, requires_grad=True)
shifted = x + 1  # the backward of x + 1 needs no values: nothing is saved
shifted.backward()
shifted.backward()  # nothing was freed, so nothing is missing
print(x.grad)
# > tensor(2.)
# Spec: a graph that saved no tensors, such as x + 1, can be backpropagated
#       twice; the two gradients of 1 add up to 2
torch.testing.assert_close(x.grad, torch.tensor(2.0))
# --8<-- [end:nothing_saved]

# --8<-- [start:retain_graph]
x = torch.tensor(2.0, requires_grad=True)
loss = x * x
loss.backward(retain_graph=True)
print(x.grad)
# > tensor(4.)
loss.backward()  # allowed: the graph was kept, and the new gradient is added
print(x.grad)
# > tensor(8.)
# Spec: with retain_graph=True a second backward() runs and adds its gradient to
#       the first: d(x²)/dx = 4 at x = 2, accumulated twice, gives 8
torch.testing.assert_close(x.grad, torch.tensor(8.0))
# --8<-- [end:retain_graph]

# --8<-- [start:zeroing]
x.grad.zero_()  # or x.grad = None
(x * x).backward()
print(x.grad)
# > tensor(4.)
# Spec: after x.grad is zeroed, one backward() of x² at x = 2 leaves exactly one
#       gradient, 4
torch.testing.assert_close(x.grad, torch.tensor(4.0))
# --8<-- [end:zeroing]

# --8<-- [start:matrix_leaf]
w = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
(w**2).sum().backward()
print(w.grad)
# > tensor([[2., 4.],
# >         [6., 8.]])
# Spec: the gradient of a scalar with respect to a 2 x 2 leaf is a 2 x 2 tensor
assert w.grad.shape == w.shape
# Spec: the gradient of sum(w²) has the entries 2 w_ij, element by element
torch.testing.assert_close(w.grad, 2 * w.detach())
# --8<-- [end:matrix_leaf]
