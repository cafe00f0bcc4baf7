"""R torch calls and their PyTorch counterparts, one statement per row of the tables.

A statement directly below a comment "# R: ..." is a row: the comment holds the R
torch code that the Python statement replaces (continued on lines "#    ..." when
it is long). The other statements set up the objects the rows work on, or assert
what the page says about the PyTorch side.

Run it with: python -m snippets.from_r.mapping
"""

# --8<-- [start:imports]
# R: library(torch)
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, Subset, TensorDataset

# --8<-- [end:imports]
from snippets.regression_data import make_regression_data

# --8<-- [start:tensors]
# R: torch_manual_seed(777)
torch.manual_seed(777)
# R: x <- torch_randn(c(3, 2, 3))
x = torch.randn(3, 2, 3)
# Spec: torch.zeros takes its sizes as one tuple as well as separate numbers
assert torch.zeros((3, 2, 3)).shape == x.shape
# R: b <- torch_zeros(1, 32)
b = torch.zeros(1, 32)
# R: v <- torch_tensor(c(1, 2, 3))
v = torch.tensor([1.0, 2.0, 3.0])
# Spec: torch.tensor of a list of Python floats is a float32 tensor
assert v.dtype == torch.float32
# Spec: torch.tensor of a list of Python integers is an int64 tensor
assert torch.tensor([1, 2, 3]).dtype == torch.int64
# R: s <- torch_tensor(1.1)
s = torch.tensor(1.1)
# Spec: torch.tensor of a single Python number has no dimension (shape ())
assert s.shape == () and s.dim() == 0
# Spec: torch.tensor([1.1]), with a list, has one dimension of size 1
assert torch.tensor([1.1]).shape == (1,)
# Spec: adding a tensor of shape () gives shape () when the other is 0-dimensional
#       too, and shape (1,) when the other has shape (1,)
assert (s + torch.tensor(2.0)).shape == () and (s + torch.tensor([2.0])).shape == (1,)
vector = torch.ones(3)  # float32
by_0d = vector * torch.tensor(2.0, dtype=torch.float64)
by_1d = vector * torch.tensor([2.0], dtype=torch.float64)
# Spec: a float64 tensor of shape () leaves a float32 vector's product float32,
#       while a float64 tensor of shape (1,) makes it float64
assert (by_0d.dtype, by_1d.dtype) == (torch.float32, torch.float64)
try:
    torch.cat([s, s])
except RuntimeError as error:
    message = str(error)
print(message)
# > zero-dimensional tensor (at position 0) cannot be concatenated
# Spec: torch.cat refuses tensors of shape ()
assert message.startswith("zero-dimensional tensor")
try:
    s[0]
except IndexError as error:
    message = str(error)
print(message)
# > invalid index of a 0-dim tensor...
# Spec: indexing a tensor of shape () with [0] raises an IndexError
assert message.startswith("invalid index of a 0-dim tensor")

m = torch.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])  # a 3 x 2 matrix to index
# R: row <- m[1, ]
row = m[0]
# Spec: in PyTorch, m[0] is the first row of a matrix (positions count from 0)
assert row.tolist() == [1.0, 2.0]
# R: column <- m[, 1, NULL]
column = m[:, 0:1]
# Spec: the slice m[:, 0:1] keeps the column dimension: shape 3 x 1
assert column.shape == (3, 1)
# Spec: the single integer index in m[:, 0] drops the column dimension: shape 3
assert m[:, 0].shape == (3,)
# Spec: m[:, 0, None] (None adds an axis) is the same 3 x 1 column as m[:, 0:1]
torch.testing.assert_close(m[:, 0, None], column)
# R: rows <- m[2:3, ]
rows = m[1:3]
# Spec: the slice m[1:3] stops before its end: rows 1 and 2 of m
assert rows.tolist() == [[3.0, 4.0], [5.0, 6.0]]
# Spec: in PyTorch, m[-1] is the last row of a matrix
assert m[-1].tolist() == [5.0, 6.0]

# R: product <- m$mm(m$t())
product = m @ m.T
# Spec: m @ m.T computes the same matrix as m.mm(m.t())
assert torch.equal(m.mm(m.t()), product)
# R: means <- m$mean(dim = 1)
means = m.mean(dim=0)
# Spec: m.mean(dim=0) averages down the rows: one mean per column
assert means.tolist() == [3.0, 4.0]
# R: total <- (m - 1)$pow(2)$sum()
total = (m - 1).pow(2).sum()
# --8<-- [end:tensors]

