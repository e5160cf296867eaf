"""Bad sequence input and parameters get a clear error naming the estimator.

Every error is raised by skdl's own validation, before any torch code runs:
no torch or skorch frame in the traceback, and no chained torch exception.
"""

import numpy as np
import pandas as pd
import pytest
import torch
from scipy import sparse
from sklearn.exceptions import NotFittedError
from sklearn.utils._param_validation import InvalidParameterError

from skdl import SequenceCNNClassifier, SequenceCNNRegressor
from skdl.datasets import make_sequence_classification

from conftest import fast, no_torch_frames, ragged, token_ids

ESTIMATORS = [SequenceCNNClassifier, SequenceCNNRegressor]

X_ids = token_ids(30, 10)
rng = np.random.RandomState(1)
y_cls = (X_ids == 2).any(1).astype(int)
y_reg = (X_ids == 3).sum(1).astype(float)
X_float = rng.normal(size=(30, 10, 2))


def target(cls):
    return y_cls if cls is SequenceCNNClassifier else y_reg


def assert_clean(excinfo, name):
    """The message names the estimator and no torch trace comes with it."""
    assert name in str(excinfo.value)
    assert no_torch_frames(excinfo), excinfo.traceback
    exc = excinfo.value
    assert exc.__cause__ is None
    assert exc.__context__ is None or exc.__suppress_context__


@pytest.fixture(scope="module")
def fitted_ids():
    return fast(SequenceCNNClassifier).fit(X_ids, y_cls)


@pytest.fixture(scope="module")
def fitted_floats():
    return fast(SequenceCNNClassifier).fit(X_float, y_cls)


# --------------------------------------------------------------- raw strings
def _strings():
    X, _ = make_sequence_classification(30, max_length=20, random_state=0)
    return X


@pytest.mark.parametrize("cls", ESTIMATORS)
@pytest.mark.parametrize(
    "make",
    [
        pytest.param(_strings, id="object-array"),
        pytest.param(lambda: pd.Series(_strings()), id="series"),
        pytest.param(lambda: _strings().reshape(-1, 1), id="column"),
        pytest.param(lambda: [list(s) for s in _strings()], id="lists-of-letters"),
        pytest.param(lambda: list(_strings()), id="list-of-str"),
        pytest.param(lambda: _strings().astype(str), id="unicode-array"),
    ],
)
def test_raw_strings_suggest_the_tokenizer(cls, make):
    X = make()
    with pytest.raises(ValueError, match="holds strings.*SequenceTokenizer") as exc:
        fast(cls).fit(X, target(cls))
    assert_clean(exc, cls.__name__)


def test_raw_strings_at_predict_suggest_the_tokenizer(fitted_ids):
    with pytest.raises(ValueError, match="SequenceTokenizer") as exc:
        fitted_ids.predict(np.array(["ACGT", "GGA"], dtype=object))
    assert_clean(exc, "SequenceCNNClassifier")


def test_a_bare_string():
    with pytest.raises(ValueError, match="holds strings.*SequenceTokenizer") as exc:
        fast(SequenceCNNClassifier).fit("ACGTACGT", [0])
    assert_clean(exc, "SequenceCNNClassifier")


# ----------------------------------------------------------------- token ids
@pytest.mark.parametrize("as_ragged", [False, True], ids=["2d", "ragged"])
def test_negative_ids(as_ragged):
    X = X_ids.copy()
    X[4, 0] = -3
    X = ragged(X) if as_ragged else X
    with pytest.raises(ValueError, match="token ids must be >= 0.*holds -3") as exc:
        fast(SequenceCNNClassifier).fit(X, y_cls)
    assert_clean(exc, "SequenceCNNClassifier")


@pytest.mark.parametrize("as_ragged", [False, True], ids=["2d", "ragged"])
def test_ids_beyond_the_vocabulary_at_predict(fitted_ids, as_ragged):
    assert fitted_ids.vocab_size_ == 8
    X = X_ids.copy()
    X[0, 0] = 8
    X = ragged(X) if as_ragged else X
    with pytest.raises(
        ValueError, match=r"holds token id 8, but the network was fitted on ids 0\.\.7"
    ) as exc:
        fitted_ids.predict(X)
    assert_clean(exc, "SequenceCNNClassifier")


