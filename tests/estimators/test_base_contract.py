"""What every estimator inherits from the base, tried from a user's side.

Each section is a defect a review found in the base (issue "A base ready for
five more families"); each test failed before the fix and passes now.
"""

import copy
import warnings

import numpy as np
import pandas as pd
import pytest
import torch
from scipy import sparse
from sklearn.exceptions import NotFittedError
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.utils._param_validation import InvalidParameterError
from torch import nn

from skdl import (
    DenseClassifier,
    DenseRegressor,
    SequenceCNNClassifier,
    SequenceCNNRegressor,
)
from skdl.exceptions import DivergedError
from skdl.preprocessing import SequenceTokenizer

from conftest import fast, no_torch_frames, table, token_ids

X, y_cls, y_reg = table(60, 4)
y3 = (X[:, 0] > 0).astype(int) + (X[:, 1] > 0)  # three classes
X_ids = token_ids(60, 12)
y_ids = (X_ids == 2).any(1).astype(int)


# ------------------------------------------------------- transactional fit
def test_failed_refit_on_one_class_leaves_the_classifier_unfitted():
    est = fast(DenseClassifier).fit(X, y3)
    with pytest.raises(ValueError, match="at least 2 classes"):
        est.fit(X, np.ones(len(X), dtype=int))
    with pytest.raises(NotFittedError):  # was numpy's IndexError
        est.predict(X)
    assert not [k for k in vars(est) if k.endswith("_")]


def test_refused_pretrained_embeddings_leave_the_cnn_unfitted():
    est = fast(SequenceCNNClassifier).fit(X_ids, y_ids)
    est.set_params(pretrained_embeddings=np.ones((4, 3)), embedding_dim=None)
    with pytest.raises(ValueError, match="pretrained_embeddings has only 4 rows"):
        est.fit(X_ids, y_ids)
    with pytest.raises(NotFittedError):  # was torch's "index out of range"
        est.predict(X_ids)
    assert not hasattr(est, "vocab_size_")


def test_a_continued_fit_refused_before_training_changes_nothing():
    est = fast(DenseRegressor).fit(X, y_reg)
    before = est.predict(X)
    with pytest.raises(ValueError, match="X has 3 features"):
        est.partial_fit(X[:, :3], y_reg)
    np.testing.assert_array_equal(est.predict(X), before)
    assert est.n_iter_ == 3


def test_a_continued_fit_that_diverges_leaves_the_estimator_unfitted():
    est = fast(DenseRegressor, optimizer="sgd").fit(X, y_reg)
    est.set_params(lr=1e6, warm_start=True)
    with pytest.raises(DivergedError) as err:
        est.fit(X, y_reg * 1e3)
    assert err.value.epoch >= 1 and not np.isfinite(err.value.loss)
    with pytest.raises(NotFittedError):
        est.predict(X)


def test_divergence_is_a_typed_value_error_that_pickles():
    import pickle

    with pytest.raises(ValueError, match="training loss became") as err:
        fast(DenseRegressor, optimizer="sgd", lr=1e6).fit(X, y_reg * 1e3)
    assert isinstance(err.value, DivergedError)
    again = pickle.loads(pickle.dumps(err.value))  # joblib workers send it back
    assert (again.epoch, again.batch) == (err.value.epoch, err.value.batch)


# ------------------------------------------------------- activity penalty
def test_fitted_estimator_with_activity_penalty_deep_copies():
    est = fast(DenseClassifier, activity_l1=1e-3).fit(X, y_cls)
    twin = copy.deepcopy(est)  # raised: a non-leaf tensor on the module
    np.testing.assert_array_equal(twin.predict_proba(X), est.predict_proba(X))
    attributes = dict(vars(est.net_.module_))
    est.predict(X)
    assert all(vars(est.net_.module_)[k] is v for k, v in attributes.items())


def test_activity_penalty_reaches_the_training_loss():
    plain = fast(DenseRegressor, activation="identity").fit(X, y_reg)
    penalised = fast(DenseRegressor, activation="identity", activity_l2=10.0).fit(
        X, y_reg
    )
    assert penalised.history_[0]["train_loss"] > plain.history_[0]["train_loss"] + 1


# -------------------------------------------------- l1 / l2 on every weight
class LSTMHead(nn.Module):
    """A user's recurrent network: LSTM over token embeddings, last state."""

    def __init__(self, n_outputs, vocab_size, hidden=8):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, 8, padding_idx=0)
        self.lstm = nn.LSTM(8, hidden, batch_first=True)
        self.linear = nn.Linear(hidden, n_outputs)

    def forward(self, x, lengths=None):
        if lengths is None:
            lengths = (x != 0).sum(1)
        packed = nn.utils.rnn.pack_padded_sequence(
            self.embedding(x.long()),
            lengths.clamp_min(1).cpu(),
            batch_first=True,
            enforce_sorted=False,
        )
        _, (h, _) = self.lstm(packed)
        return self.linear(h[-1])


