"""Exceptions and warnings that skdl raises (sklearn's types where they fit).

Bad input and bad parameters raise scikit-learn's own types (``ValueError``,
``sklearn.exceptions.NotFittedError``, ``InvalidParameterError``), so sklearn
tooling catches them. The types below are subclasses, for code that wants to
tell the cases apart by type instead of by message text.
"""

__all__ = ["DivergedError", "InputKindWarning"]


class DivergedError(ValueError):
    """Training stopped because the loss became NaN or infinite.

    A ``ValueError``, so ``GridSearchCV(error_score=...)`` and
    ``cross_val_score`` treat it as a failed fit.
    :class:`skdl.search.OptunaSearchCV` catches it and records the trial as
    pruned ("diverged").

    Attributes
    ----------
    epoch : int
        The epoch (1-based) in which the loss became non-finite.
    batch : int
        The batch (1-based) within that epoch.
    loss : float
        The loss value (``nan`` or ``inf``).

    Examples
    --------
    >>> import numpy as np
    >>> from skdl import DenseRegressor
    >>> from skdl.exceptions import DivergedError
    >>> X = np.random.RandomState(0).normal(size=(64, 3))
    >>> try:
    ...     DenseRegressor(lr=1e12, max_epochs=5, random_state=0).fit(X, X.sum(1))
    ... except DivergedError as exc:
    ...     print(exc.epoch >= 1, np.isfinite(exc.loss))
    True False
    """

    def __init__(self, message, *, epoch=None, batch=None, loss=None):
        super().__init__(message)
        self.epoch = epoch
        self.batch = batch
        self.loss = loss

    def __reduce__(self):  # keep the attributes across processes (joblib)
        return _diverged, (self.args[0], self.epoch, self.batch, self.loss)


def _diverged(message, epoch, batch, loss):
    return DivergedError(message, epoch=epoch, batch=batch, loss=loss)


class InputKindWarning(UserWarning):
    """The input's form may not say what the user meant (e.g. token ids
    passed as floats, which a sequence estimator reads as values).

    Examples
    --------
    >>> import warnings
    >>> import numpy as np
    >>> from skdl import SequenceCNNClassifier
    >>> from skdl.exceptions import InputKindWarning
    >>> ids = np.array([[2, 3, 4, 0], [3, 3, 0, 0]] * 5, dtype=float)
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     _ = SequenceCNNClassifier(max_epochs=1).fit(ids, [0, 1] * 5)
    >>> any(issubclass(w.category, InputKindWarning) for w in caught)
    True
    """
