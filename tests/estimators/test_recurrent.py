"""RNNClassifier and RNNRegressor from a user's side.

Raw strings through SequenceTokenizer, each input form, the cells and
readouts, gradient clipping, bf16 and the default search space, on tiny data.
The sklearn and skdl checks (pickling in a fresh process, seeds, padding
invariance, ragged input, partial_fit, pandas, custom module) run in
tests/test_common.py.
"""

import numpy as np
import pytest
import torch
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline

from skdl import RNNClassifier, RNNRegressor
from skdl.datasets import make_sequence_classification
from skdl.preprocessing import SequenceTokenizer

from conftest import (
    TINY_RNN,
    Spy,
    assert_fitted_ignores_padding,
    fast,
    no_torch_frames,
    ragged,
    token_ids,
)

MOTIF_RNN = dict(hidden_size=16, lr=1e-2, max_epochs=8, batch_size=32, random_state=0)


@pytest.fixture(scope="module")
def dna():
    X, y = make_sequence_classification(300, max_length=40, random_state=0)
    X_test, y_test = make_sequence_classification(200, max_length=40, random_state=1)
    return X, y, X_test, y_test


@pytest.fixture(scope="module")
def fitted_dna(dna):
    X, y, _, _ = dna
    pipe = make_pipeline(
        SequenceTokenizer(alphabet="dna"),
        RNNClassifier(**MOTIF_RNN, linear_ngrams=0, length_feature=False),
    )
    return pipe.fit(X, y)


def test_pipeline_on_raw_strings_learns_the_planted_motif(fitted_dna, dna):
    # The recurrent network alone (no linear branch): chance is 0.5.
    _, _, X_test, y_test = dna
    assert fitted_dna.score(X_test, y_test) > 0.85
    proba = fitted_dna.predict_proba(X_test)
    np.testing.assert_allclose(proba.sum(1), 1, rtol=1e-6)
    assert set(fitted_dna.predict(X_test)) <= set(fitted_dna.classes_)


def test_cross_val_score_on_the_pipeline(dna):
    X, y, _, _ = dna
    pipe = make_pipeline(
        SequenceTokenizer(alphabet="dna"), fast(RNNClassifier, max_epochs=1)
    )
    scores = cross_val_score(pipe, X, y, cv=3)
    assert scores.shape == (3,) and np.isfinite(scores).all()


@pytest.mark.parametrize("cell", ["lstm", "gru", "rnn"])
@pytest.mark.parametrize("readout", ["last", "mean", "max", "max_mean", "attention"])
def test_cells_and_readouts_fit_ragged_and_padded_alike(cell, readout):
    X = token_ids(40, 10, seed=1)
    y = (X == 3).sum(1) > 1
    est = fast(RNNClassifier, cell=cell, readout=readout)
    padded = est.fit(X, y).predict_proba(X)
    np.testing.assert_allclose(est.predict_proba(ragged(X)), padded, atol=1e-5)
    assert (
        type(est.net_.module_.rnn).__name__
        == {"lstm": "LSTM", "gru": "GRU", "rnn": "RNN"}[cell]
    )


@pytest.mark.parametrize("kernel", [None, 3], ids=["patches", "conv_stem"])
@pytest.mark.parametrize("readout", ["last", "max", "attention"])
def test_stem_fits_ragged_and_padded_alike(kernel, readout):
    # Lengths 3 to 10 in windows of 4: whole and partial windows.
    X = token_ids(40, 10, seed=2)
    y = (X == 3).sum(1) > 1
    est = fast(RNNClassifier, patch_size=4, patch_kernel=kernel, readout=readout)
    assert_fitted_ignores_padding(est.fit(X, y), X)