def _lstm_norm(l2):
    est = SequenceCNNClassifier(
        module=LSTMHead, l2=l2, max_epochs=5, lr=1e-2, random_state=0
    ).fit(X_ids, y_ids)
    lstm = est.net_.module_.lstm
    return float(lstm.weight_ih_l0.detach().norm() + lstm.weight_hh_l0.detach().norm())


def test_l2_reaches_recurrent_weights():
    # weight_penalty counted only Linear and Conv kernels: 0.0 on an LSTM.
    assert _lstm_norm(l2=0.05) < 0.8 * _lstm_norm(l2=0.0)


# ---------------------------------------------------- one activation, any depth
def test_a_single_dense_layer_with_the_default_activation():
    est = fast(SequenceCNNClassifier, hidden_layer_sizes=(32,)).fit(X_ids, y_ids)
    assert est.predict(X_ids).shape == (60,)


def test_grid_over_depth_scores_every_depth():
    grid = GridSearchCV(
        SequenceCNNClassifier(
            conv_filters=(8,), kernel_sizes=3, pool_sizes=1, max_epochs=2
        ),
        {"hidden_layer_sizes": [(16,), (16, 8), (16, 8, 4)]},
        cv=2,
        error_score="raise",
    ).fit(X_ids, y_ids)
    assert np.isfinite(grid.cv_results_["mean_test_score"]).all()


def test_per_layer_activations_still_work():
    est = fast(
        SequenceCNNClassifier,
        hidden_layer_sizes=(8, 4),
        dense_activation=("relu", "tanh"),
    ).fit(X_ids, y_ids)
    kinds = [type(b.body[-1]) for b in est.net_.module_.head.hidden]
    assert kinds == [nn.ReLU, nn.Tanh]


# -------------------------------------------------------------- messages
@pytest.mark.parametrize("cls", [DenseRegressor, SequenceCNNRegressor])
@pytest.mark.parametrize("as_object", [True, False])
def test_regressor_given_string_targets(cls, as_object):
    Xc = X_ids if cls is SequenceCNNRegressor else X
    y = np.array(["low", "high"] * 30, dtype=object if as_object else str)
    with pytest.raises(ValueError, match=f"{cls.__name__} is a regressor") as err:
        fast(cls).fit(Xc, y)
    assert "numeric y" in str(err.value) and "Classifier" in str(err.value)


def test_regressor_takes_numeric_strings_as_numbers():
    est = fast(DenseRegressor).fit(X, y_reg.astype(str))
    assert est.predict(X).dtype == np.float64


@pytest.mark.parametrize("device", ["gpu", "mps", "cuda:7", "tpu"])
def test_unknown_or_missing_devices(device):
    if device.startswith("cuda") and torch.cuda.device_count() > 7:
        pytest.skip("this machine has that GPU")
    with pytest.raises(ValueError, match=f"DenseClassifier: device='{device}'") as err:
        fast(DenseClassifier, device=device).fit(X, y_cls)
    assert "device='cpu'" in str(err.value) and no_torch_frames(err)


def test_optimizer_params_typo_suggests_the_name():
    with pytest.raises(ValueError, match="'momentun'.*Did you mean 'momentum'") as err:
        fast(DenseClassifier, optimizer="sgd", optimizer_params={"momentun": 0.9}).fit(
            X, y_cls
        )
    assert "DenseClassifier" in str(err.value) and no_torch_frames(err)


def test_optimizer_params_lr_points_to_lr():
    with pytest.raises(ValueError, match="Set the learning rate with lr="):
        fast(DenseClassifier, optimizer_params={"lr": 0.1}).fit(X, y_cls)


@pytest.mark.parametrize(
    "cls,Xc", [(DenseClassifier, X), (SequenceCNNClassifier, X_ids)]
)
def test_batch_size_one_with_batch_norm(cls, Xc):
    y = y_cls if cls is DenseClassifier else y_ids
    with pytest.raises(ValueError, match="batches of at least 2.*batch_size=1") as err:
        fast(cls, batch_norm=True, batch_size=1).fit(Xc, y)
    assert no_torch_frames(err)


@pytest.mark.parametrize(
    "key,target",
    [("module__width", "module_params"), ("optimizer__momentum", "optimizer_params")],
)
def test_skorch_style_nested_parameters(key, target):
    with pytest.raises(ValueError, match=f"{key}.*Set {target}="):
        DenseClassifier().set_params(**{key: 3})


def test_other_skorch_prefixes_get_sklearns_invalid_parameter_error():
    with pytest.raises(ValueError, match="Invalid parameter 'criterion'"):
        DenseClassifier().set_params(criterion__weight=None)


