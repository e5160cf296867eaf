"""SequenceCNNClassifier and SequenceCNNRegressor from a user's side.

Raw strings through SequenceTokenizer, every input form, the architecture
options and the training features, on tiny data (a few epochs each). The
sklearn and skdl checks (pickling, seeds, padding invariance, ragged input,
partial_fit, pandas, custom module) run in tests/test_common.py.
"""

import numpy as np
import pytest
import torch
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import Pipeline

import skdl
from skdl import SequenceCNNClassifier, SequenceCNNRegressor
from skdl.datasets import make_sequence_classification
from skdl.networks import MaskedBatchNorm1d, SequenceCNNModule
from skdl.preprocessing import SequenceTokenizer

from conftest import Spy, fast, ragged, token_ids

# One convolution as wide as the planted motif, global max-pooling and a small
# head: 5 epochs reach 0.93-1.0 held-out accuracy over seeds (chance is 0.5).
MOTIF_CNN = dict(
    conv_filters=(16,),
    kernel_sizes=6,
    pool_sizes=1,
    hidden_layer_sizes=(8,),
    dense_activation="relu",
    linear_ngrams=0,  # the convolution alone must find the motif
    length_feature=False,
    dropout=0.0,
    lr=1e-2,
    max_epochs=5,
    batch_size=32,
    random_state=0,
)


def dna_pipeline(max_len=None, **kw):
    return Pipeline(
        [
            ("tok", SequenceTokenizer(alphabet="dna", max_len=max_len)),
            ("cnn", SequenceCNNClassifier(**{**MOTIF_CNN, **kw})),
        ]
    )


@pytest.fixture(scope="module")
def dna():
    X, y = make_sequence_classification(300, max_length=40, random_state=0)
    X_test, y_test = make_sequence_classification(200, max_length=40, random_state=1)
    return X, y, X_test, y_test


@pytest.fixture(scope="module")
def fitted_dna(dna):
    X, y, _, _ = dna
    return dna_pipeline().fit(X, y)


# Token ids 2..7 with padding after a random length of 3..12; the class is
# whether id 2 occurs.
X_ids = token_ids(60, 12)
y_ids = (X_ids == 2).any(1).astype(int)


# ----------------------------------------------------------- from raw strings
def test_pipeline_learns_the_planted_motif(fitted_dna, dna):
    X, y, X_test, y_test = dna
    assert fitted_dna.score(X_test, y_test) > 0.9
    # The motif itself decides: planting it in motif-free held-out sequences
    # turns most of them into class 1.
    negatives = X_test[y_test == 0]
    planted = [s[:10] + "TATAAT" + s[10:] for s in negatives]
    assert (fitted_dna.predict(negatives) == 0).mean() > 0.9
    assert (fitted_dna.predict(planted) == 1).mean() > 0.9


def test_predict_proba_rows_sum_to_one(fitted_dna, dna):
    X_test = dna[2]
    proba = fitted_dna.predict_proba(X_test)
    assert proba.shape == (len(X_test), 2) and proba.dtype == np.float64
    np.testing.assert_allclose(proba.sum(1), 1.0)
    assert ((proba >= 0) & (proba <= 1)).all()
    cnn = fitted_dna[-1]
    np.testing.assert_array_equal(
        fitted_dna.predict(X_test), cnn.classes_[proba.argmax(1)]
    )
    np.testing.assert_allclose(
        np.exp(fitted_dna.predict_log_proba(X_test)), proba, rtol=1e-6
    )


def test_pipeline_attributes_follow_the_tokenizer(fitted_dna, dna):
    tok, cnn = fitted_dna[0], fitted_dna[-1]
    longest = max(map(len, dna[0]))
    assert tok.max_len_ == longest
    assert cnn.n_features_in_ == longest
    assert cnn.max_len_ == longest
    # The tokenizer can output 7 ids (pad, unknown, A C G T N); the network
    # embeds the 6 it saw (no N in the data).
    assert tok.vocab_size_ == 7 and cnn.vocab_size_ == 6
    assert not hasattr(cnn, "n_channels_")
    assert cnn.n_iter_ == 5 and isinstance(cnn.net_.module_, SequenceCNNModule)


