"""The fast data path: tensors made once per fit, batches cut by slicing.

skorch's default ``Dataset`` + ``DataLoader`` fetch one sample at a time and
collate them, which costs more than the model itself for small networks (see
``benchmarks/``). When X and y are arrays we instead build one tensor each,
once, and the iterator below slices whole batches out of them.
"""

import numpy as np
import torch


def as_tensor(a, dtype=None):
    """A torch tensor sharing memory with ``a`` where it can.

    Read-only arrays (memory maps, broadcast views) are copied, since torch
    cannot share memory with them.
    """
    if isinstance(a, torch.Tensor):
        return a if dtype is None else a.to(dtype)
    a = np.require(a, requirements=["C", "W"])
    t = torch.from_numpy(a)
    return t if dtype is None else t.to(dtype)


class SparseRows:
    """A scipy sparse matrix whose row batches come out as dense tensors.

    Holds the matrix in CSR form (float32) for the whole fit and densifies
    only the rows of one batch at a time, so a wide sparse X (e.g. the output
    of ``CountVectorizer``) never becomes one dense array. Batches stay on the
    CPU until the net moves them to its device.
    """

    device = torch.device("cpu")

    def __init__(self, matrix):
        self.matrix = matrix.tocsr().astype(np.float32, copy=False)
        self.shape = self.matrix.shape

    def __len__(self):
        return self.shape[0]

    def __getitem__(self, index):
        if isinstance(index, torch.Tensor):
            index = index.cpu().numpy()
        return torch.from_numpy(self.matrix[index].toarray())

    def subset(self, index):
        if isinstance(index, torch.Tensor):
            index = index.cpu().numpy()
        return SparseRows(self.matrix[index])

    def to(self, device):
        return self


def _take(t, index):
    if t is None:
        return None
    return t.subset(index) if isinstance(t, SparseRows) else t[index]


class ArrayDataset(torch.utils.data.Dataset):
    """Whole-data tensors ``X``, ``y`` (or None) and ``sample_weight`` (or None).

    Indexing with an int, slice or index tensor returns the batch triple
    ``(X[i], y[i], w[i])``; missing parts are None. ``X`` may also be
    :class:`SparseRows`, whose batches are densified one at a time.

    With ``lengths`` (one per row of a left-aligned, padded ``X``) a batch is
    padded only to its own longest row, and with ``side`` (per-sample side
    features) those come along: the batch's X is then the dict of the
    module's inputs ``{"x": X[i, :lengths[i].max()], "lengths": lengths[i],
    "side": side[i]}`` (keys only for the parts there are).
    """

    def __init__(self, X, y=None, sample_weight=None, lengths=None, side=None):
        self.X = X
        self.y = y
        self.sample_weight = sample_weight
        self.lengths = lengths
        self.side = side

    def __len__(self):
        return len(self.X)

    def __getitem__(self, index):
        X = self.X[index]
        if self.lengths is not None or self.side is not None:
            inputs = {"x": X}
            if self.lengths is not None:
                lengths = self.lengths[index]
                # At least one column: convolutions need a position to slide on.
                inputs["x"] = X[:, : max(int(lengths.max()), 1)]
                inputs["lengths"] = lengths
            if self.side is not None:
                inputs["side"] = self.side[index]
            X = inputs
        return (
            X,
            None if self.y is None else self.y[index],
            None if self.sample_weight is None else self.sample_weight[index],
        )

    def _parts(self):
        return self.X, self.y, self.sample_weight, self.lengths, self.side

    @property
    def device(self):
        return self.X.device

    def to(self, device):
        """Move all tensors to ``device`` (once, before training)."""
        return ArrayDataset(
            *(None if t is None else t.to(device) for t in self._parts())
        )

    def subset(self, indices):
        index = torch.as_tensor(indices)
        return ArrayDataset(*(_take(t, index) for t in self._parts()))

    def sorted_by_length(self):
        """This dataset with rows in order of length, and that order."""
        order = torch.argsort(self.lengths, stable=True)
        return self.subset(order), order.numpy()


class BatchIterator:
    """Yields ``(X, y, w)`` batches sliced from an :class:`ArrayDataset`.

    Given to skorch as ``iterator_train`` / ``iterator_valid``; skorch calls
    it as ``BatchIterator(dataset, batch_size=..., **params)`` once per fit.

    Parameters
    ----------
    dataset : ArrayDataset
    batch_size : int
    shuffle : bool, default=False
        Draw a new permutation at every pass, from torch's global generator
        (which skdl seeds and scopes around each fit).
    merge_singleton : bool, default=False
        Append a final batch of a single sample to the previous batch. Batch
        normalisation cannot train on one sample.
    bucket_batches : int, default=50
        For datasets with ``lengths`` and ``shuffle=True``: the shuffled rows
        are cut into chunks of this many batches, each chunk is sorted by
        length before it is cut into batches, and the batches are then
        visited in random order. A batch thus holds rows of similar length
        and is padded little, while which rows meet in a batch stays random.
    """

    def __init__(
        self,
        dataset,
        batch_size,
        shuffle=False,
        merge_singleton=False,
        bucket_batches=50,
    ):
        self.dataset = dataset
        self.batch_size = int(batch_size)
        self.shuffle = shuffle
        self.merge_singleton = merge_singleton
        self.bucket_batches = int(bucket_batches)

    def _bounds(self):
        n, bs = len(self.dataset), self.batch_size
        starts = list(range(0, n, bs))
        if self.merge_singleton and len(starts) > 1 and n - starts[-1] == 1:
            starts.pop()
        ends = starts[1:] + [n]
        return list(zip(starts, ends, strict=True))

    def __len__(self):
        return len(self._bounds())

    def __iter__(self):
        ds = self.dataset
        bounds = self._bounds()
        if not self.shuffle:
            for start, end in bounds:
                yield ds[start:end]
            return
        order = torch.randperm(len(ds))
        if ds.lengths is not None:
            order = self._bucket(order, ds.lengths.cpu())
            bounds = [bounds[i] for i in torch.randperm(len(bounds))]
        if ds.device.type != "cpu":  # index on the data's device
            order = order.to(ds.device)
        for start, end in bounds:
            yield ds[order[start:end]]

    def _bucket(self, order, lengths):
        chunk = self.batch_size * self.bucket_batches
        parts = []
        for piece in torch.split(order, chunk):
            parts.append(piece[torch.argsort(lengths[piece], stable=True)])
        return torch.cat(parts)
