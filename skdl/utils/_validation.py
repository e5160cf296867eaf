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


FLOAT32_MAX = float(np.finfo(np.float32).max)


def as_float32(values, name, advice):
    """Numeric ``values`` (a numpy array) as float32, or a ValueError naming
    estimator ``name`` (with ``advice``) when they lie beyond float32's range."""
    if values.dtype == np.float32:
        return values
    if values.dtype.kind == "f" and np.abs(values).max(initial=0.0) > FLOAT32_MAX:
        raise ValueError(
            f"{name} computes in float32, but X has values beyond its range "
            f"(|x| > {FLOAT32_MAX:.3g}). {advice}"
        )
    return values.astype(np.float32)


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
