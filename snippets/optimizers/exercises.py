"""Exercises for the optimizers page: predict, then run."""

# --8<-- [start:imports]
import torch

# --8<-- [end:imports]

# --8<-- [start:ex1_starter]
w = torch.tensor(0.0, requires_grad=True)
sgd = torch.optim.SGD([w], lr=0.25)
# The loss is (w - 5)², its minimum at w = 5. Predict w after one optimizer step.
# --8<-- [end:ex1_starter]

# --8<-- [start:ex1_solution]
sgd.zero_grad()
((w - 5) ** 2).backward()  # gradient 2 (0 - 5) = -10
sgd.step()
print(w.item())
# > 2.5
# Spec: one SGD step with lr 0.25 on (w - 5)² from w = 0 lands at w = 2.5
torch.testing.assert_close(w.detach(), torch.tensor(2.5))
# --8<-- [end:ex1_solution]

# --8<-- [start:ex2_starter]
w = torch.tensor(0.0, requires_grad=True)
heavy = torch.optim.SGD([w], lr=0.25, momentum=0.9)
# Same loss, same start, now with momentum 0.9. Predict w after two steps.
# --8<-- [end:ex2_starter]

# --8<-- [start:ex2_solution]
for _ in range(2):
    heavy.zero_grad()
    ((w - 5) ** 2).backward()
    heavy.step()
print(w.item())
# > 6.0
# Spec: SGD with momentum 0.9 and lr 0.25 on (w - 5)² from w = 0 is at w = 6 after two
#       steps, past the minimum at 5
torch.testing.assert_close(w.detach(), torch.tensor(6.0))
# --8<-- [end:ex2_solution]

# --8<-- [start:ex3_starter]
small = torch.tensor(0.0, requires_grad=True)
large = torch.tensor(0.0, requires_grad=True)
adam = torch.optim.Adam([small, large], lr=0.1)
# One loss gives `small` a gradient of -0.001, the other gives `large` -1000.
# Predict how far each moves in Adam's first step.
# --8<-- [end:ex3_starter]

# --8<-- [start:ex3_solution]
adam.zero_grad()
(-0.001 * small - 1000 * large).backward()
adam.step()
print(f"{small.item():.4f} {large.item():.4f}")
# > 0.1000 0.1000
# Spec: Adam's first step moves parameters whose gradients differ by a factor of a
#       million by the same amount, the learning rate
torch.testing.assert_close(small.detach(), large.detach())
# Spec: Adam's first step from 0 with lr 0.1 and a negative gradient lands at 0.1
torch.testing.assert_close(large.detach(), torch.tensor(0.1))
# --8<-- [end:ex3_solution]
