"""SGD with momentum and weight decay, and Adam, from scratch, checked against torch."""

# --8<-- [start:imports]
import copy
import functools

import torch
from torch import nn
from torch.nn.utils import parameters_to_vector

# --8<-- [end:imports]


# --8<-- [start:sgd_class]
class ScratchSGD:
    """SGD with momentum and (coupled) weight decay, as torch.optim.SGD computes it."""

    def __init__(self, params, lr, momentum=0.0, weight_decay=0.0):
        self.params = list(params)
        self.lr, self.momentum, self.weight_decay = lr, momentum, weight_decay
        self.buffers = {}  # one momentum buffer per parameter, made at its first step

    def zero_grad(self):
        for p in self.params:
            p.grad = None

    @torch.no_grad()
    def step(self):
        for p in self.params:
            if p.grad is None:
                continue  # no gradient, no step: torch.optim skips it too
            g = p.grad + self.weight_decay * p  # weight decay: an extra gradient term
            buffer = self.momentum * self.buffers.get(p, torch.zeros_like(p)) + g
            self.buffers[p] = buffer  # with momentum 0 the buffer is just g
            p -= self.lr * buffer


# --8<-- [end:sgd_class]


# --8<-- [start:adam_class]
class ScratchAdam:
    """Adam with bias correction and coupled L2 weight decay, as torch.optim.Adam."""

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
        self.params = list(params)
        self.lr, self.eps, self.weight_decay = lr, eps, weight_decay
        self.beta1, self.beta2 = betas
        self.state = {}  # per parameter: its step count t and its averages m and v

    def zero_grad(self):
        for p in self.params:
            p.grad = None

    @torch.no_grad()
    def step(self):
        for p in self.params:
            if p.grad is None:
                continue  # skipped, and its own step count does not advance
            if p not in self.state:
                self.state[p] = {
                    "t": 0,
                    "m": torch.zeros_like(p),
                    "v": torch.zeros_like(p),
                }
            s = self.state[p]
            s["t"] += 1
            g = p.grad + self.weight_decay * p
            s["m"] = self.beta1 * s["m"] + (1 - self.beta1) * g  # average gradient
            s["v"] = self.beta2 * s["v"] + (1 - self.beta2) * g * g  # average square
            m_hat = s["m"] / (1 - self.beta1 ** s["t"])  # undo the pull towards 0
            v_hat = s["v"] / (1 - self.beta2 ** s["t"])
            p -= self.lr * m_hat / (v_hat.sqrt() + self.eps)


# --8<-- [end:adam_class]


# --8<-- [start:compare]
def train_side_by_side(make_scratch, make_torch, steps=50):
    """Train two copies of a small network, one per optimizer; compare every step."""
    torch.manual_seed(0)
    x, y = torch.randn(16, 3), torch.randn(16, 1)
    net = nn.Sequential(nn.Linear(3, 8), nn.ReLU(), nn.Linear(8, 1))
    twin = copy.deepcopy(net)  # same starting values, separate tensors
    ours, theirs = make_scratch(net.parameters()), make_torch(twin.parameters())
    for _ in range(steps):
        for model, optimizer in ((net, ours), (twin, theirs)):
            optimizer.zero_grad()
            loss = nn.functional.mse_loss(model(x), y)
            loss.backward()
            optimizer.step()
        ours_now = parameters_to_vector(net.parameters())
        theirs_now = parameters_to_vector(twin.parameters())
        # Spec: from-scratch SGD (momentum, weight decay) and Adam give the same
        #       parameters as torch.optim after every step, within float32 rounding
        torch.testing.assert_close(ours_now, theirs_now)
    return loss.item()


# --8<-- [end:compare]


# --8<-- [start:check_sgd]
sgd_settings = [
    {"lr": 0.1},
    {"lr": 0.05, "momentum": 0.9},
    {"lr": 0.02, "momentum": 0.5, "weight_decay": 0.1},
]
for settings in sgd_settings:
    final_loss = train_side_by_side(
        functools.partial(ScratchSGD, **settings),
        functools.partial(torch.optim.SGD, **settings),
    )
    print(f"SGD {settings}: final loss {final_loss:.4f}")
# > SGD {'lr': 0.1}: final loss 1.3293
# > SGD {'lr': 0.05, 'momentum': 0.9}: final loss 0.5195
# > SGD {'lr': 0.02, 'momentum': 0.5, 'weight_decay': 0.1}: final loss 1.4707
# --8<-- [end:check_sgd]

# --8<-- [start:check_adam]
adam_settings = [
    {"lr": 0.01},
    {"lr": 0.05, "betas": (0.8, 0.99)},
    {"lr": 0.02, "betas": (0.5, 0.9), "eps": 1e-6, "weight_decay": 0.1},
]
for settings in adam_settings:
    final_loss = train_side_by_side(
        functools.partial(ScratchAdam, **settings),
        functools.partial(torch.optim.Adam, **settings),
    )
    print(f"Adam {settings}:")
    print(f"    final loss {final_loss:.4f}")
# > Adam {'lr': 0.01}:
# >     final loss 1.2132
# > Adam {'lr': 0.05, 'betas': (0.8, 0.99)}:
# >     final loss 0.1803
# > Adam {'lr': 0.02, 'betas': (0.5, 0.9), 'eps': 1e-06, 'weight_decay': 0.1}:
# >     final loss 1.0679
# --8<-- [end:check_adam]


# --8<-- [start:check_none]
def run_with_missing_grads(make_optimizer, steps=6):
    """Three parameters: one in every loss, one in every other loss, one in none."""
    torch.manual_seed(0)
    always, sometimes, never = (torch.randn(3, requires_grad=True) for _ in range(3))
    optimizer = make_optimizer([always, sometimes, never])
    never_before = never.detach().clone()
    for step in range(steps):
        optimizer.zero_grad()  # every grad back to None
        loss = (always**2).sum()
        if step % 2 == 1:
            loss = loss + (sometimes**2).sum()  # sometimes.grad stays None otherwise
        loss.backward()
        optimizer.step()
    unchanged = never.grad is None and torch.equal(never.detach(), never_before)
    return torch.cat([always.detach(), sometimes.detach()]), unchanged


for scratch, reference in (
    (ScratchSGD, torch.optim.SGD),
    (ScratchAdam, torch.optim.Adam),
):
    settings = {"lr": 0.1, "momentum": 0.9} if scratch is ScratchSGD else {"lr": 0.1}
    ours, ours_skipped = run_with_missing_grads(functools.partial(scratch, **settings))
    theirs, torch_skipped = run_with_missing_grads(
        functools.partial(reference, **settings)
    )
    print(reference.__name__, ours_skipped, torch_skipped)
    # Spec: SGD and Adam, from scratch and in torch.optim, leave a parameter whose
    #       grad is None untouched
    assert ours_skipped and torch_skipped
    # Spec: a parameter that gets a grad only on some steps ends where torch.optim puts
    #       it: SGD momentum and Adam's step count advance only on its own steps
    torch.testing.assert_close(ours, theirs)
# > SGD True True
# > Adam True True
# --8<-- [end:check_none]
