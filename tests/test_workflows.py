"""skdl estimators inside sklearn's workflow tools, with real joblib workers."""

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import load_diabetes, load_iris
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import (
    GridSearchCV,
    KFold,
    cross_val_score,
    cross_validate,
)
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import skdl
from skdl import DenseClassifier, DenseRegressor
from skdl.datasets import load_esol
from skdl.preprocessing import SequenceTokenizer

from conftest import fast, outputs_in_a_fresh_process


@pytest.fixture(scope="module")
def iris():
    X, y = load_iris(return_X_y=True)
    return X, np.array(["setosa", "versicolor", "virginica"])[y]


def test_pipeline_cross_val_score_regressor():
    X, y = load_diabetes(return_X_y=True)
    pipe = make_pipeline(
        StandardScaler(), DenseRegressor(max_epochs=30, lr=1e-2, random_state=0)
    )
    scores = cross_val_score(pipe, X, y / y.std(), cv=3)
    assert scores.shape == (3,) and scores.mean() > 0.3


def test_grid_search_parallel_is_reproducible(iris):
    X, y = iris
    grid = {"hidden_layer_sizes": [(8,), (16, 8)], "lr": [1e-3, 1e-2]}
    est = make_pipeline(
        StandardScaler(), DenseClassifier(max_epochs=20, random_state=0)
    )
    param_grid = {f"denseclassifier__{k}": v for k, v in grid.items()}
    a = GridSearchCV(est, param_grid, cv=3, n_jobs=2).fit(X, y)
    b = GridSearchCV(est, param_grid, cv=3, n_jobs=2).fit(X, y)
    assert len(a.cv_results_["params"]) == 4
    np.testing.assert_array_equal(
        a.cv_results_["mean_test_score"], b.cv_results_["mean_test_score"]
    )
    assert a.best_score_ > 0.8
    assert set(a.predict(X)) <= set(y)


def test_cross_val_score_same_in_workers_and_in_process(iris):
    X, y = iris
    pipe = make_pipeline(
        StandardScaler(), DenseClassifier(max_epochs=10, dropout=0.2, random_state=3)
    )
    cv = KFold(3, shuffle=True, random_state=0)
    serial = cross_val_score(pipe, X, y, cv=cv, n_jobs=1)
    parallel = cross_val_score(pipe, X, y, cv=cv, n_jobs=2)
    np.testing.assert_array_equal(serial, parallel)


def test_clone_of_fitted_is_unfitted(iris):
    X, y = iris
    est = DenseClassifier(max_epochs=2, random_state=0).fit(X, y)
    fresh = clone(est)
    assert fresh.get_params() == est.get_params()
    assert not hasattr(fresh, "net_") and not hasattr(fresh, "classes_")
    with pytest.raises(NotFittedError):
        fresh.predict(X)


def test_fitted_estimators_come_back_from_workers(iris):
    X, y = iris
    est = DenseClassifier(max_epochs=5, early_stopping=True, random_state=0)
    res = cross_validate(est, X, y, cv=2, n_jobs=2, return_estimator=True)
    for fitted in res["estimator"]:
        assert fitted.best_epoch_ >= 1
        assert set(fitted.predict(X)) <= set(y)


@pytest.mark.parametrize("max_len", [None, "ragged"])
def test_raw_string_pipeline_pickles_into_a_fresh_process(tmp_path, max_len):
    """A fitted tokenizer + sequence CNN pipeline, saved and loaded in a new
    Python process, predicts raw strings (unseen tokens too) as before."""

    from skdl import SequenceCNNClassifier
    from skdl.datasets import make_sequence_classification
    from skdl.preprocessing import SequenceTokenizer

    X, y = make_sequence_classification(80, alphabet="dna", random_state=0)
    labels = np.array(["no motif", "motif"])[y]
    pipe = make_pipeline(
        SequenceTokenizer(alphabet="dna", max_len=max_len),
        SequenceCNNClassifier(
            conv_filters=(8,),
            kernel_sizes=6,
            pool_sizes=1,
            hidden_layer_sizes=(8,),
            dense_activation="relu",
            max_epochs=3,
            random_state=0,
        ),
    ).fit(X, labels)
    new = np.array(["ACGTTATAATNNNACG", "GGGCCCXYZ", X[0]], dtype=object)
    proba, labels_there = outputs_in_a_fresh_process(
        pipe, new, tmp_path, ("predict_proba", "predict")
    )
    np.testing.assert_array_equal(proba, pipe.predict_proba(new))
    assert list(labels_there) == list(pipe.predict(new))