def test_tokens_at_fit_floats_at_predict(fitted_ids):
    with pytest.raises(
        ValueError, match=r"fitted on token ids \(integers\), but X holds values"
    ) as exc:
        fitted_ids.predict(X_ids.astype(float))
    assert_clean(exc, "SequenceCNNClassifier")


def test_floats_at_fit_tokens_at_predict():
    est = fast(SequenceCNNRegressor).fit(X_float[:, :, 0], y_reg)
    with pytest.raises(
        ValueError, match=r"fitted on values, but X holds token ids \(integers\)"
    ) as exc:
        est.predict(X_ids)
    assert_clean(exc, "SequenceCNNRegressor")


def test_3d_floats_at_fit_tokens_at_predict(fitted_floats):
    with pytest.raises(ValueError, match="X holds token ids") as exc:
        fitted_floats.predict(ragged(X_ids))
    assert_clean(exc, "SequenceCNNClassifier")


@pytest.mark.parametrize("channels", [1, 3])
def test_wrong_channel_count_at_predict(fitted_floats, channels):
    X = rng.normal(size=(5, 10, channels))
    if channels == 1:
        X = X[:, :, 0]  # a 2-D float array is one channel
    with pytest.raises(
        ValueError,
        match=f"X has {channels} channels, but SequenceCNNClassifier was fitted with 2",
    ) as exc:
        fitted_floats.predict(X)
    assert_clean(exc, "SequenceCNNClassifier")


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_different_2d_width_at_predict(cls):
    est = fast(cls).fit(X_ids, target(cls))
    with pytest.raises(
        ValueError, match=f"X has 7 features, but {cls.__name__} is expecting 10"
    ) as exc:
        est.predict(X_ids[:, :7])
    assert_clean(exc, cls.__name__)
    # The sequences themselves may have any length as a ragged list.
    assert est.predict(ragged(X_ids[:, :7])).shape == (30,)


def test_following_the_width_advice_with_one_sequence(fitted_ids):
    longer = np.array([2, 3, 4, 5, 6, 7, 2, 3, 4, 5, 6, 7, 2, 3])
    assert fitted_ids.predict([longer]).shape == (1,)


def test_longer_sequence_with_flatten_fitted_on_ragged_input():
    est = fast(SequenceCNNClassifier, global_pooling="flatten")
    est.fit(ragged(X_ids), y_cls)
    assert est.max_len_ == 10
    longest = np.array([2, 3, 4, 5, 6, 7, 2, 3, 4, 5, 6])
    with pytest.raises(
        ValueError,
        match=r"flattens sequences of length 10 .* holds one of length 11.*"
        r"max_len=10",
    ) as exc:
        est.predict([longest, longest[:3]])
    assert_clean(exc, "SequenceCNNClassifier")
    assert est.predict([longest[:10], longest[:3]]).shape == (2,)


# ---------------------------------------------------------------- float data
@pytest.mark.parametrize("bad", [np.nan, np.inf])
@pytest.mark.parametrize("ndim", [2, 3])
def test_non_finite_float_input(bad, ndim):
    X = X_float.copy() if ndim == 3 else X_float[:, :, 0].copy()
    X[3, 2, ...] = bad
    with pytest.raises(ValueError, match="Input (X )?contains (NaN|inf)") as exc:
        fast(SequenceCNNRegressor).fit(X, y_reg)
    assert_clean(exc, "SequenceCNNRegressor")


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_non_finite_value_in_a_ragged_sequence(bad):
    X = [x[: 3 + i % 5] for i, x in enumerate(X_float)]
    X[7] = X[7].copy()
    X[7][1, 0] = bad
    with pytest.raises(
        ValueError, match="sequence 7 contains NaN or infinity.*own length"
    ) as exc:
        fast(SequenceCNNClassifier).fit(X, y_cls)
    assert_clean(exc, "SequenceCNNClassifier")


def test_non_finite_float_input_at_predict(fitted_floats):
    X = X_float.copy()
    X[0, 0, 0] = np.nan
    with pytest.raises(ValueError, match="contains NaN") as exc:
        fitted_floats.predict(X)
    assert_clean(exc, "SequenceCNNClassifier")


def test_values_beyond_float32():
    X = X_float.copy()
    X[0, 0, 0] = 1e300
    with pytest.raises(ValueError, match="computes in float32.*Scale") as exc:
        fast(SequenceCNNRegressor).fit(X, y_reg)
    assert_clean(exc, "SequenceCNNRegressor")