def test_zero_epochs_are_refused():
    with pytest.raises(InvalidParameterError, match="'max_epochs' parameter"):
        fast(SequenceCNNClassifier, max_epochs=0).fit(X_ids, y_ids)


# --------------------------------------------- pandas output of the tokenizer
def test_tokenizer_pandas_output_gives_no_torch_warning():
    seqs = ["ACGTAC", "GGT", "TTAGC", "CA"] * 10
    tok = SequenceTokenizer(alphabet="dna").set_output(transform="pandas")
    ids = tok.fit_transform(seqs)
    assert isinstance(ids, pd.DataFrame)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # torch's "not writable" UserWarning
        est = fast(SequenceCNNClassifier).fit(ids, [0, 1] * 20)
        est.predict(ids)


# ------------------------------------------------------------- sparse input
def _texts():
    rng = np.random.RandomState(0)
    words = np.array(["good", "bad", "film", "plot", "actor", "great", "awful"])
    docs = [" ".join(rng.choice(words, 6)) for _ in range(80)]
    labels = np.array([("good" in d) or ("great" in d) for d in docs]).astype(int)
    return docs, labels


def test_count_vectorizer_pipeline_as_for_mlp():
    docs, labels = _texts()
    pipe = make_pipeline(
        CountVectorizer(), fast(DenseClassifier, max_epochs=30, lr=1e-2)
    ).fit(docs, labels)
    assert pipe.score(docs, labels) > 0.9


@pytest.mark.parametrize("fmt", ["csr", "csc", "coo", "lil"])
def test_sparse_predictions_equal_dense_ones(fmt):
    sp = sparse.random(50, 30, density=0.1, random_state=0, format=fmt)
    y = np.asarray(sp.sum(1)).ravel() > 0.5
    a = fast(DenseClassifier).fit(sp, y)
    b = fast(DenseClassifier).fit(sp.toarray(), y)
    np.testing.assert_allclose(a.predict_proba(sp), b.predict_proba(sp.toarray()))


def test_wide_sparse_input_is_never_densified_whole():
    # 40 rows x 1,000,000 columns: densified whole this would be 160 MB (the
    # first layer's 2 million weights, not the data, are most of the fit).
    sp = sparse.random(40, 1_000_000, density=1e-5, random_state=0, format="csr")
    y = np.arange(40) % 2
    est = fast(DenseClassifier, hidden_layer_sizes=(2,), max_epochs=1, batch_size=8)
    est.fit(sp, y)
    assert est.predict(sp).shape == (40,)
    X_valid, _ = est._validate_input(sp, reset=False)
    assert sparse.issparse(est._dataset(X_valid).X.matrix)


# ----------------------------------------------------- float ids and side data
def test_float_token_ids_get_a_warning():
    with pytest.warns(UserWarning, match="like token ids.*X.astype\\(int\\)"):
        fast(SequenceCNNClassifier).fit(X_ids.astype(float), y_ids)


def test_real_float_series_get_no_warning():
    series = np.random.RandomState(0).normal(size=(60, 12))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fast(SequenceCNNClassifier).fit(series, y_ids)


def test_side_features_from_a_column_transformer():
    from sklearn.compose import ColumnTransformer
    from sklearn.preprocessing import StandardScaler

    rng = np.random.RandomState(0)
    frame = pd.DataFrame(
        {
            "sequence": ["".join(rng.choice(list("ACGT"), 12)) for _ in range(120)],
            "temperature": rng.normal(37, 5, size=120),
        }
    )
    y = (frame["temperature"] > 37).astype(int)  # only the side feature decides
    features = ColumnTransformer(
        [
            ("tokens", SequenceTokenizer(alphabet="dna"), "sequence"),
            ("numeric", StandardScaler(), ["temperature"]),
        ]
    )
    pipe = make_pipeline(
        features,
        fast(SequenceCNNClassifier, side_features=1, max_epochs=30, lr=1e-2),
    ).fit(frame, y)
    assert pipe.score(frame, y) > 0.9
    without = make_pipeline(
        SequenceTokenizer(alphabet="dna"),
        fast(SequenceCNNClassifier, max_epochs=30, lr=1e-2),
    ).fit(frame["sequence"], y)
    assert without.score(frame["sequence"], y) < pipe.score(frame, y)


@pytest.mark.parametrize(
    "X_bad,match",
    [
        (X_ids[:, :2], "needs a 2-D X with more than 2 columns"),
        (list(X_ids), "needs X as one 2-D array"),  # ragged sequences
    ],
)
def test_side_features_need_a_wide_enough_2d_x(X_bad, match):
    with pytest.raises(ValueError, match=f"SequenceCNNClassifier: .*{match}"):
        fast(SequenceCNNClassifier, side_features=2).fit(X_bad, y_ids)


