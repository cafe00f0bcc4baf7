"""R torch calls and their PyTorch counterparts, one statement per row of the page's tables.

A statement that ends in "# R: ..." is a row: the comment holds the R torch code
that the Python statement replaces. The other statements set up the objects the
rows work on, or assert where the two libraries differ.

Run it with: python -m snippets.from_r.mapping
"""

import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, Subset, TensorDataset

from snippets.regression_data import make_regression_data

# --8<-- [start:tensors]
torch.manual_seed(777)  # R: torch_manual_seed(777)
x = torch.randn(3, 2, 3)  # R: x <- torch_randn(c(3, 2, 3))
# Spec: sizes go in as separate numbers or as one tuple, not as c(...)
assert torch.zeros((3, 2, 3)).shape == x.shape
b = torch.zeros(1, 32)  # R: b <- torch_zeros(1, 32)
v = torch.tensor([1.0, 2.0, 3.0])  # R: v <- torch_tensor(c(1, 2, 3))
# Spec: Python floats become float32, as R's doubles do
assert v.dtype == torch.float32
# Spec: a list of Python integers gives an int64 tensor
assert torch.tensor([1, 2, 3]).dtype == torch.int64

m = torch.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])  # a 3 x 2 matrix to index
row = m[0]  # R: row <- m[1, ]
# Spec: index 0 is the first row: Python counts from 0, R from 1
assert row.tolist() == [1.0, 2.0]
column = m[:, 0:1]  # R: column <- m[, 1, NULL]
# Spec: the slice 0:1 keeps the column dimension, like R's NULL or drop = FALSE
assert column.shape == (3, 1)
# Spec: a single integer index drops its dimension, in R torch too
assert m[:, 0].shape == (3,)
# Spec: None adds an axis as R's NULL does: the same 3 x 1 column
torch.testing.assert_close(m[:, 0, None], column)
rows = m[1:3]  # R: rows <- m[2:3, ]
# Spec: a Python slice stops before its end, an R range includes it
assert rows.shape == (2, 2)
# Spec: -1 is the last row in PyTorch and in R torch (not "drop row 1" as in base R)
assert m[-1].tolist() == [5.0, 6.0]

product = m @ m.T  # R: product <- m$mm(m$t())
# Spec: @ and .T compute what the methods mm() and t() compute
assert torch.equal(m.mm(m.t()), product)
means = m.mean(dim=0)  # R: means <- m$mean(dim = 1)
# Spec: dim=0 averages down the rows, like dim = 1 in R torch
assert means.tolist() == [3.0, 4.0]
total = (m - 1).pow(2).sum()  # R: total <- (m - 1)$pow(2)$sum()
# --8<-- [end:tensors]

# --8<-- [start:autograd]
x1 = torch.ones(2, 2, requires_grad=True)  # R: x1 <- torch_ones(2, 2, requires_grad = TRUE)
x2 = torch.tensor(1.1, requires_grad=True)
y = x1 * (x2 + 2)
z = 3 * y.pow(2)
node = z.grad_fn  # R: node <- z$grad_fn
# Spec: times a number is MulBackward0 in PyTorch, where R torch prints MulBackward1
assert node.name() == "MulBackward0"
previous = node.next_functions  # R: previous <- node$next_functions
y.retain_grad()  # R: y$retain_grad()
out = z.mean()
out.backward()  # R: out$backward()
gradient = x1.grad  # R: gradient <- x1$grad
# Spec: d out / d x1 = 4.65 * (x2 + 2) in every element
torch.testing.assert_close(gradient, torch.full((2, 2), 14.415))
# Spec: y kept its gradient because of retain_grad()
torch.testing.assert_close(y.grad, torch.full((2, 2), 4.65))
# Spec: tensors you create are leaves; computed ones are not
assert x1.is_leaf and not y.is_leaf
with torch.no_grad():  # R: with_no_grad({ x1$sub_(0.1 * x1$grad) })
    x1 -= 0.1 * x1.grad
# Spec: the update changed x1 in place: 1 - 0.1 * 14.415
torch.testing.assert_close(x1.detach(), torch.full((2, 2), -0.4415))
# Spec: an update inside no_grad() leaves x1 a leaf that requires grad
assert x1.is_leaf and x1.requires_grad
x1.grad.zero_()  # R: x1$grad$zero_()
frozen = y.detach()  # R: frozen <- y$detach()
# Spec: detach() returns the values without the graph
assert not frozen.requires_grad
# --8<-- [end:autograd]

