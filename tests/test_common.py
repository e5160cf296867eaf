"""scikit-learn's estimator checks, then skdl's own, over every estimator.

skdl's checks live in ``skdl.utils.estimator_checks`` (imbalanced-learn's
``utils/estimator_checks.py`` is the model); each builds its own tiny data, so
a new estimator only needs adding to ``ESTIMATORS``.
"""

import pytest
from sklearn.utils.estimator_checks import parametrize_with_checks

from skdl import DenseClassifier, DenseRegressor
from skdl.utils.estimator_checks import yield_skdl_checks

ESTIMATORS = [DenseClassifier(), DenseRegressor()]

# The same classes in configurations whose code paths differ from the
# defaults: held-out validation with weight restoring, batch normalisation
# (single-sample batches merged), dropout and residual projections.
_VARIANT = dict(early_stopping=True, batch_norm=True, dropout=0.1, residual=True)
SKLEARN_CHECKED = [
    *ESTIMATORS,
    DenseClassifier(**_VARIANT, hidden_layer_sizes=(16, 8)),
    DenseRegressor(**_VARIANT, hidden_layer_sizes=(16, 8)),
]

# One check cannot pass in float32, for a reason that is not a bug. Measured on
# sklearn 1.9.1 / torch 2.13.0 CPU: predictions differ by at most 2.4e-7
# (relative) for DenseClassifier and 1.1e-7 for DenseRegressor; the check
# demands 1e-7. check_sample_weight_equivalence_float32 (in
# skdl.utils.estimator_checks, run below) uses the same construction and proves
# equivalence to float32 precision (rtol 1e-5).
_FLOAT32_SAMPLE_WEIGHT = (
    "Weighting and repeating rows give the same full-batch gradient, but float32 "
    "sums them in a different order: predictions agree to ~2e-7 relative, the "
    "check asks for 1e-7 (see check_sample_weight_equivalence_float32)."
)


# In the variant configuration the equivalence does not hold even in exact
# arithmetic: the held-out rows for early stopping differ between weighted and
# repeated data, batch-norm statistics count rows not weights, and dropout
# draws a mask per row. Measured (pytest --runxfail): all 45 probabilities
# differ, by up to 0.62 (classifier); all 15 predictions, by up to 1.71
# (regressor).
_STRUCTURAL_SAMPLE_WEIGHT = (
    "Early stopping holds out different rows, batch norm counts rows not "
    "weights, and dropout draws masks per row, so weighted and repeated data "
    "train different models by design."
)


def expected_failed_checks(estimator):
    variant = estimator.early_stopping or estimator.batch_norm or estimator.dropout
    reason = _STRUCTURAL_SAMPLE_WEIGHT if variant else _FLOAT32_SAMPLE_WEIGHT
    return {"check_sample_weight_equivalence_on_dense_data": reason}


@parametrize_with_checks(SKLEARN_CHECKED, expected_failed_checks=expected_failed_checks)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)


# ---------------------------------------------------------------- our checks
def _skdl_check_params():
    for est in ESTIMATORS:
        for check in yield_skdl_checks(est):
            yield pytest.param(est, check, id=f"{type(est).__name__}-{check.__name__}")


@pytest.mark.parametrize("estimator,check", list(_skdl_check_params()))
def test_skdl_checks(estimator, check):
    check(type(estimator).__name__, estimator)
