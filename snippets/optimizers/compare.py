"""The same network and starting values, trained by plain gradient descent (SGD, lr 1e-4) and by Adam (lr 0.08)."""

# --8<-- [start:compare]
import torch
from torch import nn

from snippets.regression_data import make_regression_data

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


sgd_model, adam_model = fresh_model(), fresh_model()
sgd_losses = train(
    sgd_model, torch.optim.SGD(sgd_model.parameters(), lr=1e-4)
)  # the loop of the earlier pages
adam_losses = train(adam_model, torch.optim.Adam(adam_model.parameters(), lr=0.08))

true_weights = torch.tensor(
    [[0.2], [-1.3], [-0.5]]
)  # the function the data were made from
truth_loss = loss_fn(x @ true_weights, y).item()  # what the noise alone costs
sgd_loss = loss_fn(sgd_model(x), y).item()
adam_loss = loss_fn(adam_model(x), y).item()
print(f"true function:        {truth_loss:.4f}")
# > true function:        97.6049
print(f"SGD, lr 1e-4:         {sgd_loss:.4f}")
# > SGD, lr 1e-4:         89.5907
# Spec: after 200 epochs from the same start, Adam (lr 0.08) ends at less than half the
#       training loss of SGD (lr 1e-4)
assert adam_loss < sgd_loss / 2
# Spec: Adam's training loss ends below that of the true function: the network has
#       started to fit the noise
assert adam_loss < truth_loss
# --8<-- [end:compare]
