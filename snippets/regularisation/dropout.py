"""Dropout: random zeros and rescaling in training mode, the identity in eval mode."""

# --8<-- [start:imports]
import torch
from torch import nn
from torch.nn import functional as F

# --8<-- [end:imports]

# --8<-- [start:training_mode]
torch.manual_seed(0)
dropout = nn.Dropout(p=0.5)
x = torch.ones(10)
print(dropout.training)
# > True
dropped = dropout(x)  # one random draw: another seed zeroes other positions
print(dropped)
# > tensor([0., 0., 2., 0., 0., 0., 2., 2., 0., 2.])
# --8<-- [end:training_mode]

# --8<-- [start:values]
for p in (0.2, 0.5, 0.9):
    values = set(nn.Dropout(p=p)(torch.ones(1000)).unique().tolist())
    # Spec: in training mode, nn.Dropout(p) turns a tensor of ones into 0s and
    #       1/(1 - p)s only (checked for p = 0.2, 0.5 and 0.9)
    assert values == {0.0, torch.tensor(1 / (1 - p)).item()}
big = dropout(torch.ones(1_000_000))
kept = (big != 0).float().mean().item()
print(f"kept: {kept:.2f}, mean: {big.mean().item():.2f}")
# > kept: 0.50, mean: 1.00
# Spec: over a million elements, nn.Dropout(p=0.5) keeps close to 1 - p = 50 % of them
assert abs(kept - 0.5) < 0.01
# Spec: dropout's rescaling by 1/(1 - p) keeps the mean of a million ones close to 1
torch.testing.assert_close(big.mean(), torch.tensor(1.0), atol=0.01, rtol=0)
# --8<-- [end:values]

# --8<-- [start:eval_mode]
dropout.eval()
print(dropout.training, dropout(x))
# > False tensor([1., 1., 1., 1., 1., 1., 1., 1., 1., 1.])
noisy_input = torch.randn(1000)
# Spec: nn.Dropout in eval mode returns its input unchanged
assert torch.equal(dropout(noisy_input), noisy_input)
dropout.train()  # back to training mode
# --8<-- [end:eval_mode]

# --8<-- [start:model_modes]
model = nn.Sequential(nn.Linear(10, 16), nn.ReLU(), nn.Dropout(p=0.5), nn.Linear(16, 1))
model.eval()
print([layer.training for layer in model])
# > [False, False, False, False]
# Spec: model.eval() switches every submodule to evaluation mode
assert not any(module.training for module in model.modules())
model.train()
# Spec: model.train() switches every submodule back to training mode
assert all(module.training for module in model.modules())
# --8<-- [end:model_modes]


# --8<-- [start:functional]
class ForgetfulNet(nn.Module):
    def forward(self, x):
        # training=True by default, whatever the module's mode
        return F.dropout(x, p=0.5)


class CarefulNet(nn.Module):
    def forward(self, x):
        # follows train() / eval()
        return F.dropout(x, p=0.5, training=self.training)


forgetful = ForgetfulNet().eval()
careful = CarefulNet().eval()
print(forgetful(x))  # random zeros, although the module is in eval mode
# > tensor([0., 2., 2., 2., 0., 0., 2., 0., 0., 2.])
print(careful(x))
# > tensor([1., 1., 1., 1., 1., 1., 1., 1., 1., 1.])
# Spec: F.dropout(x, p=0.5) inside a module in eval mode still drops values and
#       doubles the rest: its training argument defaults to True
assert set(forgetful(torch.ones(1000)).unique().tolist()) == {0.0, 2.0}
# Spec: F.dropout with training=self.training is the identity after model.eval()
torch.testing.assert_close(careful(x), x)
# Spec: F.dropout with training=False is the identity
torch.testing.assert_close(F.dropout(x, p=0.5, training=False), x)
# --8<-- [end:functional]