def test_ragged_sequences_with_different_channel_counts():
    X = [rng.normal(size=(5, 2)), rng.normal(size=(4, 3)), rng.normal(size=(6, 2))]
    with pytest.raises(
        ValueError, match=r"same number of channels; got \[2, 3\]"
    ) as exc:
        fast(SequenceCNNClassifier).fit(X, [0, 1, 0])
    assert_clean(exc, "SequenceCNNClassifier")


def test_ragged_sequence_with_too_many_dimensions():
    X = [rng.normal(size=(5, 2)), rng.normal(size=(4, 2, 2))]
    with pytest.raises(ValueError, match=r"sequence 1 has shape \(4, 2, 2\)") as exc:
        fast(SequenceCNNClassifier).fit(X, [0, 1])
    assert_clean(exc, "SequenceCNNClassifier")


# -------------------------------------------------------------- shape of X, y
@pytest.mark.parametrize("cls", ESTIMATORS)
def test_empty_X(cls):
    with pytest.raises(ValueError, match="0 sample") as exc:
        fast(cls).fit(np.empty((0, 5), dtype=int), np.empty(0))
    assert_clean(exc, cls.__name__)


def test_empty_list():
    with pytest.raises(ValueError, match="0 sequences|0 sample"):
        fast(SequenceCNNClassifier).fit([], [])


@pytest.mark.parametrize("as_ragged", [False, True], ids=["2d", "ragged"])
def test_X_y_length_mismatch(as_ragged):
    X = ragged(X_ids) if as_ragged else X_ids
    with pytest.raises(ValueError, match="X holds 30 sequences but y has 29") as exc:
        fast(SequenceCNNClassifier).fit(X, y_cls[:29])
    assert_clean(exc, "SequenceCNNClassifier")


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_y_none(cls):
    with pytest.raises(ValueError, match="requires y to be passed") as exc:
        fast(cls).fit(X_ids, None)
    assert_clean(exc, cls.__name__)


def test_4d_X():
    with pytest.raises(
        ValueError, match=r"\(n, length\) or \(n, length, channels\).*4 dimensions"
    ) as exc:
        fast(SequenceCNNClassifier).fit(np.zeros((30, 4, 3, 2)), y_cls)
    assert_clean(exc, "SequenceCNNClassifier")


def test_sparse_X():
    with pytest.raises(TypeError, match="dense data is required") as exc:
        fast(SequenceCNNClassifier).fit(sparse.csr_matrix(X_ids), y_cls)
    assert_clean(exc, "SequenceCNNClassifier")


def test_one_class_in_y():
    with pytest.raises(ValueError, match="at least 2 classes.*only one class: 1"):
        fast(SequenceCNNClassifier).fit(X_ids, np.ones(30, dtype=int))


def test_predict_before_fit():
    with pytest.raises(NotFittedError, match="SequenceCNNClassifier"):
        SequenceCNNClassifier().predict(X_ids)


# ------------------------------------------------------- architecture values
@pytest.mark.parametrize(
    "params,match",
    [
        (
            dict(dense_activation=("relu", "tanh")),
            r"dense_activation=\('relu', 'tanh'\) has 2 entries, but "
            "hidden_layer_sizes has 1 layers",
        ),
        (
            dict(kernel_sizes=(3, 3)),
            r"kernel_sizes=\(3, 3\) has 2 entries, but conv_filters has 1",
        ),
        (dict(strides=[1, 2]), r"strides=\[1, 2\] has 2 entries"),
        (dict(dilations=(1, 1, 1)), r"dilations=\(1, 1, 1\) has 3 entries"),
        (
            dict(conv_filters=(8, 8, 8), pool_sizes=(2, 2)),
            r"pool_sizes=\(2, 2\) has 2 entries, but conv_filters has 3 layers",
        ),
        (
            dict(conv_filters="auto", kernel_sizes=(3, 3)),
            r"kernel_sizes=\(3, 3\) has 2 entries, but conv_filters='auto' has 3",
        ),
        (dict(conv_filters=(8, 0)), r"conv_filters must be positive integers"),
        (dict(hidden_layer_sizes=(4, -1)), "hidden_layer_sizes must be positive"),
        (
            dict(residual=True, padding="valid"),
            "residual conv blocks need padding='same'",
        ),
    ],
)
@pytest.mark.parametrize("cls", ESTIMATORS)
def test_inconsistent_architecture(cls, params, match):
    if "hidden_layer_sizes" in params:
        params = {**params, "dense_activation": "relu"}
    with pytest.raises(ValueError, match=match) as exc:
        fast(cls, **params).fit(X_ids, target(cls))
    assert_clean(exc, cls.__name__)


