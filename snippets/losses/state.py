"""Loss modules that hold more than settings: a weight buffer, learnable parameters."""

# --8<-- [start:imports]
import torch
import torch.nn.functional as F
from torch import nn

# --8<-- [end:imports]

# --8<-- [start:weight_buffer]
class_weights = torch.tensor([1.0, 2.0, 5.0])  # a mistake on class 2 costs 5 times more
weighted = nn.CrossEntropyLoss(weight=class_weights)
print(list(weighted.state_dict()), len(list(weighted.parameters())))
# > ['weight'] 0
# Spec: nn.CrossEntropyLoss(weight=...) keeps its class weights as a buffer, which is
#       saved in the module's state_dict
assert "weight" in dict(weighted.named_buffers()) and "weight" in weighted.state_dict()

model = nn.Linear(4, 3)  # a classifier for the 3 classes, built beside the loss
model.to(torch.float64)  # converts the model's tensors, and only those
print(model.weight.dtype, weighted.weight.dtype)
# > torch.float64 torch.float32
# Spec: model.to(dtype) leaves a loss module built beside the model alone: the
#       loss module's weight buffer keeps its dtype
assert weighted.weight.dtype == torch.float32

weighted.to(torch.float64)  # the loss module's own .to() converts its buffer
print(weighted.weight.dtype)
# > torch.float64
# Spec: Module.to(dtype) converts a loss module's weight buffer too
assert weighted.weight.dtype == torch.float64

logits = torch.tensor([[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]], dtype=torch.float64)
classes = torch.tensor([0, 2])
same = F.cross_entropy(logits, classes, weight=class_weights.double())
# Spec: the functional form gives the same weighted loss when it is passed the weights
torch.testing.assert_close(weighted(logits, classes), same)
# --8<-- [end:weight_buffer]

# --8<-- [start:adaptive]
torch.manual_seed(0)
adaptive = nn.AdaptiveLogSoftmaxWithLoss(in_features=8, n_classes=10, cutoffs=[4])
print(sum(p.numel() for p in adaptive.parameters()))
# > 68
features = torch.randn(5, 8)
result = adaptive(features, torch.tensor([0, 3, 4, 7, 9]))
print(result._fields, tuple(result.output.shape), tuple(result.loss.shape))
# > ('output', 'loss') (5,) ()
# Spec: nn.AdaptiveLogSoftmaxWithLoss is a loss module with learnable parameters
assert len(list(adaptive.parameters())) > 0
# Spec: nn.AdaptiveLogSoftmaxWithLoss has no functional twin in torch.nn.functional
assert not hasattr(F, "adaptive_log_softmax_with_loss")
# --8<-- [end:adaptive]