def test_the_stem_shortens_the_recurrence():
    X = token_ids(20, 12, seed=4)
    X[:, :] = np.where(X > 0, X, 2)  # every row 12 tokens long
    y = np.arange(20) % 2
    est = fast(RNNClassifier, patch_size=3, patch_kernel=5).fit(X, y)
    steps = []
    hook = est.net_.module_.stem.register_forward_hook(
        lambda m, args, out: steps.append(out[0].shape[1])  # (h, lengths)
    )
    est.predict(X)
    hook.remove()
    assert steps == [4]  # 12 tokens in windows of 3
    # The default: the stem for DNA-sized alphabets, none for proteins.
    module = fast(RNNClassifier).fit(X, y).net_.module_
    assert (module.patch_size, module.patch_kernel) == (4, 9)
    protein = np.where(X > 0, X + 20, 0)  # ids up to 27
    module = fast(RNNClassifier).fit(protein, y).net_.module_
    assert module.stem is None and module.patch_size == 1
    # Long token sequences get the stem whatever the alphabet: the median
    # real length in fit decides, and the fitted spec records the values.
    rng = np.random.RandomState(0)
    long_ids = rng.randint(2, 27, size=(20, 140))
    long_ids[:8, 100:] = 0  # 8 of 20 rows shorter: the median is still 140
    est = fast(RNNClassifier).fit(long_ids, y)
    assert (est.net_.module_.patch_size, est.net_.module_.patch_kernel) == (4, 9)
    assert est._module_spec_["patch_kernel"] == 9
    assert est.get_params()["patch_kernel"] == "auto"
    short = fast(RNNClassifier).fit(long_ids[:, :100], y)
    assert short.net_.module_.stem is None
    explicit = fast(RNNClassifier, patch_size=1, patch_kernel=None)
    assert explicit.fit(long_ids, y).net_.module_.stem is None


def test_empty_strings_get_a_prediction():
    X = ["ACGT", "", "GGA", "", "TTTT", "A"] * 5
    y = [1, 0, 1, 0, 1, 0] * 5
    for readout in ("last", "attention", "max"):
        pipe = make_pipeline(
            SequenceTokenizer(alphabet="dna"), fast(RNNClassifier, readout=readout)
        ).fit(X, y)
        proba = pipe.predict_proba(["", "ACGT"])
        assert np.isfinite(proba).all()


def test_regressor_on_float_series_and_output_shape():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(60, 8, 2)).astype(np.float32)
    y = np.c_[X[:, :, 0].sum(1), X[:, -1, 1]]
    est = fast(RNNRegressor, max_epochs=3).fit(X, y)
    assert est.predict(X).shape == (60, 2)
    assert est.n_channels_ == 2 and est.max_len_ == 8
    assert est.fit(X, y[:, 0]).predict(X).shape == (60,)


def test_regressor_learns_a_running_sum_over_positions():
    # What a recurrent state does and global max-pooling cannot: a sum of
    # values over every position of series of several lengths.
    rng = np.random.RandomState(0)
    rows = [rng.normal(size=n).astype(np.float32) for n in rng.randint(3, 15, 300)]
    X = np.empty(300, dtype=object)
    X[:] = rows
    y = np.array([r.sum() for r in rows])
    est = RNNRegressor(
        hidden_size=16, linear_ngrams=0, readout="last", max_epochs=30, random_state=0
    ).fit(X[:200], y[:200])
    assert est.score(X[200:], y[200:]) > 0.9


class GradNorms(Spy):
    """Records the norm of every batch's gradient, right after clipping."""

    def initialize(self):
        super().initialize()
        self.norms = []
        return self

    def on_grad_computed(self, net, named_parameters, **kwargs):
        norms = [p.grad.norm() for _, p in named_parameters if p.grad is not None]
        self.norms.append(float(torch.stack(norms).norm()))


def test_clip_grad_norm_bounds_every_batch_gradient():
    X = token_ids(64, 10, seed=2)
    y = (X == 3).sum(1).astype(float) * 100.0  # large targets: large gradients
    rec = GradNorms()
    est = fast(
        RNNRegressor, clip_grad_norm=0.01, normalize_y=False, callbacks=[("rec", rec)]
    ).fit(X, y)
    norms = dict(est.net_.callbacks_)["rec"].norms
    # callbacks run in order: clipping (a default callback) before the user's
    assert len(norms) > 0 and max(norms) <= 0.01 * (1 + 1e-4)
    rec = GradNorms()
    est = fast(
        RNNRegressor, clip_grad_norm=None, normalize_y=False, callbacks=[("rec", rec)]
    ).fit(X, y)
    assert max(dict(est.net_.callbacks_)["rec"].norms) > 1.0
    assert "clip_grad_norm" not in dict(est.net_.callbacks_)


