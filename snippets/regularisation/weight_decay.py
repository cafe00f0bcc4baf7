"""Weight decay: the factor 1/2, biases, coupled (Adam) vs decoupled (AdamW) decay."""

# --8<-- [start:imports]
import copy

import torch
from torch import nn

# --8<-- [end:imports]
from snippets.regularisation.data import make_classification_data

# --8<-- [start:gradient]
lam = 0.1  # λ, the weight_decay argument
theta = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
penalty = lam / 2 * (theta**2).sum()
penalty.backward()
print(theta.grad)
# > tensor([ 0.1000, -0.2000,  0.3000])
# Spec: the gradient of (λ/2)·Σθ² is λ·θ
torch.testing.assert_close(theta.grad, lam * theta.detach())
# --8<-- [end:gradient]

# --8<-- [start:setup]
x, y = make_classification_data()
x, y = x[:100], y[:100]  # a small batch is enough to compare optimizers
loss_fn = nn.BCEWithLogitsLoss()
torch.manual_seed(0)
# the classifier, without dropout
base = nn.Sequential(nn.Linear(10, 16), nn.ReLU(), nn.Linear(16, 1))


def squared_norm(model):
    """Σθ² over every parameter of the model, biases included."""
    return sum((p**2).sum() for p in model.parameters())


def flat(model):
    """All parameters of a model in one vector, to compare models."""
    return torch.nn.utils.parameters_to_vector(model.parameters()).detach()


# --8<-- [end:setup]


# --8<-- [start:sgd]
builtin, half, full = copy.deepcopy(base), copy.deepcopy(base), copy.deepcopy(base)
runs = [  # (model, optimizer, factor of the penalty Σθ² added to the loss)
    (builtin, torch.optim.SGD(builtin.parameters(), lr=0.1, weight_decay=lam), 0.0),
    (half, torch.optim.SGD(half.parameters(), lr=0.1), lam / 2),
    (full, torch.optim.SGD(full.parameters(), lr=0.1), lam),
]
for step in range(5):
    for model, optimizer, factor in runs:
        optimizer.zero_grad()
        loss = loss_fn(model(x), y) + factor * squared_norm(model)
        loss.backward()
        optimizer.step()

print(
    torch.allclose(flat(builtin), flat(half)), torch.allclose(flat(builtin), flat(full))
)
# > True False
gap = (flat(builtin) - flat(full)).abs().max().item()
print(f"largest difference from the λ·Σθ² run: {gap:.4f}")
# > largest difference from the λ·Σθ² run: 0.0149
# Spec: SGD with weight_decay=λ matches SGD on the loss plus (λ/2)·Σθ²
torch.testing.assert_close(flat(builtin), flat(half))
# Spec: SGD with weight_decay=λ does not match SGD on the loss plus λ·Σθ²
assert not torch.allclose(flat(builtin), flat(full))
# --8<-- [end:sgd]


# --8<-- [start:biases]
def decay_only(model, optimizer, steps=3):
    """Steps with a zero loss gradient, so that weight decay is the only force."""
    for _ in range(steps):
        for p in model.parameters():
            p.grad = torch.zeros_like(p)
        optimizer.step()


everything = copy.deepcopy(base)
decay_only(
    everything, torch.optim.SGD(everything.parameters(), lr=0.1, weight_decay=lam)
)
shrink = (1 - 0.1 * lam) ** 3  # each step multiplies θ by (1 - ηλ)
ratio = (everything[0].bias / base[0].bias).mean().item()
print(f"(1 - ηλ)³ = {shrink:.6f}, bias after / before: {ratio:.6f}")
# > (1 - ηλ)³ = 0.970299, bias after / before: 0.970299
# Spec: by default SGD's weight_decay shrinks the biases too
torch.testing.assert_close(everything[0].bias, base[0].bias * shrink)

