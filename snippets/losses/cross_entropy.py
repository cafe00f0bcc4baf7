"""Cross-entropy on logits, as nll_loss of log_softmax, with probability targets."""

# --8<-- [start:imports]
import math

import torch
import torch.nn.functional as F

# --8<-- [end:imports]

# --8<-- [start:logits]
logits = torch.tensor(
    [[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]]
)  # 2 samples, 3 classes, raw scores
classes = torch.tensor([0, 2])  # the true class of each sample (0-based)

loss = F.cross_entropy(logits, classes)

rows = torch.arange(len(classes))
per_sample = -logits[rows, classes] + torch.logsumexp(
    logits, dim=1
)  # -z_c + log sum_j exp z_j
print(per_sample)
# > tensor([0.4170, 2.4200])
print(f"{loss.item():.4f} {per_sample.mean().item():.4f}")
# > 1.4185 1.4185
# Spec: cross-entropy on logits is the mean of -z_c + log sum_j exp(z_j)
torch.testing.assert_close(loss, per_sample.mean())
# --8<-- [end:logits]

# --8<-- [start:nll]
log_probabilities = F.log_softmax(logits, dim=1)
picked = -log_probabilities[
    rows, classes
]  # what nll_loss does: pick the true class's entry, negate
print(picked)
# > tensor([0.4170, 2.4200])
# Spec: nll_loss averages minus the log-probability of the true class
torch.testing.assert_close(F.nll_loss(log_probabilities, classes), picked.mean())
# Spec: cross_entropy(z) equals nll_loss(log_softmax(z))
torch.testing.assert_close(loss, F.nll_loss(log_probabilities, classes))
# --8<-- [end:nll]

# --8<-- [start:probabilities]
one_hot = F.one_hot(classes, num_classes=3).float()
print(one_hot)
# > tensor([[1., 0., 0.],
# >         [0., 0., 1.]])
# Spec: one-hot probability targets give the same loss as class indices
torch.testing.assert_close(F.cross_entropy(logits, one_hot), loss)

soft = torch.tensor(
    [[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]]
)  # any distribution over the classes works
by_hand = -(soft * log_probabilities).sum(dim=1).mean()
print(f"{F.cross_entropy(logits, soft).item():.4f} {by_hand.item():.4f}")
# > 1.4935 1.4935
# Spec: probability targets: mean of -sum_j p_j log softmax(z)_j
torch.testing.assert_close(F.cross_entropy(logits, soft), by_hand)
# --8<-- [end:probabilities]

# --8<-- [start:label_smoothing]
eps, n_classes = 0.1, 3
smoothed_target = (1 - eps) * one_hot + eps / n_classes
print(smoothed_target)
# > tensor([[0.9333, 0.0333, 0.0333],
# >         [0.0333, 0.0333, 0.9333]])
smoothed_loss = F.cross_entropy(logits, classes, label_smoothing=eps)
print(f"{loss.item():.4f} {smoothed_loss.item():.4f}")
# > 1.4185 1.4269
# Spec: label_smoothing=eps is the loss against (1 - eps) * one-hot + eps / C
torch.testing.assert_close(smoothed_loss, F.cross_entropy(logits, smoothed_target))
# --8<-- [end:label_smoothing]

# --8<-- [start:softmax_mistake]
probabilities = logits.softmax(dim=1)
wrong = F.cross_entropy(
    probabilities, classes
)  # softmax applied twice: once here, once inside
print(f"from logits {loss.item():.4f}, from softmax outputs {wrong.item():.4f}")
# > from logits 1.4185, from softmax outputs 1.1018
# Spec: cross_entropy on softmax outputs instead of logits gives a different value
assert not torch.isclose(wrong, loss)

sure = torch.tensor([[10.0, 0.0, 0.0]])  # very confident, and right
right_class = torch.tensor([0])
from_logits = F.cross_entropy(sure, right_class)
from_softmax = F.cross_entropy(sure.softmax(dim=1), right_class)
print(f"from logits {from_logits.item():.4f}, from softmax {from_softmax.item():.4f}")
# > from logits 0.0001, from softmax 0.5515
floor = math.log(1 + 2 / math.e)  # the best a second softmax allows with 3 classes
# Spec: cross-entropy of softmax outputs over 3 classes never falls below log(1 + 2/e),
#       even for a sure and right prediction
assert from_softmax >= floor - 1e-6
# --8<-- [end:softmax_mistake]