def test_cross_val_score_on_the_pipeline(dna):
    X, y, _, _ = dna
    scores = cross_val_score(dna_pipeline(max_epochs=10), X, y, cv=3)
    assert scores.shape == (3,) and scores.min() > 0.85


def test_grid_search_over_architecture_in_parallel(dna):
    X, y, _, _ = dna
    grid = {"cnn__kernel_sizes": [2, 6], "cnn__embedding_dim": [4, 8]}
    search = GridSearchCV(dna_pipeline(), grid, cv=2, n_jobs=2).fit(X[:200], y[:200])
    assert len(search.cv_results_["params"]) == 4
    # A kernel of 2 cannot see a 6-letter motif at once.
    assert search.best_params_["cnn__kernel_sizes"] == 6
    assert search.best_score_ > 0.85
    assert search.best_estimator_[-1].net_.module_.blocks[0].conv.kernel_size == (6,)


def test_parallel_kernel_widths_learn_the_motif_and_round_trip(dna, tmp_path):
    # One block of parallel widths 2 and 6 (16 filters each): the 6-wide
    # branch sees the planted motif at once. The nested kernel_sizes survives
    # clone, and skdl.save / skdl.load rebuild the same network.
    X, y, X_test, y_test = dna
    pipe = dna_pipeline(kernel_sizes=[[2, 6]]).fit(X, y)
    block = pipe[-1].net_.module_.blocks[0]
    assert [c.kernel_size[0] for c in block.conv.branches] == [2, 6]
    assert block.out_channels == 32
    assert pipe.score(X_test, y_test) > 0.85
    assert clone(pipe).get_params()["cnn__kernel_sizes"] == [[2, 6]]
    skdl.save(pipe, tmp_path / "m.skdl")
    loaded = skdl.load(tmp_path / "m.skdl")
    np.testing.assert_array_equal(
        loaded.predict_proba(X_test), pipe.predict_proba(X_test)
    )


@pytest.mark.parametrize(
    "params, match",
    [
        ({"kernel_sizes": [[3, 5]], "padding": "valid"}, "padding='same'"),
        ({"kernel_sizes": [[3, 0]]}, "positive int"),
        ({"kernel_sizes": [[]]}, "non-empty sequence"),
    ],
)
def test_bad_parallel_kernel_widths_name_the_estimator(params, match):
    X, y = make_sequence_classification(20, max_length=30, random_state=0)
    pipe = dna_pipeline(**params, max_epochs=1)
    with pytest.raises(ValueError, match=f"SequenceCNNClassifier: .*{match}"):
        pipe.fit(X, y)


def test_ragged_tokenizer_output_in_a_pipeline(dna):
    X, y, X_test, y_test = dna
    pipe = dna_pipeline(max_len="ragged").fit(X, y)
    assert pipe.score(X_test, y_test) > 0.9
    cnn = pipe[-1]
    assert cnn.max_len_ == max(map(len, X))
    assert not hasattr(cnn, "n_features_in_")
    assert cnn.vocab_size_ == 6
    # Sequences of any length, longer than any seen in fit too.
    long = ["ACGT" * 30 + "TATAAT" + "GCGC" * 30, "GGCC" * 40]
    assert pipe.predict(long).tolist() == [1, 0]


def test_empty_strings_get_a_prediction():
    X, y = make_sequence_classification(60, max_length=30, random_state=0)
    pipe = dna_pipeline(max_len="ragged", max_epochs=2).fit(X, y)
    proba = pipe.predict_proba(["", "ACGT", ""])
    assert np.isfinite(proba).all()
    np.testing.assert_allclose(proba[0], proba[2])
    np.testing.assert_allclose(pipe.predict_proba([""]), proba[:1], rtol=1e-6)


