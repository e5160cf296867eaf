"""OptunaSearchCV with real Optuna storages, real worker processes, real pruning."""

import os
import pickle
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest
from sklearn.base import clone, is_classifier
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline

from skdl import DenseClassifier, DenseRegressor, SequenceCNNClassifier
from skdl.datasets import make_sequence_classification
from skdl.preprocessing import SequenceTokenizer
from skdl.search import OptunaSearchCV

from conftest import TINY_CNN

optuna = pytest.importorskip("optuna")
FloatDistribution = optuna.distributions.FloatDistribution

POSTGRES = os.environ.get("SKDL_TEST_POSTGRES_URL")
needs_postgres = pytest.mark.skipif(
    not POSTGRES,
    reason="no PostgreSQL server: set SKDL_TEST_POSTGRES_URL (.ci/run starts one)",
)


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    return (X[:400] / 16).astype(np.float32), y[:400]


def _net(**params):
    return DenseClassifier(**{"hidden_layer_sizes": (16,), "max_epochs": 3, **params})


def _lr_space(trial):
    return {"lr": trial.suggest_float("lr", 1e-3, 3e-2, log=True)}


def _prefixed_lr_space(trial):
    return {"denseclassifier__lr": _lr_space(trial)["lr"]}


def test_search_is_an_sklearn_search(digits):
    X, y = digits
    search = OptunaSearchCV(_net(), _lr_space, n_trials=4, cv=3, random_state=0)
    search.fit(X, y)
    grid = GridSearchCV(_net(), {"lr": [1e-3]}, cv=3).fit(X, y)
    assert set(grid.cv_results_) <= set(search.cv_results_)
    assert len(search.study_.trials) == 4
    results = search.cv_results_
    assert results["rank_test_score"][search.best_index_] == 1
    assert search.best_score_ == pytest.approx(np.nanmax(results["mean_test_score"]))
    assert search.best_params_ == results["params"][search.best_index_]
    folds = [results[f"split{k}_test_score"][search.best_index_] for k in range(3)]
    assert search.best_score_ == pytest.approx(np.mean(folds))
    assert search.best_estimator_.lr == search.best_params_["lr"]
    assert search.predict(X[:5]).shape == (5,)
    assert search.predict_proba(X[:5]).shape == (5, 10)
    assert search.score(X, y) == search.best_estimator_.score(X, y)
    assert len(search.trials_dataframe()) == 4
    assert clone(search).get_params()["n_trials"] == 4
    again = pickle.loads(pickle.dumps(search))  # study and best model travel
    np.testing.assert_array_equal(again.predict_proba(X), search.predict_proba(X))
    assert len(again.study_.trials) == 4


def test_epochs_of_a_trial_equal_a_plain_fit(digits):
    """A trial trains each fold with partial_fit; its score must equal what
    cross-validating fit(max_epochs=...) gives: the search measures the model
    the user will get."""
    X, y = digits
    space = {"lr": [3e-3]}
    search = OptunaSearchCV(
        _net(random_state=0), space, n_trials=1, cv=3, pruner=optuna.pruners.NopPruner()
    ).fit(X, y)
    grid = GridSearchCV(_net(random_state=0), {"lr": [3e-3]}, cv=3).fit(X, y)
    assert search.best_score_ == grid.best_score_
    for k in range(3):
        key = f"split{k}_test_score"
        assert search.cv_results_[key][0] == grid.cv_results_[key][0]


def test_auto_epochs_of_a_trial_are_those_the_folds_fit_plans():
    """max_epochs="auto" may depend on the input (a classifier on token ids
    trains 20 epochs on any data size): a trial must train the folds' plan,
    not one made before the estimator saw its input."""
    X, y = make_sequence_classification(60, alphabet="dna", random_state=0)
    pipe = make_pipeline(
        SequenceTokenizer(alphabet="dna"),
        SequenceCNNClassifier(**dict(TINY_CNN, max_epochs="auto")),
    )
    space = {"sequencecnnclassifier__lr": [3e-3]}
    search = OptunaSearchCV(
        pipe, space, n_trials=1, cv=2, pruner=optuna.pruners.NopPruner()
    ).fit(X, y)
    assert search.study_.trials[0].user_attrs["n_epochs"] == 20
    grid = GridSearchCV(pipe, space, cv=2).fit(X, y)
    for k in range(2):
        key = f"split{k}_test_score"
        assert search.cv_results_[key][0] == grid.cv_results_[key][0]


def test_default_space_in_a_pipeline_of_raw_strings():
    X, y = make_sequence_classification(120, alphabet="dna", random_state=0)
    pipe = make_pipeline(
        SequenceTokenizer(alphabet="dna"), SequenceCNNClassifier(max_epochs=2)
    )
    search = OptunaSearchCV(pipe, n_trials=2, cv=2, random_state=0).fit(X, y)
    assert all(k.startswith("sequencecnnclassifier__") for k in search.best_params_)
    assert {"sequencecnnclassifier__lr", "sequencecnnclassifier__conv_filters"} <= set(
        search.best_params_
    )
    assert search.predict(X[:3]).shape == (3,)


