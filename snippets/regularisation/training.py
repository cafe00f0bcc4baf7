"""The classifier trained on mini-batches with early stopping, tested once.

Run it with: python -m snippets.regularisation.training
"""

# --8<-- [start:imports]
import copy

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset, random_split

# --8<-- [end:imports]
from snippets.regularisation.data import make_classification_data

# --8<-- [start:setup]
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
# Spec: a DataLoader over 700 rows in batches of 64 gives 10 full batches and a
#       last one of 60
assert len(train_loader) == 11 and batch_sizes[-1] == 60
# Spec: one epoch's batches of a DataLoader add up to the 700 training rows
assert sum(batch_sizes) == 700
x_batch, y_batch = next(iter(train_loader))
print(tuple(x_batch.shape), tuple(y_batch.shape))
# > (64, 10) (64, 1)
# --8<-- [end:loaders]

# --8<-- [start:model]
torch.manual_seed(3)
model = nn.Sequential(nn.Linear(10, 16), nn.ReLU(), nn.Dropout(p=0.2), nn.Linear(16, 1))
loss_fn = nn.BCEWithLogitsLoss()  # the model outputs logits; the sigmoid is in the loss
decay = [p for p in model.parameters() if p.ndim > 1]  # weight matrices
no_decay = [p for p in model.parameters() if p.ndim <= 1]  # biases
optimizer = torch.optim.AdamW(
    [
        {"params": decay, "weight_decay": 0.01},
        {"params": no_decay, "weight_decay": 0.0},
    ],
    lr=0.02,
)
# Spec: the classifier's parameters with ndim > 1 are exactly its two weight
#       matrices, so only they decay
assert {id(p) for p in decay} == {id(model[0].weight), id(model[3].weight)}
# Spec: the decay and no-decay groups together hold every parameter of the
#       classifier
assert len(decay) + len(no_decay) == len(list(model.parameters()))
# --8<-- [end:model]


# --8<-- [start:evaluate]
def evaluate(model, loader, loss_fn):
    """Mean loss and accuracy over a loader, with dropout off and no graph recorded."""
    model.eval()
    total_loss, correct = 0.0, 0
    with torch.no_grad():
        for x_batch, y_batch in loader:
            logits = model(x_batch)
            total_loss += loss_fn(logits, y_batch).item() * len(x_batch)
            # a logit above 0 means P(y = 1) above 0.5: predict class 1
            correct += ((logits > 0).float() == y_batch).sum().item()
    n = len(loader.dataset)
    return total_loss / n, correct / n


# --8<-- [end:evaluate]


# --8<-- [start:train]
max_epochs, patience = 50, 3
best_loss, best_epoch, epochs_without_improvement = float("inf"), 0, 0
history = []  # (training loss, validation loss) of every epoch
for epoch in range(1, max_epochs + 1):
    model.train()  # dropout on
    total_loss = 0.0
    for x_batch, y_batch in train_loader:
        optimizer.zero_grad()
        loss = loss_fn(model(x_batch), y_batch)
        loss.backward()
        optimizer.step()
        total_loss += loss.item() * len(x_batch)
    train_loss = total_loss / len(train_set)
    valid_loss, valid_accuracy = evaluate(model, valid_loader, loss_fn)
    history.append((train_loss, valid_loss))
    print(
        f"epoch {epoch:2}: train {train_loss:.4f}, "
        f"validation {valid_loss:.4f} (accuracy {valid_accuracy:.3f})"
    )
    if valid_loss < best_loss:  # a new best: keep a copy of its parameters
        best_loss, best_epoch = valid_loss, epoch
        best_state = copy.deepcopy(model.state_dict())
        epochs_without_improvement = 0
    else:
        epochs_without_improvement += 1
        if epochs_without_improvement == patience:
            print(f"no improvement for {patience} epochs: stop after epoch {epoch}")
            break
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
# > epoch 11: train 0.3081, validation 0.2857 (accuracy 0.853)
# > epoch 12: train 0.3119, validation 0.2816 (accuracy 0.867)
# > epoch 13: train 0.3188, validation 0.2912 (accuracy 0.860)
# > epoch 14: train 0.3073, validation 0.2978 (accuracy 0.873)
# > epoch 15: train 0.3061, validation 0.2917 (accuracy 0.853)
# > no improvement for 3 epochs: stop after epoch 15
# --8<-- [end:train]

# --8<-- [start:stopped]
stopped_at = len(history)
# Spec: the early-stopping loop ends exactly `patience` epochs after the epoch
#       with the lowest validation loss, before its epoch limit
assert stopped_at == best_epoch + patience and stopped_at < max_epochs
# Spec: early stopping keeps the epoch with the lowest validation loss of the run
assert best_loss == min(valid for train, valid in history)
# --8<-- [end:stopped]

# --8<-- [start:restore]
# Spec: state_dict() returns the live parameter tensors, not copies
assert model.state_dict()["0.weight"].data_ptr() == model[0].weight.data_ptr()
model.load_state_dict(best_state)  # back to the epoch with the lowest validation loss
# Spec: loading the best epoch's saved state_dict gives back that epoch's
#       validation loss
torch.testing.assert_close(evaluate(model, valid_loader, loss_fn)[0], best_loss)
whole_train = DataLoader(train_set, batch_size=700)
train_eval_loss, train_eval_accuracy = evaluate(model, whole_train, loss_fn)
print(f"epoch {best_epoch}, training rows measured like the validation rows:")
# > epoch 12, training rows measured like the validation rows:
print(f"loss {train_eval_loss:.4f}, accuracy {train_eval_accuracy:.3f}")
# > loss 0.2863, accuracy 0.866
# --8<-- [end:restore]

# --8<-- [start:test]
# the one and only look at the test set
test_loss, test_accuracy = evaluate(model, test_loader, loss_fn)
print(f"test loss {test_loss:.4f}, test accuracy {test_accuracy:.3f}")
# > test loss 0.3578, test accuracy 0.840
# --8<-- [end:test]