def test_empty_strings_with_residual_blocks():
    X, y = make_sequence_classification(60, max_length=30, random_state=0)
    pipe = dna_pipeline(
        max_len="ragged", max_epochs=2, conv_filters=(8, 8), residual=True
    ).fit(X, y)
    assert np.isfinite(pipe.predict_proba([""])).all()


def smiles(n, seed):
    """Random SMILES-like strings of fragments; the target says which halogen
    tokens occur (Cl: 1, Br: 2, both: 3)."""
    gen = np.random.RandomState(seed)
    frags = ["C", "CC", "O", "N", "C(=O)", "c1ccccc1", "Cl", "Br", "[NH3+]", "C(C)"]
    X = ["".join(gen.choice(frags, gen.randint(2, 9))) for _ in range(n)]
    y = np.array([1.0 * ("Cl" in s) + 2.0 * ("Br" in s) for s in X])
    return np.array(X, dtype=object), y


def test_smiles_tokens_with_the_regressor():
    X, y = smiles(300, 0)
    X_test, y_test = smiles(200, 1)
    pipe = Pipeline(
        [
            ("tok", SequenceTokenizer(alphabet="smiles", max_len="ragged")),
            (
                "cnn",
                SequenceCNNRegressor(
                    **{**MOTIF_CNN, "kernel_sizes": 3, "max_epochs": 15}
                ),
            ),
        ]
    ).fit(X, y)
    assert pipe.score(X_test, y_test) > 0.9
    assert {"Cl", "Br", "[NH3+]"} <= set(pipe[0].vocabulary_)
    assert pipe.predict(X_test).shape == (200,)


def test_string_labels_multiclass():
    X, y = make_sequence_classification(
        300, n_classes=3, motif=["TATAAT", "GGCGCC"], max_length=40, random_state=0
    )
    X_test, y_test = make_sequence_classification(
        150, n_classes=3, motif=["TATAAT", "GGCGCC"], max_length=40, random_state=1
    )
    names = np.array(["none", "tata", "gc"])
    pipe = dna_pipeline(max_epochs=8).fit(X, names[y])
    assert pipe[-1].classes_.tolist() == ["gc", "none", "tata"]
    predicted = pipe.predict(X_test)
    assert predicted.dtype == names.dtype
    assert (predicted == names[y_test]).mean() > 0.8
    assert pipe.predict_proba(X_test).shape == (150, 3)


def test_class_weight_balanced_moves_predictions_to_minority(dna):
    X, y, X_test, y_test = dna
    keep = np.r_[np.flatnonzero(y == 0), np.flatnonzero(y == 1)[:15]]  # 10:1
    plain = dna_pipeline(max_epochs=8).fit(X[keep], y[keep])
    balanced = dna_pipeline(max_epochs=8, class_weight="balanced")
    balanced.fit(X[keep], y[keep])
    minority = y_test == 1
    recall_plain = (plain.predict(X_test)[minority] == 1).mean()
    recall_balanced = (balanced.predict(X_test)[minority] == 1).mean()
    assert recall_balanced > recall_plain + 0.5


@pytest.mark.parametrize("as_ragged", [False, True], ids=["padded", "ragged"])
def test_early_stopping_sets_best_epoch(as_ragged):
    X, y = make_sequence_classification(200, max_length=30, random_state=0)
    pipe = dna_pipeline(
        max_len="ragged" if as_ragged else None,
        early_stopping=True,
        n_iter_no_change=2,
        max_epochs=20,
        lr=3e-2,
        lr_schedule="constant",  # a decaying rate keeps improving to the end
        conv_filters=(64,),  # wide enough to overfit 180 sequences early
        hidden_layer_sizes=(64,),
    ).fit(X, y)
    cnn = pipe[-1]
    valid = [row["valid_loss"] for row in cnn.history_]
    assert all(0 <= row["valid_acc"] <= 1 for row in cnn.history_)
    assert cnn.best_epoch_ == int(np.argmin(valid)) + 1
    # Stopped n_iter_no_change epochs after the best one, or ran out of epochs.
    assert cnn.n_iter_ == min(cnn.best_epoch_ + 2, 20)
    assert cnn.n_iter_ < 20  # measured: stops after epoch 7 (padded and ragged)


