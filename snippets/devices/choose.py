"""Pick the device this machine offers: a CUDA GPU, Apple's MPS, or the CPU."""

# --8<-- [start:choose]
import torch

if torch.cuda.is_available():
    device = torch.device("cuda")
elif torch.backends.mps.is_available():
    device = torch.device("mps")
else:
    device = torch.device("cpu")
# --8<-- [end:choose]
