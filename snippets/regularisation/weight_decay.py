"""Weight decay in PyTorch: the factor 1/2, biases, and coupled (Adam) vs decoupled (AdamW) decay."""

# --8<-- [start:gradient]
import copy

import torch
from torch import nn

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
from snippets.regularisation.data import make_classification_data

x, y = make_classification_data()
x, y = x[:100], y[:100]  # a small batch is enough to compare optimizers
loss_fn = nn.BCEWithLogitsLoss()
torch.manual_seed(0)
base = nn.Sequential(
    nn.Linear(10, 16), nn.ReLU(), nn.Linear(16, 1)
)  # the classifier, without dropout


def squared_norm(model):
    """Σθ² over every parameter of the model, biases included."""
    return sum((p**2).sum() for p in model.parameters())


def flat(model):
    """All parameters of a model in one vector, to compare models."""
    return torch.nn.utils.parameters_to_vector(model.parameters()).detach()


# --8<-- [end:setup]


# --8<-- [start:sgd]
builtin, half, full = copy.deepcopy(base), copy.deepcopy(base), copy.deepcopy(base)
runs = [
    (builtin, torch.optim.SGD(builtin.parameters(), lr=0.1, weight_decay=lam), 0.0),
    (
        half,
        torch.optim.SGD(half.parameters(), lr=0.1),
        lam / 2,
    ),  # penalty (λ/2)·Σθ² in the loss
    (
        full,
        torch.optim.SGD(full.parameters(), lr=0.1),
        lam,
    ),  # penalty λ·Σθ² in the loss
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
print(
    f"largest difference from the λ·Σθ² run: {(flat(builtin) - flat(full)).abs().max().item():.4f}"
)
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
print(
    f"(1 - ηλ)³ = {shrink:.6f}, bias after / before: {(everything[0].bias / base[0].bias).mean().item():.6f}"
)
# > (1 - ηλ)³ = 0.970299, bias after / before: 0.970299
# Spec: by default SGD's weight_decay shrinks the biases too
torch.testing.assert_close(everything[0].bias, base[0].bias * shrink)

grouped = copy.deepcopy(base)
print([name for name, p in grouped.named_parameters()])
# > ['0.weight', '0.bias', '2.weight', '2.bias']
weights = [p for name, p in grouped.named_parameters() if name.endswith("weight")]
biases = [p for name, p in grouped.named_parameters() if name.endswith("bias")]
optimizer = torch.optim.SGD(
    [{"params": weights, "weight_decay": lam}, {"params": biases, "weight_decay": 0.0}],
    lr=0.1,
)
decay_only(grouped, optimizer)
# Spec: with weight_decay=0 in their group, biases do not decay
assert torch.equal(grouped[0].bias, base[0].bias)
# Spec: weights in the decaying group shrink by the factor (1 - ηλ) per step
torch.testing.assert_close(grouped[0].weight, base[0].weight * shrink)
# --8<-- [end:biases]

# --8<-- [start:adam]
coupled, adamw, decoupled = (
    copy.deepcopy(base),
    copy.deepcopy(base),
    copy.deepcopy(base),
)
runs = [
    (coupled, torch.optim.Adam(coupled.parameters(), lr=0.01, weight_decay=lam)),
    (adamw, torch.optim.AdamW(adamw.parameters(), lr=0.01, weight_decay=lam)),
    (
        decoupled,
        torch.optim.Adam(
            decoupled.parameters(),
            lr=0.01,
            weight_decay=lam,
            decoupled_weight_decay=True,
        ),
    ),
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
print(
    f"largest difference between AdamW and coupled Adam: {(flat(adamw) - flat(coupled)).abs().max().item():.4f}"
)
# > largest difference between AdamW and coupled Adam: 0.0990
# Spec: Adam(decoupled_weight_decay=True) gives the same parameters as AdamW
torch.testing.assert_close(flat(decoupled), flat(adamw))
# Spec: Adam's default (coupled) weight_decay ends at other parameters than AdamW
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
print(
    f"coupled Adam moved every parameter by {moved.min().item():.4f} to {moved.max().item():.4f}"
)
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