def test_regressor_output_shape_follows_y():
    y2 = np.column_stack([y_ids, X_ids.sum(1) / 50.0])
    est = fast(SequenceCNNRegressor).fit(X_ids, y2)
    assert est.n_outputs_ == 2 and est.predict(X_ids).shape == (60, 2)
    assert est.predict(ragged(X_ids)).shape == (60, 2)
    est = fast(SequenceCNNRegressor).fit(X_ids, y2[:, :1])
    assert est.predict(X_ids).shape == (60, 1)
    est = fast(SequenceCNNRegressor).fit(X_ids, y2[:, 0])
    assert est.predict(X_ids).shape == (60,)


# ---------------------------------------------------------------- embeddings
def test_pretrained_embeddings_initialise_the_embedding():
    weights = np.random.RandomState(1).normal(size=(10, 3))
    est = fast(
        SequenceCNNClassifier,
        pretrained_embeddings=weights,
        embedding_dim=None,  # the width comes from the array
        freeze_embeddings=True,  # so the fitted table is the initial one
        max_epochs=1,
    ).fit(X_ids, y_ids)
    embedding = est.net_.module_.embed.embedding
    np.testing.assert_allclose(embedding.weight.detach().numpy(), weights, rtol=1e-6)
    assert est.vocab_size_ == 10  # the rows, not the largest id in X (7) + 1
    assert est.net_.module_.blocks[0].conv.in_channels == 3
    # The array passed in is not changed by training.
    before = weights.copy()
    fast(SequenceCNNClassifier, pretrained_embeddings=weights, embedding_dim=3).fit(
        X_ids, y_ids
    )
    np.testing.assert_array_equal(weights, before)


@pytest.mark.parametrize("freeze", [True, False])
def test_freeze_embeddings(freeze):
    weights = np.random.RandomState(1).normal(size=(8, 4)).astype(np.float32)
    est = fast(
        SequenceCNNClassifier,
        pretrained_embeddings=weights,
        embedding_dim=None,
        freeze_embeddings=freeze,
        lr=1e-2,
        max_epochs=3,
    ).fit(X_ids, y_ids)
    trained = est.net_.module_.embed.embedding.weight.detach().numpy()
    assert est.net_.module_.embed.embedding.weight.requires_grad is not freeze
    used = np.unique(X_ids[X_ids > 0])
    if freeze:
        np.testing.assert_array_equal(trained, weights)
    else:
        assert not np.allclose(trained[used], weights[used])
    # The convolutions train either way.
    assert est.history_[-1]["train_loss"] < est.history_[0]["train_loss"]


def test_embedding_dim_none_is_one_hot():
    est = fast(SequenceCNNClassifier, embedding_dim=None).fit(X_ids, y_ids)
    module = est.net_.module_
    assert module.embed.embedding is None
    assert module.blocks[0].conv.in_channels == est.vocab_size_ - 1 == 7
    assert est.predict_proba(X_ids).shape == (60, 2)


def test_no_convolutions_pools_the_embeddings():
    est = fast(SequenceCNNClassifier, conv_filters=(), kernel_sizes=1, pool_sizes=1)
    est.fit(X_ids, y_ids)
    assert len(est.net_.module_.blocks) == 0
    assert est.predict(X_ids).shape == (60,)


# ------------------------------------------------------------- architecture
@pytest.mark.parametrize("global_pooling", ["max", "mean", "attention", "flatten"])
def test_global_pooling_options(global_pooling):
    est = fast(SequenceCNNClassifier, global_pooling=global_pooling, pool_sizes=2)
    est.fit(X_ids, y_ids)
    module = est.net_.module_
    assert module.global_pooling == global_pooling
    in_features = module.head.hidden[0].body[0].in_features
    real_max = int((X_ids != 0).sum(1).max())
    assert est.max_len_ == real_max == 12
    if global_pooling == "flatten":
        assert in_features == 8 * 6  # 8 filters x ceil(12 / 2) positions
    else:
        assert in_features == 8
    assert est.predict_proba(ragged(X_ids)).shape == (60, 2)