# --8<-- [start:autograd]
# R: x1 <- torch_ones(2, 2, requires_grad = TRUE)
x1 = torch.ones(2, 2, requires_grad=True)
x2 = torch.tensor(1.1, requires_grad=True)
# R: y <- x1 * (x2 + 2)
y = x1 * (x2 + 2)
# Spec: adding a number to a tensor that requires grad records AddBackward0
assert (x2 + 2).grad_fn.name() == "AddBackward0"
# R: z <- y$pow(2) * 3
z = y.pow(2) * 3
# R: node <- z$grad_fn
node = z.grad_fn
# Spec: multiplying a tensor by a number records MulBackward0
assert node.name() == "MulBackward0"
# Spec: with the number on the left, 3 * y.pow(2) records MulBackward0 too
assert (3 * y.pow(2)).grad_fn.name() == "MulBackward0"
# R: previous <- node$next_functions
previous = node.next_functions
# R: y$retain_grad()
y.retain_grad()
out = z.mean()
# R: out$backward()
out.backward()
# R: gradient <- x1$grad
gradient = x1.grad
# Spec: for out = mean(3 * (x1 * (x2 + 2))²) with x1 = ones(2, 2) and x2 = 1.1,
#       d out / d x1 = 1.5 * (x2 + 2)² = 14.415 in every element
torch.testing.assert_close(gradient, torch.full((2, 2), 14.415))
# Spec: for y = x1 * (x2 + 2) and out = mean(3 * y²), y.retain_grad() keeps
#       d out / d y = 1.5 * y = 4.65 in y.grad
torch.testing.assert_close(y.grad, torch.full((2, 2), 4.65))
# Spec: x2 = torch.tensor(1.1) is 0-dimensional, and so is its gradient
assert x2.grad.shape == ()
# Spec: a tensor created with requires_grad=True is a leaf; y computed from it is
#       not
assert x1.is_leaf and not y.is_leaf
# R: with_no_grad({
#      x1$sub_(0.1 * x1$grad)
#    })
with torch.no_grad():
    x1 -= 0.1 * x1.grad
# Spec: under no_grad(), x1 -= 0.1 * x1.grad changes x1 = ones(2, 2) with
#       gradient 14.415 in place to 1 - 0.1 * 14.415 = -0.4415
torch.testing.assert_close(x1.detach(), torch.full((2, 2), -0.4415))
# Spec: a leaf updated in place inside no_grad() stays a leaf that requires grad
assert x1.is_leaf and x1.requires_grad
# R: x1$grad$zero_()
x1.grad.zero_()
# R: frozen <- y$detach()
frozen = y.detach()
# Spec: y.detach() returns a tensor that does not require grad
assert not frozen.requires_grad
# --8<-- [end:autograd]

# --8<-- [start:modules]
# the series' data: 100 x 3 inputs, 100 x 1 targets
inputs, targets = make_regression_data()
# R: layer <- nn_linear(3, 32)
layer = nn.Linear(3, 32)
# R: weight <- layer$weight
weight = layer.weight
# Spec: nn.Linear(3, 32) stores its weight as a 32 x 3 matrix (out x in)
assert weight.shape == (32, 3)
# R: hidden <- nnf_relu(layer(inputs))
hidden = F.relu(layer(inputs))
# R: model <- nn_sequential(nn_linear(3, 32), nn_relu(), nn_linear(32, 1))
model = nn.Sequential(nn.Linear(3, 32), nn.ReLU(), nn.Linear(32, 1))
# R: first <- model[[1]]
first = model[0]
# Spec: model[0] is the first module of an nn.Sequential (numbered from 0)
assert isinstance(first, nn.Linear)
# R: parameters <- model$parameters
parameters = dict(model.named_parameters())
# Spec: named_parameters() of an nn.Sequential names its parameters 0.weight,
#       0.bias, 2.weight, 2.bias (ReLU, module 1, has none)
assert list(parameters) == ["0.weight", "0.bias", "2.weight", "2.bias"]
# R: parameter_list <- unname(model$parameters)
parameter_iterator = model.parameters()
# Spec: model.parameters() is an iterator: a second pass over it finds it empty
assert len(list(parameter_iterator)) == 4 and list(parameter_iterator) == []
# R: dropout <- nn_dropout(p = 0.5)
dropout = nn.Dropout(p=0.5)
# R: model$train()
model.train()
# R: model$eval()
model.eval()
# Spec: after model.eval(), model.training is False
assert not model.training


