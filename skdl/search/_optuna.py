"""OptunaSearchCV: hyperparameter search as an sklearn meta-estimator.

Each Optuna trial samples parameters, then cross-validates them. For
estimators that train by epochs (skdl's, through ``partial_fit``), all folds
train in lockstep, one epoch at a time; after each epoch the mean fold score
is reported to Optuna, whose pruner may stop the trial there. Parallel
trials run in worker processes that share one Optuna storage (a journal file
for in-memory searches, or the SQLite / PostgreSQL URL given), so the
scheduling is Optuna's, not ours.
"""

import contextlib
import os
import tempfile
import time
import warnings
from numbers import Integral, Real

import numpy as np
from joblib import Parallel, delayed
from sklearn.base import BaseEstimator, MetaEstimatorMixin, clone, is_classifier
from sklearn.metrics import check_scoring
from sklearn.model_selection import check_cv
from sklearn.pipeline import Pipeline
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted, indexable

from ..utils._compat import Interval, _fit_context, _safe_indexing

_INSTALL = "pip install 'skdl[search]'  (or: pip install optuna)"


def _optuna(what="OptunaSearchCV"):
    """Import Optuna, or explain how to install it."""
    try:
        import optuna
    except ImportError:
        raise ImportError(
            f"{what} needs Optuna, an optional dependency of skdl. Install it "
            f"with: {_INSTALL}"
        ) from None
    return optuna


def _final_step(estimator):
    """(the estimator that trains, the transformers before it or None, the
    parameter prefix that addresses it)."""
    if isinstance(estimator, Pipeline):
        name, last = estimator.steps[-1]
        head = estimator[:-1] if len(estimator.steps) > 1 else None
        return last, head, f"{name}__"
    return estimator, None, ""


def _trains_by_epoch(estimator):
    return hasattr(estimator, "partial_fit") and "max_epochs" in estimator.get_params()


def _suggest(trial, name, dist):
    optuna = _optuna()
    d = optuna.distributions
    if isinstance(dist, list | tuple):
        return trial.suggest_categorical(name, list(dist))
    if isinstance(dist, d.FloatDistribution):
        return trial.suggest_float(
            name, dist.low, dist.high, log=dist.log, step=dist.step
        )
    if isinstance(dist, d.IntDistribution):
        return trial.suggest_int(
            name, dist.low, dist.high, log=dist.log, step=dist.step
        )
    if isinstance(dist, d.CategoricalDistribution):
        return trial.suggest_categorical(name, dist.choices)
    raise TypeError(
        f"OptunaSearchCV: param_distributions[{name!r}] must be an Optuna "
        f"distribution or a list of choices; got {type(dist).__name__}."
    )


def _jsonable(value):
    """Tuples -> lists, numpy scalars -> Python, so storages can keep them."""
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