def test_flatten_on_ragged_input_accepts_shorter_and_equal_lengths():
    est = fast(SequenceCNNClassifier, global_pooling="flatten").fit(
        ragged(X_ids), y_ids
    )
    assert est.max_len_ == 12
    padded = est.predict_proba(X_ids)
    np.testing.assert_allclose(est.predict_proba(ragged(X_ids)), padded, rtol=1e-5)
    # Wider 2-D input is fine while its real length fits.
    wider = np.hstack([X_ids, np.zeros((60, 5), dtype=X_ids.dtype)])
    np.testing.assert_allclose(est.predict_proba(wider), padded, rtol=1e-5)


def test_valid_padding_with_sequences_shorter_than_the_kernel():
    # With kernel 5 and "valid" convolutions a sequence of 4 or fewer tokens
    # yields no features: all such sequences get one and the same output.
    X = [np.array([2, 3]), np.array([4]), np.array([5, 6, 7, 2]), *ragged(X_ids)]
    y = np.r_[0, 1, 0, y_ids]
    est = fast(SequenceCNNClassifier, padding="valid", kernel_sizes=5, pool_sizes=1)
    proba = est.fit(X, y).predict_proba(X)
    assert np.isfinite(proba).all()
    np.testing.assert_allclose(proba[1], proba[0])
    np.testing.assert_allclose(proba[2], proba[0])
    long_rows = proba[3:][(X_ids != 0).sum(1) >= 8]
    assert np.ptp(long_rows[:, 0]) > 1e-4  # longer sequences differ


def test_valid_padding_short_sequences_with_batch_norm():
    gen = np.random.RandomState(0)
    X = [gen.randint(2, 6, size=3) for _ in range(20)]
    X += [gen.randint(2, 6, size=12) for _ in range(20)]
    y = np.r_[np.zeros(20, int), np.ones(20, int)]
    est = fast(
        SequenceCNNClassifier,
        padding="valid",
        kernel_sizes=5,
        pool_sizes=1,
        batch_norm=True,
        batch_size=10,
    )
    try:
        est.fit(X, y)
    except ValueError as exc:  # refusing is fine, if the message says who
        assert "SequenceCNNClassifier" in str(exc)
    else:
        assert np.isfinite(est.predict_proba(X)).all()


def test_avg_pooling():
    est = fast(SequenceCNNClassifier, pooling="avg", conv_filters=(8, 8)).fit(
        X_ids, y_ids
    )
    assert [b.pooling for b in est.net_.module_.blocks] == ["avg", "avg"]
    assert [b.pool_size for b in est.net_.module_.blocks] == [2, 2]
    assert np.isfinite(est.predict_proba(X_ids)).all()


def test_per_layer_kernels_dilations_and_strides():
    est = fast(
        SequenceCNNRegressor,
        conv_filters=(6, 4),
        kernel_sizes=(5, 3),
        dilations=(1, 2),
        strides=[2, 1],
        pool_sizes=(1, 2),
    ).fit(X_ids, y_ids.astype(float))
    convs = [b.conv for b in est.net_.module_.blocks]
    assert [c.out_channels for c in convs] == [6, 4]
    assert [c.kernel_size for c in convs] == [(5,), (3,)]
    assert [c.dilation for c in convs] == [(1,), (2,)]
    assert [c.stride for c in convs] == [(2,), (1,)]
    assert est.predict(X_ids).shape == (60,)


def test_residual_blocks():
    est = fast(
        SequenceCNNClassifier, conv_filters=(8, 8), strides=(1, 2), residual=True
    ).fit(X_ids, y_ids)
    first, second = est.net_.module_.blocks
    assert isinstance(first.shortcut, torch.nn.Conv1d)  # 16 -> 8 channels
    assert isinstance(second.shortcut, torch.nn.Conv1d)  # stride 2
    assert second.shortcut.stride == (2,)
    assert np.isfinite(est.predict_proba(ragged(X_ids))).all()


