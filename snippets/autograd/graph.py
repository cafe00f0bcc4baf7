"""The backward graph of out = mean(3 * (x1 * (x2 + 2))**2), and its gradients."""

# --8<-- [start:imports]
import torch

# --8<-- [end:imports]

# --8<-- [start:build]
x1 = torch.ones(2, 2, requires_grad=True)
x2 = torch.tensor(1.1, requires_grad=True)
y = x1 * (x2 + 2)
z = 3 * y**2
out = z.mean()
print(out)
# > tensor(28.8300, grad_fn=<MeanBackward0>)
# --8<-- [end:build]


# --8<-- [start:walk]
def walk(node, depth=0):
    """Print a backward node, and below it, indented, the nodes it feeds."""
    label = type(node).__name__
    if label == "AccumulateGrad":
        label += " (x1)" if node.variable is x1 else " (x2)"
    print("    " * depth + label)
    for child, _ in node.next_functions:
        # None stands for an input that needs no gradient, like the 3
        if child is not None:
            walk(child, depth + 1)


walk(out.grad_fn)
# > MeanBackward0
# >     MulBackward0
# >         PowBackward0
# >             MulBackward0
# >                 AccumulateGrad (x1)
# >                 AddBackward0
# >                     AccumulateGrad (x2)
chain, node = [], out.grad_fn  # follow the first input of every node
while node is not None:
    chain.append(type(node).__name__)
    node = node.next_functions[0][0] if node.next_functions else None
# Spec: the graph of out = mean(3 (x1 (x2 + 2))²) records, from out backwards,
#       MeanBackward0, MulBackward0, PowBackward0, MulBackward0, then the
#       AccumulateGrad node of x1
assert chain == [
    "MeanBackward0",
    "MulBackward0",
    "PowBackward0",
    "MulBackward0",
    "AccumulateGrad",
]
# --8<-- [end:walk]

# --8<-- [start:number_side]
times_three_left = 3 * y**2  # the number on the left, as in z above
times_three_right = y**2 * 3  # the number on the right, as the R original writes it
print(times_three_left.grad_fn.name(), times_three_right.grad_fn.name())
# > MulBackward0 MulBackward0
# Spec: multiplying a tensor by a Python number records MulBackward0, whether the
#       number stands to the left or to the right of the tensor
assert (
    times_three_left.grad_fn.name()
    == times_three_right.grad_fn.name()
    == "MulBackward0"
)
# --8<-- [end:number_side]

# --8<-- [start:backward]
y.retain_grad()
z.retain_grad()
out.backward()

print(z.grad)
# > tensor([[0.2500, 0.2500],
# >         [0.2500, 0.2500]])
print(y.grad)
# > tensor([[4.6500, 4.6500],
# >         [4.6500, 4.6500]])
print(x2.grad)
# > tensor(18.6000)
print(x1.grad)
# > tensor([[14.4150, 14.4150],
# >         [14.4150, 14.4150]])
# --8<-- [end:backward]

# --8<-- [start:check]
# Spec: for out = mean(z) over the four elements of z, d out/dz is 1/4 for each
#       element
torch.testing.assert_close(z.grad, torch.full((2, 2), 0.25))
# Spec: for out = mean(3y²) over four elements equal to 3.1, d out/dy is
#       (1/4) · 6y = 4.65 for each element
torch.testing.assert_close(y.grad, torch.full((2, 2), 4.65))
# Spec: for out = mean(3 (x1 (x2 + 2))²) with x1 = ones(2, 2) and x2 = 1.1, x2
#       enters all four elements, so its gradient sums 4 · 4.65 = 18.6
torch.testing.assert_close(x2.grad, torch.tensor(18.6))
# Spec: for the same out, each element of x1 gets d out/dy · (x2 + 2), which is
#       4.65 · 3.1 = 14.415
torch.testing.assert_close(x1.grad, torch.full((2, 2), 14.415))
# --8<-- [end:check]