grouped = copy.deepcopy(base)
print([name for name, p in grouped.named_parameters()])
# > ['0.weight', '0.bias', '2.weight', '2.bias']
# matrices decay; vectors (biases, and the scales of normalisation layers) do not
decay = [p for p in grouped.parameters() if p.ndim > 1]
no_decay = [p for p in grouped.parameters() if p.ndim <= 1]
print([tuple(p.shape) for p in decay], [tuple(p.shape) for p in no_decay])
# > [(16, 10), (1, 16)] [(16,), (1,)]
optimizer = torch.optim.SGD(
    [{"params": decay, "weight_decay": lam}, {"params": no_decay, "weight_decay": 0.0}],
    lr=0.1,
)
# Spec: selected by dimension (ndim > 1), the decaying group holds exactly the two
#       weight matrices of the classifier
assert {id(p) for p in decay} == {id(grouped[0].weight), id(grouped[2].weight)}
# Spec: selected by dimension (ndim <= 1), the group without decay holds exactly
#       the two bias vectors of the classifier
assert {id(p) for p in no_decay} == {id(grouped[0].bias), id(grouped[2].bias)}
# Spec: a LayerNorm's scale is a vector (ndim 1), so the rule by dimension
#       exempts it from decay too
assert nn.LayerNorm(16).weight.ndim == 1
decay_only(grouped, optimizer)
# Spec: with only weight decay acting, SGD leaves the biases unchanged when their
#       parameter group sets weight_decay=0
assert torch.equal(grouped[0].bias, base[0].bias)
# Spec: with only weight decay acting, SGD with weight_decay=λ multiplies the
#       weights by (1 - ηλ) per step
torch.testing.assert_close(grouped[0].weight, base[0].weight * shrink)
# --8<-- [end:biases]

# --8<-- [start:adam]
coupled, adamw, decoupled = (
    copy.deepcopy(base),
    copy.deepcopy(base),
    copy.deepcopy(base),
)
decoupled_opt = torch.optim.Adam(
    decoupled.parameters(), lr=0.01, weight_decay=lam, decoupled_weight_decay=True
)
runs = [
    (coupled, torch.optim.Adam(coupled.parameters(), lr=0.01, weight_decay=lam)),
    (adamw, torch.optim.AdamW(adamw.parameters(), lr=0.01, weight_decay=lam)),
    (decoupled, decoupled_opt),
]
for step in range(5):
    for model, optimizer in runs:
        optimizer.zero_grad()
        loss_fn(model(x), y).backward()
        optimizer.step()

print(
    torch.equal(flat(adamw), flat(decoupled)),
    torch.allclose(flat(adamw), flat(coupled)),
)
# > True False
gap = (flat(adamw) - flat(coupled)).abs().max().item()
print(f"largest difference between AdamW and coupled Adam: {gap:.4f}")
# > largest difference between AdamW and coupled Adam: 0.0990
print(decoupled_opt.param_groups[0]["decoupled_weight_decay"])
# > True
# Spec: Adam(decoupled_weight_decay=True) gives the same parameters as AdamW
torch.testing.assert_close(flat(decoupled), flat(adamw))
# Spec: after the same five steps, Adam with its default (coupled) weight_decay
#       ends at other parameters than AdamW
assert not torch.allclose(flat(coupled), flat(adamw))
# --8<-- [end:adam]

# --8<-- [start:adam_decay_only]
coupled_only, adamw_only = copy.deepcopy(base), copy.deepcopy(base)
decay_only(
    coupled_only,
    torch.optim.Adam(coupled_only.parameters(), lr=0.01, weight_decay=lam),
    steps=1,
)
decay_only(
    adamw_only,
    torch.optim.AdamW(adamw_only.parameters(), lr=0.01, weight_decay=lam),
    steps=1,
)
moved = (flat(coupled_only) - flat(base)).abs()
low, high = moved.min().item(), moved.max().item()
print(f"coupled Adam moved every parameter by {low:.4f} to {high:.4f}")
# > coupled Adam moved every parameter by 0.0100 to 0.0100
# Spec: with a zero loss gradient, coupled Adam moves every parameter by exactly lr on
#       its first step
torch.testing.assert_close(moved, torch.full_like(moved, 0.01))
# Spec: with a zero loss gradient, AdamW multiplies every parameter by 1 - ηλ
torch.testing.assert_close(flat(adamw_only), flat(base) * (1 - 0.01 * lam))
# --8<-- [end:adam_decay_only]

# --8<-- [start:defaults]
probe = [torch.zeros(1, requires_grad=True)]
adam_default = torch.optim.Adam(probe).defaults["weight_decay"]
adamw_default = torch.optim.AdamW(probe).defaults["weight_decay"]
print(adam_default, adamw_default)
# > 0 0.01
# Spec: AdamW's weight_decay defaults to 0.01, Adam's to 0
assert (adam_default, adamw_default) == (0, 0.01)
# --8<-- [end:defaults]
