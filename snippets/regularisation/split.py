"""Splitting 1000 labelled rows into training, validation and test sets."""

# --8<-- [start:imports]
import tempfile
from pathlib import Path

import torch
from torch.utils.data import Subset, TensorDataset, random_split

# --8<-- [end:imports]
from snippets.regularisation.data import make_classification_data

# --8<-- [start:dataset]
x, y = make_classification_data()
dataset = TensorDataset(x, y)  # row i of x and row i of y form sample i
share = y.mean().item()
print(len(dataset), tuple(x.shape), tuple(y.shape), f"share of 1s: {share:.3f}")
# > 1000 (1000, 10) (1000, 1) share of 1s: 0.512
features, label = dataset[0]  # one sample: a tuple, indexed from 0
print(tuple(features.shape), label)
# > (10,) tensor([1.])
# --8<-- [end:dataset]

# --8<-- [start:random_split]
train_set, valid_set, test_set = random_split(
    dataset, [700, 150, 150], generator=torch.Generator().manual_seed(1)
)
print(len(train_set), len(valid_set), len(test_set))
# > 700 150 150
print(train_set.indices[:8])
# > [845, 303, 66, 436, 239, 593, 573, 999]
# --8<-- [end:random_split]

# --8<-- [start:check]
# Spec: random_split gives the requested sizes 700, 150 and 150
assert (len(train_set), len(valid_set), len(test_set)) == (700, 150, 150)
parts = [set(part.indices) for part in (train_set, valid_set, test_set)]
# Spec: no row of a random_split is both a training and a validation row
assert parts[0].isdisjoint(parts[1])
# Spec: no row of a random_split is both a training and a test row
assert parts[0].isdisjoint(parts[2])
# Spec: no row of a random_split is both a validation and a test row
assert parts[1].isdisjoint(parts[2])
# Spec: together the three parts of a random_split cover every row
assert parts[0] | parts[1] | parts[2] == set(range(1000))
again = random_split(
    dataset, [700, 150, 150], generator=torch.Generator().manual_seed(1)
)
# Spec: within one torch version, random_split with the same seed gives the same
#       split
assert [part.indices for part in again] == [
    train_set.indices,
    valid_set.indices,
    test_set.indices,
]
# --8<-- [end:check]

# --8<-- [start:save]
split = {
    "train": train_set.indices,
    "valid": valid_set.indices,
    "test": test_set.indices,
}
with tempfile.TemporaryDirectory() as folder:  # a real project keeps the file
    path = Path(folder) / "split.pt"
    torch.save(split, path)
    saved = torch.load(path, weights_only=True)  # lists of ints are allowed
train_again = Subset(dataset, saved["train"])
# Spec: a Subset rebuilt from indices saved with torch.save and read back with
#       torch.load holds the same rows as the original part
assert train_again.indices == train_set.indices
# --8<-- [end:save]

# --8<-- [start:subset]
order = torch.randperm(1000, generator=torch.Generator().manual_seed(5)).tolist()
train_by_hand = Subset(dataset, order[:700])  # a view: no data are copied
valid_by_hand = Subset(dataset, order[700:850])
test_by_hand = Subset(dataset, order[850:])
print(len(train_by_hand), len(valid_by_hand), len(test_by_hand))
# > 700 150 150
# position 0 of the subset is row order[0] of the dataset
features, label = train_by_hand[0]
# Spec: position i of a Subset is row indices[i] of the dataset
assert torch.equal(features, x[order[0]])
# --8<-- [end:subset]
