"""A 3 -> 4 (ReLU) -> 2 network: every weight gradient has the shape of its weight."""

# --8<-- [start:imports]
import torch

# --8<-- [end:imports]

# --8<-- [start:shapes]
torch.manual_seed(0)
x = torch.randn(5, 3)  # 5 observations, 3 features
w1 = torch.randn(4, 3, requires_grad=True)  # stored out x in, like nn.Linear
b1 = torch.zeros(4, requires_grad=True)
w2 = torch.randn(2, 4, requires_grad=True)
b2 = torch.zeros(2, requires_grad=True)

hidden = torch.relu(x @ w1.T + b1)
output = hidden @ w2.T + b2
output.sum().backward()

for name, weight in [("w1", w1), ("b1", b1), ("w2", w2), ("b2", b2)]:
    print(name, tuple(weight.shape), tuple(weight.grad.shape))
    # Spec: in a 3 -> 4 -> 2 network, the gradient of every weight and bias has
    #       the shape of that weight or bias
    assert weight.grad.shape == weight.shape
# > w1 (4, 3) (4, 3)
# > b1 (4,) (4,)
# > w2 (2, 4) (2, 4)
# > b2 (2,) (2,)
# --8<-- [end:shapes]
