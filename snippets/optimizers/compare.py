"""The same network and starting values, trained by the manual loop of the earlier pages and by Adam."""

# --8<-- [start:compare]
import torch
from torch import nn

from snippets.regression_data import make_regression_data

x, y = make_regression_data()
loss_fn = nn.MSELoss(reduction="sum")


def fresh_model():
    torch.manual_seed(42)  # the same starting values every time
    return nn.Sequential(nn.Linear(3, 32), nn.ReLU(), nn.Linear(32, 1))


manual = fresh_model()
for epoch in range(200):  # the loop of the Loss functions page: plain gradient descent, lr 1e-4
    loss = loss_fn(manual(x), y)
    manual.zero_grad()
    loss.backward()
    with torch.no_grad():
        for parameter in manual.parameters():
            parameter -= 1e-4 * parameter.grad

adam_model = fresh_model()
optimizer = torch.optim.Adam(adam_model.parameters(), lr=0.08)
for epoch in range(200):
    optimizer.zero_grad()
    loss = loss_fn(adam_model(x), y)
    loss.backward()
    optimizer.step()

true_weights = torch.tensor([[0.2], [-1.3], [-0.5]])  # the function the data were made from
truth_loss = loss_fn(x @ true_weights, y).item()  # what the noise alone costs
manual_loss = loss_fn(manual(x), y).item()
adam_loss = loss_fn(adam_model(x), y).item()
print(f"true function:        {truth_loss:.4f}")
#> true function:        97.6049
print(f"manual loop, lr 1e-4: {manual_loss:.4f}")
#> manual loop, lr 1e-4: 89.5907
print(f"Adam, lr 0.08:        {adam_loss:.4f}")
#> Adam, lr 0.08:        31.5554
assert adam_loss < manual_loss  # after 200 epochs from the same start, Adam (lr 0.08) reaches a lower training loss than plain gradient descent (lr 1e-4)
assert adam_loss < truth_loss  # Adam's training loss ends below that of the true function: the network has started to fit the noise
# --8<-- [end:compare]
