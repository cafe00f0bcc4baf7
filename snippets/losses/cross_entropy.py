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

# --8<-- [start:r_labels]
r_labels = classes + 1  # the same classes counted from 1, as R torch counts them
try:
    F.cross_entropy(logits, r_labels)
except IndexError as error:
    message = str(error)
print(message)
# > Target 3 is out of bounds.
# Spec: cross_entropy raises an IndexError for a class index equal to the number of
#       classes: with 3 classes, the indices run from 0 to 2
assert message.startswith("Target 3 is out of bounds")
# --8<-- [end:r_labels]

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

far_apart = torch.tensor([0.0, -200.0])  # two logits, 200 apart
print(F.log_softmax(far_apart, dim=0), far_apart.softmax(dim=0).log())
# > tensor([   0., -200.]) tensor([0., -inf])
# Spec: for logits 200 apart, log_softmax gives the small log-probability, -200,
#       where the log of softmax underflows to -inf
assert F.log_softmax(far_apart, dim=0)[1] == -200 and far_apart.softmax(0)[1] == 0
# --8<-- [end:nll]

# --8<-- [start:probabilities]
one_hot = F.one_hot(classes, num_classes=3).float()
print(one_hot)
# > tensor([[1., 0., 0.],
# >         [0., 0., 1.]])
# Spec: without class weights, one-hot probability targets give the same loss as
#       class indices
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
# Spec: without class weights, label_smoothing=eps gives the loss against the
#       target (1 - eps) * one-hot + eps / C
torch.testing.assert_close(smoothed_loss, F.cross_entropy(logits, smoothed_target))
# --8<-- [end:label_smoothing]

# --8<-- [start:class_weights]
class_weights = torch.tensor([1.0, 2.0, 5.0])  # a mistake on class 2 costs 5 times more


def weighted(target, reduction, smoothing=0.0):
    return F.cross_entropy(
        logits,
        target,
        weight=class_weights,
        reduction=reduction,
        label_smoothing=smoothing,
    )


for reduction in ("none", "sum", "mean"):
    print(f"{reduction:4}", weighted(classes, reduction), weighted(one_hot, reduction))
# > none tensor([ 0.4170, 12.1002]) tensor([ 0.4170, 12.1002])
# > sum  tensor(12.5173) tensor(12.5173)
# > mean tensor(2.0862) tensor(6.2586)
total = weighted(classes, "sum")
true_class_weights = class_weights[classes]  # 1 for class 0, 5 for class 2
# Spec: with class weights, class-index and one-hot targets give the same loss for
#       each sample (reduction "none")
torch.testing.assert_close(weighted(classes, "none"), weighted(one_hot, "none"))
# Spec: with class weights, class-index and one-hot targets give the same "sum"
torch.testing.assert_close(total, weighted(one_hot, "sum"))
# Spec: with class weights and reduction "mean", class-index targets divide the
#       weighted sum by the total weight of the samples' true classes
torch.testing.assert_close(weighted(classes, "mean"), total / true_class_weights.sum())
# Spec: with class weights and reduction "mean", probability targets divide the
#       weighted sum by the number of samples
torch.testing.assert_close(weighted(one_hot, "mean"), total / len(classes))
# Spec: with class weights [1, 2, 5] and reduction "mean", class-index and one-hot
#       targets give different losses
assert not torch.isclose(weighted(classes, "mean"), weighted(one_hot, "mean"))
# Spec: with class weights, label_smoothing=eps gives each sample the loss against
#       the smoothed target (reduction "none")
torch.testing.assert_close(
    weighted(classes, "none", smoothing=eps), weighted(smoothed_target, "none")
)
# Spec: with class weights [1, 2, 5] and reduction "mean", label_smoothing=eps and
#       the smoothed target give different losses
assert not torch.isclose(
    weighted(classes, "mean", smoothing=eps), weighted(smoothed_target, "mean")
)
# --8<-- [end:class_weights]

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
