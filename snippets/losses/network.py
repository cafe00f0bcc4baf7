"""The series' network with its loss taken from torch.nn: nn.MSELoss(reduction="sum").

Run it with: python -m snippets.losses.network
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
loss_fn = nn.MSELoss(reduction="sum")  # the sum of squared errors, as a module
learning_rate = 1e-4
# --8<-- [end:setup]

# --8<-- [start:train]
for t in range(200):
    y_pred = model(x)
    loss = loss_fn(y_pred, y)
    # Spec: nn.MSELoss(reduction="sum") equals the hand-written sum of squared errors
    torch.testing.assert_close(loss, ((y_pred - y) ** 2).sum())
    if t % 10 == 0:
        print(f"iteration {t:3}: loss {loss.item():.4f}")

    model.zero_grad()
    loss.backward()

    with torch.no_grad():
        for parameter in model.parameters():
            parameter -= learning_rate * parameter.grad
# > iteration   0: loss 406.9156
# > iteration  10: loss 265.7771
# > iteration  20: loss 199.6225
# > iteration  30: loss 160.2688
# > iteration  40: loss 134.8230
# > iteration  50: loss 118.1781
# > iteration  60: loss 107.5837
# > iteration  70: loss 101.0675
# > iteration  80: loss 97.1570
# > iteration  90: loss 94.8288
# > iteration 100: loss 93.4145
# > iteration 110: loss 92.5102
# > iteration 120: loss 91.9019
# > iteration 130: loss 91.4496
# > iteration 140: loss 91.0870
# > iteration 150: loss 90.7816
# > iteration 160: loss 90.5140
# > iteration 170: loss 90.2703
# > iteration 180: loss 90.0371
# > iteration 190: loss 89.8089
# --8<-- [end:train]
