"""What autograd records: detach, frozen parameters, hooks, in-place changes."""

# --8<-- [start:imports]
import torch
from torch import nn

# --8<-- [end:imports]

# --8<-- [start:detach]
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
frozen_copy = x.detach()
print(frozen_copy.requires_grad, frozen_copy.grad_fn)
# > False None
# Spec: detach() returns a tensor that shares its storage with the original
assert frozen_copy.data_ptr() == x.data_ptr()

(x * frozen_copy).sum().backward()  # the detached factor counts as a constant
print(x.grad)
# > tensor([1., 2., 3.])
# Spec: a detached factor is a constant: d(x * c)/dx = c, not 2x
torch.testing.assert_close(x.grad, x.detach())

frozen_copy.zero_()  # an in-place change through the detached tensor
print(x)
# > tensor([0., 0., 0.], requires_grad=True)
# Spec: an in-place change to a detached tensor changes the original tensor too
assert torch.equal(x.detach(), torch.zeros(3))
# --8<-- [end:detach]

# --8<-- [start:freeze]
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1))
model[0].requires_grad_(False)  # freeze the first layer
optimizer = torch.optim.Adam(model.parameters(), lr=0.1)

first_before = model[0].weight.detach().clone()
last_before = model[2].weight.detach().clone()
inputs, targets = torch.randn(8, 3), torch.randn(8, 1)
for _ in range(3):
    optimizer.zero_grad()
    nn.functional.mse_loss(model(inputs), targets).backward()
    optimizer.step()

print(model[0].weight.grad, model[2].weight.grad.shape)
# > None torch.Size([1, 4])
# Spec: a parameter with requires_grad=False gets no gradient: .grad stays None
assert model[0].weight.grad is None
# Spec: the optimizer leaves a frozen parameter (grad None) unchanged
assert torch.equal(model[0].weight, first_before)
# Spec: the parameters that still require gradients are trained as usual
assert not torch.equal(model[2].weight, last_before)
print(len(optimizer.state))  # Adam kept state only for the parameters it updated
# > 2
# --8<-- [end:freeze]

# --8<-- [start:hook]
x = torch.tensor([1.0, 2.0], requires_grad=True)
handle = x.register_hook(lambda grad: grad * 2)  # runs when x's gradient is computed
(x**2).sum().backward()
print(x.grad)
# > tensor([4., 8.])
# Spec: a hook that returns a new gradient replaces it: 2 · 2x instead of 2x
torch.testing.assert_close(x.grad, 2 * (2 * x.detach()))

handle.remove()
x.grad = None
(x**2).sum().backward()
print(x.grad)
# > tensor([2., 4.])
# Spec: after handle.remove() the hook no longer runs
torch.testing.assert_close(x.grad, 2 * x.detach())
# --8<-- [end:hook]

# --8<-- [start:hook_observe]
seen = []
x = torch.tensor([1.0, 2.0], requires_grad=True)
hidden = 3 * x
hidden.register_hook(lambda grad: seen.append(grad.clone()))  # returns None
(hidden**2).sum().backward()
print(seen[0], x.grad)
# > tensor([ 6., 12.]) tensor([18., 36.])
# Spec: a hook that returns None only observes: the gradient flows on unchanged
torch.testing.assert_close(x.grad, 3 * seen[0])
# --8<-- [end:hook_observe]

# --8<-- [start:hook_accumulated]
weight = torch.tensor([1.0, 2.0], requires_grad=True)
accumulated = []


def after_accumulation(parameter):  # receives the leaf itself, not a gradient
    accumulated.append(parameter.grad.clone())


weight.register_post_accumulate_grad_hook(after_accumulation)
(weight**2).sum().backward()
(weight**2).sum().backward()  # no zero_grad(): the second backward adds to .grad
print(accumulated)
# > [tensor([2., 4.]), tensor([4., 8.])]
# Spec: a post-accumulate-grad hook on a leaf runs after each backward() has added
#       to its .grad, and sees the sum so far
torch.testing.assert_close(accumulated, [2 * weight.detach(), 4 * weight.detach()])
refusal = None
try:
    (weight * 2).register_post_accumulate_grad_hook(after_accumulation)
except RuntimeError as error:
    refusal = str(error)
print(refusal)
# > post accumulate grad hooks cannot be registered on non-leaf tensors
# Spec: a post-accumulate-grad hook can only be put on a leaf tensor; on any other
#       tensor registering it raises a RuntimeError
assert refusal is not None and "non-leaf" in refusal
# --8<-- [end:hook_accumulated]

# --8<-- [start:inplace_error]
a = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
s = torch.sigmoid(a)  # sigmoid's backward reuses this output: s · (1 - s)
s.mul_(2)  # changes the saved output in place
try:
    s.sum().backward()
except RuntimeError as error:
    message = str(error)
print(message)
# > one of the variables needed for gradient computation has been modified...
# Spec: changing in place a tensor that the backward pass saved makes backward() fail
assert message.startswith(
    "one of the variables needed for gradient computation has been modified "
    "by an inplace operation"
)
# --8<-- [end:inplace_error]

# --8<-- [start:inplace_fix]
s = torch.sigmoid(a) * 2  # out of place: the saved output is left alone
s.sum().backward()
sig = torch.sigmoid(a.detach())
# Spec: the out-of-place version has gradient 2 · σ(a) · (1 - σ(a))
torch.testing.assert_close(a.grad, 2 * sig * (1 - sig))

b = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
doubled = b * 2  # multiplying by a number saves nothing that depends on b
doubled.add_(1)  # so changing the result in place is allowed
doubled.sum().backward()
print(b.grad)
# > tensor([2., 2., 2.])
# Spec: an in-place change is fine when no saved tensor needs the old value
torch.testing.assert_close(b.grad, torch.full((3,), 2.0))
# --8<-- [end:inplace_fix]
