"""Validation of sequence input: token ids or values, fixed or variable length.

Accepted forms, turned into one left-aligned, padded tensor each:

* 2-D integer array (n, length): token ids, 0 = padding (e.g. the output of
  :class:`skdl.preprocessing.SequenceTokenizer`). Id 0 is padding wherever it
  stands; rows are left-aligned, so pre- and post-padding give the same
  result.
* 2-D float array (n, length): one value per position (univariate series).
* 3-D array (n, length, channels): several values per position (multivariate
  series, one-hot encodings).
* A list (or 1-D object array) of 1-D integer arrays of varying length
  (``SequenceTokenizer(max_len="ragged")``), or of float arrays of shape
  (length,) or (length, channels): variable-length input. It is padded per
  batch, in batches of similar length.
"""

import warnings
from dataclasses import dataclass

import numpy as np
import torch
from scipy import sparse
from sklearn.utils import check_array

from ..exceptions import InputKindWarning
from ._data import as_tensor
from ._validation import as_float32, holds_non_numbers, naming_errors


@dataclass
class Sequences:
    """Validated sequence input.

    data : tensor (n, length) of int ids, or (n, length, channels) float32
    lengths : tensor (n,) of real lengths for variable-length input, else None
        (fixed-length input: token rows are masked where the id is 0).
    kind : "tokens" or "values"
    table : whether X was a 2-D array (whose width sklearn treats as its
        number of features)
    side : tensor (n, n_side_features) float32 of per-sample side features,
        or None
    """

    data: torch.Tensor
    lengths: torch.Tensor | None
    kind: str
    table: bool = False
    side: torch.Tensor | None = None

    def __len__(self):
        return len(self.data)

    @property
    def length(self):
        return self.data.shape[1]

    @property
    def n_channels(self):
        return self.data.shape[2] if self.kind == "values" else None

    def real_lengths(self):
        """Tensor (n,) of each row's real length: ``lengths`` when given,
        else the non-padding ids of token rows, else the full width."""
        if self.lengths is not None:
            return self.lengths
        if self.kind == "tokens":
            return (self.data != 0).sum(1)
        return torch.full((len(self),), self.length)


def _tokenizer_hint(name):
    return (
        f"{name} needs numbers, but X holds strings. Turn sequences into token "
        "ids first, e.g. make_pipeline(SequenceTokenizer(alphabet='protein'), "
        f"{name}()) with SequenceTokenizer from skdl.preprocessing."
    )


def _holds_strings(X):
    """Whether X is a sequence of strings (raw sequences, not yet tokenized)."""
    if isinstance(X, np.ndarray):
        return X.dtype.kind in "US" or (
            X.dtype == object and X.size > 0 and isinstance(X.flat[0], str)
        )
    if hasattr(X, "iloc") and getattr(X, "ndim", 0) == 1:  # pandas Series
        return len(X) > 0 and isinstance(X.iloc[0], str)
    return isinstance(X, list | tuple) and len(X) > 0 and isinstance(X[0], str)


def _is_ragged(X):
    """A list / 1-D object array of per-sequence arrays (not a numeric table)."""
    if isinstance(X, np.ndarray):
        return X.dtype == object and X.ndim == 1 and len(X) > 0 and _is_seq(X[0])
    if hasattr(X, "dtype") and hasattr(X, "to_numpy") and getattr(X, "ndim", 0) == 1:
        return _is_ragged(X.to_numpy())  # pandas Series of arrays
    if isinstance(X, list | tuple) and len(X) and all(map(_is_seq, X)):
        if all(isinstance(x, np.ndarray | torch.Tensor) for x in X):
            return True  # a list of arrays is a list of sequences
        return len({np.shape(x) for x in X}) > 1  # equal lists: a plain table
    return False


def _is_seq(x):
    return isinstance(x, np.ndarray | list | tuple | torch.Tensor) and np.ndim(x) >= 1


def _left_align(ids):
    """Move the non-zero ids of each row to its start (zeros are padding)."""
    real = ids != 0
    if real.shape[1] > 1 and (real[:, 1:] & ~real[:, :-1]).any():
        order = np.argsort(~real, axis=1, kind="stable")
        ids = np.take_along_axis(ids, order, 1)
    return ids


def _token_tensor(ids, name):
    if ids.size and ids.min() < 0:
        raise ValueError(
            f"{name}: token ids must be >= 0 (0 is padding); X holds {ids.min()}."
        )
    dtype = np.int32 if ids.size == 0 or ids.max() < 2**31 else np.int64
    return as_tensor(np.ascontiguousarray(_left_align(ids), dtype=dtype))


def _value_tensor(values, name):
    values = as_float32(np.asarray(values), name, "Scale the values first.")
    return as_tensor(np.ascontiguousarray(values))


