"""Tensors for R users: creation, shape, dtype, indexing, products, broadcasting."""

# --8<-- [start:imports]
import torch

# --8<-- [end:imports]

# --8<-- [start:create]
# nested lists, one inner list per row
m = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
print(m)
# > tensor([[1., 2., 3.],
# >         [4., 5., 6.]])
print(m.shape, m.ndim, m.numel())
# > torch.Size([2, 3]) 2 6
# Spec: a tensor built from two lists of three numbers has shape (2, 3), and its
#       torch.Size compares equal to a tuple
assert m.shape == (2, 3)

print(torch.zeros(2, 2))  # or torch.zeros((2, 2)): the sizes as one tuple
# > tensor([[0., 0.],
# >         [0., 0.]])
# Spec: torch.zeros takes the sizes as separate numbers or as one tuple, with the
#       same result
assert torch.zeros((2, 2)).shape == torch.zeros(2, 2).shape == (2, 2)
# 0, 1, ..., 5, filled in row by row
print(torch.arange(6).reshape(2, 3))
# > tensor([[0, 1, 2],
# >         [3, 4, 5]])
# --8<-- [end:create]

# --8<-- [start:dtype]
print(torch.tensor([1.5, 2.0]).dtype, torch.tensor([1, 2]).dtype)
# > torch.float32 torch.int64
# Spec: torch.tensor of Python integers makes a 64-bit integer tensor
assert torch.tensor([1, 2]).dtype == torch.int64
# Spec: the default floating-point type of new tensors is 32-bit
assert torch.zeros(2).dtype == torch.float32

# adding a float tensor to an integer tensor promotes the result to float
print((torch.tensor([1, 2]) + torch.tensor([0.5, 0.5])).dtype)
# > torch.float32
# Spec: an integer tensor plus a float32 tensor gives a float32 tensor
assert (torch.tensor([1, 2]) + torch.tensor([0.5, 0.5])).dtype == torch.float32
# .float() converts; .long() truncates towards zero
print(torch.tensor([1, 2]).float(), torch.tensor([1.7, -1.7]).long())
# > tensor([1., 2.]) tensor([ 1, -1])
# Spec: .long() truncates towards zero: 1.7 becomes 1 and -1.7 becomes -1
assert torch.tensor([1.7, -1.7]).long().tolist() == [1, -1]

# a matrix product does not mix integer and float tensors
message = None
try:
    torch.tensor([[1, 2]]) @ torch.ones(2, 1)
except RuntimeError as error:
    message = str(error)
print(message.split(",")[0])
# > expected m1 and m2 to have the same dtype
# Spec: the matrix product of an int64 and a float32 tensor raises a RuntimeError
assert message is not None
# Spec: a layer of torch.nn creates float32 weights by default
assert torch.nn.Linear(3, 1).weight.dtype == torch.float32
# --8<-- [end:dtype]

# --8<-- [start:indexing]
# 4 rows, 3 columns: 1, 2, ..., 12
m = torch.arange(1.0, 13.0).reshape(4, 3)
# indices count from 0, and -1 is the last
print(m[0, 0], m[-1, -1])
# > tensor(1.) tensor(12.)
# rows 1 and 2: a slice stops before its end
print(m[1:3, :])
# > tensor([[4., 5., 6.],
# >         [7., 8., 9.]])

first_column = m[:, 0]  # an integer index drops that dimension
first_column_kept = m[:, 0:1]  # a slice of length one keeps it
print(first_column.shape, first_column_kept.shape)
# > torch.Size([4]) torch.Size([4, 1])
# Spec: indexing a column of a 4 x 3 matrix with an integer drops the column
#       dimension, leaving a vector of length 4
assert m[:, 0].shape == (4,)
# Spec: indexing a column of a 4 x 3 matrix with a slice of length one keeps the
#       dimension: a 4 x 1 matrix
assert m[:, 0:1].shape == (4, 1)
# --8<-- [end:indexing]

# --8<-- [start:matmul]
a = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
b = torch.tensor([[1.0, 0.0], [1.0, 1.0]])
print(a @ b)  # matrix product
# > tensor([[3., 2.],
# >         [7., 4.]])
print(a * b)  # element by element
# > tensor([[1., 0.],
# >         [3., 4.]])
print(a.T)  # transpose
# > tensor([[1., 3.],
# >         [2., 4.]])
# Spec: the matrix product of an n x k and a k x m matrix is n x m
assert (torch.ones(100, 3) @ torch.ones(3, 32)).shape == (100, 32)

try:
    torch.ones(100, 3) @ torch.ones(32, 3)
except RuntimeError as error:
    print(error)
# > mat1 and mat2 shapes cannot be multiplied (100x3 and 32x3)
# --8<-- [end:matmul]

# --8<-- [start:broadcasting]
rows = torch.zeros(3, 2)
bias = torch.tensor([[10.0, 20.0]])  # shape 1 x 2
print(rows + bias)  # the single row is reused for every row of `rows`
# > tensor([[10., 20.],
# >         [10., 20.],
# >         [10., 20.]])
# Spec: adding a 1 x 32 bias row to a 100 x 32 matrix adds it to all 100 rows
assert (torch.zeros(100, 32) + torch.zeros(1, 32)).shape == (100, 32)

column = torch.zeros(100, 1)
flat = torch.zeros(100)
# 100 x 1 against 100: both are stretched, into 100 x 100
print((column - flat).shape)
# > torch.Size([100, 100])
# Spec: subtracting a vector of length 100 from a 100 x 1 column broadcasts to
#       100 x 100 instead of giving 100 differences
assert (column - flat).shape == (100, 100)
# --8<-- [end:broadcasting]