def _every_estimator():
    from sklearn.base import BaseEstimator

    import skdl

    return [
        getattr(skdl, name)
        for name in skdl.__all__
        if isinstance(getattr(skdl, name), type)
        and issubclass(getattr(skdl, name), BaseEstimator)
    ]


@pytest.mark.parametrize("cls", _every_estimator(), ids=lambda c: c.__name__)
def test_default_spaces_are_valid_for_every_estimator(cls, digits):
    """Every public estimator's default space, sampled by a real Optuna
    study, gives parameters that set and fit."""
    from skdl.utils.estimator_checks import input_kind

    X, y = digits
    if input_kind(cls()) == "sequence":
        X, y = make_sequence_classification(60, alphabet="dna", random_state=0)
        X = SequenceTokenizer(alphabet="dna").fit_transform(X)
    if input_kind(cls()) == "graph":  # SMILES of small molecules
        from skdl.utils.estimator_checks import _data

        X, y = _data(cls(), n=40)
        y = y if is_classifier(cls()) else y * 9.0
    if not is_classifier(cls()):
        y = y / 9.0
    study = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=0))
    for _ in range(3):
        params = cls().default_search_space()(study.ask())
        assert params, cls.__name__
        clone(cls(max_epochs=1)).set_params(**params).fit(X[:120], y[:120])


def test_distributions_and_lists(digits):
    X, y = digits
    space = {"lr": FloatDistribution(1e-3, 1e-2, log=True), "batch_size": [32, 64]}
    search = OptunaSearchCV(_net(), space, n_trials=3, cv=2, random_state=0).fit(X, y)
    for params in search.cv_results_["params"]:
        assert 1e-3 <= params["lr"] <= 1e-2 and params["batch_size"] in (32, 64)


def test_estimators_without_partial_fit_are_searched_whole():
    X, y = load_digits(return_X_y=True)
    search = OptunaSearchCV(
        LogisticRegression(max_iter=200),
        {"C": FloatDistribution(1e-2, 10, log=True)},
        n_trials=3,
        cv=2,
        random_state=0,
    ).fit(X[:300], y[:300])
    assert set(search.cv_results_["state"]) == {"COMPLETE"}
    assert search.cv_results_["n_epochs"].tolist() == [-1, -1, -1]


def test_pruning_stops_bad_learning_rates(digits):
    """SGD learning rates from 1e-5 (learns nothing in a few epochs) to 300
    (the squared error overflows): the median pruner stops the slow ones
    early, the diverging ones stop at their first inf/NaN loss; both are
    recorded as pruned, not failed."""
    X, y = digits
    space = {"lr": FloatDistribution(1e-5, 300.0, log=True)}
    net = DenseRegressor(
        hidden_layer_sizes=(16,),
        optimizer="sgd",
        batch_size=16,
        max_epochs=6,
        random_state=0,
    )
    search = OptunaSearchCV(
        net,
        space,
        n_trials=14,
        cv=2,
        sampler=optuna.samplers.RandomSampler(seed=0),
        pruner=optuna.pruners.MedianPruner(n_startup_trials=3, n_warmup_steps=0),
    ).fit(X, y / 9.0)
    trials = search.study_.trials
    states = [t.state.name for t in trials]
    assert "FAIL" not in states
    pruned = [t for t in trials if t.state.name == "PRUNED"]
    diverged = [t for t in pruned if "diverged" in t.user_attrs]
    by_median = [t for t in pruned if "diverged" not in t.user_attrs]
    assert diverged and by_median, [(t.state.name, t.params["lr"]) for t in trials]
    assert all(t.params["lr"] > 1 for t in diverged)
    for t in by_median:  # stopped before the last epoch
        assert t.user_attrs["n_epochs"] < 6
        assert max(t.intermediate_values) == t.user_attrs["n_epochs"]
    best = search.cv_results_["params"][search.best_index_]["lr"]
    assert 1e-3 < best < 1
    assert (search.cv_results_["state"] == "PRUNED").sum() == len(pruned)
    assert np.isnan(
        search.cv_results_["mean_test_score"][search.cv_results_["state"] == "PRUNED"]
    ).sum() == len(diverged)


def test_early_stopping_chooses_the_refit_epochs(digits):
    X, y = digits
    net = _net(early_stopping=True, n_iter_no_change=2, max_epochs=12, lr=0.05)
    search = OptunaSearchCV(
        net, {"batch_size": [16]}, n_trials=1, cv=2, random_state=0
    ).fit(X, y)
    trial = search.study_.trials[0]
    assert search.best_n_epochs_ == trial.user_attrs["best_epoch"]
    assert search.best_estimator_.n_iter_ == search.best_n_epochs_
    assert search.best_estimator_.early_stopping is False
    assert search.best_score_ == max(trial.intermediate_values.values())


