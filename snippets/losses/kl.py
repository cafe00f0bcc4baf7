"""KL divergence: log-probabilities in, batchmean for the true value."""

# --8<-- [start:imports]
import textwrap
import warnings

import torch
import torch.nn.functional as F

# --8<-- [end:imports]

# --8<-- [start:batchmean]
p = torch.tensor(
    [[0.1, 0.2, 0.7], [0.3, 0.3, 0.4]]
)  # the target distributions, one per row
q = torch.tensor([[0.2, 0.3, 0.5], [0.1, 0.6, 0.3]])  # the model's distributions

true_kl = (p * torch.log(p / q)).sum() / len(
    p
)  # sum_j p_j log(p_j / q_j), averaged over the 2 rows
kl = F.kl_div(
    q.log(), p, reduction="batchmean"
)  # input: log-probabilities; target: probabilities
print(f"{true_kl.item():.4f} {kl.item():.4f}")
# > 0.1609 0.1609
# Spec: kl_div with reduction="batchmean" is the KL divergence averaged over the batch
torch.testing.assert_close(kl, true_kl)
# --8<-- [end:batchmean]

# --8<-- [start:mean]
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    per_element = F.kl_div(q.log(), p, reduction="mean")
first_sentence = str(caught[0].message).split(".")[0]
print(caught[0].category.__name__)
# > UserWarning
print(textwrap.fill(first_sentence, width=70))
# > reduction: 'mean' divides the total loss by both the batch size and
# > the support size
print(f"{per_element.item():.4f} = {kl.item():.4f} / {p.shape[1]}")
# > 0.0536 = 0.1609 / 3
# Spec: the warning of kl_div's reduction="mean" says that "mean" will behave like
#       "batchmean" in the next major release
assert "next major release" in str(caught[0].message)
# Spec: kl_div with reduction="mean" divides by the number of elements, not of rows:
#       with 3 classes it gives a third of the KL divergence
torch.testing.assert_close(kl / per_element, torch.tensor(3.0))
# --8<-- [end:mean]

# --8<-- [start:probabilities_mistake]
not_logs = F.kl_div(
    q, p, reduction="batchmean"
)  # probabilities where log-probabilities belong
print(f"{not_logs.item():.4f}")
# > -1.3254
# Spec: kl_div given probabilities instead of log-probabilities gives a different, wrong
#       value
assert not torch.isclose(not_logs, kl)
# --8<-- [end:probabilities_mistake]