def test_side_feature_pipeline_pickles_into_a_fresh_process(tmp_path):
    """A DataFrame of raw sequences and a numeric column, through a
    ColumnTransformer into SequenceCNNClassifier(side_features=1), saved and
    loaded in a new Python process, predicts new rows as before."""

    import pandas as pd
    from sklearn.compose import ColumnTransformer
    from sklearn.preprocessing import StandardScaler

    from skdl import SequenceCNNClassifier
    from skdl.datasets import make_sequence_classification
    from skdl.preprocessing import SequenceTokenizer

    X, y = make_sequence_classification(80, alphabet="dna", random_state=0)
    ph = np.random.RandomState(0).uniform(4, 9, len(X))
    frame = pd.DataFrame({"sequence": X, "ph": ph})
    features = ColumnTransformer(
        [
            ("tokens", SequenceTokenizer(alphabet="dna"), "sequence"),
            ("numbers", StandardScaler(), ["ph"]),
        ]
    )
    pipe = make_pipeline(
        features,
        fast(SequenceCNNClassifier, side_features=1, max_epochs=3),
    ).fit(frame, y & (ph > 6.5))
    new = pd.DataFrame({"sequence": ["ACGTTATAATNNNACG", X[0]], "ph": [5.0, 8.0]})
    (there,) = outputs_in_a_fresh_process(pipe, new, tmp_path)
    np.testing.assert_array_equal(there, pipe.predict_proba(new))


@pytest.mark.parametrize("family", ["SequenceCNNRegressor", "RNNRegressor",
                                    "TransformerRegressor"])  # fmt: skip
def test_smiles_regression_pipeline_from_raw_strings(family):
    # A chemist's first pipeline: raw SMILES in, log solubility (log mol/L:
    # mean -3.1, std 2.3) out, cross-validated, for every family. Small
    # networks reach R^2 0.75-0.9 here in 10 epochs; predicting the mean
    # scores 0.
    X, y = load_esol(return_X_y=True)
    X, y = X[:300], y[:300]
    small = {
        "SequenceCNNRegressor": dict(conv_filters=(16,), kernel_sizes=5, pool_sizes=2),
        "RNNRegressor": dict(hidden_size=16),
        "TransformerRegressor": dict(d_model=16, embedding_dim=16, n_heads=2),
    }[family]
    reg = getattr(skdl, family)(**small, max_epochs=10, random_state=0)
    pipe = make_pipeline(SequenceTokenizer(alphabet="smiles"), reg)
    folds = KFold(3, shuffle=True, random_state=0)
    scores = cross_val_score(pipe, X, y, cv=folds)
    assert scores.mean() > 0.6, scores
    pred = pipe.fit(X[:200], y[:200]).predict(X[200:])
    assert pred.shape == (100,) and abs(pred.mean() - y[200:].mean()) < 1.0


