"""The series' network, now trained by torch.optim.Adam.

Run it with: python -m snippets.optimizers.network
"""

# --8<-- [start:setup]
import torch
from torch import nn

from snippets.regression_data import make_regression_data

x, y = make_regression_data()
torch.manual_seed(42)
model = nn.Sequential(nn.Linear(3, 32), nn.ReLU(), nn.Linear(32, 1))
loss_fn = nn.MSELoss(reduction="sum")
optimizer = torch.optim.Adam(model.parameters(), lr=0.08)
# --8<-- [end:setup]

# --8<-- [start:train]
for epoch in range(200):
    optimizer.zero_grad()
    loss = loss_fn(model(x), y)
    if epoch % 10 == 0:
        print(f"epoch {epoch:3}: loss {loss.item():.4f}")
    loss.backward()
    optimizer.step()
#> epoch   0: loss 406.9156
#> epoch  10: loss 95.0172
#> epoch  20: loss 86.6373
#> epoch  30: loss 76.7468
#> epoch  40: loss 71.0733
#> epoch  50: loss 65.5026
#> epoch  60: loss 60.7927
#> epoch  70: loss 55.4981
#> epoch  80: loss 51.0949
#> epoch  90: loss 48.7261
#> epoch 100: loss 46.1564
#> epoch 110: loss 44.6314
#> epoch 120: loss 42.2820
#> epoch 130: loss 39.8252
#> epoch 140: loss 38.7296
#> epoch 150: loss 37.5797
#> epoch 160: loss 34.9990
#> epoch 170: loss 42.7679
#> epoch 180: loss 36.0871
#> epoch 190: loss 33.3565
# --8<-- [end:train]

# --8<-- [start:final]
final_loss = loss_fn(model(x), y).item()
print(f"final loss {final_loss:.4f}")
#> final loss 31.5554
# --8<-- [end:final]
