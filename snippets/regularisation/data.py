"""Binary classification data for the last page: 1000 rows, 10 features, 0/1 labels."""

# --8<-- [start:make]
import torch


def make_classification_data(
    n: int = 1000, seed: int = 2024
) -> tuple[torch.Tensor, torch.Tensor]:
    """Inputs x (n x 10) and labels y (n x 1, float 0/1) from a noisy logistic model."""
    generator = torch.Generator().manual_seed(seed)
    x = torch.randn(n, 10, generator=generator)
    true_weights = torch.randn(10, 1, generator=generator)
    probability = torch.sigmoid(x @ true_weights)  # P(y = 1 | x)
    # Labels are random draws with that probability, not thresholds: they are noisy.
    y = torch.bernoulli(probability, generator=generator)
    return x, y


# --8<-- [end:make]
