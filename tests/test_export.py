"""skdl.export: the written networks, loaded by onnxruntime and by
torch.export.load, give the estimator's predictions, and skdl_inputs.py
tokenizes strings as the fitted SequenceTokenizer does, without skdl."""

import importlib.util
import json

import numpy as np
import pytest
import torch
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import skdl
from skdl import (
    DenseClassifier,
    DenseRegressor,
    ImageCNNClassifier,
    RNNClassifier,
    RNNRegressor,
    SequenceCNNClassifier,
    SequenceCNNRegressor,
    TransformerClassifier,
)
from skdl._export import INPUTS_FILE
from skdl.datasets import make_sequence_classification
from skdl.preprocessing import SequenceTokenizer

from conftest import run_fresh

ort = pytest.importorskip("onnxruntime")
pytest.importorskip("onnxscript")

SUFFIX = {"onnx": ".onnx", "torch": ".pt2"}


def run(path, inputs):
    """The exported network's output for a dict of numpy inputs."""
    path = str(path)
    if path.endswith(".onnx"):
        return ort.InferenceSession(path).run(None, inputs)[0]
    program = torch.export.load(path).module()
    return program(*(torch.as_tensor(v) for v in inputs.values())).numpy()


def load_inputs_module(folder):
    spec = importlib.util.spec_from_file_location("skdl_inputs", folder / INPUTS_FILE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def dna():
    X, y = make_sequence_classification(90, alphabet="dna", random_state=0)
    # Lengths 20 to 59, so batches hold rows of different lengths.
    return [s[: 20 + i % 40] for i, s in enumerate(X)], y


# Default networks (wide branch, k-mer counts and length feature included),
# one epoch: the export must carry every part of the forward pass.
SEQUENCE_FAMILIES = [SequenceCNNClassifier, RNNClassifier, TransformerClassifier]


@pytest.mark.parametrize("fmt", ["onnx", "torch"])
@pytest.mark.parametrize("family", SEQUENCE_FAMILIES, ids=lambda c: c.__name__)
def test_pipeline_from_strings(family, fmt, dna, tmp_path):
    X, y = dna
    pipe = make_pipeline(
        SequenceTokenizer(alphabet="dna", max_len="ragged"),
        family(max_epochs=1, random_state=0),
    ).fit(X, y)
    path = skdl.export(pipe, tmp_path / f"model{SUFFIX[fmt]}", format=fmt)
    meta = json.loads(path.with_suffix(".json").read_text())
    assert meta["classes"] == [0, 1]
    assert meta["length"] == max(map(len, X))
    inputs = load_inputs_module(tmp_path)
    # Two batch sizes (one of a single row), sequences of different lengths.
    for batch in (X[:1], X[30:37]):
        got = run(path, inputs.sequence_inputs(batch, meta))
        np.testing.assert_allclose(got, pipe.predict_proba(batch), atol=1e-5)
    assert got.dtype == np.float32


@pytest.mark.parametrize("fmt", ["onnx", "torch"])
def test_protein_defaults_with_counts_and_ends(fmt, tmp_path):
    # Proteins at the defaults: the head reads n-gram counts and, at a median
    # of 100+ residues, the counts of each end (end_features="auto").
    X, y = make_sequence_classification(
        60,
        alphabet="protein",
        min_length=90,
        max_length=160,
        motif="MKWVTF",
        random_state=0,
    )
    pipe = make_pipeline(
        SequenceTokenizer(alphabet="protein", max_len="ragged"),
        SequenceCNNClassifier(max_epochs=1, random_state=0),
    ).fit(X, y)
    module = pipe[-1].net_.module_
    assert module.counts is not None and module.ends.window == 25
    path = skdl.export(pipe, tmp_path / f"model{SUFFIX[fmt]}", format=fmt)
    meta = json.loads(path.with_suffix(".json").read_text())
    inputs = load_inputs_module(tmp_path)
    for batch in (X[:1], [X[3][:10], *X[10:15]]):  # one shorter than an end
        got = run(path, inputs.sequence_inputs(batch, meta))
        np.testing.assert_allclose(got, pipe.predict_proba(batch), atol=1e-5)


def test_inputs_module_runs_without_skdl(dna, tmp_path):
    """In a fresh process where importing skdl fails, the copied
    skdl_inputs.py and onnxruntime give the pipeline's probabilities."""
    X, y = dna
    pipe = make_pipeline(
        SequenceTokenizer(alphabet="dna", max_len="ragged"),
        SequenceCNNClassifier(max_epochs=1, random_state=0),
    ).fit(X, y)
    path = skdl.export(pipe, tmp_path / "model.onnx")
    code = f"""
import sys, json
sys.modules["skdl"] = None  # import skdl raises ImportError
sys.path.insert(0, {str(tmp_path)!r})
import onnxruntime as ort
from skdl_inputs import sequence_inputs
meta = json.load(open({str(path.with_suffix(".json"))!r}))
out = ort.InferenceSession({str(path)!r}).run(
    None, sequence_inputs({X[:5]!r}, meta))[0]
print(json.dumps(out.tolist()))
"""
    got = np.asarray(json.loads(run_fresh(code)))
    np.testing.assert_allclose(got, pipe.predict_proba(X[:5]), atol=1e-5)


TOKENIZERS = [
    dict(alphabet="protein"),
    dict(alphabet="protein", k=2, max_len=6, truncation="pre"),
    dict(alphabet="dna", padding="pre", max_len=9),
    dict(alphabet="smiles"),
    dict(alphabet="text", min_frequency=2),
    dict(alphabet="char"),
    dict(alphabet=["AB", "A", "B", "C"], k=2),
]
STRINGS = {
    "protein": ["MKTAYIAKQR", "mseqXJ*", "", "ACDEFGHIKLMNPQRSTVWYBZUO"],
    "dna": ["ACGTNacgt", "GGGxCC", "", "ACGTACGTACGTAC"],
    "smiles": ["CCO", "c1ccccc1[NH3+]", "ClC(Br)%12", "C?C", ""],
    "text": ["The cat sat.", "the cat, the dog!", "a new word", ""],
    "char": ["ab c", "ééa", "", "zz"],
}


@pytest.mark.parametrize("params", TOKENIZERS, ids=str)
def test_sequence_inputs_match_the_tokenizer(params, tmp_path):
    """sequence_inputs gives the ids the fitted tokenizer gives (left-aligned,
    as the networks read them), unknown tokens and truncation included."""
    from skdl import _export_inputs as inputs

    named = params["alphabet"] if isinstance(params["alphabet"], str) else None
    fit_on = STRINGS.get(named, ["ABAB", "ABCA", "CCAB"])
    new = fit_on[::-1] + ["zzz", "ACB" * 5]
    tok = SequenceTokenizer(**params).fit(fit_on)
    meta = {
        "input": "tokens",
        "length": tok.max_len_,
        "tokenizer": skdl._export._tokenizer_settings(tok),
    }
    got = inputs.sequence_inputs(new, meta)
    expected = tok.transform(new)
    lengths = (expected != 0).sum(1)
    np.testing.assert_array_equal(got["lengths"], lengths)
    for row, n, ids in zip(expected, lengths, got["x"], strict=True):
        np.testing.assert_array_equal(ids[:n], row[row != 0])
        assert not ids[n:].any()


def test_regressor_in_y_units_with_scaler(tmp_path):
    """A StandardScaler is folded in, and predictions come back in y's units
    (normalize_y rescales them): raw rows in, predict's numbers out."""
    rng = np.random.RandomState(0)
    X = rng.normal(5.0, 3.0, size=(80, 4)).astype(np.float32)
    y = np.c_[X @ [1.0, 2.0, 0.0, -1.0] * 100 + 1000, X[:, 0]]
    pipe = make_pipeline(
        StandardScaler(), DenseRegressor(max_epochs=3, random_state=0)
    ).fit(X, y)
    for fmt in ("onnx", "torch"):
        path = skdl.export(pipe, tmp_path / f"reg{SUFFIX[fmt]}", format=fmt)
        for rows in (X[:1], X[10:33]):
            got = run(path, {"x": rows})
            np.testing.assert_allclose(got, pipe.predict(rows), rtol=1e-5, atol=1e-3)
    meta = json.loads(path.with_suffix(".json").read_text())
    assert meta["outputs"][0]["name"] == "predictions" and meta["n_outputs"] == 2
    assert not (tmp_path / INPUTS_FILE).exists()  # no tokens: no tokenizer helper


def test_multilabel_probabilities(tmp_path):
    rng = np.random.RandomState(0)
    X = rng.normal(size=(60, 5)).astype(np.float32)
    Y = np.c_[X[:, 0] > 0, X[:, 1] > 0, X[:, 2] > 0].astype(int)
    clf = DenseClassifier(max_epochs=2, random_state=0).fit(X, Y)
    path = skdl.export(clf, tmp_path / "ml.onnx")
    np.testing.assert_allclose(
        run(path, {"x": X[:9]}), clf.predict_proba(X[:9]), atol=1e-6
    )
    assert json.loads(path.with_suffix(".json").read_text())["task"] == "multilabel"


def test_images_channels_last(tmp_path):
    from sklearn.datasets import load_digits

    digits = load_digits()
    X, y = digits.data[:120].astype(np.float32) / 16, digits.target[:120]
    clf = ImageCNNClassifier(
        conv_filters=(8,), hidden_layer_sizes=(16,), max_epochs=1, random_state=0
    ).fit(X, y)
    path = skdl.export(clf, tmp_path / "digits.onnx")
    for rows in (X[:1], X[40:45]):
        images = rows.reshape(-1, 8, 8, 1)
        got = run(path, {"x": images})
        np.testing.assert_allclose(got, clf.predict_proba(rows), atol=1e-5)
        assert (clf.classes_[got.argmax(1)] == clf.predict(rows)).all()
    # A scaler before an image network would be left out of the export.
    with pytest.raises(TypeError, match="carries no step before ImageCNN"):
        skdl.export(make_pipeline(StandardScaler(), clf), tmp_path / "x.onnx")


@pytest.mark.parametrize("fmt", ["onnx", "torch"])
@pytest.mark.parametrize("family", [SequenceCNNRegressor, RNNRegressor])
def test_float_series_of_two_lengths(family, fmt, tmp_path):
    """Values (n, length, channels) given as a list of series of 8 and 12
    steps: the export takes them left-aligned and padded, with lengths, in
    their own units (the channel standardisation is part of the graph)."""
    rng = np.random.RandomState(0)
    units = np.array([[300.0, 0.01]])
    series = [
        (rng.normal(size=(n, 2)) * units + 40).astype(np.float32) for n in [8, 12] * 20
    ]
    y = np.array([s[:, 1].sum() for s in series]) * 50
    est = family(max_epochs=1, random_state=0).fit(series, y)
    path = skdl.export(est, tmp_path / ("series" + SUFFIX[fmt]), format=fmt)
    assert json.loads(path.with_suffix(".json").read_text())["length"] == 12
    x = np.zeros((6, 12, 2), dtype=np.float32)
    for i, s in enumerate(series[:6]):
        x[i, : len(s)] = s
    lengths = np.array([len(s) for s in series[:6]])
    got = run(path, {"x": x, "lengths": lengths})
    np.testing.assert_allclose(got.ravel(), est.predict(series[:6]), rtol=1e-5)
    assert est.net_.module_.embed.standardized


@pytest.mark.parametrize("fmt", ["onnx", "torch"])
def test_series_classifier_exports_its_per_series_scaling(fmt, tmp_path):
    """SequenceCNNClassifier's default normalize_input="series" standardises
    each series by its own statistics inside the network: the exported graph
    takes raw values of any amplitude, padded, with lengths."""
    rng = np.random.RandomState(0)
    series = [
        (rng.normal(size=(n, 2)) * 10.0 ** rng.uniform(-2, 2, size=2)).astype(
            np.float32
        )
        for n in [8, 12] * 20
    ]
    y = np.arange(len(series)) % 3
    clf = SequenceCNNClassifier(max_epochs=1, random_state=0).fit(series, y)
    assert clf.net_.module_.embed.series_norm
    path = skdl.export(clf, tmp_path / ("series" + SUFFIX[fmt]), format=fmt)
    x = np.full((6, 12, 2), 123.0, dtype=np.float32)  # padding must not count
    for i, s in enumerate(series[:6]):
        x[i, : len(s)] = s
    lengths = np.array([len(s) for s in series[:6]])
    got = run(path, {"x": x, "lengths": lengths})
    np.testing.assert_allclose(got, clf.predict_proba(series[:6]), atol=1e-5)


def test_side_features(tmp_path):
    rng = np.random.RandomState(0)
    ids = rng.randint(2, 6, size=(50, 10))
    side = rng.normal(size=(50, 2))
    X = np.c_[ids, side]
    y = (side[:, 0] > 0).astype(int)
    est = SequenceCNNClassifier(side_features=2, max_epochs=1, random_state=0)
    est.fit(X, y)
    path = skdl.export(est, tmp_path / "side.onnx")
    names = [
        spec["name"]
        for spec in json.loads(path.with_suffix(".json").read_text())["inputs"]
    ]
    assert names == ["x", "lengths", "side"]
    inputs = {
        "x": ids[:5].astype(np.int64),
        "lengths": np.full(5, 10),
        "side": side[:5].astype(np.float32),
    }
    np.testing.assert_allclose(run(path, inputs), est.predict_proba(X[:5]), atol=1e-5)


def test_length_option_and_errors(dna, tmp_path):
    X, y = dna
    ids = SequenceTokenizer(alphabet="dna").fit_transform(X)
    cnn = SequenceCNNClassifier(max_epochs=1, random_state=0).fit(ids, y)
    path = skdl.export(cnn, tmp_path / "ids.onnx", length=80)
    meta = json.loads(path.with_suffix(".json").read_text())
    assert meta["length"] == 80 and "tokenizer" not in meta
    inputs = load_inputs_module(tmp_path)  # copied for id input too
    got = run(path, inputs.sequence_inputs(ids[:4].tolist(), meta))
    np.testing.assert_allclose(got, cnn.predict_proba(ids[:4]), atol=1e-5)

    with pytest.raises(ValueError, match="length must be at least 1; got 0"):
        skdl.export(cnn, tmp_path / "x.onnx", length=0)
    with pytest.raises(ValueError, match="format must be one of"):
        skdl.export(cnn, tmp_path / "x.onnx", format="tflite")
    dense = DenseRegressor(max_epochs=1).fit(np.eye(4), np.arange(4.0))
    with pytest.raises(ValueError, match="length is for sequence estimators"):
        skdl.export(dense, tmp_path / "x.onnx", length=5)
    with pytest.raises(TypeError, match="ends with one; got StandardScaler"):
        skdl.export(make_pipeline(StandardScaler()).fit(np.eye(3)), tmp_path / "x")
    with pytest.raises(TypeError, match="can carry a StandardScaler"):
        skdl.export(
            make_pipeline(StandardScaler(), StandardScaler(), dense).fit(
                np.eye(4), np.arange(4.0)
            ),
            tmp_path / "x.onnx",
        )
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        skdl.export(DenseRegressor(), tmp_path / "x.onnx")
