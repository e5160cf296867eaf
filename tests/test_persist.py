"""skdl.save / skdl.load: fitted models round-trip without pickle."""

import json
import pickle
import zipfile

import numpy as np
import pytest
import torch
from sklearn.base import clone
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler

import skdl
from skdl import (
    DenseClassifier,
    DenseRegressor,
    ImageCNNClassifier,
    RNNClassifier,
    RNNRegressor,
    SequenceCNNClassifier,
    TransformerClassifier,
)
from skdl._persist import read_header
from skdl.preprocessing import SequenceTokenizer

from conftest import fast, run_fresh

RNG = np.random.RandomState(0)
DNA = ["ACGTTATAAT", "GGGCCA", "TTATAATCCG", "CCGGA", "ATATATTT", "GCGC"] * 5
PROTEINS = [
    "".join(RNG.choice(list("ACDEFGHIKLMNPQRSTVWY"), size=n))
    for n in RNG.randint(130, 200, size=20)
]
DNA_Y = np.array(["motif", "none", "motif", "none", "motif", "none"] * 5)


def _models():
    X = RNG.normal(size=(40, 4))
    images = RNG.randint(0, 256, size=(30, 8, 8)).astype(np.uint8)
    # Channels far from unit scale: the network's standardisation travels.
    series = (RNG.normal(size=(30, 7, 2)) * [50.0, 0.02] + 3.0).astype(np.float32)
    ragged = np.empty(30, dtype=object)
    ragged[:] = [
        (RNG.normal(size=(n, 2)) * 10.0 ** RNG.uniform(-2, 2)).astype(np.float32)
        for n in RNG.randint(5, 15, size=30)
    ]
    return {
        "dense pipeline, string classes": (
            make_pipeline(StandardScaler(), fast(DenseClassifier, early_stopping=True)),
            X,
            np.array(["a", "b"])[(X[:, 0] > 0).astype(int)],
        ),
        "dense regressor, y far from unit scale": (
            fast(DenseRegressor),
            X,
            1000 * X[:, 0] + 5000,
        ),
        "tokenizer + CNN on raw strings, ragged": (
            make_pipeline(
                SequenceTokenizer(alphabet="dna", max_len="ragged"),
                SequenceCNNClassifier(max_epochs=2, random_state=0),
            ),
            np.array(DNA, dtype=object),
            DNA_Y,
        ),
        "tokenizer + transformer with a conv stem": (
            make_pipeline(
                SequenceTokenizer(alphabet="dna"),
                fast(TransformerClassifier, patch_size=2, patch_kernel=3),
            ),
            np.array(DNA, dtype=object),
            DNA_Y,
        ),
        "RNN on float series": (fast(RNNRegressor), series, series[:, :, 0].sum(1)),
        # The CNN classifier's defaults for series: each series scaled by its
        # own statistics inside the network, lr="auto" resolved in fit.
        "CNN classifier on ragged series of far-apart amplitudes": (
            SequenceCNNClassifier(max_epochs=2, random_state=0),
            ragged,
            np.arange(len(ragged)) % 2,
        ),
        # Long protein strings: the stem comes from the fit data's lengths.
        "tokenizer + RNN on long proteins, stem from the lengths": (
            make_pipeline(SequenceTokenizer(alphabet="protein"), fast(RNNClassifier)),
            np.array(PROTEINS, dtype=object),
            np.arange(len(PROTEINS)) % 2,
        ),
        "image CNN on uint8": (fast(ImageCNNClassifier), images, np.arange(30) % 3),
    }


MODELS = _models()


def _predict(model, X):
    if hasattr(model, "predict_proba"):
        return model.predict_proba(X)
    return model.predict(X)


@pytest.fixture(scope="module")
def loaded_in_a_fresh_process(tmp_path_factory):
    """Every model of MODELS fitted and saved, then loaded in one fresh
    Python process (one import of torch and skdl for all of them), which
    saves each model's outputs and prints its predictions."""
    tmp = tmp_path_factory.mktemp("fresh")
    fitted, code = {}, ["import numpy as np, skdl"]
    for i, (name, (model, X, y)) in enumerate(MODELS.items()):
        model = fitted[name] = clone(model).fit(X, y)
        skdl.save(model, tmp / f"{i}.skdl")
        np.save(tmp / f"X{i}.npy", X, allow_pickle=X.dtype == object)
        code += [
            f"model = skdl.load({str(tmp / f'{i}.skdl')!r})",
            f"X = np.load({str(tmp / f'X{i}.npy')!r}, allow_pickle=True)",
            "out = model.predict_proba(X) if hasattr(model, 'predict_proba') "
            "else model.predict(X)",
            f"np.save({str(tmp / f'out{i}.npy')!r}, out)",
            "print(list(model.predict(X)))",
        ]
    printed = run_fresh("\n".join(code) + "\n").strip().splitlines()
    return {
        name: (fitted[name], np.load(tmp / f"out{i}.npy"), printed[i])
        for i, name in enumerate(MODELS)
    }


@pytest.mark.parametrize("name", list(MODELS))
def test_round_trip_in_a_fresh_process_predicts_identically(
    name, loaded_in_a_fresh_process
):
    model, out, printed = loaded_in_a_fresh_process[name]
    X = MODELS[name][1]
    np.testing.assert_array_equal(out, _predict(model, X))
    assert printed == str(list(model.predict(X)))


def test_a_stem_chosen_from_the_fit_lengths_is_rebuilt_on_load(tmp_path):
    model, X, y = MODELS["tokenizer + RNN on long proteins, stem from the lengths"]
    model.fit(X, y)
    assert model[-1].net_.module_.patch_kernel == 9  # median length >= 128
    skdl.save(model, tmp_path / "model.skdl")
    loaded = skdl.load(tmp_path / "model.skdl")
    assert loaded[-1].net_.module_.patch_kernel == 9
    np.testing.assert_array_equal(loaded.predict_proba(X), model.predict_proba(X))


