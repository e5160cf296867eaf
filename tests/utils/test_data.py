"""The batch iterator that replaces skorch's per-sample DataLoader."""

import warnings

import numpy as np
import pytest
import torch

from skdl.utils import ArrayDataset, BatchIterator
from skdl.utils._data import as_tensor


def make(n):
    X = torch.arange(n, dtype=torch.float32).reshape(n, 1)
    return ArrayDataset(X, torch.arange(n), torch.ones(n))


def test_batches_in_order_without_shuffle():
    batches = list(BatchIterator(make(10), batch_size=4))
    assert [len(b[0]) for b in batches] == [4, 4, 2]
    assert torch.equal(torch.cat([b[1] for b in batches]), torch.arange(10))


def test_shuffle_is_a_permutation_and_follows_torch_seed():
    torch.manual_seed(0)
    a = torch.cat([b[1] for b in BatchIterator(make(10), 3, shuffle=True)])
    torch.manual_seed(0)
    b = torch.cat([b[1] for b in BatchIterator(make(10), 3, shuffle=True)])
    assert sorted(a.tolist()) == list(range(10))
    assert torch.equal(a, b) and not torch.equal(a, torch.arange(10))


@pytest.mark.parametrize("n,sizes", [(9, [4, 5]), (10, [4, 4, 2]), (1, [1])])
def test_merge_singleton(n, sizes):
    it = BatchIterator(make(n), batch_size=4, merge_singleton=True)
    assert [len(b[0]) for b in it] == sizes and len(it) == len(sizes)


def test_missing_parts_are_none():
    ds = ArrayDataset(torch.zeros(3, 2))
    assert list(BatchIterator(ds, 2))[0][1:] == (None, None)


def test_batches_are_views_not_per_sample_copies():
    ds = make(8)
    first = next(iter(BatchIterator(ds, 4)))
    assert first[0].data_ptr() == ds.X.data_ptr()


def test_as_tensor_copies_read_only_arrays_only():
    a = np.zeros((3, 2), dtype=np.float32)
    assert as_tensor(a).data_ptr() == a.ctypes.data
    a.setflags(write=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # torch warns on non-writable arrays
        t = as_tensor(a)
    assert t.data_ptr() != a.ctypes.data