# --8<-- [start:modules]
inputs, targets = make_regression_data()  # the series' data: 100 x 3 inputs, 100 x 1 targets
layer = nn.Linear(3, 32)  # R: layer <- nn_linear(3, 32)
weight = layer.weight  # R: weight <- layer$weight
# Spec: nn.Linear(3, 32) stores its weight as 32 x 3 (out x in), as R torch's nn_linear
#       does
assert weight.shape == (32, 3)
hidden = F.relu(layer(inputs))  # R: hidden <- nnf_relu(layer(inputs))
model = nn.Sequential(nn.Linear(3, 32), nn.ReLU(), nn.Linear(32, 1))  # R: model <- nn_sequential(nn_linear(3, 32), nn_relu(), nn_linear(32, 1))
first = model[0]  # R: first <- model[[1]]
# Spec: modules in a Sequential are numbered from 0
assert isinstance(first, nn.Linear)
parameters = dict(model.named_parameters())  # R: parameters <- model$parameters
# Spec: named_parameters() uses R torch's names: 0.weight, 0.bias, ...
assert list(parameters) == ["0.weight", "0.bias", "2.weight", "2.bias"]
parameter_iterator = model.parameters()  # R: parameter_list <- unname(model$parameters)
# Spec: parameters() is an iterator: a second pass finds it empty
assert len(list(parameter_iterator)) == 4 and list(parameter_iterator) == []
dropout = nn.Dropout(p=0.5)  # R: dropout <- nn_dropout(p = 0.5)
model.train()  # R: model$train()
model.eval()  # R: model$eval()
# Spec: eval() switches dropout off until the next train()
assert not model.training


class Noisy(nn.Module):  # R: Noisy <- nn_module(forward = function(x) nnf_dropout(x, p = 0.5, training = self$training))
    def forward(self, x):
        return F.dropout(x, p=0.5, training=self.training)


noisy = Noisy().eval()
# Spec: a module in eval mode passes training=False to F.dropout
torch.testing.assert_close(noisy(torch.ones(10)), torch.ones(10))
# --8<-- [end:modules]

# --8<-- [start:losses]
loss = F.mse_loss(x, torch.zeros(3, 2, 3))  # R: loss <- nnf_mse_loss(x, torch_zeros(3, 2, 3))
value = loss.item()  # R: value <- loss$item()
# Spec: item() turns a one-element tensor into a plain Python number
assert isinstance(value, float)
loss_fn = nn.MSELoss()  # R: loss_fn <- nn_mse_loss()
# Spec: nn.MSELoss() gives the same value as F.mse_loss
torch.testing.assert_close(loss_fn(x, torch.zeros(3, 2, 3)), loss)

logits = torch.tensor([[2.0, 0.5, -1.0], [0.1, 1.2, 0.3]])  # 2 observations, 3 classes
classes = torch.tensor([0, 2])  # R: classes <- torch_tensor(c(1, 3), dtype = torch_long())
ce = F.cross_entropy(logits, classes)  # R: ce <- nnf_cross_entropy(logits, classes)
ce_fn = nn.CrossEntropyLoss()  # R: ce_fn <- nn_cross_entropy_loss()
try:
    F.cross_entropy(logits, torch.tensor([0, 3]))  # 3 is R's label for the third class
except IndexError as error:
    print(error)
# > Target 3 is out of bounds.
log_probs = F.log_softmax(logits, dim=1)  # R: log_probs <- nnf_log_softmax(logits, dim = 2)
nll = F.nll_loss(log_probs, classes)  # R: nll <- nnf_nll_loss(log_probs, classes)
# Spec: cross-entropy on logits is NLL on log-softmax
torch.testing.assert_close(nll, ce)
nll_fn = nn.NLLLoss()  # R: nll_fn <- nn_nll_loss()

scores = torch.tensor([1.5, -0.5])  # logits of two binary predictions
truth = torch.tensor([1.0, 0.0])
probabilities = torch.sigmoid(scores)  # R: probabilities <- torch_sigmoid(scores)
bce_fn = nn.BCELoss()  # R: bce_fn <- nn_bce_loss()
bce_logits_fn = nn.BCEWithLogitsLoss()  # R: bce_logits_fn <- nn_bce_with_logits_loss()
# Spec: BCE on sigmoid probabilities equals BCE with logits for moderate scores
torch.testing.assert_close(bce_fn(probabilities, truth), bce_logits_fn(scores, truth))
target_probs = torch.tensor([[0.7, 0.2, 0.1], [0.2, 0.5, 0.3]])
kl = F.kl_div(log_probs, target_probs, reduction="batchmean")  # R: kl <- nnf_kl_div(log_probs, target_probs, reduction = "batchmean")
# Spec: batchmean divides the summed KL by the batch size
torch.testing.assert_close(kl, (target_probs * (target_probs.log() - log_probs)).sum() / 2)
# --8<-- [end:losses]

