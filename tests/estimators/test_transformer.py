"""TransformerClassifier and TransformerRegressor from a user's side.

Raw strings through SequenceTokenizer, each input form, pooling and
positional encodings, truncation to max_len, bf16 and the default search
space, on tiny data. The sklearn and skdl checks run in tests/test_common.py.
"""

import numpy as np
import pytest
import torch
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline

from skdl import TransformerClassifier, TransformerRegressor
from skdl.datasets import make_sequence_classification
from skdl.preprocessing import SequenceTokenizer

from conftest import (
    Spy,
    assert_fitted_ignores_padding,
    fast,
    no_torch_frames,
    ragged,
    token_ids,
)


@pytest.fixture(scope="module")
def dna():
    X, y = make_sequence_classification(300, max_length=40, random_state=0)
    X_test, y_test = make_sequence_classification(200, max_length=40, random_state=1)
    return X, y, X_test, y_test


def test_pipeline_on_raw_strings_learns_the_planted_motif(dna):
    # The encoder alone (no linear branch): chance is 0.5. Attention trained
    # from scratch finds a local motif slowly: 0.75-0.76 held out over seeds
    # 0-2 (the CNN and the RNN reach over 0.9 here).
    X, y, X_test, y_test = dna
    pipe = make_pipeline(
        SequenceTokenizer(alphabet="dna"),
        TransformerClassifier(
            d_model=16,
            embedding_dim=16,
            dim_feedforward=32,
            linear_ngrams=0,
            length_feature=False,
            lr=3e-3,
            max_epochs=20,
            batch_size=32,
            random_state=0,
        ),
    ).fit(X, y)
    assert pipe.score(X_test, y_test) > 0.7
    np.testing.assert_allclose(pipe.predict_proba(X_test).sum(1), 1, rtol=1e-6)


def test_cross_val_score_on_the_pipeline(dna):
    X, y, _, _ = dna
    pipe = make_pipeline(
        SequenceTokenizer(alphabet="dna"), fast(TransformerClassifier, max_epochs=1)
    )
    scores = cross_val_score(pipe, X, y, cv=3)
    assert scores.shape == (3,) and np.isfinite(scores).all()


@pytest.mark.parametrize("pooling", ["cls", "mean", "max", "max_mean", "attention"])
@pytest.mark.parametrize("positions", ["sinusoidal", "learned"])
def test_poolings_fit_ragged_and_padded_alike(pooling, positions):
    X = token_ids(40, 10, seed=1)
    y = (X == 3).sum(1) > 1
    est = fast(
        TransformerClassifier, global_pooling=pooling, positional_encoding=positions
    )
    padded = est.fit(X, y).predict_proba(X)
    np.testing.assert_allclose(est.predict_proba(ragged(X)), padded, atol=1e-5)


@pytest.mark.parametrize("pooling", ["cls", "mean", "attention"])
@pytest.mark.parametrize("kernel", [None, 3], ids=["patches", "conv_stem"])
def test_patches_fit_ragged_and_padded_alike(pooling, kernel):
    # Lengths 3 to 10 with patches of 4: whole and partial patches.
    X = token_ids(40, 10, seed=2)
    y = (X == 3).sum(1) > 1
    est = fast(
        TransformerClassifier,
        patch_size=4,
        patch_kernel=kernel,
        global_pooling=pooling,
    )
    assert_fitted_ignores_padding(est.fit(X, y), X)


def test_patches_shorten_what_attention_sees():
    X = token_ids(20, 12, seed=4)
    X[:, :] = np.where(X > 0, X, 2)  # every row 12 tokens long
    y = np.arange(20) % 2
    est = fast(TransformerClassifier, patch_size=3).fit(X, y)
    seen = []
    layer = est.net_.module_.layers[0]
    hook = layer.register_forward_hook(lambda m, args, out: seen.append(out.shape))
    est.predict(X)
    hook.remove()
    assert seen[0][1] == 4  # 12 tokens in patches of 3
    # (The tiny network has no linear branches.) A token changed inside a
    # patch changes the prediction: the patches read every position.
    changed = X.copy()
    changed[:, 5] = np.where(X[:, 5] == 2, 3, 2)
    assert not np.allclose(est.predict_proba(changed), est.predict_proba(X))