def test_the_file_holds_data_only(tmp_path):
    model, X, y = MODELS["tokenizer + CNN on raw strings, ragged"]
    model.fit(X, y)
    path = tmp_path / "model.skdl"
    skdl.save(model, path)
    with zipfile.ZipFile(path) as zf:
        assert sorted(zf.namelist()) == ["arrays.safetensors", "skdl-model.json"]
        for name in zf.namelist():
            assert b"\x80\x04" not in zf.read(name)[:2]  # no pickle stream
    header = read_header(path)
    assert header["format"] == "skdl-model" and header["version"] == 1
    assert header["root"]["__estimator__"] == "sklearn.pipeline.Pipeline"
    text = json.dumps(header)
    assert "skdl.estimators._sequence_cnn.SequenceCNNClassifier" in text


def test_loaded_estimators_keep_training(tmp_path):
    X = RNG.normal(size=(40, 3))
    y = (X[:, 0] > 0).astype(int)
    clf = fast(DenseClassifier).fit(X, y)
    skdl.save(clf, tmp_path / "m.skdl")
    loaded = skdl.load(tmp_path / "m.skdl")
    assert loaded.n_iter_ == clf.n_iter_ and loaded.history_ == clf.history_
    # The same next epoch from the same state: optimizer and RNG state came back.
    clf.partial_fit(X, y)
    loaded.partial_fit(X, y)
    np.testing.assert_allclose(loaded.predict_proba(X), clf.predict_proba(X))
    assert len(loaded.net_.history) == len(clf.net_.history)


def test_a_column_transformer_pipeline_round_trips(tmp_path):
    X = np.c_[RNG.normal(size=(40, 2)), RNG.randint(0, 3, size=(40, 1))]
    y = (X[:, 0] > 0).astype(int)
    ct = ColumnTransformer(
        [("num", StandardScaler(), [0, 1]), ("cat", OneHotEncoder(), [2])]
    )
    pipe = make_pipeline(ct, fast(DenseClassifier)).fit(X, y)
    skdl.save(pipe, tmp_path / "m.skdl")
    np.testing.assert_array_equal(
        skdl.load(tmp_path / "m.skdl").predict_proba(X), pipe.predict_proba(X)
    )
    plain = make_pipeline(StandardScaler(), LogisticRegression()).fit(X, y)
    skdl.save(plain, tmp_path / "p.skdl")
    np.testing.assert_array_equal(
        skdl.load(tmp_path / "p.skdl").predict_proba(X), plain.predict_proba(X)
    )


def test_what_it_cannot_store_is_named(tmp_path):
    X = RNG.normal(size=(30, 2))
    y = (X[:, 0] > 0).astype(int)
    logs = make_pipeline(FunctionTransformer(np.log1p), LogisticRegression())
    with pytest.raises(TypeError, match=r"Pipeline.steps\[0\]\[1\].func.*numpy"):
        skdl.save(logs.fit(np.abs(X), y), tmp_path / "m.skdl")
    search = GridSearchCV(LogisticRegression(), {"C": [1.0, 2.0]}, cv=2).fit(X, y)
    with pytest.raises(TypeError, match="GridSearchCV"):
        skdl.save(search, tmp_path / "m.skdl")
    skdl.save(search.best_estimator_, tmp_path / "m.skdl")  # what it can store

    class Net(torch.nn.Module):
        def __init__(self, n_features, n_outputs):
            super().__init__()
            self.lin = torch.nn.Linear(n_features, n_outputs)

        def forward(self, x):
            return self.lin(x)

    custom = DenseClassifier(module=Net, max_epochs=1).fit(X, y)
    with pytest.raises(TypeError, match="custom module"):
        skdl.save(custom, tmp_path / "m.skdl")


def test_files_it_did_not_write_are_refused(tmp_path):
    clf = fast(DenseClassifier).fit(RNG.normal(size=(20, 2)), np.arange(20) % 2)
    pkl = tmp_path / "model.pkl"
    pkl.write_bytes(pickle.dumps(clf))
    with pytest.raises(ValueError, match="not a file written by skdl.save"):
        skdl.load(pkl)
    other = tmp_path / "other.zip"
    with zipfile.ZipFile(other, "w") as zf:
        zf.writestr("skdl-model.json", json.dumps({"format": "something"}))
        zf.writestr("arrays.safetensors", b"")
    with pytest.raises(ValueError, match="not a file written by skdl.save"):
        skdl.load(other)
    newer = tmp_path / "newer.skdl"
    with zipfile.ZipFile(newer, "w") as zf:
        zf.writestr(
            "skdl-model.json", json.dumps({"format": "skdl-model", "version": 99})
        )
        zf.writestr("arrays.safetensors", b"")
    with pytest.raises(ValueError, match="newer skdl"):
        skdl.load(newer)


@pytest.mark.parametrize("path", ["os.system", "builtins.eval", "sklearn.base.clone"])
def test_a_file_cannot_make_load_build_other_things(tmp_path, path):
    evil = tmp_path / "evil.skdl"
    root = {"__estimator__": path, "state": {"__dict__": {}}}
    with zipfile.ZipFile(evil, "w") as zf:
        zf.writestr(
            "skdl-model.json",
            json.dumps({"format": "skdl-model", "version": 1, "root": root}),
        )
        zf.writestr("arrays.safetensors", b"")
    with pytest.raises(ValueError, match="refuses to build"):
        skdl.load(evil)
