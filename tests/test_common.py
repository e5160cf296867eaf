"""scikit-learn's estimator checks, then skdl's own, over every estimator.

skdl's checks live in ``skdl.utils.estimator_checks`` (imbalanced-learn's
``utils/estimator_checks.py`` is the model); each builds its own tiny data, so
a new estimator only needs adding to ``ESTIMATORS``.
"""

import pytest
from sklearn.utils.estimator_checks import parametrize_with_checks

from skdl import (
    DenseClassifier,
    DenseRegressor,
    SequenceCNNClassifier,
    SequenceCNNRegressor,
)
from skdl.utils.estimator_checks import yield_skdl_checks

# Sequence networks in a small configuration (the default one is sized for
# proteins of hundreds of residues and makes the checks slow, not different).
# lr=1e-2: sklearn's accuracy checks train on a few hundred rows, where 20
# epochs at the default 1e-3 are too few steps.
_SMALL_CNN = dict(conv_filters=(8, 8), kernel_sizes=3, pool_sizes=2, lr=1e-2)
# Global max-pooling forgets positions, and sklearn's regression data depend
# on one column (position): 50 epochs reach R2 0.75 there (20 give 0.39).
ESTIMATORS = [
    DenseClassifier(),
    DenseRegressor(),
    SequenceCNNClassifier(**_SMALL_CNN, hidden_layer_sizes=(32, 16)),
    SequenceCNNRegressor(**_SMALL_CNN, hidden_layer_sizes=(32, 16), max_epochs=50),
]

# The same classes in configurations whose code paths differ from the
# defaults: held-out validation with weight restoring, batch normalisation
# (single-sample batches merged), dropout and residual projections.
_VARIANT = dict(early_stopping=True, batch_norm=True, dropout=0.1, residual=True)
SKLEARN_CHECKED = [
    *ESTIMATORS,
    DenseClassifier(**_VARIANT, hidden_layer_sizes=(16, 8)),
    DenseRegressor(**_VARIANT, hidden_layer_sizes=(16, 8)),
    # Held-out validation, residual conv blocks, mean pooling, one-hot input.
    SequenceCNNClassifier(
        **{**_VARIANT, "batch_norm": False},
        embedding_dim=None,
        spatial_dropout=0.1,
        global_pooling="mean",
        lr=1e-2,
    ),
    # Strided "valid" convolutions with masked batch norm, feeding a flattening
    # head.
    SequenceCNNRegressor(
        batch_norm=True,
        conv_filters=(8,),
        kernel_sizes=2,
        padding="valid",
        strides=2,
        pool_sizes=1,
        global_pooling="flatten",
        dense_activation="relu",
        hidden_layer_sizes=(16,),
        lr=1e-2,
    ),
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
    # (The small SequenceCNNClassifier passes at 1e-7 in some runs and misses
    # by 2.6e-7 in others: rounding, as for the rest; the xfail is not strict.)
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
