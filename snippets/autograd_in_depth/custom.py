"""A custom torch.autograd.Function, checked against finite differences by gradcheck."""

# --8<-- [start:imports]
import torch

# --8<-- [end:imports]


# --8<-- [start:function]
class Exp(torch.autograd.Function):
    """exp(x), with a hand-written backward that reuses the forward's result."""

    @staticmethod
    def forward(ctx, x):
        result = x.exp()
        ctx.save_for_backward(result)  # exp is its own derivative
        return result

    @staticmethod
    def backward(ctx, grad_output):
        (result,) = ctx.saved_tensors
        return grad_output * result  # chain rule: upstream gradient times d exp/dx


x = torch.tensor([-2.0, 0.0, 1.0], requires_grad=True)
y = Exp.apply(x)  # call apply, not forward
print(y.grad_fn.name())
# > ExpBackward
y.sum().backward()
print(x.grad)
# > tensor([0.1353, 1.0000, 2.7183])
# Spec: the custom Function's backward gives d exp(x)/dx = exp(x)
torch.testing.assert_close(x.grad, torch.exp(x.detach()))
# --8<-- [end:function]

# --8<-- [start:gradcheck]
generator = torch.Generator().manual_seed(0)
inputs = torch.randn(5, dtype=torch.float64, requires_grad=True, generator=generator)
passed = torch.autograd.gradcheck(Exp.apply, (inputs,))
print(passed)
# > True
# Spec: gradcheck (in float64) finds the hand-written backward equal to finite
#       differences
assert passed
# --8<-- [end:gradcheck]


# --8<-- [start:wrong]
class WrongExp(torch.autograd.Function):
    """The same forward, with a mistake in the backward: x instead of exp(x)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.exp()

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * x  # wrong derivative


passed = torch.autograd.gradcheck(WrongExp.apply, (inputs,), raise_exception=False)
print(passed)
# > False
# Spec: gradcheck reports a backward that disagrees with finite differences
assert not passed
# --8<-- [end:wrong]