def test_bad_parameters_get_sklearn_messages():
    X, y = token_ids(20, 6), np.arange(20) % 2
    with pytest.raises(ValueError, match="'cell' parameter of RNNClassifier"):
        RNNClassifier(cell="transformer").fit(X, y)
    with pytest.raises(ValueError, match="'clip_grad_norm' parameter"):
        RNNClassifier(clip_grad_norm=0).fit(X, y)
    with pytest.raises(ValueError, match="'readout' parameter"):
        RNNClassifier(readout="first").fit(X, y)
    with pytest.raises(ValueError, match="'patch_size' parameter of RNNClassifier"):
        RNNClassifier(patch_size=0).fit(X, y)


def test_wrong_input_at_predict_is_refused_before_torch():
    X, y = token_ids(30, 8), np.arange(30) % 2
    est = fast(RNNClassifier).fit(X, y)
    with pytest.raises(ValueError, match="RNNClassifier was fitted on token ids") as e:
        est.predict(np.random.rand(3, 8, 2).astype(np.float32))
    assert no_torch_frames(e)
    with pytest.raises(ValueError, match="token id 40"):
        est.predict(np.full((2, 8), 40))


def test_bf16_mixed_precision_trains():
    X, y = token_ids(40, 10), np.arange(40) % 2
    spy = Spy()
    est = fast(RNNClassifier, precision="bf16-mixed", callbacks=[("spy", spy)])
    est.fit(X, y)
    assert torch.bfloat16 in dict(est.net_.callbacks_)["spy"].dtypes
    assert np.isfinite(est.predict_proba(X)).all()


def test_default_search_space_builds_valid_estimators():
    optuna = pytest.importorskip("optuna")
    X, y = token_ids(30, 8), np.arange(30) % 2
    study = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=0))
    space = RNNClassifier().default_search_space()
    for _ in range(3):
        params = space(study.ask())
        fast(RNNClassifier, max_epochs=1).set_params(**params).fit(X, y)


def test_wide_branches_on_by_auto_as_in_the_cnn(fitted_dna):
    est = make_pipeline(SequenceTokenizer(alphabet="dna"), fast(RNNClassifier))
    est[-1].set_params(linear_ngrams="auto", length_feature=True)
    X, y = make_sequence_classification(60, max_length=20, random_state=0)
    module = est.fit(X, y)[-1].net_.module_
    assert module.linear.ngrams == 3 and module.length_feature
    # and a float series of one length gets the position branch
    rng = np.random.RandomState(0)
    series = rng.normal(size=(40, 6, 1)).astype(np.float32)
    reg = fast(RNNRegressor, linear_positions="auto").fit(series, series[:, 2, 0])
    assert reg.net_.module_.positions is not None


def test_rnn_counts_the_ends_of_long_protein_like_sequences_by_default():
    # end_features="auto", the CNN's rule (benchmarks/README.md, step 29):
    # 25 positions at each end where the head reads n-gram counts and the
    # median sequence has at least 100 tokens.
    rng = np.random.RandomState(0)
    params = {**TINY_RNN, "ngram_features": "auto", "max_epochs": 1}
    proteins = rng.randint(1, 27, size=(20, 120))
    y = rng.randint(0, 2, 20)
    est = RNNClassifier(**params).fit(proteins, y)
    assert est.get_params()["end_features"] == "auto"
    assert est.net_.module_.ends.window == 25
    assert (
        RNNClassifier(**params).fit(proteins[:, :99].copy(), y).net_.module_.ends
        is None
    )
    reg = RNNRegressor(**params).fit(proteins, rng.normal(size=20))
    assert reg.net_.module_.ends.window == 25
