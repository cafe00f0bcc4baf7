"""What changes on a GPU: determinism switches, TF32 defaults, pinned memory."""

# --8<-- [start:imports]
import torch
from torch.utils.data import DataLoader, TensorDataset

# --8<-- [end:imports]
from snippets.devices.choose import device

# --8<-- [start:deterministic]
print(torch.are_deterministic_algorithms_enabled())
# > False
# Spec: deterministic algorithms are off by default
assert not torch.are_deterministic_algorithms_enabled()

previous = torch.are_deterministic_algorithms_enabled()
previous_warn_only = torch.is_deterministic_algorithms_warn_only_enabled()
torch.use_deterministic_algorithms(True)
try:
    scratch = torch.empty(3)  # normally whatever happens to be in that memory
finally:
    torch.use_deterministic_algorithms(previous, warn_only=previous_warn_only)
print(scratch)
# > tensor([nan, nan, nan])
# Spec: with deterministic algorithms on, torch.empty fills floating-point tensors
#       with NaN instead of leaving memory uninitialised
assert torch.isnan(scratch).all()
# --8<-- [end:deterministic]

# --8<-- [start:tf32]
print(torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32)
# > False True
print(torch.get_float32_matmul_precision())
# > highest
# Spec: by default float32 matrix multiplications on CUDA may not use TF32
assert torch.backends.cuda.matmul.allow_tf32 is False
# Spec: by default cuDNN (convolutions) may use TF32
assert torch.backends.cudnn.allow_tf32 is True
print(
    torch.backends.fp32_precision,
    torch.backends.cuda.matmul.fp32_precision,
    torch.backends.cudnn.conv.fp32_precision,
)
# > none none tf32

previous = torch.backends.fp32_precision
torch.backends.fp32_precision = "ieee"  # a global choice, for every backend
try:
    inherited = torch.backends.cuda.matmul.fp32_precision
finally:
    torch.backends.fp32_precision = previous
print(inherited)
# > ieee
# Spec: a backend's fp32_precision that reads none follows the global
#       torch.backends.fp32_precision
assert inherited == "ieee"
# --8<-- [end:tf32]

# --8<-- [start:pinned]
generator = torch.Generator().manual_seed(0)
features = torch.randn(100, 3, generator=generator)
targets = torch.randn(100, 1, generator=generator)
pin = device.type == "cuda"  # pinned memory speeds up copies to a CUDA GPU
loader = DataLoader(TensorDataset(features, targets), batch_size=25, pin_memory=pin)
for batch_x, batch_y in loader:
    batch_x = batch_x.to(device, non_blocking=True)
    batch_y = batch_y.to(device, non_blocking=True)
# Spec: batches moved with non_blocking=True end up on the chosen device
assert batch_x.device.type == batch_y.device.type == device.type
# --8<-- [end:pinned]
