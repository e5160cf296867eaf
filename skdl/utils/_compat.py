"""The one place that imports scikit-learn's private helpers.

When a scikit-learn release moves one of these, this file is the only fix.
"""

from sklearn.base import _fit_context
from sklearn.utils import _safe_indexing
from sklearn.utils._param_validation import (
    Interval,
    StrOptions,
)
from sklearn.utils.validation import (
    _check_feature_names,
    _check_sample_weight,
    _check_y,
    validate_data,
)

__all__ = [
    "Interval",
    "StrOptions",
    "_check_feature_names",
    "_check_sample_weight",
    "_check_y",
    "_fit_context",
    "_safe_indexing",
    "validate_data",
]