# --8<-- [start:optimizers]
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)  # R: optimizer <- optim_sgd(model$parameters, lr = 0.1)
F.mse_loss(model(inputs), targets).backward()
optimizer.step()  # R: optimizer$step()
optimizer.zero_grad()  # R: optimizer$zero_grad()
# Spec: zero_grad() sets gradients to None; R torch fills them with zeros
assert all(p.grad is None for p in model.parameters())
group_params = optimizer.param_groups[0]["params"]  # R: group_params <- optimizer$param_groups[[1]]$params
# Spec: the optimizer holds the model's own tensors, not copies
assert all(a is b for a, b in zip(group_params, model.parameters()))
optimizer.param_groups[0]["lr"] = 0.05  # R: optimizer$param_groups[[1]]$lr <- 0.05
adam = torch.optim.Adam(model.parameters(), lr=0.08)  # R: adam <- optim_adam(model$parameters, lr = 0.08)
grouped = torch.optim.SGD(  # R: grouped <- optim_sgd(list(list(params = model[[1]]$parameters, lr = 0.01), list(params = model[[3]]$parameters)), lr = 0.1)
    [{"params": model[0].parameters(), "lr": 0.01}, {"params": model[2].parameters()}],
    lr=0.1,
)
# Spec: a group without its own lr takes the optimizer's default
assert [group["lr"] for group in grouped.param_groups] == [0.01, 0.1]

w = torch.tensor([1.0, -2.0], requires_grad=True)
decayed = torch.optim.SGD([w], lr=0.1, weight_decay=0.5)  # R: decayed <- optim_sgd(list(w), lr = 0.1, weight_decay = 0.5)
w.grad = torch.zeros(2)  # a zero loss gradient, so that only the decay acts
decayed.step()
# Spec: weight_decay=λ adds λ·w to the gradient: the gradient of (λ/2)·Σw², not of λ·Σw²
torch.testing.assert_close(w.detach(), torch.tensor([0.95, -1.9]))
adamw = torch.optim.AdamW(model.parameters(), lr=0.01, weight_decay=0.01)  # R: adamw <- optim_adamw(model$parameters, lr = 0.01, weight_decay = 0.01)
# --8<-- [end:optimizers]

# --8<-- [start:data]
features = torch.randn(1000, 10)
labels = torch.randint(0, 2, (1000,)).float()
dataset = TensorDataset(features, labels)  # R: dataset <- tensor_dataset(features, labels)
n = len(dataset)  # R: n <- length(dataset)
first_item = dataset[0]  # R: first_item <- dataset[1]
# Spec: an item is a tuple (features, label) where R gives a list
assert isinstance(first_item, tuple) and first_item[0].shape == (10,)
perm = torch.randperm(n)  # R: perm <- torch_randperm(n) + 1L
# Spec: randperm gives 0 .. n - 1, in R torch too, which is why R code adds 1
assert sorted(perm.tolist()) == list(range(n))
train_set = Subset(dataset, perm[:700].tolist())  # R: train_set <- dataset_subset(dataset, perm[1:700])
valid_set = Subset(dataset, perm[700:850].tolist())
test_set = Subset(dataset, perm[850:].tolist())
# Spec: slices 0:700, 700:850, 850: are R's 1:700, 701:850, 851:n
assert (len(train_set), len(valid_set), len(test_set)) == (700, 150, 150)
loader = DataLoader(train_set, batch_size=32, shuffle=True)  # R: loader <- dataloader(train_set, batch_size = 32, shuffle = TRUE)
# Spec: 700 examples in batches of 32 make 22 batches, the last one of 28
assert len(loader) == 22
seen = 0
for xb, yb in loader:  # R: coro::loop(for (batch in loader) { xb <- batch[[1]]; yb <- batch[[2]] })
    seen += xb.shape[0]
# Spec: one pass over the loader visits every training example once
assert seen == 700
# --8<-- [end:data]
