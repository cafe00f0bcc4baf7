"""How far one Adam step can move a parameter, for three histories of gradients."""

# --8<-- [start:imports]
import math

import torch

# --8<-- [end:imports]

# --8<-- [start:bound]
beta1, beta2 = 0.9, 0.999  # Adam's default betas


def largest_step(gradients, lr=0.01):
    """Feed Adam one gradient per step; return its largest step, in units of lr."""
    theta = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    adam = torch.optim.Adam([theta], lr=lr, betas=(beta1, beta2))
    largest = 0.0
    for g in gradients:
        before = theta.item()
        theta.grad = torch.tensor([g], dtype=torch.float64)
        adam.step()
        largest = max(largest, abs(theta.item() - before))
    return largest / lr


steady = largest_step([1.0] * 100)  # the same gradient every step
quiet_then_one = largest_step([0.0] * 3000 + [1.0])  # long silence, then a gradient
growing = largest_step([1.11**t for t in range(3000)])  # 11 % larger every step
print(
    f"steady {steady:.2f}, quiet then one {quiet_then_one:.2f}, growing {growing:.2f}"
)
# > steady 1.00, quiet then one 3.08, growing 7.09

sparse_bound = (1 - beta1) / math.sqrt(1 - beta2)  # about 3.16
general_bound = sparse_bound / math.sqrt(1 - beta1**2 / beta2)  # about 7.27
print(f"{sparse_bound:.2f} {general_bound:.2f}")
# > 3.16 7.27
# Spec: with a constant gradient, every Adam step moves the parameter by at most lr
assert steady <= 1
# Spec: with default betas, a gradient after a long run of zero gradients moves a
#       parameter by more than 3 lr, up to lr (1 - beta1) / sqrt(1 - beta2)
assert 3 < quiet_then_one <= sparse_bound
# Spec: gradients that grow steadily push an Adam step (default betas) beyond
#       lr (1 - beta1) / sqrt(1 - beta2), but not beyond that bound divided by
#       sqrt(1 - beta1² / beta2)
assert sparse_bound < growing <= general_bound
# --8<-- [end:bound]