def test_side_features_need_id_columns_first():
    mixed = np.hstack([np.random.RandomState(0).normal(size=(60, 3)), X_ids])
    with pytest.raises(ValueError, match="must be token ids.*Put the side feature"):
        fast(SequenceCNNClassifier, side_features=2).fit(mixed, y_ids)


# -------------------------------------------------------------- pinned ids
def test_a_letter_has_one_id_whatever_the_data():
    with_a = SequenceTokenizer(alphabet="protein").fit(["ADE"])
    without_a = SequenceTokenizer(alphabet="protein").fit(["DE"])
    assert with_a.vocabulary_["D"] == without_a.vocabulary_["D"] == 4


def test_pretrained_embeddings_stay_aligned_across_folds():
    # One row per protein id (27), the same rows whichever residues a fold has.
    from sklearn.model_selection import cross_validate

    rng = np.random.RandomState(0)
    seqs = ["".join(rng.choice(list("ACDEFGHIK"), 10)) for _ in range(40)]
    labels = np.array(["K" in s for s in seqs]).astype(int)
    table27 = rng.normal(size=(27, 4))
    pipe = make_pipeline(
        SequenceTokenizer(alphabet="protein"),
        fast(
            SequenceCNNClassifier,
            pretrained_embeddings=table27,
            embedding_dim=None,
            freeze_embeddings=True,
        ),
    )
    result = cross_validate(pipe, seqs, labels, cv=2, return_estimator=True)
    for fitted in result["estimator"]:
        weights = fitted[-1].net_.module_.embed.embedding.weight.detach().numpy()
        np.testing.assert_allclose(weights, table27, rtol=1e-6)


def test_vocabulary_parameter_pins_the_ids():
    tok = SequenceTokenizer(alphabet="smiles", vocabulary=["C", "O", "Cl"])
    ids = tok.fit_transform(["CCO", "CCl", "N"])
    np.testing.assert_array_equal(ids, [[2, 2, 3], [2, 4, 0], [1, 0, 0]])
    assert tok.vocab_size_ == 5
    assert tok.inverse_transform(ids).tolist() == ["CCO", "CCl", "<unk>"]
    as_dict = SequenceTokenizer(alphabet="smiles", vocabulary={"C": 7, "O": 3})
    assert as_dict.fit_transform(["OC"]).tolist() == [[3, 7]]
    assert as_dict.vocab_size_ == 8


@pytest.mark.parametrize(
    "vocabulary", [{"C": 1}, {"C": 2, "O": 2}, ["C", "C"], [], {"": 2}]
)
def test_bad_vocabulary_is_refused(vocabulary):
    with pytest.raises(ValueError, match="SequenceTokenizer: vocabulary"):
        SequenceTokenizer(alphabet="smiles", vocabulary=vocabulary).fit(["CCO"])


# ------------------------------------------------------- random_state=None
def test_random_state_none_draws_from_numpy_as_documented():
    np.random.seed(0)
    state = np.random.get_state()[1].copy()
    fast(DenseClassifier, random_state=None).fit(X, y_cls)
    assert not np.array_equal(np.random.get_state()[1], state)  # it advanced
    assert "which advances it" in DenseClassifier.__doc__
    np.random.seed(0)
    fast(DenseClassifier, random_state=3).fit(X, y_cls)
    np.testing.assert_array_equal(np.random.get_state()[1], state)  # untouched


# ------------------------------------------------------ one source of truth
@pytest.mark.parametrize(
    "cls",
    [DenseClassifier, DenseRegressor, SequenceCNNClassifier, SequenceCNNRegressor],
)
def test_the_default_module_shares_the_estimator_defaults(cls):
    # Architecture parameters reach the module by name; a module default that
    # differed from the estimator's would make the module alone (benchmarks,
    # users) a different network.
    import inspect

    est = cls()
    module_defaults = inspect.signature(est._module_class).parameters
    resolved = getattr(est, "_resolved_in_fit", ())  # "auto" needs the fit data
    for name in est._architecture_names():
        if name in resolved:
            assert est.get_params()[name] == "auto", name
            continue
        assert module_defaults[name].default == est.get_params()[name], name


def test_a_user_module_that_cannot_take_the_data_sizes():
    class TableOnly(nn.Module):  # written for tables, used on token ids
        def __init__(self, n_features, n_outputs):
            super().__init__()
            self.linear = nn.Linear(n_features, n_outputs)

    with pytest.raises(TypeError, match="SequenceCNNClassifier: module=.*vocab_size"):
        SequenceCNNClassifier(module=TableOnly, max_epochs=1).fit(X_ids, y_ids)
