"""The classifier trained on mini-batches, watched on a validation set, judged once on a test set.

Run it with: python -m snippets.regularisation.training
"""

# --8<-- [start:setup]
import copy

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset, random_split

from snippets.regularisation.data import make_classification_data

x, y = make_classification_data()
train_set, valid_set, test_set = random_split(
    TensorDataset(x, y), [700, 150, 150], generator=torch.Generator().manual_seed(1)
)
# --8<-- [end:setup]

# --8<-- [start:loaders]
train_loader = DataLoader(
    train_set, batch_size=64, shuffle=True, generator=torch.Generator().manual_seed(2)
)
valid_loader = DataLoader(valid_set, batch_size=150)  # evaluation needs no shuffling
test_loader = DataLoader(test_set, batch_size=150)

batch_sizes = [len(x_batch) for x_batch, y_batch in train_loader]
print(len(train_loader), batch_sizes[:3], batch_sizes[-1])
# > 11 [64, 64, 64] 60
# Spec: 700 rows in batches of 64: 10 full batches and a last one of 60
assert len(train_loader) == 11 and batch_sizes[-1] == 60
# Spec: one epoch's batches add up to the 700 training rows
assert sum(batch_sizes) == 700
x_batch, y_batch = next(iter(train_loader))
print(tuple(x_batch.shape), tuple(y_batch.shape))
# > (64, 10) (64, 1)
# --8<-- [end:loaders]

# --8<-- [start:model]
torch.manual_seed(3)
model = nn.Sequential(nn.Linear(10, 16), nn.ReLU(), nn.Dropout(p=0.2), nn.Linear(16, 1))
loss_fn = (
    nn.BCEWithLogitsLoss()
)  # the model outputs logits; the sigmoid is inside the loss
weights = [p for name, p in model.named_parameters() if name.endswith("weight")]
biases = [p for name, p in model.named_parameters() if name.endswith("bias")]
optimizer = torch.optim.AdamW(
    [
        {"params": weights, "weight_decay": 0.01},
        {"params": biases, "weight_decay": 0.0},
    ],
    lr=0.02,
)
# Spec: the weight and bias groups together hold every parameter of the model
assert len(weights) + len(biases) == len(list(model.parameters()))
# --8<-- [end:model]


# --8<-- [start:evaluate]
def evaluate(loader):
    """Mean loss and accuracy over a loader, with dropout off and no graph recorded."""
    model.eval()
    total_loss, correct = 0.0, 0
    with torch.no_grad():
        for x_batch, y_batch in loader:
            logits = model(x_batch)
            total_loss += loss_fn(logits, y_batch).item() * len(x_batch)
            correct += (
                ((logits > 0).float() == y_batch).sum().item()
            )  # logit > 0 means P(y = 1) > 0.5
    n = len(loader.dataset)
    return total_loss / n, correct / n


# --8<-- [end:evaluate]


# --8<-- [start:train]
best_loss = float("inf")
history = []  # (training loss, validation loss) of every epoch
for epoch in range(1, 11):
    model.train()  # dropout on
    total_loss = 0.0
    for x_batch, y_batch in train_loader:
        optimizer.zero_grad()
        loss = loss_fn(model(x_batch), y_batch)
        loss.backward()
        optimizer.step()
        total_loss += loss.item() * len(x_batch)
    train_loss = total_loss / len(train_set)
    valid_loss, valid_accuracy = evaluate(valid_loader)  # dropout off, no gradients
    history.append((train_loss, valid_loss))
    print(
        f"epoch {epoch:2}: train {train_loss:.4f}, validation {valid_loss:.4f} (accuracy {valid_accuracy:.3f})"
    )
    if valid_loss < best_loss:  # remember the parameters of the best epoch so far
        best_loss, best_epoch = valid_loss, epoch
        best_state = copy.deepcopy(model.state_dict())
# > epoch  1: train 0.6319, validation 0.4770 (accuracy 0.860)
# > epoch  2: train 0.4413, validation 0.3228 (accuracy 0.840)
# > epoch  3: train 0.3640, validation 0.2904 (accuracy 0.873)
# > epoch  4: train 0.3368, validation 0.2903 (accuracy 0.860)
# > epoch  5: train 0.3538, validation 0.2910 (accuracy 0.867)
# > epoch  6: train 0.3341, validation 0.2895 (accuracy 0.873)
# > epoch  7: train 0.3302, validation 0.2884 (accuracy 0.867)
# > epoch  8: train 0.3148, validation 0.2884 (accuracy 0.867)
# > epoch  9: train 0.3278, validation 0.2857 (accuracy 0.873)
# > epoch 10: train 0.3062, validation 0.2886 (accuracy 0.867)
# --8<-- [end:train]

# --8<-- [start:restore]
# Spec: state_dict() returns the live parameter tensors, not copies
assert model.state_dict()["0.weight"].data_ptr() == model[0].weight.data_ptr()
model.load_state_dict(best_state)  # back to the epoch with the lowest validation loss
# Spec: after load_state_dict the validation loss is the best epoch's again
torch.testing.assert_close(evaluate(valid_loader)[0], best_loss)
train_eval_loss, train_eval_accuracy = evaluate(DataLoader(train_set, batch_size=700))
print(
    f"epoch {best_epoch}, training set measured like the validation set: loss {train_eval_loss:.4f}"
)
# > epoch 9, training set measured like the validation set: loss 0.2939
# --8<-- [end:restore]

# --8<-- [start:test]
test_loss, test_accuracy = evaluate(
    test_loader
)  # the one and only look at the test set
print(f"test loss {test_loss:.4f}, test accuracy {test_accuracy:.3f}")
# > test loss 0.3597, test accuracy 0.847
# --8<-- [end:test]
