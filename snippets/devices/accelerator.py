"""torch.accelerator: the accelerator of the installed build, checked at run time."""

# --8<-- [start:accelerator]
import torch

accelerator = torch.accelerator.current_accelerator(check_available=True)
device = accelerator if accelerator is not None else torch.device("cpu")
# Spec: current_accelerator(check_available=True) returns None exactly when
#       torch.accelerator.is_available() is False
assert (accelerator is None) == (not torch.accelerator.is_available())
# --8<-- [end:accelerator]
