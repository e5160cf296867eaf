"""Seed ensembles: one estimator trained several times, differing only by seed.

A network's score moves with its initialisation and the order of its batches,
most on small data sets (the defaults benchmark's seed table: five seeds of
the sequence CNN spread from 0.76 to 0.87 on 106 promoters). Averaging
members that differ only by ``random_state`` can narrow that spread (how
much depends on the data: ``benchmarks/README.md``, step 19), and the
members' disagreement is a measure of the model's uncertainty (a deep ensemble,
Lakshminarayanan et al., 2017).

The members are clones of any estimator with a ``random_state`` parameter,
skdl's or not, alone or as the last step of a ``Pipeline``; ``X`` reaches them
as given, so raw strings reach a tokenizer step.
"""

from numbers import Integral

import numpy as np
from joblib import Parallel, delayed
from sklearn.base import (
    BaseEstimator,
    ClassifierMixin,
    MetaEstimatorMixin,
    RegressorMixin,
    clone,
)
from sklearn.utils import check_random_state
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.validation import check_is_fitted

from ..utils._compat import Interval, _fit_context


def _seed_params(estimator):
    """The names of every ``random_state`` among the estimator's (nested)
    parameters: ``random_state`` itself and ``step__random_state`` in a
    pipeline."""
    return sorted(
        name
        for name in estimator.get_params(deep=True)
        if name == "random_state" or name.endswith("__random_state")
    )


def _fit_member(estimator, X, y, fit_params):
    return estimator.fit(X, y, **fit_params)


def _estimator_has(name):
    def check(self):
        return hasattr(self.estimator, name)

    return check


class _BaseSeedEnsemble(MetaEstimatorMixin, BaseEstimator):
    _parameter_constraints: dict = {
        "estimator": [object],
        "n_members": [Interval(Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
        "n_jobs": [Integral, None],
    }

    def __init__(self, estimator, *, n_members=5, random_state=None, n_jobs=None):
        self.estimator = estimator
        self.n_members = n_members
        self.random_state = random_state
        self.n_jobs = n_jobs

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, sample_weight=None, **fit_params):
        """Fit ``n_members`` clones of ``estimator``, each with its own seed.

        Parameters
        ----------
        X : array-like or list
            Training input, passed to every member unchanged.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Targets.
        sample_weight : array-like of shape (n_samples,), default=None
            Passed to each member's ``fit`` when given.
        **fit_params : dict
            Further arguments of the members' ``fit`` (e.g. a pipeline
            step's ``cnn__sample_weight``).

        Returns
        -------
        self : object
            The fitted ensemble.
        """
        names = _seed_params(self.estimator)
        if not names:
            raise ValueError(
                f"{type(self).__name__} needs an estimator with a random_state "
                f"parameter (its own or a pipeline step's); "
                f"{type(self.estimator).__name__} has none, so its members "
                "would all be the same model."
            )
        if sample_weight is not None:
            fit_params = {**fit_params, "sample_weight": sample_weight}
        rng = check_random_state(self.random_state)
        seeds = rng.randint(np.iinfo(np.int32).max, size=self.n_members)
        members = [
            clone(self.estimator).set_params(**dict.fromkeys(names, int(seed)))
            for seed in seeds
        ]
        self.estimators_ = Parallel(n_jobs=self.n_jobs)(
            delayed(_fit_member)(member, X, y, fit_params) for member in members
        )
        self.seeds_ = seeds
        self._multilabel = type_of_target(y) == "multilabel-indicator"
        return self

    @property
    def n_features_in_(self):
        """Number of features seen in fit (the first member's)."""
        check_is_fitted(self, "estimators_")
        return self.estimators_[0].n_features_in_

    @property
    def feature_names_in_(self):
        """Names of the features seen in fit, where they had names."""
        check_is_fitted(self, "estimators_")
        return self.estimators_[0].feature_names_in_

    def _stacked(self, method, X):
        check_is_fitted(self, "estimators_")
        return np.stack([getattr(m, method)(X) for m in self.estimators_])

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        inner = self.estimator.__sklearn_tags__()
        tags.input_tags = inner.input_tags
        tags.target_tags = inner.target_tags
        tags.non_deterministic = inner.non_deterministic
        return tags


_DOC = """
    Parameters
    ----------
    estimator : estimator object
        The model to train ``n_members`` times: any estimator with a
        ``random_state`` parameter, or a ``Pipeline`` with one in some step
        (every ``random_state`` found in ``get_params(deep=True)`` gets the
        member's seed).

    n_members : int, default=5
        How many members to train. Fit and prediction cost grow with it.

    random_state : int, RandomState instance or None, default=None
        Draws the members' seeds (as ``BaggingClassifier`` does): the same
        int gives the same seeds, hence the same members. The estimator's
        own ``random_state`` is overwritten in every member. Two ensembles
        with different ints share no member seed (unless by a rare
        coincidence of the draw), so their scores vary as ensembles do.

    n_jobs : int or None, default=None
        Members trained at once (joblib processes); None is one at a time.

    Attributes
    ----------
    estimators_ : list of estimators
        The fitted members, in the order of ``seeds_``.

    seeds_ : ndarray of shape (n_members,)
        The ``random_state`` each member was trained with: member ``i`` is
        ``clone(estimator).set_params(random_state=seeds_[i])`` (or
        ``step__random_state`` for a pipeline) fitted on the same data.

    n_features_in_ : int
        Number of features seen in fit, where the members record it.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of the features seen in fit, where ``X`` had them.
"""


class SeedEnsembleClassifier(ClassifierMixin, _BaseSeedEnsemble):
    __doc__ = (
        """Average the class probabilities of members that differ only by seed.

    Each member is ``estimator`` cloned with its own ``random_state`` and
    fitted on the whole training set (no resampling: unlike bagging, every
    member sees every row). ``predict_proba`` is the mean of the members'
    probabilities, ``predict`` its most probable class. Fitting costs
    ``n_members`` fits. For a 0/1 label-indicator ``y`` (multilabel),
    each label's probabilities are averaged and ``predict`` thresholds the
    mean at 0.5.
"""
        + _DOC
        + """
    classes_ : ndarray of shape (n_classes,)
        The class labels (the first member's; all members see the same
        ``y``).

    See Also
    --------
    SeedEnsembleRegressor : The same for regression, with the members' spread.
    sklearn.ensemble.BaggingClassifier : Members trained on resampled rows;
        it validates ``X`` as a table, so it cannot take raw strings.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from skdl import DenseClassifier
    >>> from skdl.ensemble import SeedEnsembleClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> ens = SeedEnsembleClassifier(DenseClassifier(max_epochs=5), n_members=3,
    ...                              random_state=0).fit(X, y)
    >>> len(ens.estimators_), ens.predict_proba(X[:2]).shape
    (3, (2, 3))
    """
    )

    @property
    def classes_(self):
        check_is_fitted(self, "estimators_")
        return self.estimators_[0].classes_

    @available_if(_estimator_has("predict_proba"))
    def predict_proba(self, X):
        """The mean of the members' class probabilities.

        Parameters
        ----------
        X : array-like or list
            Input as the members take it.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Rows sum to 1, columns in the order of ``classes_``.
        """
        return self._stacked("predict_proba", X).mean(axis=0)

    @available_if(_estimator_has("predict_proba"))
    def predict(self, X):
        """The class with the highest mean probability.

        Parameters
        ----------
        X : array-like or list
            Input as the members take it.

        Returns
        -------
        y : ndarray of shape (n_samples,) or (n_samples, n_labels)
            Labels of ``classes_``; for a 0/1 label-indicator ``y``, the
            labels whose mean probability is over 0.5.
        """
        proba = self.predict_proba(X)
        if self._multilabel:
            return (proba > 0.5).astype(int)
        return self.classes_[np.argmax(proba, axis=1)]


class SeedEnsembleRegressor(RegressorMixin, _BaseSeedEnsemble):
    __doc__ = (
        """Average the predictions of members that differ only by seed.

    Each member is ``estimator`` cloned with its own ``random_state`` and
    fitted on the whole training set. ``predict`` is the mean of the
    members' predictions; ``predict(X, return_std=True)`` also gives their
    standard deviation, a deep ensemble's estimate of the model's
    uncertainty (Lakshminarayanan et al., 2017, with the members' spread
    only: no member predicts a variance of its own). It is not a calibrated
    interval: check its coverage on held-out data before relying on it.
    Fitting costs ``n_members`` fits.
"""
        + _DOC
        + """
    See Also
    --------
    SeedEnsembleClassifier : The same for classification.
    sklearn.ensemble.BaggingRegressor : Members trained on resampled rows.

    Examples
    --------
    >>> from sklearn.datasets import load_diabetes
    >>> from skdl import DenseRegressor
    >>> from skdl.ensemble import SeedEnsembleRegressor
    >>> X, y = load_diabetes(return_X_y=True)
    >>> ens = SeedEnsembleRegressor(DenseRegressor(max_epochs=5), n_members=3,
    ...                             random_state=0).fit(X, y)
    >>> mean, std = ens.predict(X[:4], return_std=True)
    >>> mean.shape, bool((std > 0).all())
    ((4,), True)
    """
    )

    def predict(self, X, return_std=False):
        """The mean of the members' predictions, and optionally their spread.

        Parameters
        ----------
        X : array-like or list
            Input as the members take it.
        return_std : bool, default=False
            Also return the standard deviation over the members.

        Returns
        -------
        y_mean : ndarray of shape (n_samples,) or (n_samples, n_outputs)
            In the shape of the ``y`` the members were fitted on.
        y_std : ndarray, same shape as ``y_mean``
            Only with ``return_std=True``: the members' standard deviation
            (0 for one member).
        """
        preds = self._stacked("predict", X)
        mean = preds.mean(axis=0)
        if return_std:
            return mean, preds.std(axis=0)
        return mean
