"""Exercises for the loss-functions page: predict, then run."""

# --8<-- [start:imports]
import math

import torch
import torch.nn.functional as F

# --8<-- [end:imports]

# --8<-- [start:ex1_starter]
n_classes = 10
undecided = torch.zeros(4, n_classes)  # 4 samples, the same score for every class
labels = torch.tensor([0, 3, 3, 9])
# Predict the value of F.cross_entropy(undecided, labels) before you run it.
# --8<-- [end:ex1_starter]

# --8<-- [start:ex1_solution]
uniform_loss = F.cross_entropy(undecided, labels)
print(f"{uniform_loss.item():.4f} {math.log(n_classes):.4f}")
# > 2.3026 2.3026
# Spec: cross-entropy of equal logits over C classes is log C, whatever the labels
torch.testing.assert_close(uniform_loss, torch.tensor(math.log(n_classes)))
# --8<-- [end:ex1_solution]

# --8<-- [start:ex2_starter]
prediction = torch.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
zeros = torch.zeros(4)
# Predict prediction.grad after backward() of the "sum" loss, then of the "mean" loss.
# --8<-- [end:ex2_starter]

# --8<-- [start:ex2_solution]
F.mse_loss(prediction, zeros, reduction="sum").backward()
grad_of_sum = prediction.grad.clone()
prediction.grad = None
F.mse_loss(prediction, zeros, reduction="mean").backward()
grad_of_mean = prediction.grad.clone()
print(grad_of_sum, grad_of_mean)
# > tensor([2., 4., 6., 8.]) tensor([0.5000, 1.0000, 1.5000, 2.0000])
# Spec: the gradient of a "sum" MSE is 2 (prediction - target) for each element
torch.testing.assert_close(grad_of_sum, 2 * prediction.detach())
# Spec: the gradient of a "mean" MSE is the "sum" gradient divided by the element count
torch.testing.assert_close(grad_of_mean, grad_of_sum / prediction.numel())
# --8<-- [end:ex2_solution]

# --8<-- [start:ex3_starter]
z = torch.tensor(0.0, requires_grad=True)  # a logit of 0: probability one half
# Predict binary_cross_entropy_with_logits(z, y) and its gradient for y = 1, then y = 0.
# --8<-- [end:ex3_starter]

# --8<-- [start:ex3_solution]
for y in (1.0, 0.0):
    z.grad = None
    bce = F.binary_cross_entropy_with_logits(z, torch.tensor(y))
    bce.backward()
    print(f"target {y:.0f}: loss {bce.item():.4f}, gradient {z.grad.item():+.2f}")
    # Spec: BCE with logits at logit 0 is log 2 for either target
    torch.testing.assert_close(bce, torch.tensor(math.log(2)))
    # Spec: BCE with logits at logit 0 has gradient sigmoid(0) - y = 0.5 - y
    torch.testing.assert_close(z.grad, torch.tensor(0.5 - y))
# > target 1: loss 0.6931, gradient -0.50
# > target 0: loss 0.6931, gradient +0.50
# --8<-- [end:ex3_solution]
