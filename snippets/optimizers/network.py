"""The series' network, now trained by torch.optim.Adam.

Run it with: python -m snippets.optimizers.network
"""

# --8<-- [start:imports]
import torch
from torch import nn

# --8<-- [end:imports]
from snippets.regression_data import make_regression_data

# --8<-- [start:setup]
x, y = make_regression_data()
torch.manual_seed(42)
model = nn.Sequential(nn.Linear(3, 32), nn.ReLU(), nn.Linear(32, 1))
loss_fn = nn.MSELoss(reduction="sum")
optimizer = torch.optim.Adam(model.parameters(), lr=0.08)
# --8<-- [end:setup]

# --8<-- [start:train]
losses = []
for epoch in range(200):
    optimizer.zero_grad()
    loss = loss_fn(model(x), y)
    losses.append(loss.item())
    loss.backward()
    optimizer.step()
# --8<-- [end:train]

# --8<-- [start:early]
for epoch in range(0, 100, 10):
    print(f"epoch {epoch:3}: loss {losses[epoch]:.4f}")
# > epoch   0: loss 406.9156
# > epoch  10: loss 95.0172
# > epoch  20: loss 86.6373
# > epoch  30: loss 76.7468
# > epoch  40: loss 71.0733
# > epoch  50: loss 65.5026
# > epoch  60: loss 60.7927
# > epoch  70: loss 55.4981
# > epoch  80: loss 51.0949
# > epoch  90: loss 48.7261
# --8<-- [end:early]

# --8<-- [start:late]
final_loss = loss_fn(model(x), y).item()
# Spec: training the series' network with Adam (lr 0.08), the loss after 200 epochs
#       is below that of epoch 100, which is below that of epoch 0
assert final_loss < losses[100] < losses[0]
# Spec: training the series' network with Adam (lr 0.08), no epoch after the 100th
#       is back above the loss of epoch 50
assert max(losses[100:]) < losses[50]


def rises(values):
    return int((torch.tensor(values).diff() > 0).sum())  # epochs where it went up


# Spec: training the series' network with Adam (lr 0.08), the loss goes up from one
#       epoch to the next more often in epochs 100-199 than in epochs 0-100
assert rises(losses[100:]) > rises(losses[:101])
# --8<-- [end:late]
