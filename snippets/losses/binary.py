"""Binary cross-entropy on probabilities and on logits, and where the two part ways."""

# --8<-- [start:imports]
import torch
import torch.nn.functional as F

# --8<-- [end:imports]

# --8<-- [start:bce]
logits = torch.tensor([1.5, -0.3, 2.0])
targets = torch.tensor([1.0, 0.0, 0.0])
p = torch.sigmoid(logits)

by_hand = -(targets * torch.log(p) + (1 - targets) * torch.log(1 - p)).mean()
on_probabilities = F.binary_cross_entropy(p, targets)
with_logits = F.binary_cross_entropy_with_logits(logits, targets)
print(f"{by_hand.item():.4f} {on_probabilities.item():.4f} {with_logits.item():.4f}")
# > 0.9609 0.9609 0.9609
# Spec: BCE is the mean of -[y log p + (1 - y) log(1 - p)]
torch.testing.assert_close(on_probabilities, by_hand)
# Spec: for moderate logits, BCE with logits equals BCE on sigmoid probabilities
torch.testing.assert_close(with_logits, on_probabilities)
# --8<-- [end:bce]

# --8<-- [start:saturation]
z = torch.tensor(200.0, requires_grad=True)  # a confident and very wrong prediction
target = torch.tensor(0.0)

p = torch.sigmoid(z)
print(p.item())
# > 1.0
# Spec: in float32, sigmoid(200) rounds to exactly 1
assert p.item() == 1.0
clamped = F.binary_cross_entropy(p, target)
clamped.backward()
print(f"BCE after sigmoid: loss {clamped.item():.1f}, gradient {z.grad.item():.1f}")
# > BCE after sigmoid: loss 100.0, gradient 0.0
# Spec: BCE after a sigmoid, logit 200, target 0: log(0) is clamped to -100, so the loss
#       is 100
torch.testing.assert_close(clamped, torch.tensor(100.0))
# Spec: BCE after a sigmoid, logit 200, target 0: the saturated sigmoid passes back a
#       gradient of 0
torch.testing.assert_close(z.grad, torch.tensor(0.0))

z.grad = None
exact = F.binary_cross_entropy_with_logits(z, target)
exact.backward()
print(f"BCE with logits:   loss {exact.item():.1f}, gradient {z.grad.item():.1f}")
# > BCE with logits:   loss 200.0, gradient 1.0
# Spec: BCE with logits, logit 200, target 0: the exact loss, 200
torch.testing.assert_close(exact, torch.tensor(200.0))
# Spec: BCE with logits, logit 200, target 0: the gradient sigmoid(z) - y = 1
torch.testing.assert_close(z.grad, torch.tensor(1.0))
# --8<-- [end:saturation]

# --8<-- [start:equal_form]
z = torch.tensor([-200.0, -3.0, 0.0, 3.0, 200.0])  # small and extreme logits
for y in (torch.zeros(5), torch.ones(5), torch.full((5,), 0.3)):
    equal_form = z.clamp(min=0) - z * y + torch.log1p(torch.exp(-z.abs()))
    with_logits = F.binary_cross_entropy_with_logits(z, y, reduction="none")
    # Spec: BCE with logits equals max(z, 0) - z y + log(1 + exp(-|z|)) for logits
    #       from -200 to 200 and targets 0, 1 and 0.3
    torch.testing.assert_close(with_logits, equal_form)
# --8<-- [end:equal_form]