# R: Noisy <- nn_module(
#      forward = function(x) {
#        nnf_dropout(x, p = 0.5, training = self$training)
#      }
#    )
class Noisy(nn.Module):
    def forward(self, x):
        return F.dropout(x, p=0.5, training=self.training)


noisy = Noisy().eval()
# Spec: a module in eval mode that passes training=self.training to F.dropout
#       returns its input unchanged
torch.testing.assert_close(noisy(torch.ones(10)), torch.ones(10))
# --8<-- [end:modules]

# --8<-- [start:losses]
# R: loss <- nnf_mse_loss(x, torch_zeros(3, 2, 3))
loss = F.mse_loss(x, torch.zeros(3, 2, 3))
# R: value <- loss$item()
value = loss.item()
# Spec: loss.item() turns a one-element tensor into a plain Python float
assert isinstance(value, float)
# R: loss_fn <- nn_mse_loss()
loss_fn = nn.MSELoss()
# Spec: the module nn.MSELoss() gives the same value as the function F.mse_loss
torch.testing.assert_close(loss_fn(x, torch.zeros(3, 2, 3)), loss)

logits = torch.tensor([[2.0, 0.5, -1.0], [0.1, 1.2, 0.3]])  # 2 observations, 3 classes
# R: classes <- torch_tensor(c(1, 3), dtype = torch_long())
classes = torch.tensor([0, 2])
# R: ce <- nnf_cross_entropy(logits, classes)
ce = F.cross_entropy(logits, classes)
# R: ce_fn <- nn_cross_entropy_loss()
ce_fn = nn.CrossEntropyLoss()
try:
    F.cross_entropy(logits, torch.tensor([0, 3]))  # 3 is R's label for the third class
except IndexError as error:
    print(error)
# > Target 3 is out of bounds.
# R: log_probs <- nnf_log_softmax(logits, dim = 2)
log_probs = F.log_softmax(logits, dim=1)
# R: nll <- nnf_nll_loss(log_probs, classes)
nll = F.nll_loss(log_probs, classes)
# Spec: F.cross_entropy on logits equals F.nll_loss on their log_softmax
torch.testing.assert_close(nll, ce)
# R: nll_fn <- nn_nll_loss()
nll_fn = nn.NLLLoss()

scores = torch.tensor([1.5, -0.5])  # logits of two binary predictions
truth = torch.tensor([1.0, 0.0])
# R: probabilities <- torch_sigmoid(scores)
probabilities = torch.sigmoid(scores)
# R: bce_fn <- nn_bce_loss()
bce_fn = nn.BCELoss()
# R: bce_logits_fn <- nn_bce_with_logits_loss()
bce_logits_fn = nn.BCEWithLogitsLoss()
# Spec: nn.BCELoss on sigmoid probabilities equals nn.BCEWithLogitsLoss on the
#       logits, for moderate logits such as 1.5 and -0.5
torch.testing.assert_close(bce_fn(probabilities, truth), bce_logits_fn(scores, truth))
target_probs = torch.tensor([[0.7, 0.2, 0.1], [0.2, 0.5, 0.3]])
# R: kl <- nnf_kl_div(log_probs, target_probs, reduction = "batchmean")
kl = F.kl_div(log_probs, target_probs, reduction="batchmean")
by_hand = (target_probs * (target_probs.log() - log_probs)).sum() / 2
# Spec: F.kl_div with reduction="batchmean" divides the summed KL divergence by
#       the batch size
torch.testing.assert_close(kl, by_hand)
# --8<-- [end:losses]

