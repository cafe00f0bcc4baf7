"""zero_grad(): gradients accumulate without it, and by default it sets them to None."""

# --8<-- [start:imports]
import torch
from torch import nn

# --8<-- [end:imports]

# --8<-- [start:accumulate]
torch.manual_seed(5)
model = nn.Linear(3, 1)
x, y = torch.randn(4, 3), torch.randn(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)


def backward_pass(model):
    nn.functional.mse_loss(model(x), y).backward()


backward_pass(model)
first = model.bias.grad.clone()
backward_pass(model)  # no zero_grad() in between
print(first, model.bias.grad)
# > tensor([0.3238]) tensor([0.6477])
# Spec: without zero_grad(), a second backward() adds to the gradient already there
torch.testing.assert_close(model.bias.grad, 2 * first)
# --8<-- [end:accumulate]

# --8<-- [start:set_to_none]
optimizer.zero_grad()
print(model.weight.grad, model.bias.grad)
# > None None
# Spec: optimizer.zero_grad() sets every gradient to None by default
assert all(p.grad is None for p in model.parameters())
# --8<-- [end:set_to_none]

# --8<-- [start:zeros]
backward_pass(model)
optimizer.zero_grad(set_to_none=False)
print(model.weight.grad, model.bias.grad)
# > tensor([[0., 0., 0.]]) tensor([0.])
# Spec: zero_grad(set_to_none=False) fills the gradients with zeros instead
assert all(torch.equal(p.grad, torch.zeros_like(p)) for p in model.parameters())
# --8<-- [end:zeros]

# --8<-- [start:why_it_matters]
model = nn.Linear(3, 1)
adam = torch.optim.Adam(model.parameters(), lr=0.01)
backward_pass(model)
adam.step()  # Adam now remembers a running average of this gradient

adam.zero_grad(set_to_none=False)
before = model.weight.detach().clone()
adam.step()  # the gradient is zero, but the running average is not
print(torch.equal(model.weight, before))
# > False
# Spec: with gradients zero-filled (set_to_none=False), Adam's step still moves the
#       parameters
assert not torch.equal(model.weight, before)

adam.zero_grad()  # set_to_none=True
before = model.weight.detach().clone()
adam.step()
print(torch.equal(model.weight, before))
# > True
# Spec: with gradients set to None, Adam's step() skips the parameters entirely
assert torch.equal(model.weight, before)
# --8<-- [end:why_it_matters]
