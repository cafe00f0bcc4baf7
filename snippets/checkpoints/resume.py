"""A training run stopped after some epochs and resumed from a checkpoint."""

# --8<-- [start:imports]
import io

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

# --8<-- [end:imports]
from snippets.regression_data import make_regression_data

# --8<-- [start:setup]
x, y = make_regression_data()
dataset = TensorDataset(x, y)
EPOCHS = 10


def build(seed=42):
    """A fresh model, optimizer, scheduler and shuffling loader."""
    torch.manual_seed(seed)  # the global generator: initial weights, dropout
    model = nn.Sequential(
        nn.Linear(3, 32), nn.ReLU(), nn.Dropout(p=0.2), nn.Linear(32, 1)
    )
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=5, gamma=0.5)
    shuffling = torch.Generator().manual_seed(seed)  # the loader's own generator
    loader = DataLoader(dataset, batch_size=20, shuffle=True, generator=shuffling)
    return model, optimizer, scheduler, loader


def train_epoch(model, optimizer, scheduler, loader):
    """One pass over the data in mini-batches; returns the summed loss."""
    model.train()
    total = 0.0
    for x_batch, y_batch in loader:
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(x_batch), y_batch, reduction="sum")
        loss.backward()
        optimizer.step()
        total += loss.item()
    scheduler.step()
    return total


# --8<-- [end:setup]

# --8<-- [start:uninterrupted]
model, optimizer, scheduler, loader = build()
full_run = [train_epoch(model, optimizer, scheduler, loader) for _ in range(EPOCHS)]
full_parameters = [p.detach().clone() for p in model.parameters()]
print([round(loss, 2) for loss in full_run])
# > [354.19, 277.72, 216.3, 168.33, 147.12, 115.77, 115.92, 107.05, 103.59, 107.16]
# --8<-- [end:uninterrupted]

# --8<-- [start:save]
model, optimizer, scheduler, loader = build()
first_part = [train_epoch(model, optimizer, scheduler, loader) for _ in range(4)]

checkpoint = {
    "epoch": 4,  # epochs done
    "model": model.state_dict(),
    "optimizer": optimizer.state_dict(),
    "scheduler": scheduler.state_dict(),
    "torch_rng": torch.get_rng_state(),
    "loader_rng": loader.generator.get_state(),
}
file = io.BytesIO()  # or a path: torch.save(checkpoint, "checkpoint.pt")
torch.save(checkpoint, file)
print(first_part == full_run[:4], scheduler.state_dict()["last_epoch"])
# > True 4
# --8<-- [end:save]


# --8<-- [start:resume]
def resume(file, optimizer_state=True, random_state=True):
    """Rebuild everything, load the checkpoint, train the remaining epochs."""
    file.seek(0)
    checkpoint = torch.load(file, weights_only=True)
    model, optimizer, scheduler, loader = build(seed=7)  # other starting values
    model.load_state_dict(checkpoint["model"])
    scheduler.load_state_dict(checkpoint["scheduler"])
    if optimizer_state:
        optimizer.load_state_dict(checkpoint["optimizer"])
    if random_state:
        torch.set_rng_state(checkpoint["torch_rng"])
        loader.generator.set_state(checkpoint["loader_rng"])
    rest = [
        train_epoch(model, optimizer, scheduler, loader)
        for _ in range(checkpoint["epoch"], EPOCHS)
    ]
    return rest, [p.detach() for p in model.parameters()]


second_part, parameters = resume(file)
print([round(loss, 2) for loss in first_part + second_part])
# > [354.19, 277.72, 216.3, 168.33, 147.12, 115.77, 115.92, 107.05, 103.59, 107.16]
# Spec: a run resumed from a checkpoint of model, optimizer, scheduler and random
#       state gives the uninterrupted run's losses, bit for bit
assert first_part + second_part == full_run
# Spec: a run resumed from a full checkpoint ends with the uninterrupted run's
#       parameters, bit for bit
assert all(torch.equal(a, b) for a, b in zip(parameters, full_parameters))
# --8<-- [end:resume]

# --8<-- [start:forget_optimizer]
second_part, parameters = resume(file, optimizer_state=False)
print([round(loss, 2) for loss in first_part + second_part])
# > [354.19, 277.72, 216.3, 168.33, 153.72, 115.05, 113.46, 104.67, 101.6, 103.9]
# Spec: resuming without the optimizer's state (Adam's step count and averages)
#       gives a different run
assert first_part + second_part != full_run
# --8<-- [end:forget_optimizer]

# --8<-- [start:forget_random]
second_part, parameters = resume(file, random_state=False)
print([round(loss, 2) for loss in first_part + second_part])
# > [354.19, 277.72, 216.3, 168.33, 140.83, 119.51, 114.69, 103.39, 109.06, 94.43]
# Spec: resuming without the random state (dropout masks, shuffling order)
#       gives a different run
assert first_part + second_part != full_run
# --8<-- [end:forget_random]
