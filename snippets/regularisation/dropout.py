"""Dropout: random zeros and rescaling in training mode, the identity in evaluation mode."""

# --8<-- [start:training_mode]
import torch
from torch import nn
from torch.nn import functional as F

torch.manual_seed(0)
dropout = nn.Dropout(p=0.5)
x = torch.ones(10)
print(dropout.training)
# > True
dropped = dropout(x)
print(dropped)
# > tensor([0., 0., 2., 0., 0., 0., 2., 2., 0., 2.])
# --8<-- [end:training_mode]

# --8<-- [start:values]
# Spec: nn.Dropout(p=0.5) in training mode turns ones into 0s and 2s only
assert set(dropout(x).tolist()) <= {0.0, 2.0}
big = dropout(torch.ones(100_000))
print(f"kept: {(big != 0).float().mean().item():.4f}, mean: {big.mean().item():.4f}")
# > kept: 0.4992, mean: 0.9985
# Spec: dropout's rescaling by 1/(1 - p) keeps the mean of ones at 1
torch.testing.assert_close(big.mean(), torch.tensor(1.0), atol=0.01, rtol=0)
# --8<-- [end:values]

# --8<-- [start:eval_mode]
dropout.eval()
print(dropout.training, dropout(x))
# > False tensor([1., 1., 1., 1., 1., 1., 1., 1., 1., 1.])
# Spec: nn.Dropout in eval mode is the identity
torch.testing.assert_close(dropout(x), x)
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
        return F.dropout(
            x, p=0.5
        )  # training=True by default, whatever the module's mode


class CarefulNet(nn.Module):
    def forward(self, x):
        return F.dropout(x, p=0.5, training=self.training)  # follows train() / eval()


forgetful = ForgetfulNet().eval()
careful = CarefulNet().eval()
print(forgetful(x))
# > tensor([0., 0., 2., 0., 2., 0., 2., 0., 2., 0.])
print(careful(x))
# > tensor([1., 1., 1., 1., 1., 1., 1., 1., 1., 1.])
# Spec: F.dropout still zeroes values after model.eval(): training defaults to True
assert (forgetful(x) == 0).any()
# Spec: F.dropout with training=self.training is the identity after model.eval()
torch.testing.assert_close(careful(x), x)
# Spec: F.dropout with training=False is the identity
torch.testing.assert_close(F.dropout(x, p=0.5, training=False), x)
# --8<-- [end:functional]
