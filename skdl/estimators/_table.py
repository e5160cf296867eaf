"""Input of table estimators: 2-D numeric X, dense or sparse."""

import numpy as np
import torch
from scipy import sparse

from ..utils._compat import validate_data
from ..utils._data import ArrayDataset, SparseRows, as_tensor
from ..utils._validation import as_float32, holds_non_numbers, naming_errors
from ._base import NO_Y

# Any scipy format is accepted and converted to CSR (validated there).
_SPARSE_FORMATS = ("csr",)


class _TableInput:
    """Input hooks for X of shape (n_samples, n_features).

    Dense X becomes one float32 tensor per fit. Sparse X (any scipy format)
    is kept as CSR and densified one batch at a time, so the output of
    ``CountVectorizer`` or ``OneHotEncoder`` goes in without ever being one
    dense array.
    """

    _input_kind = "table"

    def _validate_input(self, X, y=NO_Y, *, reset):
        name = type(self).__name__
        kwargs = dict(
            reset=reset, dtype=[np.float32, np.float64], accept_sparse=_SPARSE_FORMATS
        )
        if y is not NO_Y:
            kwargs.update(y=y, multi_output=True, y_numeric=self._y_numeric)
        if not sparse.issparse(X) and holds_non_numbers(X):
            raise ValueError(
                f"{name} needs numeric X, but X holds values that are not numbers. "
                "Encode categorical columns first (e.g. OneHotEncoder) and turn "
                "text or sequences into numbers (e.g. CountVectorizer) in a "
                "Pipeline step."
            )
        with naming_errors(name):
            out = validate_data(self, X, **kwargs)
        X, y = (out, None) if y is NO_Y else out
        advice = "Scale the features, e.g. with StandardScaler."
        if sparse.issparse(X):
            data = as_float32(X.data, name, advice)
            return type(X)((data, X.indices, X.indptr), shape=X.shape), y
        return as_float32(X, name, advice), y

    def _data_sizes(self, X):
        return {"n_features": X.shape[1]}

    def _summary_input(self):
        n = self.n_features_in_
        return torch.zeros(1, n), f"a row of {n} feature{'s' * (n != 1)}"

    def _dataset(self, X, y=None, w=None):
        rows = SparseRows(X) if sparse.issparse(X) else as_tensor(X)
        return ArrayDataset(rows, y, w)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags
