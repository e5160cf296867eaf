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
import difflib
import itertools
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

from ..exceptions import DivergedError
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
        _check_param_names(self.search.estimator, params)
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

    def _scores(self, model, X, y):
        """``{metric: score}`` of a fitted fold model."""
        out = self.search._scorer(model, X, y)
        return out if isinstance(out, dict) else {"score": out}

    def _by_epoch(self, trial, estimator, optuna):
        search = self.search
        final, _, _ = _final_step(estimator)
        metric = search._metric
        folds = [self._fold_data(estimator, tr, te) for tr, te in self.splits]
        extra = {}
        if is_classifier(final):
            extra["classes"] = np.unique(self.y)
        patience = final.n_iter_no_change if final.early_stopping else None
        best = (-np.inf, 0, None)
        fit_time = score_time = 0.0
        # skdl's "auto" is resolved below, as the first fold's fit resolves it
        # (it may depend on the input), so that its schedule is kept
        n_epochs = final.max_epochs if isinstance(final.max_epochs, Integral) else 1
        planned = not hasattr(final, "_planned_epochs")
        epoch = 0
        while epoch < n_epochs:
            epoch += 1
            scores = []
            for model, (X_tr, y_tr, params), (X_te, y_te) in folds:
                start = time.perf_counter()
                step = getattr(model, "_fit_next_epoch", model.partial_fit)
                try:
                    step(X_tr, y_tr, **extra, **params)
                except DivergedError as exc:
                    # Diverged: certainly a bad configuration, stop it as such.
                    trial.set_user_attr("diverged", str(exc))
                    nan = {m: [np.nan] * len(folds) for m in search._metrics}
                    self._record(trial, nan, fit_time, score_time, epoch, best[1])
                    raise optuna.TrialPruned(f"diverged in epoch {epoch}") from None
                fit_time += time.perf_counter() - start
                if not planned:
                    n_epochs, planned = model._planned_epochs(len(y_tr)), True
                start = time.perf_counter()
                scores.append(self._scores(model, X_te, y_te))
                score_time += time.perf_counter() - start
            scores = {m: [s[m] for s in scores] for m in scores[0]}
            mean = float(np.mean(scores[metric]))
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
        metric = self.search._metric
        for train, test in self.splits:
            model, (X_tr, y_tr, params), (X_te, y_te) = self._fold_data(
                estimator, train, test
            )
            start = time.perf_counter()
            model.fit(X_tr, y_tr, **params)
            fit_time += time.perf_counter() - start
            start = time.perf_counter()
            scores.append(self._scores(model, X_te, y_te))
            score_time += time.perf_counter() - start
        scores = {m: [s[m] for s in scores] for m in scores[0]}
        self._record(trial, scores, fit_time, score_time, None, None)
        return float(np.mean(scores[metric]))

    def _record(self, trial, scores, fit_time, score_time, n_epochs, best_epoch):
        """Store a trial's fold scores (``{metric: [per fold]}``) and times."""
        n = len(self.splits)
        trial.set_user_attr(
            "split_scores", {m: [float(v) for v in s] for m, s in scores.items()}
        )
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
    is exactly ``n_trials``; with None, workers claim tickets until the
    timeout ends the search."""
    for i in range(n_trials) if n_trials is not None else itertools.count():
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

    n_trials : int or None, default=10
        Trials to run in this call to ``fit`` (a resumed study keeps its
        earlier trials and adds these). None runs trials until ``timeout``
        (which must then be set).

    timeout : float, default=None
        Stop starting new trials after this many seconds.

    cv : int, cross-validation generator or iterable, default=5
        As in GridSearchCV (stratified folds for classifiers).

    scoring : str, callable, list, tuple or dict, default=None
        A scorer; None uses the estimator's ``score``. Several metrics (a
        list of names or a ``{name: scorer}`` dict, as in GridSearchCV) are
        all recorded in ``cv_results_``; ``refit`` names the one Optuna
        optimises and prunes on.

    refit : bool or str, default=True
        Refit the best parameters on all data. With several metrics in
        ``scoring``, the name of the metric that decides (and is optimised),
        e.g. ``refit="roc_auc"``. When the estimator has
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
        otherwise. A stored study made by a search over another estimator
        is refused before any trial runs.

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
        Mean cross-validated score of the best trial (of the ``refit``
        metric when there are several).

    best_index_ : int
        Row of the best trial in ``cv_results_``.

    best_estimator_ : estimator
        The refitted estimator (only with ``refit=True``).

    best_n_epochs_ : int
        Epochs the refit trained, when the search chose them (early stopping).

    cv_results_ : dict of ndarrays
        GridSearchCV's keys (``params``, ``param_<name>``,
        ``split<k>_test_score``, ``mean_test_score``, ``std_test_score``,
        ``rank_test_score``, ``mean_fit_time``, ...; with several metrics
        ``mean_test_<name>`` and so on for each), one row per finished trial
        (complete or pruned; pruned rows hold the fold scores of their last
        epoch), plus ``state`` and ``n_epochs``.

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
        "n_trials": [Interval(Integral, 1, None, closed="left"), None],
        "timeout": [Interval(Real, 0, None, closed="neither"), None],
        "cv": ["cv_object"],
        "scoring": [str, callable, list, tuple, dict, None],
        "refit": ["boolean", str],
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

    def _check_space(self, optuna):
        """Refuse a missing or malformed space, and parameter names the
        estimator does not have, before any trial runs."""
        space = self._space()
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
            names = list(space)
        else:  # sample a callable space once, with a trial of a throw-away study
            with _quiet(optuna, self.verbose):
                probe = optuna.create_study(sampler=optuna.samplers.RandomSampler(0))
                names = list(space(probe.ask()))
        _check_param_names(self.estimator, dict.fromkeys(names))

    # --------------------------------------------------------------- scoring
    def _set_scoring(self):
        """The scorer, the metric names, and the one that is optimised."""
        self._scorer = check_scoring(self.estimator, self.scoring)
        multi = isinstance(self.scoring, list | tuple | dict)
        self._metrics = list(self.scoring) if multi else ["score"]
        if isinstance(self.scoring, list | tuple):
            self._metrics = [str(m) for m in self.scoring]
        if not multi:
            self._metric = "score"
            self._refit_scorer = self._scorer
            return
        if not isinstance(self.refit, str) or self.refit not in self._metrics:
            raise ValueError(
                "OptunaSearchCV: with several metrics in scoring, refit must be "
                "the name of the one to optimise and refit on, one of "
                f"{self._metrics}; got refit={self.refit!r}."
            )
        self._metric = self.refit
        chosen = self.scoring[self.refit] if isinstance(self.scoring, dict) else None
        self._refit_scorer = check_scoring(self.estimator, chosen or self.refit)

    def _check_stored_study(self, study, name):
        """Refuse to continue a stored study that searched another estimator."""
        described = _describe(self.estimator)
        previous = study.user_attrs.get("skdl_estimator")
        if previous is not None and previous != described:
            raise ValueError(
                f"OptunaSearchCV: the study {name!r} in this storage was made by a "
                f"search over {previous}, but this search is over {described}. "
                "Its trials' parameters would not fit; use another study_name to "
                "start a new study, or the original estimator to continue it."
            )
        valid = set(self.estimator.get_params(deep=True))
        for trial in study.trials:
            stored = trial.user_attrs.get("estimator_params", {})
            unknown = sorted(set(stored) - valid)
            if unknown:
                raise ValueError(
                    f"OptunaSearchCV: the study {name!r} in this storage holds "
                    f"trials with parameters {unknown}, which {described} does not "
                    "have: it was made by a search over another estimator. Use "
                    "another study_name to start a new study."
                )
        if previous is None:
            study.set_user_attr("skdl_estimator", described)

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
        if self.n_trials is None and self.timeout is None:
            raise ValueError(
                "OptunaSearchCV: n_trials=None runs trials until the timeout, so "
                "set timeout=<seconds> too (or give n_trials)."
            )
        X, y = indexable(X, y)
        cv = check_cv(self.cv, y, classifier=is_classifier(self.estimator))
        splits = list(cv.split(X, y))
        self.n_splits_ = len(splits)
        self._set_scoring()
        objective = _Objective(self, X, y, splits, fit_params)
        self._check_space(optuna)  # fail early: no space, bad names, bad types
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
            self._check_stored_study(study, name)
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
                    for i in range(min(workers, self.n_trials or workers))
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
        results = {"params": [dict(t.user_attrs["estimator_params"]) for t in trials]}
        names = sorted({k for p in results["params"] for k in p})
        for key in names:
            column = np.ma.MaskedArray(np.empty(len(trials), dtype=object), mask=True)
            for i, p in enumerate(results["params"]):
                if key in p:
                    column[i] = p[key]
            results[f"param_{key}"] = column
        value = np.array(
            [
                t.value if t.state == optuna.trial.TrialState.COMPLETE else np.nan
                for t in trials
            ]
        )
        order = np.argsort(-np.where(np.isnan(value), -np.inf, value), kind="stable")
        split_scores = [_split_scores(t) for t in trials]
        for metric in self._metrics:  # "score" when there is one metric
            self._metric_results(results, split_scores, metric)
            if metric == self._metric:
                # The objective's value: the best epoch's mean with early stopping.
                mean = results[f"mean_test_{metric}"]
                results[f"mean_test_{metric}"] = np.where(np.isnan(value), mean, value)
                ranks = np.empty(len(trials), dtype=np.int32)
                ranks[order] = np.arange(1, len(trials) + 1)
                results[f"rank_test_{metric}"] = ranks
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

    def _metric_results(self, results, split_scores, metric):
        """``split<k>_test_``, ``mean_test_``, ``std_test_`` and
        ``rank_test_`` columns of one metric (NaN folds left out)."""
        n = self.n_splits_
        scores = np.full((len(split_scores), n), np.nan)
        for i, per_metric in enumerate(split_scores):
            split = per_metric.get(metric, [])
            scores[i, : len(split)] = split
        for k in range(n):
            results[f"split{k}_test_{metric}"] = scores[:, k]
        finite = np.isfinite(scores)
        count = np.maximum(finite.sum(1), 1)
        mean = np.where(finite, scores, 0.0).sum(1) / count
        mean[~finite.any(1)] = np.nan  # diverged: no score at all
        std = np.sqrt(
            np.where(finite, (scores - mean[:, None]) ** 2, 0.0).sum(1) / count
        )
        results[f"mean_test_{metric}"] = mean
        results[f"std_test_{metric}"] = std
        order = np.argsort(-np.where(np.isnan(mean), -np.inf, mean), kind="stable")
        ranks = np.empty(len(split_scores), dtype=np.int32)
        ranks[order] = np.arange(1, len(split_scores) + 1)
        results[f"rank_test_{metric}"] = ranks

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
        """Score of the best estimator (with ``scoring``, as in the search; the
        ``refit`` metric when there are several)."""
        check_is_fitted(self, "best_estimator_")
        return self._refit_scorer(self.best_estimator_, X, y)

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


def _split_scores(trial):
    """A trial's ``{metric: [fold scores]}`` (older studies stored a list)."""
    split = trial.user_attrs["split_scores"]
    return split if isinstance(split, dict) else {"score": split}


def _describe(estimator):
    """A short name of the estimator a search runs over, for stored studies."""
    if isinstance(estimator, Pipeline):
        steps = ", ".join(f"{n}={type(s).__name__}" for n, s in estimator.steps)
        return f"Pipeline({steps})"
    return type(estimator).__name__


def _check_param_names(estimator, params):
    """Raise a ValueError naming the right spelling for unknown parameters."""
    valid = set(estimator.get_params(deep=True))
    for name in params:
        if name in valid:
            continue
        _, _, prefix = _final_step(estimator)
        what = _describe(estimator)
        if prefix and prefix + name in valid:
            hint = (
                f" Parameters of the Pipeline's last step are addressed with its "
                f"name: {prefix + name!r}."
            )
        else:
            close = difflib.get_close_matches(name, sorted(valid), n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
        raise ValueError(
            f"OptunaSearchCV: the search space sets {name!r}, which is not a "
            f"parameter of {what}.{hint}"
        )


class _Prefixed:
    """A default ``(trial) -> params`` space with a Pipeline step prefix added."""

    def __init__(self, space, prefix):
        self.space = space
        self.prefix = prefix

    def __call__(self, trial):
        return {self.prefix + k: v for k, v in self.space(trial).items()}
