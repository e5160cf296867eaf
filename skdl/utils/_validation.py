"""Input checks that the input mixins (tables, sequences, ...) share."""

import contextlib

import numpy as np


def holds_non_numbers(X):
    """Whether X (array-like or pandas) holds values that cannot be read as
    numbers, such as strings. Other objects (dicts, ...) are left to numpy
    and scikit-learn, which refuse them with their own TypeError."""
    if hasattr(X, "to_numpy"):  # pandas: numeric columns need no look
        dtypes = X.dtypes if hasattr(X, "dtypes") else [X.dtype]
        if {getattr(d, "kind", "O") for d in np.atleast_1d(dtypes)} <= set("biuf"):
            return False
        values = X.to_numpy(dtype=object)
    else:
        try:
            values = np.asarray(X)
        except (ValueError, TypeError):  # ragged nesting: validation explains
            return False
        if values.dtype.kind not in "OUS":
            return False
    try:
        values.astype(np.float64)
    except ValueError:
        return True
    except TypeError:
        return False
    return False


@contextlib.contextmanager
def naming_errors(name):
    """Re-raise scikit-learn's ValueErrors with the estimator's name in front
    when their message lacks it (not every sklearn message names it)."""
    try:
        yield
    except ValueError as exc:
        if name in str(exc):
            raise
        raise ValueError(f"{name}: {exc}") from None
