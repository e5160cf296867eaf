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


class ArrayDataset(torch.utils.data.Dataset):
    """Whole-data tensors ``X``, ``y`` (or None) and ``sample_weight`` (or None).

    Indexing with an int, slice or index tensor returns the batch triple
    ``(X[i], y[i], w[i])``; missing parts are None.
    """

    def __init__(self, X, y=None, sample_weight=None):
        self.X = X
        self.y = y
        self.sample_weight = sample_weight

    def __len__(self):
        return len(self.X)

    def __getitem__(self, index):
        return (
            self.X[index],
            None if self.y is None else self.y[index],
            None if self.sample_weight is None else self.sample_weight[index],
        )

    def to(self, device):
        """Move all tensors to ``device`` (once, before training)."""

        def move(t):
            return None if t is None else t.to(device)

        return ArrayDataset(move(self.X), move(self.y), move(self.sample_weight))

    def subset(self, indices):
        return ArrayDataset(*self[torch.as_tensor(indices)])


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
    """

    def __init__(self, dataset, batch_size, shuffle=False, merge_singleton=False):
        self.dataset = dataset
        self.batch_size = int(batch_size)
        self.shuffle = shuffle
        self.merge_singleton = merge_singleton

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
        if self.shuffle:
            order = torch.randperm(len(ds))
            if ds.X.device.type != "cpu":
                order = order.to(ds.X.device)
            for start, end in self._bounds():
                yield ds[order[start:end]]
        else:
            for start, end in self._bounds():
                yield ds[start:end]
