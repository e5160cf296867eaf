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


# ------------------------------------------------- variable-length batches
def make_ragged(n=1000, seed=0):
    """Left-aligned rows with a skewed length distribution (most short, few
    up to 200), the row index as y, and a random id at each real position."""
    gen = torch.Generator().manual_seed(seed)
    lengths = (torch.rand(n, generator=gen) ** 4 * 199).long() + 1
    width = int(lengths.max())
    X = torch.randint(1, 9, (n, width), generator=gen)
    X[torch.arange(width) >= lengths[:, None]] = 0
    return ArrayDataset(X, torch.arange(n), None, lengths=lengths)


def test_bucketed_shuffle_visits_every_row_once_per_epoch():
    ds = make_ragged()
    it = BatchIterator(ds, batch_size=32, shuffle=True, bucket_batches=5)
    torch.manual_seed(0)
    epochs = [torch.cat([b[1] for b in it]) for _ in range(2)]
    for rows in epochs:
        assert sorted(rows.tolist()) == list(range(len(ds)))
    assert not torch.equal(epochs[0], epochs[1])  # a new order every pass
    assert len(list(it)) == len(it) == 32  # ceil(1000 / 32)


def test_bucketed_batches_hold_rows_of_similar_length():
    ds = make_ragged()
    torch.manual_seed(0)
    bucketed = [b[0]["x"].shape[1] for b in BatchIterator(ds, 32, shuffle=True)]
    torch.manual_seed(0)
    plain = [
        int(ds.lengths[torch.randperm(len(ds))[:32]].max())
        for _ in range(len(ds) // 32)
    ]
    global_max = int(ds.lengths.max())
    # Random batches of a skewed distribution nearly all reach long rows;
    # bucketed batches are padded only to their own (mostly short) rows.
    assert np.mean(bucketed) < 0.5 * np.mean(plain)
    assert np.mean(bucketed) < 0.35 * global_max
    # The padding inside a batch is small compared with the rows' lengths.
    padded, real = 0, 0
    for inputs, _, _ in BatchIterator(ds, 32, shuffle=True):
        x, lengths = inputs["x"], inputs["lengths"]
        padded += x.shape[0] * x.shape[1]
        real += int(lengths.sum())
    assert real / padded > 0.8


def test_bucketed_batches_are_random_in_which_rows_meet():
    # Sorting happens within chunks of bucket_batches batches, not over the
    # whole data, so the batches of two epochs differ.
    ds = make_ragged()
    it = BatchIterator(ds, batch_size=32, shuffle=True, bucket_batches=5)
    torch.manual_seed(0)
    first = {frozenset(b[1].tolist()) for b in it}
    second = {frozenset(b[1].tolist()) for b in it}
    assert len(first & second) < 3


def test_batch_X_is_padded_ids_and_lengths_trimmed_to_batch_max():
    ds = make_ragged(n=200)
    torch.manual_seed(0)
    for shuffle in (False, True):
        for inputs, rows, w in BatchIterator(ds, 16, shuffle=shuffle):
            x, lengths = inputs["x"], inputs["lengths"]
            assert w is None
            assert torch.equal(lengths, ds.lengths[rows])
            assert x.shape == (len(rows), int(lengths.max()))
            assert torch.equal(x, ds.X[rows, : x.shape[1]])
            # Every real position holds an id, every other one padding.
            real = torch.arange(x.shape[1]) < lengths[:, None]
            assert (x[real] != 0).all() and (x[~real] == 0).all()


def test_indexing_a_dataset_with_lengths():
    X = torch.tensor([[1, 2, 3, 0], [4, 0, 0, 0], [5, 6, 0, 0]])
    ds = ArrayDataset(X, torch.tensor([0, 1, 2]), lengths=torch.tensor([3, 1, 2]))
    inputs, y, w = ds[torch.tensor([1, 2])]
    assert sorted(inputs) == ["lengths", "x"]  # the module's keyword arguments
    assert torch.equal(inputs["x"], torch.tensor([[4, 0], [5, 6]]))
    assert inputs["lengths"].tolist() == [1, 2]
    assert y.tolist() == [1, 2] and w is None
    inputs, _, _ = ds[1:2]
    assert inputs["x"].shape == (1, 1)


def test_sorted_by_length_returns_a_permutation():
    ds = make_ragged(n=300)
    ordered, order = ds.sorted_by_length()
    assert isinstance(order, np.ndarray)
    assert sorted(order.tolist()) == list(range(300))
    assert (np.diff(ordered.lengths.numpy()) >= 0).all()
    assert torch.equal(ordered.y, torch.as_tensor(order))
    assert torch.equal(ordered.X, ds.X[order])
    # Stable: rows of equal length keep their order.
    same = ds.lengths.numpy()[order]
    for length in np.unique(same):
        rows = order[same == length]
        assert (np.diff(rows) > 0).all()


def test_unshuffled_iteration_ignores_lengths_order():
    ds = make_ragged(n=50)
    rows = torch.cat([b[1] for b in BatchIterator(ds, 8)])
    assert torch.equal(rows, torch.arange(50))


def test_merge_singleton_with_lengths_and_shuffle():
    ds = make_ragged(n=33)
    it = BatchIterator(ds, batch_size=8, shuffle=True, merge_singleton=True)
    torch.manual_seed(0)
    sizes = sorted(len(b[1]) for b in it)
    assert sizes == [8, 8, 8, 9]
