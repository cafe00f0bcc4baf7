"""Sum or mean: what the reduction does to the learning rate of SGD and of Adam.

Run it with: python -m snippets.losses.reduction_lr
"""

# --8<-- [start:imports]
import torch
from torch import nn

# --8<-- [end:imports]
from snippets.regression_data import make_regression_data

# --8<-- [start:train]
x, y = make_regression_data()
n = len(y)  # 100 rows: "sum" is 100 times "mean"


def train(reduction, optimizer_class, lr, steps=20):
    """The series' network from its usual start; its parameters after `steps` steps."""
    torch.manual_seed(42)
    model = nn.Sequential(nn.Linear(3, 32), nn.ReLU(), nn.Linear(32, 1))
    loss_fn = nn.MSELoss(reduction=reduction)
    optimizer = optimizer_class(model.parameters(), lr=lr)
    for _ in range(steps):
        optimizer.zero_grad()
        loss_fn(model(x), y).backward()
        optimizer.step()
    return torch.cat([p.detach().flatten() for p in model.parameters()])


def same(a, b):
    return torch.allclose(a, b, rtol=1e-4, atol=1e-6)


# --8<-- [end:train]

# --8<-- [start:sgd]
sgd_sum = train("sum", torch.optim.SGD, lr=1e-4)
sgd_mean_same_lr = train("mean", torch.optim.SGD, lr=1e-4)
sgd_mean_n_lr = train("mean", torch.optim.SGD, lr=1e-4 * n)
print("SGD, mean with the same lr:", same(sgd_sum, sgd_mean_same_lr))
# > SGD, mean with the same lr: False
print("SGD, mean with lr times N: ", same(sgd_sum, sgd_mean_n_lr))
# > SGD, mean with lr times N:  True
# Spec: for SGD, a "sum" loss with learning rate lr takes the same steps as the "mean"
#       loss with learning rate lr * N
torch.testing.assert_close(sgd_sum, sgd_mean_n_lr)
# Spec: for SGD, switching "sum" to "mean" at the same learning rate changes the steps
assert not same(sgd_sum, sgd_mean_same_lr)
# --8<-- [end:sgd]

# --8<-- [start:adam]
adam_sum = train("sum", torch.optim.Adam, lr=0.01)
adam_mean_same_lr = train("mean", torch.optim.Adam, lr=0.01)
adam_mean_n_lr = train("mean", torch.optim.Adam, lr=0.01 * n)
print("Adam, mean with the same lr:", same(adam_sum, adam_mean_same_lr))
# > Adam, mean with the same lr: True
print("Adam, mean with lr times N: ", same(adam_sum, adam_mean_n_lr))
# > Adam, mean with lr times N:  False
# Spec: Adam takes practically the same steps for a "sum" and a "mean" loss at the same
#       learning rate: rescaling the loss barely changes its update
torch.testing.assert_close(adam_sum, adam_mean_same_lr)
# Spec: for Adam, multiplying the learning rate by N to follow "sum" to "mean" is wrong
assert not same(adam_sum, adam_mean_n_lr)
# --8<-- [end:adam]
