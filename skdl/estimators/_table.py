"""Input of table estimators: 2-D numeric X, dense or sparse."""

import numpy as np
from scipy import sparse

from ..utils._compat import validate_data
from ..utils._data import ArrayDataset, SparseRows, as_tensor
from ..utils._validation import holds_non_numbers, naming_errors
from ._base import FLOAT32_MAX, NO_Y

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
        values = X.data if sparse.issparse(X) else X
        if values.dtype != np.float32:
            if np.abs(values).max(initial=0.0) > FLOAT32_MAX:
                raise ValueError(
                    f"{name} computes in float32, but X has values beyond its "
                    f"range (|x| > {FLOAT32_MAX:.3g}). Scale the features, e.g. "
                    "with StandardScaler."
                )
            X = X.astype(np.float32)
        return X, y

    def _data_sizes(self, X):
        return {"n_features": X.shape[1]}

    def _dataset(self, X, y=None, w=None):
        rows = SparseRows(X) if sparse.issparse(X) else as_tensor(X)
        return ArrayDataset(rows, y, w)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags
