"""clip_grad_norm_ and clip_grad_value_ on gradients set by hand."""

# --8<-- [start:imports]
import torch
from torch.nn.utils import clip_grad_norm_, clip_grad_value_

# --8<-- [end:imports]

# --8<-- [start:norm]
a = torch.zeros(2, requires_grad=True)
b = torch.zeros(1, requires_grad=True)
a.grad = torch.tensor([3.0, 4.0])
b.grad = torch.tensor([12.0])  # all gradients together: sqrt(9 + 16 + 144) = 13

total_norm = clip_grad_norm_([a, b], max_norm=1.0)
print(total_norm, a.grad, b.grad)
# > tensor(13.) tensor([0.2308, 0.3077]) tensor([0.9231])
# Spec: clip_grad_norm_ returns the norm of all gradients together, measured
#       before clipping
torch.testing.assert_close(total_norm, torch.tensor(13.0))
scale = 1.0 / (13.0 + 1e-6)
# Spec: above max_norm, clip_grad_norm_ multiplies every gradient by
#       max_norm / (total_norm + 1e-6), keeping their direction
torch.testing.assert_close(
    torch.cat([a.grad, b.grad]), torch.tensor([3.0, 4.0, 12.0]) * scale
)
new_norm = torch.cat([a.grad, b.grad]).norm()
print(round(new_norm.item(), 4))
# > 1.0
# --8<-- [end:norm]

# --8<-- [start:norm_below]
a.grad = torch.tensor([3.0, 4.0])
b.grad = torch.tensor([12.0])
total_norm = clip_grad_norm_([a, b], max_norm=100.0)
print(total_norm, a.grad, b.grad)
# > tensor(13.) tensor([3., 4.]) tensor([12.])
# Spec: with a norm well below max_norm (13 against 100), clip_grad_norm_
#       multiplies the gradients by 1, leaving them exactly as they were
assert torch.equal(a.grad, torch.tensor([3.0, 4.0])) and torch.equal(
    b.grad, torch.tensor([12.0])
)
# --8<-- [end:norm_below]

# --8<-- [start:norm_boundary]
a.grad = torch.tensor([3.0, 4.0])  # norm exactly 5
clip_grad_norm_([a], max_norm=5.0)
print(a.grad - torch.tensor([3.0, 4.0]))  # how far each element moved
# > tensor([-7.1526e-07, -9.5367e-07])
# Spec: at a norm exactly equal to max_norm, clip_grad_norm_ still multiplies the
#       gradients by a factor just under 1: they change, by less than 1e-6 of
#       their size
assert not torch.equal(a.grad, torch.tensor([3.0, 4.0])) and torch.allclose(
    a.grad, torch.tensor([3.0, 4.0]), rtol=1e-6, atol=0
)
# --8<-- [end:norm_boundary]

# --8<-- [start:value]
c = torch.zeros(4, requires_grad=True)
c.grad = torch.tensor([-3.0, 0.5, 2.0, -0.2])
result = clip_grad_value_([c], clip_value=1.0)
print(result, c.grad)
# > None tensor([-1.0000,  0.5000,  1.0000, -0.2000])
# Spec: clip_grad_value_ clamps each gradient element to [-clip_value, clip_value]
#       in place, and returns None
assert result is None and torch.equal(c.grad, torch.tensor([-1.0, 0.5, 1.0, -0.2]))
# --8<-- [end:value]

# --8<-- [start:split]
a.grad = torch.tensor([3.0, 4.0])
b.grad = torch.tensor([12.0])
gradients = [a.grad, b.grad]  # get_total_norm takes the gradients themselves
total_norm = torch.nn.utils.get_total_norm(gradients)
print(total_norm)  # log it, test it, or combine it with other norms here
# > tensor(13.)
result = torch.nn.utils.clip_grads_with_norm_([a, b], 1.0, total_norm)
print(result, a.grad, b.grad)
# > None tensor([0.2308, 0.3077]) tensor([0.9231])
# Spec: get_total_norm(gradients) measures the norm of all gradients together,
#       as clip_grad_norm_ does
torch.testing.assert_close(total_norm, torch.tensor(13.0))
# Spec: clip_grads_with_norm_ changes the gradients in place and returns None
assert result is None
# Spec: above max_norm, clip_grads_with_norm_ multiplies the gradients by
#       max_norm / (total_norm + 1e-6), as clip_grad_norm_ does
torch.testing.assert_close(
    torch.cat([a.grad, b.grad]), torch.tensor([3.0, 4.0, 12.0]) / (13.0 + 1e-6)
)

a.grad = torch.tensor([3.0, 4.0])
b.grad = torch.tensor([12.0])
torch.nn.utils.clip_grads_with_norm_([a, b], 100.0, total_norm)
# Spec: clip_grads_with_norm_ never scales gradients up: with a total norm below
#       max_norm (13 against 100) it leaves them exactly as they were
assert torch.equal(a.grad, torch.tensor([3.0, 4.0])) and torch.equal(
    b.grad, torch.tensor([12.0])
)
# --8<-- [end:split]
