"""How far one Adam step can move a parameter: up to lr (1 - beta1) / sqrt(1 - beta2)"""

# --8<-- [start:imports]
import math

import torch

# --8<-- [end:imports]

# --8<-- [start:bound]
lr, beta1, beta2 = 0.01, 0.9, 0.999  # Adam's default betas
theta = torch.zeros(1, requires_grad=True)
adam = torch.optim.Adam([theta], lr=lr, betas=(beta1, beta2))

theta.grad = torch.zeros(1)
for _ in range(3_000):  # a long run of zero gradients: m and v stay 0, theta stays
    adam.step()
before = theta.detach().clone()
theta.grad = torch.ones(1)  # then one gradient, after all that quiet
adam.step()

moved = (before - theta.detach()).item()
bound = lr * (1 - beta1) / math.sqrt(1 - beta2)
print(f"step {moved / lr:.3f} lr, bound {bound / lr:.3f} lr")
# > step 3.083 lr, bound 3.162 lr
# Spec: with default betas, one Adam step can move a parameter by more than 3 times the
#       learning rate (after a long run of zero gradients)
assert moved > 3 * lr
# Spec: no Adam step exceeds lr (1 - beta1) / sqrt(1 - beta2), about 3.16 lr with the
#       default betas
assert moved <= bound
# --8<-- [end:bound]