def _ragged(X, name):
    rows = [np.asarray(x) for x in X]
    for i, row in enumerate(rows):
        if row.dtype.kind in "USO":
            raise ValueError(_tokenizer_hint(name))
        if row.ndim not in (1, 2):
            raise ValueError(
                f"{name}: sequence {i} has shape {row.shape}; each sequence must "
                "be 1-D (token ids or values) or 2-D (length, channels)."
            )
    tokens = all(r.dtype.kind in "iu" and r.ndim == 1 for r in rows)
    lengths = np.array([len(r) for r in rows])
    n, width = len(rows), max(lengths.max(), 1)
    if tokens:
        ids = np.zeros((n, width), dtype=np.int64)
        for i, row in enumerate(rows):
            ids[i, : len(row)] = row
        data = _token_tensor(ids, name)
        return Sequences(data, (data != 0).sum(1), "tokens")
    channels = {1 if r.ndim == 1 else r.shape[1] for r in rows}
    if len(channels) > 1:
        raise ValueError(
            f"{name}: all sequences need the same number of channels; got "
            f"{sorted(channels)}."
        )
    values = np.zeros((n, width, channels.pop()), dtype=np.float64)
    for i, row in enumerate(rows):
        row = row.astype(np.float64).reshape(len(row), -1)
        if not np.isfinite(row).all():
            raise ValueError(
                f"{name}: sequence {i} contains NaN or infinity. Variable lengths "
                "need no NaN padding: pass each sequence at its own length."
            )
        values[i, : len(row)] = row
    return Sequences(_value_tensor(values, name), torch.from_numpy(lengths), "values")


def _looks_like_ids(X):
    """Whether a 2-D float X looks like token ids cast to float: (nearly) all
    columns hold whole numbers >= 0, the largest is at least 2, and in every
    row the zeros of those columns form padding (a run at the end or the
    start), with some padding somewhere. Count tables have scattered zeros
    and are not flagged."""
    if X.size == 0 or X.shape[1] < 2:
        return False
    whole = ((X >= 0) & (X == np.round(X))).all(0)
    if whole.mean() < 0.8:
        return False
    ids = X[:, whole]
    if ids.max() < 2:
        return False
    real = ids != 0
    starts = (~real[:, :-1] & real[:, 1:]).any(1)  # a real id after padding
    ends = (real[:, :-1] & ~real[:, 1:]).any(1)  # padding after a real id
    padded = ~real.all(1) & real.any(1)
    return bool(padded.any() and not (starts & ends).any())


def check_sequences(X, name, side_features=0, warn_kind=False):
    """Validate X (any form above) and return :class:`Sequences`.

    With ``side_features=k``, the last ``k`` columns of a 2-D X are per-sample
    features and the other columns token ids. ``warn_kind`` warns when a 2-D
    float X looks like token ids (done in fit, where the kind is decided).
    """
    if isinstance(X, str) or _holds_strings(X):
        raise ValueError(_tokenizer_hint(name))
    if sparse.issparse(X):
        raise TypeError(
            f"Sparse data was passed for X, but dense data is required for {name}."
        )
    if isinstance(X, list | tuple) and len(X) == 0:
        raise ValueError(f"{name}: X holds 0 sequences; at least 1 is required.")
    if _is_ragged(X):
        if side_features:
            raise ValueError(
                f"{name}: side_features={side_features} needs X as one 2-D array "
                "(token ids, then the side feature columns); got variable-length "
                "sequences."
            )
        return _ragged(X, name)
    if holds_non_numbers(X):  # strings anywhere, not only in the first row
        raise ValueError(_tokenizer_hint(name))
    with naming_errors(name):
        X = check_array(X, dtype="numeric", allow_nd=True, estimator=name)
    if X.ndim > 3:
        raise ValueError(
            f"{name} takes X of shape (n, length) or (n, length, channels); got "
            f"an array with {X.ndim} dimensions."
        )
    if side_features:
        return _with_side_features(X, name, side_features)
    if X.ndim == 2 and X.dtype.kind in "iu":
        return Sequences(_token_tensor(X, name), None, "tokens", table=True)
    if warn_kind and X.ndim == 2 and _looks_like_ids(X):
        warnings.warn(
            f"{name}: X is a float array, so it is read as values (one channel "
            "per position, no embedding), but nearly all its entries are whole "
            "numbers >= 0 with zeros as padding, like token ids. If they are "
            "token ids, pass X.astype(int); to join ids with numeric columns "
            "(e.g. from a ColumnTransformer) use side_features=<number of "
            "numeric columns>. Float series given as (n, length, 1) are not "
            "warned about.",
            InputKindWarning,
            stacklevel=6,  # the user's fit call (through _fit_context)
        )
    values = X if X.ndim == 3 else X[:, :, None]
    return Sequences(_value_tensor(values, name), None, "values", table=X.ndim == 2)


def _with_side_features(X, name, k):
    """Token ids followed by ``k`` side feature columns, split."""
    if X.ndim != 2 or X.shape[1] <= k:
        raise ValueError(
            f"{name}: side_features={k} needs a 2-D X with more than {k} columns "
            f"(token ids, then {k} side features); got shape {X.shape}."
        )
    ids, side = X[:, :-k], X[:, -k:]
    if ids.dtype.kind == "f":
        if not np.array_equal(ids, np.round(ids)):
            raise ValueError(
                f"{name}: with side_features={k}, the first {ids.shape[1]} "
                "columns of X must be token ids (whole numbers >= 0, as "
                "SequenceTokenizer makes), but some are not whole numbers. Put "
                "the side feature columns last."
            )
        ids = ids.astype(np.int64)
    side = _value_tensor(side, name)
    return Sequences(_token_tensor(ids, name), None, "tokens", table=True, side=side)