def test_sqlite_storage_resumes_the_study(digits, tmp_path):
    X, y = digits
    url = f"sqlite:///{tmp_path / 'search.db'}"
    kwargs = dict(cv=2, storage=url, study_name="resume-me", random_state=0)
    first = OptunaSearchCV(_net(), _lr_space, n_trials=3, **kwargs).fit(X, y)
    assert len(first.study_.trials) == 3
    again = OptunaSearchCV(_net(), _lr_space, n_trials=2, **kwargs).fit(X, y)
    assert len(again.study_.trials) == 5
    assert len(again.cv_results_["params"]) == 5
    assert again.best_score_ >= first.best_score_
    # Tuples come back from the database as lists; they still set the net.
    spaced = OptunaSearchCV(_net(), n_trials=1, cv=2, storage=url, study_name="t")
    spaced.fit(X, y)
    assert isinstance(spaced.best_params_["hidden_layer_sizes"], list)


def test_parallel_trials_in_processes(digits):
    X, y = digits
    search = OptunaSearchCV(
        _net(), _lr_space, n_trials=4, cv=2, n_jobs=2, random_state=0
    ).fit(X, y)
    assert len(search.study_.trials) == 4
    assert {t.state.name for t in search.study_.trials} <= {"COMPLETE", "PRUNED"}
    assert hasattr(search, "best_estimator_")


def test_without_optuna_the_error_says_what_to_install(digits, monkeypatch):
    monkeypatch.setitem(sys.modules, "optuna", None)  # import optuna fails
    X, y = digits
    with pytest.raises(ImportError, match=r"pip install 'skdl\[search\]'"):
        OptunaSearchCV(_net(), n_trials=1).fit(X, y)


def test_errors(digits):
    X, y = digits
    with pytest.raises(ValueError, match="default_search_space"):
        OptunaSearchCV(LogisticRegression(), n_trials=1, cv=2).fit(X, y)
    with pytest.raises(TypeError, match="Optuna distribution"):
        OptunaSearchCV(_net(), {"lr": 0.1}, n_trials=1, cv=2).fit(X, y)
    all_diverge = {"lr": FloatDistribution(1e3, 1e4, log=True)}
    with pytest.raises(ValueError, match="no trial completed"):
        OptunaSearchCV(
            DenseRegressor(optimizer="sgd", batch_size=16, max_epochs=5),
            all_diverge,
            n_trials=2,
            cv=2,
        ).fit(X, y / 9.0)


def test_timeout_without_a_trial_count(digits):
    X, y = digits
    search = OptunaSearchCV(
        _net(max_epochs=1), _lr_space, n_trials=None, timeout=2, cv=2
    ).fit(X, y)
    assert len(search.study_.trials) >= 1
    with pytest.raises(ValueError, match="set timeout=<seconds> too"):
        OptunaSearchCV(_net(), _lr_space, n_trials=None, cv=2).fit(X, y)


def test_several_metrics_with_refit_naming_one(digits):
    X, y = digits
    y = (y < 5).astype(int)
    scoring = ["accuracy", "roc_auc"]
    search = OptunaSearchCV(
        _net(),
        _lr_space,
        n_trials=3,
        cv=3,
        scoring=scoring,
        refit="roc_auc",
        random_state=0,
    ).fit(X, y)
    grid = GridSearchCV(
        _net(), {"lr": [1e-3]}, cv=3, scoring=scoring, refit="roc_auc"
    ).fit(X, y)
    assert set(grid.cv_results_) <= set(search.cv_results_)
    results, best = search.cv_results_, search.best_index_
    assert results["rank_test_roc_auc"][best] == 1
    assert search.best_score_ == pytest.approx(results["mean_test_roc_auc"][best])
    folds = [results[f"split{k}_test_accuracy"][best] for k in range(3)]
    assert results["mean_test_accuracy"][best] == pytest.approx(np.mean(folds))
    from sklearn.metrics import roc_auc_score

    auc = roc_auc_score(y, search.predict_proba(X)[:, 1])
    assert search.score(X, y) == pytest.approx(auc)  # the refit metric
    with pytest.raises(ValueError, match="refit must be the name of the one"):
        OptunaSearchCV(_net(), _lr_space, n_trials=1, cv=2, scoring=scoring).fit(X, y)


