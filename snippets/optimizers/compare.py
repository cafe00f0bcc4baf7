"""One network and start, trained by SGD (lr 1e-4) and by Adam (lr 0.08), then judged.

Run it with: python -m snippets.optimizers.compare
"""

# --8<-- [start:imports]
import torch
from torch import nn

# --8<-- [end:imports]
from snippets.regression_data import make_regression_data

# --8<-- [start:compare]
x, y = make_regression_data()
loss_fn = nn.MSELoss(reduction="sum")


def fresh_model():
    torch.manual_seed(42)  # the same starting values every time
    return nn.Sequential(nn.Linear(3, 32), nn.ReLU(), nn.Linear(32, 1))


def train(model, optimizer, epochs=200):
    """Train with the four-line pattern; return the loss of every epoch."""
    losses = []
    for epoch in range(epochs):
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        losses.append(loss.item())
        loss.backward()
        optimizer.step()
    return losses


def first_epoch_below(losses, level):
    return next(epoch for epoch, loss in enumerate(losses) if loss < level)


sgd_model, adam_model = fresh_model(), fresh_model()
sgd_optimizer = torch.optim.SGD(sgd_model.parameters(), lr=1e-4)  # the earlier loop
sgd_losses = train(sgd_model, sgd_optimizer)
adam_losses = train(adam_model, torch.optim.Adam(adam_model.parameters(), lr=0.08))
sgd_fast, adam_fast = (first_epoch_below(run, 100) for run in (sgd_losses, adam_losses))
print(f"first epoch below 100: SGD {sgd_fast}, Adam {adam_fast}")
# > first epoch below 100: SGD 73, Adam 8
# --8<-- [end:compare]

# --8<-- [start:training_loss]
true_weights = torch.tensor([[0.2], [-1.3], [-0.5]])  # what the data were made from
truth_loss = loss_fn(x @ true_weights, y).item()  # what the noise alone costs
sgd_loss = loss_fn(sgd_model(x), y).item()
adam_loss = loss_fn(adam_model(x), y).item()
print(f"true function:        {truth_loss:.4f}")
# > true function:        97.6049
print(f"SGD, lr 1e-4:         {sgd_loss:.4f}")
# > SGD, lr 1e-4:         89.5907
# Spec: trained 200 epochs from the same start, the series' network ends with less
#       than half the training loss under Adam (lr 0.08) than under SGD (lr 1e-4)
assert adam_loss < sgd_loss / 2
# Spec: in the series' regression example, the network trained by Adam ends with a
#       training loss below that of the true function
assert adam_loss < truth_loss
# --8<-- [end:training_loss]

# --8<-- [start:least_squares]
design = torch.cat([x, torch.ones(len(x), 1)], dim=1)  # 3 weights and an intercept
ols_weights = torch.linalg.lstsq(design, y).solution  # ordinary least squares
ols_loss = loss_fn(design @ ols_weights, y).item()
print(f"least squares, 4 parameters: {ols_loss:.2f}")
# > least squares, 4 parameters: 94.84
# Spec: in the series' regression example, least squares with 4 parameters also
#       scores below the true function on its own training data, so a training loss
#       below the truth's is no sign of memorising
assert ols_loss < truth_loss
# --8<-- [end:least_squares]

# --8<-- [start:fresh_data]
x_new, y_new = make_regression_data(n=10_000, seed=1)  # new rows, same generator
per_row = nn.MSELoss()  # the mean, so that data sets of any size compare
with torch.no_grad():
    fresh = {
        "true function": per_row(x_new @ true_weights, y_new).item(),
        "least squares": per_row(
            x_new @ ols_weights[:3] + ols_weights[3], y_new
        ).item(),
        "SGD": per_row(sgd_model(x_new), y_new).item(),
        "Adam": per_row(adam_model(x_new), y_new).item(),
    }
for name in ("true function", "least squares", "SGD"):
    print(f"{name:14} {fresh[name]:.3f} per row")
# > true function  0.999 per row
# > least squares  1.036 per row
# > SGD            1.098 per row
# Spec: in the series' regression example, on fresh data from the same generator the
#       network trained by Adam does worse than the one trained by SGD and than the
#       true function: it fitted noise
assert fresh["Adam"] > fresh["SGD"] > fresh["true function"]
# Spec: in the series' regression example, least squares stays within 10 % of the true
#       function's loss on fresh data
assert fresh["least squares"] < 1.1 * fresh["true function"]
# --8<-- [end:fresh_data]
