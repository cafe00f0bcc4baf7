"""Mean squared error: functional and module form, by hand, and its reductions."""

# --8<-- [start:imports]
import torch
import torch.nn.functional as F
from torch import nn

# --8<-- [end:imports]

# --8<-- [start:two_forms]
torch.manual_seed(0)
x = torch.randn(3, 2, 3)
target = torch.zeros(3, 2, 3)

functional_value = F.mse_loss(x, target)  # a function: inputs in, loss out

loss_fn = nn.MSELoss()  # a module: configured once ...
module_value = loss_fn(x, target)  # ... and called like a function later

print(f"{functional_value.item():.4f} {module_value.item():.4f}")
# > 1.0382 1.0382
# Spec: F.mse_loss and nn.MSELoss() give the same value
torch.testing.assert_close(functional_value, module_value)
# Spec: nn.MSELoss() has no learnable parameters and nothing in its state_dict
assert list(loss_fn.parameters()) == [] and len(loss_fn.state_dict()) == 0
# --8<-- [end:two_forms]

# --8<-- [start:by_hand]
squared_differences = (x - target) ** 2
print(squared_differences.numel(), f"{squared_differences.mean().item():.4f}")
# > 18 1.0382
# Spec: MSE is the mean of squared differences over all elements
torch.testing.assert_close(F.mse_loss(x, target), squared_differences.mean())
# --8<-- [end:by_hand]

# --8<-- [start:reductions]
per_element = F.mse_loss(x, target, reduction="none")
total = F.mse_loss(x, target, reduction="sum")
average = F.mse_loss(x, target, reduction="mean")  # the default
print(tuple(per_element.shape), tuple(total.shape), tuple(average.shape))
# > (3, 2, 3) () ()
print(f"sum {total.item():.4f}, mean {average.item():.4f}, elements {x.numel()}")
# > sum 18.6885, mean 1.0382, elements 18
# Spec: mse_loss with reduction="none" keeps the input's shape; "sum" and "mean" give a
#       scalar
assert per_element.shape == x.shape and total.dim() == 0 and average.dim() == 0
# Spec: mse_loss with reduction="none" gives one squared difference per element
torch.testing.assert_close(per_element, squared_differences)
# Spec: mse_loss with reduction="sum" adds the squared differences
torch.testing.assert_close(total, squared_differences.sum())
# Spec: mse_loss with reduction="mean" is the sum divided by the number of elements
torch.testing.assert_close(average, total / x.numel())
# --8<-- [end:reductions]