def test_soft_vote_and_stack_with_a_baseline_on_raw_strings(tmp_path):
    """A sequence pipeline is one member of scikit-learn's soft
    VotingClassifier and StackingClassifier next to a k-mer baseline (the
    recipe of the sequence guide): both read the raw strings, string labels
    come back, the vote is the mean of the members' probabilities, and the
    fitted vote predicts the same in a fresh process."""

    from sklearn.ensemble import StackingClassifier, VotingClassifier
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression

    from skdl import SequenceCNNClassifier
    from skdl.datasets import make_sequence_classification

    X, y = make_sequence_classification(120, alphabet="dna", random_state=0)
    labels = np.array(["no motif", "motif"])[y]
    members = [
        (
            "cnn",
            make_pipeline(
                SequenceTokenizer(alphabet="dna"),
                fast(SequenceCNNClassifier, max_epochs=3),
            ),
        ),
        (
            "kmers",
            make_pipeline(
                CountVectorizer(analyzer="char", ngram_range=(1, 3), lowercase=False),
                LogisticRegression(max_iter=2000),
            ),
        ),
    ]
    vote = VotingClassifier(members, voting="soft")
    scores = cross_val_score(vote, X, labels, cv=3)
    assert scores.shape == (3,) and np.all(scores > 0.5), scores

    vote.fit(X[:90], labels[:90])
    proba = vote.predict_proba(X[90:])
    mean = np.mean([m.predict_proba(X[90:]) for m in vote.estimators_], axis=0)
    np.testing.assert_allclose(proba, mean, rtol=1e-6)
    assert set(vote.predict(X[90:])) <= {"motif", "no motif"}

    stack = StackingClassifier(members, cv=2).fit(X[:90], labels[:90])
    assert stack.predict_proba(X[90:]).shape == (30, 2)

    (there,) = outputs_in_a_fresh_process(vote, X[90:], tmp_path)
    np.testing.assert_array_equal(there, proba)


def test_vote_of_regressors_is_in_the_targets_units():
    """VotingRegressor of a SMILES CNN (which standardises y inside) and a
    ridge averages predictions in log S, the targets' units."""
    from sklearn.ensemble import VotingRegressor
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import Ridge

    from skdl import SequenceCNNRegressor

    X, y = load_esol(return_X_y=True)
    pick = np.random.RandomState(0).permutation(len(X))[:200]
    X, y = X[pick], y[pick]
    vote = VotingRegressor(
        [
            (
                "cnn",
                make_pipeline(
                    SequenceTokenizer(alphabet="smiles"),
                    fast(SequenceCNNRegressor, max_epochs=10),
                ),
            ),
            (
                "ridge",
                make_pipeline(
                    TfidfVectorizer(analyzer="char", ngram_range=(1, 3)), Ridge()
                ),
            ),
        ]
    ).fit(X[:150], y[:150])
    pred = vote.predict(X[150:])
    each = [m.predict(X[150:]) for m in vote.estimators_]
    np.testing.assert_allclose(pred, np.mean(each, axis=0), rtol=1e-6)
    # Both members predict log S (here mean -3.0, std 2.1), not standardised
    # units (mean 0, std 1).
    for p in each:
        assert abs(p.mean() - y[150:].mean()) < 1.0, (p.mean(), y[150:].mean())
    assert np.corrcoef(pred, y[150:])[0, 1] > 0.5


def test_default_pooling_is_chosen_from_raw_strings_and_survives_pickle(tmp_path):
    # pool_sizes="auto" from a user's side: raw SMILES (median 19 tokens) in
    # a Pipeline get no pooling, raw protein-length strings the (4, 2, 2) of
    # the long-data network; the choice travels with the pickled pipeline.
    X, y = load_esol(return_X_y=True)
    X, y = X[:120], y[:120]
    pipe = make_pipeline(
        SequenceTokenizer(alphabet="smiles"),
        skdl.SequenceCNNRegressor(max_epochs=2, random_state=0),
    ).fit(X, y)
    assert pipe[-1].get_params()["pool_sizes"] == "auto"
    assert [b.pool_size for b in pipe[-1].net_.module_.blocks] == [1, 1, 1]
    (there,) = outputs_in_a_fresh_process(pipe, X[:10], tmp_path, ("predict",))
    np.testing.assert_array_equal(there, pipe.predict(X[:10]))
    rng = np.random.RandomState(0)
    proteins = [
        "".join(rng.choice(list("ACDEFGHIKLMNPQRSTVWY"), 80)) for _ in range(20)
    ]
    long = make_pipeline(
        SequenceTokenizer(alphabet="protein"),
        skdl.SequenceCNNClassifier(max_epochs=1, random_state=0),
    ).fit(proteins, [0, 1] * 10)
    assert [b.pool_size for b in long[-1].net_.module_.blocks] == [4, 2, 2]