# --8<-- [start:optimizers]
# R: optimizer <- optim_sgd(model$parameters, lr = 0.1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
F.mse_loss(model(inputs), targets).backward()
# R: optimizer$step()
optimizer.step()
# R: optimizer$zero_grad()
optimizer.zero_grad()
# Spec: optimizer.zero_grad() sets the gradients to None by default
assert all(p.grad is None for p in model.parameters())
# R: group_params <- optimizer$param_groups[[1]]$params
group_params = optimizer.param_groups[0]["params"]
# Spec: an optimizer's param_groups hold the model's own parameter tensors, not
#       copies
assert all(a is b for a, b in zip(group_params, model.parameters()))
# R: optimizer$param_groups[[1]]$lr <- 0.05
optimizer.param_groups[0]["lr"] = 0.05
# R: adam <- optim_adam(model$parameters, lr = 0.08)
adam = torch.optim.Adam(model.parameters(), lr=0.08)
# R: grouped <- optim_sgd(
#      list(
#        list(params = model[[1]]$parameters, lr = 0.01),
#        list(params = model[[3]]$parameters)
#      ),
#      lr = 0.1
#    )
grouped = torch.optim.SGD(
    [{"params": model[0].parameters(), "lr": 0.01}, {"params": model[2].parameters()}],
    lr=0.1,
)
# Spec: a parameter group without its own lr takes the optimizer's lr
assert [group["lr"] for group in grouped.param_groups] == [0.01, 0.1]

w = torch.tensor([1.0, -2.0], requires_grad=True)
# R: decayed <- optim_sgd(list(w), lr = 0.1, weight_decay = 0.5)
decayed = torch.optim.SGD([w], lr=0.1, weight_decay=0.5)
w.grad = torch.zeros(2)  # a zero loss gradient, so that only the decay acts
decayed.step()
# Spec: SGD with lr=0.1 and weight_decay=0.5 on a zero loss gradient moves
#       w = (1, -2) to w - 0.1 * 0.5 * w = (0.95, -1.9)
torch.testing.assert_close(w.detach(), torch.tensor([0.95, -1.9]))
# R: adamw <- optim_adamw(model$parameters, lr = 0.01, weight_decay = 0.01)
adamw = torch.optim.AdamW(model.parameters(), lr=0.01, weight_decay=0.01)

u = torch.tensor([1.0, -4.0], requires_grad=True)
adamw_u = torch.optim.AdamW([u], lr=0.1, weight_decay=0.5)
u.grad = torch.zeros(2)  # again only the decay acts
adamw_u.step()
# Spec: AdamW with lr=0.1 and weight_decay=0.5 on a zero loss gradient multiplies
#       u = (1, -4) by 1 - 0.1 * 0.5: its decay is not added to the gradient
torch.testing.assert_close(u.detach(), torch.tensor([0.95, -3.8]))
# --8<-- [end:optimizers]

# --8<-- [start:data]
features = torch.randn(1000, 10)
labels = torch.randint(0, 2, (1000,)).float()
# R: dataset <- tensor_dataset(features, labels)
dataset = TensorDataset(features, labels)
# R: n <- length(dataset)
n = len(dataset)
# R: first_item <- dataset[1]
first_item = dataset[0]
# Spec: an item of a TensorDataset is a tuple (features, label)
assert isinstance(first_item, tuple) and first_item[0].shape == (10,)
# R: perm <- torch_randperm(n) + 1L
perm = torch.randperm(n)
# Spec: torch.randperm(n) holds each of 0, ..., n - 1 once
assert sorted(perm.tolist()) == list(range(n))
# R: train_set <- dataset_subset(dataset, perm[1:700])
train_set = Subset(dataset, perm[:700].tolist())
valid_set = Subset(dataset, perm[700:850].tolist())
test_set = Subset(dataset, perm[850:].tolist())
# Spec: the slices [:700], [700:850] and [850:] of 1000 positions hold 700, 150
#       and 150
assert (len(train_set), len(valid_set), len(test_set)) == (700, 150, 150)
# R: loader <- dataloader(train_set, batch_size = 32, shuffle = TRUE)
loader = DataLoader(train_set, batch_size=32, shuffle=True)
# Spec: a DataLoader over 700 rows in batches of 32 gives 22 batches (the last
#       one of 28 rows)
assert len(loader) == 22
batch = next(iter(loader))
# Spec: a DataLoader batch of a TensorDataset is a list [features, labels]
assert isinstance(batch, list) and len(batch) == 2
seen = 0
# R: coro::loop(for (batch in loader) {
#      xb <- batch[[1]]
#      yb <- batch[[2]]
#    })
for xb, yb in loader:
    seen += xb.shape[0]
# Spec: one pass over a DataLoader visits every one of its 700 rows once
assert seen == 700
# --8<-- [end:data]