class _Objective:
    """One trial: sample, cross-validate epoch by epoch, report, maybe prune.

    A plain class (not a closure) so that worker processes can unpickle it.
    """

    def __init__(self, search, X, y, splits, fit_params):
        self.search = search
        self.X, self.y = X, y
        self.splits = splits
        self.fit_params = fit_params

    def sample(self, trial):
        space = self.search._space()
        if callable(space):
            return dict(space(trial))
        return {name: _suggest(trial, name, dist) for name, dist in space.items()}

    def __call__(self, trial):
        optuna = _optuna()
        params = self.sample(trial)
        trial.set_user_attr("estimator_params", _jsonable(params))
        estimator = clone(self.search.estimator).set_params(**params)
        final, _, _ = _final_step(estimator)
        if _trains_by_epoch(final):
            return self._by_epoch(trial, estimator, optuna)
        return self._whole_fits(trial, estimator)

    def _fold_data(self, estimator, train, test):
        """Fit the transformers on the training part; return the final step
        (unfitted clone) and transformed train/test data."""
        final, head, _ = _final_step(estimator)
        X_train, X_test = _safe_indexing(self.X, train), _safe_indexing(self.X, test)
        y_train, y_test = _safe_indexing(self.y, train), _safe_indexing(self.y, test)
        params = {k: _safe_indexing(v, train) for k, v in self.fit_params.items()}
        if head is not None:
            head = clone(head)
            X_train = head.fit_transform(X_train, y_train)
            X_test = head.transform(X_test)
        return clone(final), (X_train, y_train, params), (X_test, y_test)

    def _by_epoch(self, trial, estimator, optuna):
        search = self.search
        final, _, _ = _final_step(estimator)
        scorer = search._scorer
        folds = [self._fold_data(estimator, tr, te) for tr, te in self.splits]
        extra = {}
        if is_classifier(final):
            extra["classes"] = np.unique(self.y)
        patience = final.n_iter_no_change if final.early_stopping else None
        best = (-np.inf, 0, None)
        fit_time = score_time = 0.0
        for epoch in range(1, final.max_epochs + 1):
            scores = []
            for model, (X_tr, y_tr, params), (X_te, y_te) in folds:
                start = time.perf_counter()
                try:
                    model.partial_fit(X_tr, y_tr, **extra, **params)
                except ValueError as exc:
                    if "training loss became" not in str(exc):
                        raise
                    # Diverged: certainly a bad configuration, stop it as such.
                    trial.set_user_attr("diverged", str(exc))
                    nan = [np.nan] * len(folds)
                    self._record(trial, nan, fit_time, score_time, epoch, best[1])
                    raise optuna.TrialPruned(f"diverged in epoch {epoch}") from None
                fit_time += time.perf_counter() - start
                start = time.perf_counter()
                scores.append(scorer(model, X_te, y_te))
                score_time += time.perf_counter() - start
            mean = float(np.mean(scores))
            if mean > best[0] or best[2] is None:
                best = (mean, epoch, scores)
            trial.report(mean, epoch)
            if trial.should_prune():
                self._record(trial, scores, fit_time, score_time, epoch, best[1])
                raise optuna.TrialPruned(f"pruned after epoch {epoch}")
            if patience is not None and epoch - best[1] >= patience:
                break
        # Recorded once per trial: every storage write is a round trip (a
        # journal append, a database transaction) that parallel workers share.
        if final.early_stopping:  # the epoch count is a searched quantity too
            self._record(trial, best[2], fit_time, score_time, epoch, best[1])
            return best[0]
        self._record(trial, scores, fit_time, score_time, epoch, best[1])
        return mean

    def _whole_fits(self, trial, estimator):
        scores, fit_time, score_time = [], 0.0, 0.0
        for train, test in self.splits:
            model, (X_tr, y_tr, params), (X_te, y_te) = self._fold_data(
                estimator, train, test
            )
            start = time.perf_counter()
            model.fit(X_tr, y_tr, **params)
            fit_time += time.perf_counter() - start
            start = time.perf_counter()
            scores.append(self.search._scorer(model, X_te, y_te))
            score_time += time.perf_counter() - start
        self._record(trial, scores, fit_time, score_time, None, None)
        return float(np.mean(scores))

    def _record(self, trial, scores, fit_time, score_time, n_epochs, best_epoch):
        n = len(self.splits)
        trial.set_user_attr("split_scores", [float(s) for s in scores])
        trial.set_user_attr("fit_time", fit_time / n)
        trial.set_user_attr("score_time", score_time / n)
        if n_epochs is not None:
            trial.set_user_attr("n_epochs", n_epochs)
            trial.set_user_attr("best_epoch", best_epoch)


def _best_has(name):
    """available_if check: refit is on and the estimator has ``name``."""

    def check(self):
        if not self.refit:
            raise AttributeError(f"{name} is available only with refit=True.")
        return hasattr(self.estimator, name)

    return check


def _optimize(optuna, study, objective, n_trials, timeout):
    with warnings.catch_warnings():
        # Optuna flags its heartbeat (stale-trial) checks as experimental.
        warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
        study.optimize(objective, n_trials=n_trials, timeout=timeout)


def _claim(tickets, n_trials):
    """Take one of ``n_trials`` tickets (files created atomically in the
    folder ``tickets``); False when all are taken. Workers take a ticket per
    trial, so a fast worker runs more trials than a slow one and the total
    is exactly ``n_trials``."""
    for i in range(n_trials):
        try:
            os.close(os.open(os.path.join(tickets, str(i)), os.O_CREAT | os.O_EXCL))
        except FileExistsError:
            continue
        return True
    return False