@pytest.mark.parametrize("as_callable", [False, True])
def test_space_without_the_pipeline_step_prefix(digits, capfd, as_callable):
    from sklearn.preprocessing import StandardScaler

    X, y = digits
    pipe = make_pipeline(StandardScaler(), _net())
    space = _lr_space if as_callable else {"lr": FloatDistribution(1e-3, 1e-2)}
    search = OptunaSearchCV(pipe, space, n_trials=2, cv=2)
    with pytest.raises(ValueError, match="'denseclassifier__lr'") as err:
        search.fit(X, y)
    assert "not a parameter of Pipeline" in str(err.value)
    assert "Trial 0 failed" not in capfd.readouterr().err  # no Optuna traceback


def test_a_stored_study_of_another_estimator_is_refused(digits, tmp_path):
    from sklearn.preprocessing import StandardScaler

    X, y = digits
    url = f"sqlite:///{tmp_path / 'search.db'}"
    kwargs = dict(cv=2, storage=url, study_name="shared-name", random_state=0)
    OptunaSearchCV(_net(), _lr_space, n_trials=2, **kwargs).fit(X, y)
    pipe = make_pipeline(StandardScaler(), _net())
    with pytest.raises(ValueError, match="made by a search over DenseClassifier"):
        OptunaSearchCV(pipe, _prefixed_lr_space, n_trials=2, **kwargs).fit(X, y)
    study = optuna.load_study(study_name="shared-name", storage=url)
    assert len(study.trials) == 2  # refused before any trial ran


# ------------------------------------------------------------ PostgreSQL
_WORKER = textwrap.dedent(
    """
    import sys
    import numpy as np
    import optuna
    from sklearn.datasets import load_digits
    from skdl import DenseClassifier
    from skdl.search import OptunaSearchCV

    url, name = sys.argv[1], sys.argv[2]
    n_trials, epochs = int(sys.argv[3]), int(sys.argv[4])
    X, y = load_digits(return_X_y=True)
    storage = optuna.storages.RDBStorage(url, heartbeat_interval=1, grace_period=3)
    space = {"lr": optuna.distributions.FloatDistribution(1e-3, 3e-2, log=True)}
    OptunaSearchCV(
        DenseClassifier(hidden_layer_sizes=(16,), max_epochs=epochs),
        space, n_trials=n_trials, cv=2, storage=storage, study_name=name,
        pruner=optuna.pruners.NopPruner(), refit=False,
    ).fit(X[:400] / 16, y[:400])
    """
)


def _worker(tmp_path, name, n_trials, epochs):
    script = tmp_path / "worker.py"
    script.write_text(_WORKER)
    return subprocess.Popen(
        [sys.executable, str(script), POSTGRES, name, str(n_trials), str(epochs)]
    )


def _fresh_name(prefix):
    return f"{prefix}-{os.getpid()}-{time.time_ns()}"


@needs_postgres
def test_postgres_two_workers_share_one_study(tmp_path):
    name = _fresh_name("shared")
    # Create the study (and, on a fresh database, Optuna's tables) once, before
    # the workers start, as docs/search.md says to.
    optuna.create_study(study_name=name, storage=POSTGRES, direction="maximize")
    workers = [_worker(tmp_path, name, 3, 2) for _ in range(2)]
    assert [w.wait(timeout=300) for w in workers] == [0, 0]
    study = optuna.load_study(study_name=name, storage=POSTGRES)
    assert len(study.trials) == 6
    assert {t.state.name for t in study.trials} == {"COMPLETE"}
    assert len({t.number for t in study.trials}) == 6


@needs_postgres
@pytest.mark.filterwarnings("ignore::optuna.exceptions.ExperimentalWarning")
def test_postgres_worker_killed_mid_trial_leaves_study_usable(tmp_path, digits):
    name = _fresh_name("killed")
    worker = _worker(tmp_path, name, 1, 500)  # one long trial
    storage = optuna.storages.RDBStorage(POSTGRES, heartbeat_interval=1, grace_period=3)
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            trials = optuna.load_study(study_name=name, storage=storage).trials
        except KeyError:  # the worker has not created the study yet
            trials = []
        if any(t.state.name == "RUNNING" for t in trials):
            break
        time.sleep(0.5)
    else:
        worker.kill()
        pytest.fail("the worker never started a trial")
    # Optuna fails a stale trial only once it has a heartbeat: let the worker
    # record one (every second) before killing it. Killed in the gap between
    # creating the trial and its first beat, the trial stays RUNNING for good
    # (seen once in CI).
    time.sleep(2.5)
    worker.kill()  # SIGKILL: no cleanup, the trial stays RUNNING
    worker.wait()
    time.sleep(4)  # past the grace period: the heartbeat has stopped
    X, y = digits
    search = OptunaSearchCV(
        _net(), _lr_space, n_trials=1, cv=2, storage=storage, study_name=name
    ).fit(X, y)
    states = [t.state.name for t in search.study_.trials]
    assert states == ["FAIL", "COMPLETE"], states
    assert search.best_params_["lr"] == search.study_.trials[1].params["lr"]
