"""Non-scalar outputs, torch.autograd.grad, second derivatives and torch.func.grad."""

# --8<-- [start:imports]
import torch

# --8<-- [end:imports]

# --8<-- [start:error]
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x**2  # three numbers, not one
try:
    y.backward()
except RuntimeError as error:
    message = str(error)
print(message)
# > grad can be implicitly created only for scalar outputs
# Spec: backward() without arguments refuses an output with more than one element
assert message.startswith("grad can be implicitly created only for scalar outputs")
# --8<-- [end:error]

# --8<-- [start:gradient_ones]
y.backward(gradient=torch.ones(3))
print(x.grad)
# > tensor([2., 4., 6.])
from_ones = x.grad.clone()
x.grad = None
(x**2).sum().backward()  # a new graph: backward() freed the first one
# Spec: backward(gradient=ones) gives the same gradient as backward() on the sum
torch.testing.assert_close(from_ones, x.grad)
# --8<-- [end:gradient_ones]

# --8<-- [start:vjp]
weights = torch.tensor([[1.0, -2.0, 0.5], [0.0, 3.0, 1.0]])


def f(x):
    return torch.tanh(weights @ x)  # three inputs, two outputs


x = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
v = torch.tensor([1.0, -3.0])
f(x).backward(gradient=v)
jacobian = torch.autograd.functional.jacobian(f, x.detach())
print(jacobian.shape)
# > torch.Size([2, 3])
print(x.grad)
# > tensor([ 3.6409e-03, -3.7871e+00, -1.2581e+00])
# Spec: backward(gradient=v) stores the vector-Jacobian product v @ J in .grad
torch.testing.assert_close(x.grad, v @ jacobian)
# --8<-- [end:vjp]

# --8<-- [start:autograd_grad]
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
loss = (x**3).sum()
(grad_x,) = torch.autograd.grad(loss, x)  # a tuple: one gradient per input
print(grad_x)
# > tensor([ 3., 12., 27.])
print(x.grad)
# > None
# Spec: torch.autograd.grad returns the gradient (3x² for the sum of x³)
torch.testing.assert_close(grad_x, 3 * x.detach() ** 2)
# Spec: torch.autograd.grad does not accumulate into .grad, which stays None
assert x.grad is None
# --8<-- [end:autograd_grad]

# --8<-- [start:second]
x = torch.tensor([-1.0, 0.5, 2.0], requires_grad=True)
(first,) = torch.autograd.grad((x**3).sum(), x, create_graph=True)
print(first)
# > tensor([ 3.0000,  0.7500, 12.0000], grad_fn=<MulBackward0>)
(second,) = torch.autograd.grad(first.sum(), x)
print(second)
# > tensor([-6.,  3., 12.])
# Spec: with create_graph=True the first derivative of x³ (3x²) can be differentiated
#       again: the second derivative is 6x
torch.testing.assert_close(second, 6 * x.detach())
# --8<-- [end:second]

# --8<-- [start:no_create_graph]
(plain,) = torch.autograd.grad((x**3).sum(), x)  # create_graph=False, the default
print(plain.requires_grad)
# > False
try:
    torch.autograd.grad(plain.sum(), x)
except RuntimeError as error:
    message = str(error)
print(message)
# > element 0 of tensors does not require grad and does not have a grad_fn
# Spec: without create_graph=True the returned gradient is a constant: differentiating
#       it again fails
assert message.startswith("element 0 of tensors does not require grad")
# --8<-- [end:no_create_graph]


# --8<-- [start:func_grad]
def cube_sum(t):
    return (t**3).sum()


t = torch.tensor([-1.0, 0.5, 2.0])  # no requires_grad needed
first_f = torch.func.grad(cube_sum)(t)
second_f = torch.func.grad(lambda u: torch.func.grad(cube_sum)(u).sum())(t)
print(first_f, second_f)
# > tensor([ 3.0000,  0.7500, 12.0000]) tensor([-6.,  3., 12.])
# Spec: torch.func.grad(f)(t) gives the same gradient as torch.autograd.grad
torch.testing.assert_close(first_f, first.detach())
# Spec: nesting torch.func.grad gives the same second derivative as create_graph=True
torch.testing.assert_close(second_f, second)
# --8<-- [end:func_grad]


# --8<-- [start:func_grad_shape]
def cube_sum_1d(t):
    return (t**3).sum().reshape(1)  # still one number, but of shape (1,)


try:
    torch.func.grad(cube_sum_1d)(t)
except RuntimeError as error:
    message = str(error)
print(message)
# > grad_and_value(f)(*args): Expected f(*args) to return a scalar Tensor, got...
# Spec: torch.func.grad refuses a function whose output has shape (1,): the output
#       must be 0-dimensional
assert "Expected f(*args) to return a scalar Tensor" in message

u = t.clone().requires_grad_()
cube_sum_1d(u).backward()  # backward() accepts any output with one element
# Spec: backward() without arguments accepts a one-element output of shape (1,)
torch.testing.assert_close(u.grad, first_f)
# --8<-- [end:func_grad_shape]
