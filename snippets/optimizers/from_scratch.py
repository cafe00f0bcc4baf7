"""SGD with momentum and weight decay, and Adam, written from scratch and checked against torch.optim."""

# --8<-- [start:sgd_class]
import copy

import torch
from torch import nn
from torch.nn.utils import parameters_to_vector


class ScratchSGD:
    """SGD with momentum and (coupled) weight decay, as torch.optim.SGD computes it."""

    def __init__(self, params, lr, momentum=0.0, weight_decay=0.0):
        self.params = list(params)
        self.lr, self.momentum, self.weight_decay = lr, momentum, weight_decay
        self.buffers = [
            torch.zeros_like(p) for p in self.params
        ]  # one momentum buffer per parameter

    def zero_grad(self):
        for p in self.params:
            p.grad = None

    @torch.no_grad()
    def step(self):
        for i, p in enumerate(self.params):
            g = (
                p.grad + self.weight_decay * p
            )  # weight decay enters as an extra gradient term
            self.buffers[i] = (
                self.momentum * self.buffers[i] + g
            )  # with momentum 0 this is just g
            p -= self.lr * self.buffers[i]


# --8<-- [end:sgd_class]


# --8<-- [start:adam_class]
class ScratchAdam:
    """Adam with bias correction and coupled L2 weight decay, as torch.optim.Adam computes it."""

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
        self.params = list(params)
        self.lr, self.eps, self.weight_decay = lr, eps, weight_decay
        self.beta1, self.beta2 = betas
        self.t = 0  # number of steps taken
        self.m = [
            torch.zeros_like(p) for p in self.params
        ]  # running average of the gradient
        self.v = [
            torch.zeros_like(p) for p in self.params
        ]  # running average of its square

    def zero_grad(self):
        for p in self.params:
            p.grad = None

    @torch.no_grad()
    def step(self):
        self.t += 1
        for i, p in enumerate(self.params):
            g = p.grad + self.weight_decay * p
            self.m[i] = self.beta1 * self.m[i] + (1 - self.beta1) * g
            self.v[i] = self.beta2 * self.v[i] + (1 - self.beta2) * g * g
            m_hat = self.m[i] / (
                1 - self.beta1**self.t
            )  # undo the pull towards the zero start
            v_hat = self.v[i] / (1 - self.beta2**self.t)
            p -= self.lr * m_hat / (v_hat.sqrt() + self.eps)


# --8<-- [end:adam_class]


# --8<-- [start:compare]
def train_side_by_side(make_scratch, make_torch, steps=50):
    """Train two identical small networks, one per optimizer, and compare them after every step."""
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
        ours_now, theirs_now = (
            parameters_to_vector(net.parameters()),
            parameters_to_vector(twin.parameters()),
        )
        # Spec: from-scratch SGD (momentum, weight decay) and Adam give the same
        #       parameters as torch.optim after every step
        torch.testing.assert_close(ours_now, theirs_now)
    return loss.item()


# --8<-- [end:compare]


# --8<-- [start:check_sgd]
sgd_settings = [
    dict(lr=0.1),
    dict(lr=0.05, momentum=0.9),
    dict(lr=0.02, momentum=0.5, weight_decay=0.1),
]
for settings in sgd_settings:
    final_loss = train_side_by_side(
        lambda params: ScratchSGD(params, **settings),
        lambda params: torch.optim.SGD(params, **settings),
    )
    label = ", ".join(f"{name}={value}" for name, value in settings.items())
    print(f"{label:55} same for 50 steps, final loss {final_loss:.4f}")
# > lr=0.1                                                  same for 50 steps, final loss 1.3293
# > lr=0.05, momentum=0.9                                   same for 50 steps, final loss 0.5195
# > lr=0.02, momentum=0.5, weight_decay=0.1                 same for 50 steps, final loss 1.4707
# --8<-- [end:check_sgd]

# --8<-- [start:check_adam]
adam_settings = [
    dict(lr=0.01),
    dict(lr=0.05, betas=(0.8, 0.99)),
    dict(lr=0.02, betas=(0.5, 0.9), eps=1e-6, weight_decay=0.1),
]
for settings in adam_settings:
    final_loss = train_side_by_side(
        lambda params: ScratchAdam(params, **settings),
        lambda params: torch.optim.Adam(params, **settings),
    )
    label = ", ".join(f"{name}={value}" for name, value in settings.items())
    print(f"{label:55} same for 50 steps, final loss {final_loss:.4f}")
# > lr=0.01                                                 same for 50 steps, final loss 1.2132
# > lr=0.05, betas=(0.8, 0.99)                              same for 50 steps, final loss 0.1803
# > lr=0.02, betas=(0.5, 0.9), eps=1e-06, weight_decay=0.1  same for 50 steps, final loss 1.0679
# --8<-- [end:check_adam]
