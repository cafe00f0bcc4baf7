"""Exercises for the Devices page."""

# --8<-- [start:imports]
import torch

# --8<-- [end:imports]

# --8<-- [start:ex1_starter]
t = torch.ones(3)
same = t.to(torch.float32)
converted = t.to(torch.float64)
# Is `same` the very object `t`? Is `converted`?
# --8<-- [end:ex1_starter]

# --8<-- [start:ex1_solution]
print(same is t, converted is t)
# > True False
# Spec: exercise: Tensor.to() returns the tensor itself when nothing has to change,
#       and a new tensor otherwise
assert same is t and converted is not t
# --8<-- [end:ex1_solution]

# --8<-- [start:ex2_starter]
second_gpu = torch.device("cuda:1")
# Does this line fail on a machine without a GPU? What are .type and .index?
# --8<-- [end:ex2_starter]

# --8<-- [start:ex2_solution]
print(second_gpu.type, second_gpu.index)
# > cuda 1
# Spec: exercise: torch.device only names a device; creating it needs no GPU
assert second_gpu.type == "cuda" and second_gpu.index == 1
try:
    torch.zeros(1, device=second_gpu)  # allocating memory there needs the GPU
    allocated = True
except (AssertionError, RuntimeError):  # a build without CUDA, or no GPU 1
    allocated = False
# Spec: exercise: allocating a tensor on cuda:1 fails unless the machine has a
#       second CUDA GPU
assert allocated == (torch.cuda.device_count() >= 2)
# --8<-- [end:ex2_solution]

# --8<-- [start:ex3_starter]
elsewhere = torch.device("meta")  # shapes and dtypes only, on any machine
x = torch.ones(3, dtype=torch.int64, device=elsewhere)
a = torch.zeros(3)
b = torch.zeros_like(x)
c = x.new_zeros(3)
# Which of a, b and c share x's device and dtype?
# --8<-- [end:ex3_starter]

# --8<-- [start:ex3_solution]
print(a.device, b.device, c.device)
# > cpu meta meta
print(a.dtype, b.dtype, c.dtype)
# > torch.float32 torch.int64 torch.int64
# Spec: exercise: a factory function without device= or dtype= gives a float32 CPU
#       tensor, whatever device the other tensors are on
assert a.device.type == "cpu" and a.dtype == torch.float32
# Spec: exercise: zeros_like and new_zeros copy the device and dtype of the tensor
#       they start from
assert b.device == c.device == x.device and b.dtype == c.dtype == torch.int64
try:
    a + x
    outcome = "no error"
except RuntimeError:
    outcome = "RuntimeError"
print(outcome)
# > RuntimeError
# Spec: exercise: adding a CPU tensor to a tensor on another device (here meta)
#       raises a RuntimeError
assert outcome == "RuntimeError"
# --8<-- [end:ex3_solution]
