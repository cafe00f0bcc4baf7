"""What autograd gives where a function has a kink or a tie."""

# --8<-- [start:imports]
import torch

# --8<-- [end:imports]


# --8<-- [start:helper]
def grad_at(f, values):
    """The gradient of f(x).sum() with respect to x, at the given values."""
    x = torch.tensor(values, requires_grad=True)
    f(x).sum().backward()
    return x.grad


# --8<-- [end:helper]

# --8<-- [start:relu_abs]
points = [-1.0, 0.0, 1.0]
relu_grad = grad_at(torch.relu, points)
abs_grad = grad_at(torch.abs, points)
print(relu_grad, abs_grad)
# > tensor([0., 0., 1.]) tensor([-1.,  0.,  1.])
# Spec: relu's gradient at exactly 0 is 0, the slope of its flat side
assert relu_grad[1] == 0
# Spec: abs's gradient at exactly 0 is 0, between the slopes -1 and 1 on either side
assert abs_grad[1] == 0
# --8<-- [end:relu_abs]

# --8<-- [start:clamp]
points = [-1.0, 0.0, 0.5, 1.0, 2.0]
clamp_grad = grad_at(lambda x: x.clamp(min=0.0, max=1.0), points)
print(clamp_grad)
# > tensor([0., 1., 1., 1., 0.])
# Spec: clamp with number bounds passes the whole gradient at a value equal to
#       either bound, as inside the range
torch.testing.assert_close(clamp_grad, torch.tensor([0.0, 1.0, 1.0, 1.0, 0.0]))
at_min = grad_at(lambda x: x.clamp_min(0.0), [0.0])
at_max = grad_at(lambda x: x.clamp_max(0.0), [0.0])
print(at_min, at_max)
# > tensor([1.]) tensor([1.])
# Spec: clamp_min and clamp_max with a number bound pass the whole gradient at the
#       bound
assert at_min.item() == at_max.item() == 1
# --8<-- [end:clamp]

# --8<-- [start:clamp_tensor]
x = torch.tensor([0.0, 0.5, 1.0], requires_grad=True)
low = torch.zeros(3, requires_grad=True)
high = torch.ones(3, requires_grad=True)
torch.clamp(x, low, high).sum().backward()
print(x.grad, low.grad, high.grad)
# > tensor([1., 1., 1.]) tensor([0., 0., 0.]) tensor([0., 0., 0.])
# Spec: clamp with tensor bounds gives the gradient of a tie between x and a bound
#       wholly to x; the bound gets 0
assert (x.grad.tolist(), low.grad.tolist(), high.grad.tolist()) == (
    [1.0, 1.0, 1.0],
    [0.0, 0.0, 0.0],
    [0.0, 0.0, 0.0],
)
# --8<-- [end:clamp_tensor]

# --8<-- [start:max_ties]
points = [1.0, 3.0, 3.0]
whole = grad_at(torch.max, points)
along = grad_at(lambda x: x.max(dim=0).values, points)
print(whole, along)
# > tensor([0.0000, 0.5000, 0.5000]) tensor([0., 1., 0.])
# Spec: max over a whole tensor splits the gradient evenly between tied maxima
torch.testing.assert_close(whole, torch.tensor([0.0, 0.5, 0.5]))
# Spec: max along a dimension gives the whole gradient to the one index it returns
assert along.tolist() == [0.0, 1.0, 0.0]
lowest = grad_at(torch.min, [1.0, 1.0, 3.0])
print(lowest)
# > tensor([0.5000, 0.5000, 0.0000])
# Spec: min over a whole tensor splits the gradient evenly between tied minima
torch.testing.assert_close(lowest, torch.tensor([0.5, 0.5, 0.0]))
# --8<-- [end:max_ties]

# --8<-- [start:pairwise]
results = {}
for name, pick in [("maximum", torch.maximum), ("fmax", torch.fmax)]:
    a = torch.tensor(2.0, requires_grad=True)
    b = torch.tensor(2.0, requires_grad=True)
    pick(a, b).backward()
    results[name] = (a.grad.item(), b.grad.item())
print(results)
# > {'maximum': (0.5, 0.5), 'fmax': (1.0, 0.0)}
# Spec: torch.maximum splits the gradient of a tie evenly between its two inputs
assert results["maximum"] == (0.5, 0.5)
# Spec: torch.fmax gives the whole gradient of a tie to its first input
assert results["fmax"] == (1.0, 0.0)
# --8<-- [end:pairwise]

# --8<-- [start:norm]
zero = [0.0, 0.0, 0.0]
norm_grad = grad_at(torch.linalg.vector_norm, zero)
by_hand_grad = grad_at(lambda x: x.pow(2).sum().sqrt(), zero)
sqrt_grad = grad_at(torch.sqrt, [0.0])
print(norm_grad, by_hand_grad, sqrt_grad)
# > tensor([0., 0., 0.]) tensor([nan, nan, nan]) tensor([inf])
# Spec: the gradient of vector_norm at the zero vector is 0, not NaN
assert torch.equal(norm_grad, torch.zeros(3))
# Spec: the same norm written as sqrt of a sum of squares has a NaN gradient at the
#       zero vector: sqrt's infinite slope at 0 times the zero slope of the squares
assert by_hand_grad.isnan().all()
# Spec: sqrt's gradient at 0 is infinite
assert sqrt_grad.isinf().all()
# --8<-- [end:norm]