def _work(objective, storage, study_name, sampler, pruner, tickets, n_trials, timeout):
    """Run trials of one shared study in a worker process, one per ticket."""
    optuna = _optuna()
    deadline = None if timeout is None else time.monotonic() + timeout
    with _quiet(optuna, objective.search.verbose):
        study = optuna.load_study(
            study_name=study_name, storage=storage, sampler=sampler, pruner=pruner
        )
        while deadline is None or time.monotonic() < deadline:
            if not _claim(tickets, n_trials):
                break
            left = None if deadline is None else deadline - time.monotonic()
            _optimize(optuna, study, objective, 1, left)


@contextlib.contextmanager
def _quiet(optuna, verbose):
    """Optuna logs one line per trial; show them only when verbose."""
    before = optuna.logging.get_verbosity()
    optuna.logging.set_verbosity(
        optuna.logging.INFO if verbose else optuna.logging.WARNING
    )
    try:
        yield
    finally:
        optuna.logging.set_verbosity(before)


class OptunaSearchCV(MetaEstimatorMixin, BaseEstimator):
    """Hyperparameter search with Optuna, pruning bad trials epoch by epoch.

    An sklearn meta-estimator like :class:`~sklearn.model_selection.GridSearchCV`:
    it cross-validates sampled parameter settings, refits the best one on all
    data, and then predicts with it. Parameters of a Pipeline's steps are
    addressed as ``step__param``.

    For estimators that train by epochs (every skdl estimator), the folds of
    a trial train one epoch at a time, together; after each epoch the mean
    fold score is reported to Optuna, and the pruner stops trials that fall
    behind. Pruned trials are recorded as pruned, not as failures; so are
    trials whose training diverged (loss NaN/inf).

    Parameters
    ----------
    estimator : estimator object
        An skdl estimator, a Pipeline ending in one, or any sklearn estimator
        (without ``partial_fit`` each trial is one plain cross-validation, and
        nothing is pruned).

    param_distributions : dict, callable or None, default=None
        ``{name: distribution}`` with Optuna distributions (e.g.
        ``optuna.distributions.FloatDistribution(1e-4, 1e-1, log=True)``) or
        lists of choices; or a function ``(trial) -> dict of parameters`` that
        calls ``trial.suggest_*`` itself (needed for tuple parameters such as
        ``hidden_layer_sizes``). None uses the estimator's
        ``default_search_space()`` (for a Pipeline, its last step's, with the
        step prefix added).

    n_trials : int, default=10
        Trials to run in this call to ``fit`` (a resumed study keeps its
        earlier trials and adds these).

    timeout : float, default=None
        Stop starting new trials after this many seconds.

    cv : int, cross-validation generator or iterable, default=5
        As in GridSearchCV (stratified folds for classifiers).

    scoring : str or callable, default=None
        A scorer; None uses the estimator's ``score``.

    refit : bool, default=True
        Refit the best parameters on all data. When the estimator has
        ``early_stopping=True``, the search picks the epoch count too (the
        epoch of the best mean fold score), and the refit trains exactly that
        many epochs on all the data.

    n_jobs : int, default=1
        Trials run in parallel in this many worker processes, each with one
        torch thread. -1 uses all cores.

    sampler : optuna.samplers.BaseSampler, default=None
        None uses ``TPESampler(seed=random_state)``.

    pruner : optuna.pruners.BasePruner, default=None
        None uses ``MedianPruner(n_startup_trials=5, n_warmup_steps=1)``;
        ``optuna.pruners.HyperbandPruner()`` is another choice,
        ``optuna.pruners.NopPruner()`` turns pruning off.

    storage : str or optuna storage, default=None
        None keeps the study in memory. A URL such as
        ``"sqlite:///search.db"`` makes the search resumable: run it again
        with the same ``study_name`` and it continues the study. A PostgreSQL
        URL (``"postgresql://user:pass@host/db"``) lets several processes or
        machines work on one study. URLs get an RDB storage with a heartbeat,
        so a trial whose worker died is marked failed after two minutes.

    study_name : str, default=None
        Name of the study in ``storage``; None uses the estimator's class
        name followed by "-search" when a storage is given, a fresh name
        otherwise.

    random_state : int or None, default=None
        Seeds the default sampler (worker ``i`` uses ``random_state + i``).

    verbose : int, default=0
        0 is silent; 1 lets Optuna log each trial.

    Attributes
    ----------
    study_ : optuna.Study
        The study with all its trials (in memory after a parallel in-memory
        search).

    best_params_ : dict
        Estimator parameters of the best trial.

    best_score_ : float
        Mean cross-validated score of the best trial.

    best_index_ : int
        Row of the best trial in ``cv_results_``.

    best_estimator_ : estimator
        The refitted estimator (only with ``refit=True``).

    best_n_epochs_ : int
        Epochs the refit trained, when the search chose them (early stopping).

    cv_results_ : dict of ndarrays
        GridSearchCV's keys (``params``, ``param_<name>``,
        ``split<k>_test_score``, ``mean_test_score``, ``std_test_score``,
        ``rank_test_score``, ``mean_fit_time``, ...), one row per finished
        trial (complete or pruned; pruned rows hold the fold scores of their
        last epoch), plus ``state`` and ``n_epochs``.

    n_splits_ : int
        Number of cross-validation folds.

    refit_time_ : float
        Seconds spent refitting the best estimator.

    See Also
    --------
    sklearn.model_selection.GridSearchCV : Exhaustive search, no pruning.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from skdl import DenseClassifier
    >>> from skdl.search import OptunaSearchCV
    >>> X, y = load_iris(return_X_y=True)
    >>> search = OptunaSearchCV(DenseClassifier(max_epochs=5), n_trials=3, cv=3,
    ...                         random_state=0).fit(X, y)
    >>> len(search.study_.trials), sorted(search.best_params_)[:2]
    (3, ['batch_size', 'dropout'])
    """

    _parameter_constraints: dict = {
        "estimator": [object],
        "param_distributions": [dict, callable, None],
        "n_trials": [Interval(Integral, 1, None, closed="left")],
        "timeout": [Interval(Real, 0, None, closed="neither"), None],
        "cv": ["cv_object"],
        "scoring": [str, callable, None],
        "refit": ["boolean"],
        "n_jobs": [Integral, None],
        "sampler": [object, None],
        "pruner": [object, None],
        "storage": [str, object, None],
        "study_name": [str, None],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        estimator,
        param_distributions=None,
        *,
        n_trials=10,
        timeout=None,
        cv=5,
        scoring=None,
        refit=True,
        n_jobs=1,
        sampler=None,
        pruner=None,
        storage=None,
        study_name=None,
        random_state=None,
        verbose=0,
    ):
        self.estimator = estimator
        self.param_distributions = param_distributions
        self.n_trials = n_trials
        self.timeout = timeout
        self.cv = cv
        self.scoring = scoring
        self.refit = refit
        self.n_jobs = n_jobs
        self.sampler = sampler
        self.pruner = pruner
        self.storage = storage
        self.study_name = study_name
        self.random_state = random_state
        self.verbose = verbose

    # ------------------------------------------------------------------ space
    def _space(self):
        if self.param_distributions is not None:
            return self.param_distributions
        final, _, prefix = _final_step(self.estimator)
        if not hasattr(final, "default_search_space"):
            raise ValueError(
                f"OptunaSearchCV: {type(final).__name__} has no "
                "default_search_space(); pass param_distributions."
            )
        space = final.default_search_space()
        if not prefix:
            return space
        return _Prefixed(space, prefix)

    # --------------------------------------------------------------- storage
    def _storage(self, optuna, tmpdir):
        if self.storage is None:
            if self._n_workers() == 1:
                return optuna.storages.InMemoryStorage()
            path = os.path.join(tmpdir, "journal.log")
            return optuna.storages.JournalStorage(
                optuna.storages.journal.JournalFileBackend(path)
            )
        if isinstance(self.storage, str):
            with warnings.catch_warnings():  # the heartbeat is "experimental"
                warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
                return optuna.storages.RDBStorage(
                    self.storage, heartbeat_interval=30, grace_period=120
                )
        return self.storage

    def _n_workers(self):
        if self.n_jobs is None:
            return 1
        return os.cpu_count() if self.n_jobs < 0 else max(1, self.n_jobs)

    def _sampler(self, optuna, worker):
        if self.sampler is not None:
            return self.sampler
        seed = None if self.random_state is None else int(self.random_state) + worker
        return optuna.samplers.TPESampler(seed=seed)

    def _pruner(self, optuna):
        if self.pruner is not None:
            return self.pruner
        return optuna.pruners.MedianPruner(n_startup_trials=5, n_warmup_steps=1)

    # -------------------------------------------------------------------- fit
    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y=None, **fit_params):
        """Run ``n_trials`` trials, then refit the best parameters.

        Parameters
        ----------
        X : array-like or list of strings
            Anything the estimator's ``fit`` takes.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
        **fit_params : dict
            Per-sample arrays passed to the estimator's ``fit`` (e.g.
            ``sample_weight``), split with the folds.

        Returns
        -------
        self : OptunaSearchCV
        """
        optuna = _optuna()
        if isinstance(self.random_state, np.random.RandomState):
            raise ValueError(
                "OptunaSearchCV: random_state must be an int or None (it seeds "
                "Optuna's sampler)."
            )
        X, y = indexable(X, y)
        cv = check_cv(self.cv, y, classifier=is_classifier(self.estimator))
        splits = list(cv.split(X, y))
        self.n_splits_ = len(splits)
        self._scorer = check_scoring(self.estimator, self.scoring)
        objective = _Objective(self, X, y, splits, fit_params)
        space = self._space()  # fail early if there is none, or it is malformed
        if isinstance(space, dict):
            for name, dist in space.items():
                if not isinstance(
                    dist, list | tuple | optuna.distributions.BaseDistribution
                ):
                    raise TypeError(
                        f"OptunaSearchCV: param_distributions[{name!r}] must be an "
                        "Optuna distribution or a list of choices; got "
                        f"{type(dist).__name__}."
                    )
        workers = self._n_workers()
        with tempfile.TemporaryDirectory() as tmpdir, _quiet(optuna, self.verbose):
            storage = self._storage(optuna, tmpdir)
            name = self.study_name
            if name is None:
                final, _, _ = _final_step(self.estimator)
                name = (
                    f"{type(final).__name__}-search"
                    if self.storage is not None
                    else f"skdl-{os.getpid()}-{time.time_ns()}"
                )
            study = optuna.create_study(
                storage=storage,
                study_name=name,
                direction="maximize",
                sampler=self._sampler(optuna, 0),
                pruner=self._pruner(optuna),
                load_if_exists=True,
            )
            if workers == 1:
                _optimize(optuna, study, objective, self.n_trials, self.timeout)
            else:
                tickets = os.path.join(tmpdir, "tickets")
                os.mkdir(tickets)
                Parallel(n_jobs=workers)(
                    delayed(_work)(
                        objective,
                        storage,
                        name,
                        self._sampler(optuna, i),
                        self._pruner(optuna),
                        tickets,
                        self.n_trials,
                        self.timeout,
                    )
                    for i in range(min(workers, self.n_trials))
                )
                if self.storage is None:  # the journal file goes with tmpdir
                    memory = optuna.storages.InMemoryStorage()
                    optuna.copy_study(
                        from_study_name=name,
                        from_storage=storage,
                        to_storage=memory,
                    )
                    storage = memory
                study = optuna.load_study(
                    study_name=name,
                    storage=storage,
                    sampler=self._sampler(optuna, 0),
                    pruner=self._pruner(optuna),
                )
        self.study_ = study
        self._set_results(optuna)
        if self.refit:
            self._refit(X, y, fit_params)
        return self

    def _set_results(self, optuna):
        states = (optuna.trial.TrialState.COMPLETE, optuna.trial.TrialState.PRUNED)
        trials = [
            t
            for t in self.study_.trials
            if t.state in states and "split_scores" in t.user_attrs
        ]
        complete = [t for t in trials if t.state == optuna.trial.TrialState.COMPLETE]
        if not complete:
            raise ValueError(
                "OptunaSearchCV: no trial completed (all were pruned or failed); "
                "run more trials or use a less aggressive pruner."
            )
        n = self.n_splits_
        results = {"params": [dict(t.user_attrs["estimator_params"]) for t in trials]}
        names = sorted({k for p in results["params"] for k in p})
        for key in names:
            column = np.ma.MaskedArray(np.empty(len(trials), dtype=object), mask=True)
            for i, p in enumerate(results["params"]):
                if key in p:
                    column[i] = p[key]
            results[f"param_{key}"] = column
        scores = np.full((len(trials), n), np.nan)
        for i, t in enumerate(trials):
            split = t.user_attrs["split_scores"]
            scores[i, : len(split)] = split
        for k in range(n):
            results[f"split{k}_test_score"] = scores[:, k]
        value = np.array(
            [
                t.value if t.state == optuna.trial.TrialState.COMPLETE else np.nan
                for t in trials
            ]
        )
        finite = np.isfinite(scores)
        count = np.maximum(finite.sum(1), 1)
        fold_mean = np.where(finite, scores, 0.0).sum(1) / count
        fold_mean[~finite.any(1)] = np.nan  # diverged: no score at all
        fold_std = np.sqrt(
            np.where(finite, (scores - fold_mean[:, None]) ** 2, 0.0).sum(1) / count
        )
        results["mean_test_score"] = np.where(np.isnan(value), fold_mean, value)
        results["std_test_score"] = fold_std
        order = np.argsort(-np.where(np.isnan(value), -np.inf, value), kind="stable")
        ranks = np.empty(len(trials), dtype=np.int32)
        ranks[order] = np.arange(1, len(trials) + 1)
        results["rank_test_score"] = ranks
        for kind in ("fit", "score"):
            times = np.array([t.user_attrs.get(f"{kind}_time", np.nan) for t in trials])
            results[f"mean_{kind}_time"] = times
            results[f"std_{kind}_time"] = np.zeros(len(trials))
        results["state"] = np.array([t.state.name for t in trials])
        results["n_epochs"] = np.array(
            [t.user_attrs.get("n_epochs", -1) for t in trials]
        )
        self.cv_results_ = results
        best = int(order[0])
        self.best_index_ = best
        self.best_score_ = float(value[best])
        self.best_params_ = results["params"][best]
        self._best_epoch = trials[best].user_attrs.get("best_epoch")

    def _refit(self, X, y, fit_params):
        estimator = clone(self.estimator).set_params(**self.best_params_)
        final, _, prefix = _final_step(estimator)
        self.__dict__.pop("best_n_epochs_", None)
        if _trains_by_epoch(final) and final.early_stopping and self._best_epoch:
            estimator.set_params(
                **{
                    f"{prefix}max_epochs": self._best_epoch,
                    f"{prefix}early_stopping": False,
                }
            )
            self.best_n_epochs_ = self._best_epoch
        start = time.perf_counter()
        self.best_estimator_ = estimator.fit(X, y, **fit_params)
        self.refit_time_ = time.perf_counter() - start

    # ------------------------------------------------------------ delegation
    def trials_dataframe(self, **kwargs):
        """The study's trials as a pandas DataFrame (Optuna's own method)."""
        check_is_fitted(self, "study_")
        return self.study_.trials_dataframe(**kwargs)

    @available_if(_best_has("predict"))
    def predict(self, X):
        """Predict with the best estimator."""
        check_is_fitted(self, "best_estimator_")
        return self.best_estimator_.predict(X)

    @available_if(_best_has("predict_proba"))
    def predict_proba(self, X):
        """Class probabilities from the best estimator."""
        check_is_fitted(self, "best_estimator_")
        return self.best_estimator_.predict_proba(X)

    @available_if(_best_has("transform"))
    def transform(self, X):
        """Transform with the best estimator."""
        check_is_fitted(self, "best_estimator_")
        return self.best_estimator_.transform(X)

    def score(self, X, y=None):
        """Score of the best estimator (with ``scoring``, as in the search)."""
        check_is_fitted(self, "best_estimator_")
        return self._scorer(self.best_estimator_, X, y)

    @property
    def classes_(self):
        check_is_fitted(self, "best_estimator_")
        return self.best_estimator_.classes_

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        inner = self.estimator.__sklearn_tags__()
        tags.estimator_type = inner.estimator_type
        tags.input_tags = inner.input_tags
        tags.target_tags = inner.target_tags
        return tags


class _Prefixed:
    """A default ``(trial) -> params`` space with a Pipeline step prefix added."""

    def __init__(self, space, prefix):
        self.space = space
        self.prefix = prefix

    def __call__(self, trial):
        return {self.prefix + k: v for k, v in self.space(trial).items()}