def test_batch_norm_trains_running_statistics():
    est = fast(SequenceCNNClassifier, batch_norm=True, batch_size=16).fit(X_ids, y_ids)
    bn = est.net_.module_.blocks[0].bn
    assert isinstance(bn, MaskedBatchNorm1d)
    # 60 rows in batches of 16 -> 4 batches per epoch, 2 epochs.
    assert int(bn.num_batches_tracked) == 8
    assert not torch.allclose(bn.running_mean, torch.zeros_like(bn.running_mean))
    head_types = {type(m) for m in est.net_.module_.head.modules()}
    assert torch.nn.BatchNorm1d in head_types
    # Prediction runs in eval mode: independent of the batch it is in.
    proba = est.predict_proba(X_ids)
    np.testing.assert_allclose(est.predict_proba(X_ids[:1]), proba[:1], rtol=1e-5)


def test_bf16_mixed_precision_with_batch_norm():
    est = fast(
        SequenceCNNClassifier,
        batch_norm=True,
        precision="bf16-mixed",
        callbacks=[("spy", Spy())],
    )
    assert np.isfinite(est.fit(X_ids, y_ids).predict_proba(X_ids)).all()
    assert dict(est.net_.callbacks_)["spy"].dtypes == {torch.bfloat16}


def test_bf16_mixed_precision_trains():
    est = fast(
        SequenceCNNClassifier, precision="bf16-mixed", callbacks=[("spy", Spy())]
    ).fit(ragged(X_ids), y_ids)
    # Convolutions and dense layers computed in bfloat16: autocast ran.
    assert dict(est.net_.callbacks_)["spy"].dtypes == {torch.bfloat16}
    proba = est.predict_proba(X_ids)
    assert proba.dtype == np.float64 and np.isfinite(proba).all()


# --------------------------------------------------------------- float input
def spikes(n, seed):
    """Two-channel series of length 30; class 1 has a bump of +3 over three
    steps of channel 0 at a random place."""
    gen = np.random.RandomState(seed)
    X = gen.normal(size=(n, 30, 2)).astype(np.float32)
    y = gen.randint(0, 2, n)
    start = gen.randint(0, 27, n)
    for i in np.flatnonzero(y):
        X[i, start[i] : start[i] + 3, 0] += 3.0
    return X, y


def test_3d_float_input_time_series():
    X, y = spikes(300, 0)
    X_test, y_test = spikes(200, 1)
    est = fast(SequenceCNNClassifier, max_epochs=8, lr=1e-2, batch_size=32)
    est.fit(X, y)
    assert est.score(X_test, y_test) > 0.9
    assert est.n_channels_ == 2 and est.max_len_ == 30
    assert not hasattr(est, "vocab_size_") and not hasattr(est, "n_features_in_")
    assert est.net_.module_.embed.embedding is None
    assert est.net_.module_.blocks[0].conv.in_channels == 2
    # Series of another length are accepted.
    assert est.predict(X_test[:, :20]).shape == (200,)


def test_2d_float_input_is_a_univariate_series():
    gen = np.random.RandomState(0)
    X, X_test = gen.normal(size=(300, 30)), gen.normal(size=(200, 30))
    est = fast(SequenceCNNRegressor, max_epochs=10, lr=1e-2, batch_size=32)
    est.fit(X, X.max(1))
    assert est.score(X_test, X_test.max(1)) > 0.5
    assert est.n_channels_ == 1 and est.n_features_in_ == 30 and est.max_len_ == 30
    # The same values as a (n, length, 1) array give the same predictions.
    np.testing.assert_allclose(
        est.predict(X_test[:, :, None]), est.predict(X_test), rtol=1e-6
    )