def test_pretrained_embeddings_with_fewer_rows_than_the_ids():
    est = fast(
        SequenceCNNClassifier, pretrained_embeddings=np.ones((5, 3)), embedding_dim=None
    )
    with pytest.raises(
        ValueError,
        match=r"holds token id 7, but pretrained_embeddings has only 5 rows "
        r"\(ids 0\.\.4\)",
    ) as exc:
        est.fit(X_ids, y_cls)
    assert_clean(exc, "SequenceCNNClassifier")


def test_embedding_dim_conflicts_with_pretrained_width():
    est = fast(
        SequenceCNNClassifier, pretrained_embeddings=np.ones((8, 3)), embedding_dim=4
    )
    with pytest.raises(
        ValueError,
        match="embedding_dim=4 but pretrained_embeddings has 3 columns; set "
        "embedding_dim=None",
    ) as exc:
        est.fit(X_ids, y_cls)
    assert_clean(exc, "SequenceCNNClassifier")


def test_pretrained_embeddings_must_be_2d():
    est = fast(SequenceCNNClassifier, pretrained_embeddings=np.ones(8))
    with pytest.raises(ValueError, match=r"must be 2-D.*got shape \(8,\)") as exc:
        est.fit(X_ids, y_cls)
    assert_clean(exc, "SequenceCNNClassifier")


@pytest.mark.parametrize(
    "param,value",
    [
        ("global_pooling", "sum"),
        ("padding", "causal"),
        ("pooling", "min"),
        ("embedding_dim", 0),
        ("kernel_sizes", 0),
        ("strides", -1),
        ("pool_sizes", 0.5),
        ("activation", "swish"),
        ("dense_activation", 3),
        ("dropout", 1.0),
        ("spatial_dropout", -0.1),
        ("conv_filters", "abc"),
        ("linear_positions", "yes"),
        ("end_features", -1),
        ("normalize_input", "yes"),
        ("lr", "fast"),
        ("batch_norm", "yes"),
        ("l2", -1.0),
    ],
)
@pytest.mark.parametrize("cls", ESTIMATORS)
def test_bad_parameter_values(cls, param, value):
    with pytest.raises(
        InvalidParameterError, match=f"The '{param}' parameter of {cls.__name__}"
    ):
        cls(**{param: value}).fit(X_ids, target(cls))


def test_bad_regression_loss():
    with pytest.raises(
        InvalidParameterError, match="'loss' parameter of SequenceCNNRegressor"
    ):
        SequenceCNNRegressor(loss="hinge").fit(X_ids, y_reg)


def test_module_instance_instead_of_class():
    from skdl.networks import SequenceCNNModule

    est = SequenceCNNClassifier(module=SequenceCNNModule(n_outputs=2, vocab_size=8))
    with pytest.raises(
        ValueError, match="module must be a class.*module=SequenceCNNModule"
    ) as exc:
        est.fit(X_ids, y_cls)
    assert_clean(exc, "SequenceCNNClassifier")


def test_module_params_must_not_hold_data_sizes():
    from skdl.networks import SequenceCNNModule

    est = fast(
        SequenceCNNClassifier, module=SequenceCNNModule, module_params={"vocab_size": 3}
    )
    with pytest.raises(ValueError, match=r"must not contain \['vocab_size'\]"):
        with pytest.warns(UserWarning, match="only shape the default network"):
            est.fit(X_ids, y_cls)


def test_a_refused_predict_changes_nothing(fitted_ids):
    before = fitted_ids.predict_proba(X_ids)
    with pytest.raises(ValueError):
        fitted_ids.predict(X_ids[:, :5])
    np.testing.assert_array_equal(fitted_ids.predict_proba(X_ids), before)
    assert isinstance(fitted_ids.net_.module_, torch.nn.Module)
