"""The regression data used all through the series: 100 rows, 3 features, one target."""

# --8<-- [start:make]
import torch


def make_regression_data(
    n: int = 100, seed: int = 777
) -> tuple[torch.Tensor, torch.Tensor]:
    """Inputs x (n x 3) and targets y = 0.2 x1 - 1.3 x2 - 0.5 x3 + noise (n x 1)."""
    generator = torch.Generator().manual_seed(seed)
    x = torch.randn(n, 3, generator=generator)
    true_weights = torch.tensor([[0.2], [-1.3], [-0.5]])
    y = x @ true_weights + torch.randn(n, 1, generator=generator)
    return x, y


# --8<-- [end:make]
