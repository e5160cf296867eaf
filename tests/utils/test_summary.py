"""``est.summary()``: the layer table of a fitted network."""

import numpy as np
import pytest
import torch
from sklearn.base import is_regressor
from sklearn.exceptions import NotFittedError
from sklearn.pipeline import make_pipeline

from skdl import (
    DenseClassifier,
    DenseRegressor,
    ImageCNNClassifier,
    RNNClassifier,
    SequenceCNNClassifier,
    TransformerRegressor,
)
from skdl.preprocessing import SequenceTokenizer
from skdl.utils import NetworkSummary

from conftest import fast

# The course's protein CNN (embedding 16 on 21 tokens, conv 16x5, 16x3, 16x3
# with max-pooling 4, 2, 2, flatten over length 200, dense 256 relu, 64 tanh,
# one sigmoid output): Keras prints 60,929 parameters.
COURSE_CNN = dict(
    embedding_dim=16,
    conv_filters=(16, 16, 16),
    kernel_sizes=(5, 3, 3),
    pool_sizes=(4, 2, 2),
    padding="valid",
    global_pooling="flatten",
    hidden_layer_sizes=(256, 64),
    dense_activation=("relu", "tanh"),
    linear_ngrams=0,
    ngram_features=0,
    length_feature=False,
    dropout=0.0,
    max_epochs=1,
    random_state=0,
)


@pytest.fixture(scope="module")
def course_cnn():
    rng = np.random.RandomState(0)
    X = rng.randint(1, 21, size=(40, 200))  # ids 1..20 and padding: 21 tokens
    return SequenceCNNClassifier(**COURSE_CNN).fit(X, np.arange(40) % 2)


def test_the_course_protein_cnn_has_the_course_parameter_count(course_cnn):
    summary = course_cnn.summary()
    assert isinstance(summary, NetworkSummary)
    # Two logits: the course's 60,929 plus the 65 of the second output unit.
    assert summary.total_params == 60_994
    assert summary.trainable_params == 60_994 and summary.non_trainable_params == 0
    rows = {(r.depth, r.name): r for r in summary.layers}
    assert rows[1, "embed"].output_shape == (200, 16)
    assert rows[1, "embed"].n_params == 21 * 16
    # Keras' sizes: 200 -> conv5 196 -> pool4 49 -> conv3 47 -> pool2 23
    # -> conv3 21 -> pool2 10, flattened to 160 features.
    blocks = [rows[1, f"blocks.{i}"] for i in range(3)]
    assert [b.output_shape for b in blocks] == [(16, 49), (16, 23), (16, 10)]
    assert [b.n_params for b in blocks] == [5 * 16 * 16 + 16, 3 * 16 * 16 + 16] + [
        3 * 16 * 16 + 16
    ]
    dense = [r for r in summary.layers if r.type == "Linear"]
    assert [d.n_params for d in dense] == [160 * 256 + 256, 256 * 64 + 64, 2 * 65]
    text = str(summary)
    assert "Total params: 60,994" in text
    assert "65 parameters fewer (60,929 in all)" in text
    assert text.splitlines()[0] == "SequenceCNNClassifier: SequenceCNNModule"


def test_summary_changes_nothing(course_cnn):
    X = np.random.RandomState(1).randint(1, 21, size=(10, 200))
    before = course_cnn.predict_proba(X)
    course_cnn.net_.module_.train()
    course_cnn.summary()
    assert course_cnn.net_.module_.training  # mode restored
    hooks = [m._forward_hooks for m in course_cnn.net_.module_.modules()]
    assert not any(hooks)  # hooks removed
    np.testing.assert_allclose(course_cnn.predict_proba(X), before)


def test_before_fit_it_says_what_is_missing():
    with pytest.raises(NotFittedError, match="DenseRegressor has no network yet.*fit"):
        DenseRegressor().summary()


def _tokens(n=30, length=12, seed=0):
    rng = np.random.RandomState(seed)
    return rng.randint(1, 6, size=(n, length))


@pytest.mark.parametrize(
    "est, X",
    [
        (fast(DenseClassifier), np.random.RandomState(0).rand(30, 7)),
        (fast(SequenceCNNClassifier), _tokens()),
        (fast(RNNClassifier), _tokens()),
        (
            fast(TransformerRegressor, patch_size=2),
            np.random.RandomState(0).rand(30, 9, 2).astype(np.float32),
        ),
        (fast(ImageCNNClassifier), np.random.RandomState(0).rand(30, 8, 8, 3)),
    ],
    ids=lambda p: type(p).__name__ if not isinstance(p, np.ndarray) else "",
)
def test_every_family_counts_each_parameter_once(est, X):
    y = np.arange(len(X)) % 2
    est.fit(X, y)
    summary = est.summary()
    module = est.net_.module_
    assert summary.total_params == sum(p.numel() for p in module.parameters())
    top = [r for r in summary.layers if r.depth == 1]
    # Every parameter sits in a top-level row that ran.
    assert sum(r.n_params for r in top) == summary.total_params
    assert all(r.output_shape is not None for r in top)
    head = [r for r in summary.layers if r.name == "output"][-1]
    assert head.output_shape == ((1,) if is_regressor(est) else (2,))


def test_frozen_embeddings_count_as_non_trainable():
    weights = np.random.RandomState(0).normal(size=(6, 4)).astype(np.float32)
    est = fast(
        SequenceCNNClassifier,
        pretrained_embeddings=weights,
        embedding_dim=4,
        freeze_embeddings=True,
    ).fit(_tokens(), np.arange(30) % 2)
    summary = est.summary()
    assert summary.non_trainable_params == 6 * 4
    assert summary.trainable_params == summary.total_params - 24
    assert "Non-trainable params: 24" in str(summary)


def test_summary_of_a_pipeline_step_on_raw_strings():
    X = ["ACGTTAG", "GGCA", "TTATAATCC", "CCGGAATT"] * 5
    pipe = make_pipeline(
        SequenceTokenizer(alphabet="dna"), fast(SequenceCNNClassifier)
    ).fit(X, [1, 0, 1, 0] * 5)
    summary = pipe[-1].summary()
    assert "a sequence of 9 tokens (the longest in fit)" in summary.input_description
    assert summary.layers[0].output_shape[0] == 9


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_summary_on_cuda(course_cnn):
    est = SequenceCNNClassifier(**COURSE_CNN, device="cuda")
    X = np.random.RandomState(0).randint(1, 21, size=(40, 200))
    assert est.fit(X, np.arange(40) % 2).summary().total_params == 60_994