# ---------------------------------------------------------------- attributes
def _input_forms():
    gen = np.random.RandomState(0)
    floats = gen.normal(size=(60, 12, 3))
    lengths = (X_ids != 0).sum(1)
    return {
        "2d-ids": (X_ids, dict(vocab_size_=8, max_len_=12, n_features_in_=12)),
        "ragged-ids": (ragged(X_ids), dict(vocab_size_=8, max_len_=12)),
        "2d-floats": (floats[:, :, 0], dict(n_channels_=1, max_len_=12)),
        "3d-floats": (floats, dict(n_channels_=3, max_len_=12)),
        "ragged-floats": (
            [f[:n] for f, n in zip(floats, lengths, strict=True)],
            dict(n_channels_=3, max_len_=12),
        ),
        "ragged-1d-floats": (
            [f[:n, 0] for f, n in zip(floats, lengths, strict=True)],
            dict(n_channels_=1, max_len_=12),
        ),
    }


INPUT_FORMS = _input_forms()


@pytest.mark.parametrize("form", INPUT_FORMS)
def test_size_attributes_for_each_input_form(form):
    X, expected = INPUT_FORMS[form]
    if form == "2d-floats":
        expected = {**expected, "n_features_in_": 12}
    est = fast(SequenceCNNClassifier, max_epochs=1).fit(X, y_ids)
    for attr in ("vocab_size_", "n_channels_", "max_len_", "n_features_in_"):
        if attr in expected:
            assert getattr(est, attr) == expected[attr], attr
        else:
            assert not hasattr(est, attr), attr
    assert est.predict(X).shape == (60,)


def test_refit_on_another_input_form_resets_the_sizes():
    est = fast(SequenceCNNClassifier, max_epochs=1).fit(X_ids, y_ids)
    assert est.vocab_size_ == 8 and est.n_features_in_ == 12
    floats, _ = INPUT_FORMS["3d-floats"]
    est.fit(floats[:, :7], y_ids)
    assert est.n_channels_ == 3 and est.max_len_ == 7
    assert not hasattr(est, "vocab_size_") and not hasattr(est, "n_features_in_")
    assert est.predict(floats).shape == (60,)


def test_vocab_size_is_at_least_two():
    X = np.zeros((6, 4), dtype=int)
    X[:, 0] = 1  # only the unknown id
    est = fast(SequenceCNNRegressor, max_epochs=1).fit(X, np.arange(6.0))
    assert est.vocab_size_ == 2
    assert est.max_len_ == 1


# ---------------------------------------------------------------- warm start
def test_warm_start_continues_training():
    est = fast(SequenceCNNClassifier, warm_start=True).fit(X_ids, y_ids)
    module = est.net_.module_
    before = module.blocks[0].conv.weight.detach().clone()
    est.fit(ragged(X_ids), y_ids)  # another form of the same input is fine
    assert est.n_iter_ == 4 and est.net_.module_ is module
    assert [row["epoch"] for row in est.history_] == [1, 2, 3, 4]
    assert not torch.equal(before, module.blocks[0].conv.weight)
    cold = fast(SequenceCNNClassifier).fit(X_ids, y_ids)
    cold.fit(X_ids, y_ids)
    assert cold.n_iter_ == 2 and cold.net_.module_ is not module


@pytest.mark.parametrize("form", ["2d-ids", "ragged-ids", "3d-floats"])
def test_sample_weight_zero_drops_samples(form):
    X, _ = INPUT_FORMS[form]
    w = (np.arange(60) % 2).astype(float)
    kept = [x for x, keep in zip(X, w > 0, strict=True) if keep]
    kept = np.asarray(kept) if form != "ragged-ids" else kept
    y = y_ids.astype(float)
    weighted = fast(SequenceCNNRegressor, batch_size=100).fit(X, y, sample_weight=w)
    dropped = fast(SequenceCNNRegressor, batch_size=100).fit(kept, y[w > 0])
    np.testing.assert_allclose(
        weighted.predict(X), dropped.predict(X), rtol=1e-5, atol=1e-6
    )