def test_empty_strings_get_a_prediction():
    X = ["ACGT", "", "GGA", "", "TTTT", "A"] * 5
    y = [1, 0, 1, 0, 1, 0] * 5
    for pooling in ("cls", "mean", "attention"):
        for patch_size, kernel in [(1, None), (3, None), (3, 5)]:
            pipe = make_pipeline(
                SequenceTokenizer(alphabet="dna"),
                fast(
                    TransformerClassifier,
                    global_pooling=pooling,
                    patch_size=patch_size,
                    patch_kernel=kernel,
                ),
            ).fit(X, y)
            assert np.isfinite(pipe.predict_proba(["", "ACGT"])).all()
            assert np.isfinite(pipe.predict_proba(["", ""])).all()


def test_max_len_truncates_in_fit_and_predict():
    X = token_ids(40, 30, seed=3)
    y = np.arange(40) % 2
    est = fast(TransformerClassifier, max_len=8, positional_encoding="learned")
    est.fit(X, y)
    module = est.net_.module_
    assert module.max_positions == 8 and module.position_table.num_embeddings == 8
    # what lies past position 8 does not matter
    changed = X.copy()
    changed[:, 8:] = np.where(changed[:, 8:] > 0, 2, 0)
    np.testing.assert_allclose(est.predict_proba(changed), est.predict_proba(X))
    assert est.max_len_ == int((X != 0).sum(1).max())  # the data's, not the cut


def test_regressor_on_float_series_and_output_shape():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(60, 8, 3)).astype(np.float32)
    y = np.c_[X[:, :, 0].mean(1), X[:, -1, 1]]
    est = fast(TransformerRegressor).fit(X, y)
    assert est.predict(X).shape == (60, 2)
    assert isinstance(est.net_.module_.project, torch.nn.Linear)  # 3 -> d_model


def test_bad_parameters_get_sklearn_messages():
    X, y = token_ids(20, 6), np.arange(20) % 2
    with pytest.raises(ValueError, match="'positional_encoding' parameter"):
        TransformerClassifier(positional_encoding="rotary").fit(X, y)
    with pytest.raises(ValueError, match="'max_len' parameter"):
        TransformerClassifier(max_len=0).fit(X, y)
    with pytest.raises(ValueError, match="'attention_dropout' parameter"):
        TransformerClassifier(attention_dropout=1.0).fit(X, y)
    with pytest.raises(ValueError, match="TransformerClassifier: d_model=30 must be"):
        fast(TransformerClassifier, d_model=30, n_heads=4).fit(X, y)


def test_wrong_input_at_predict_is_refused_before_torch():
    X, y = token_ids(30, 8), np.arange(30) % 2
    est = fast(TransformerClassifier).fit(X, y)
    with pytest.raises(ValueError, match="fitted on token ids") as e:
        est.predict(np.random.rand(3, 8, 2).astype(np.float32))
    assert no_torch_frames(e)


def test_bf16_mixed_precision_trains():
    X, y = token_ids(40, 10), np.arange(40) % 2
    est = fast(
        TransformerClassifier, precision="bf16-mixed", callbacks=[("spy", Spy())]
    ).fit(X, y)
    assert torch.bfloat16 in dict(est.net_.callbacks_)["spy"].dtypes
    assert np.isfinite(est.predict_proba(X)).all()


def test_default_search_space_builds_valid_estimators():
    optuna = pytest.importorskip("optuna")
    X, y = token_ids(30, 8), np.arange(30) % 2
    study = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=0))
    space = TransformerClassifier().default_search_space()
    for _ in range(3):
        params = space(study.ask())
        fast(TransformerClassifier, max_epochs=1).set_params(**params).fit(X, y)


def test_gradient_clipping_is_on_by_default():
    X, y = token_ids(30, 8), np.arange(30) % 2
    est = fast(TransformerClassifier).fit(X, y)
    assert dict(est.net_.callbacks_)["clip_grad_norm"].gradient_clip_value == 1.0
