"""Training curves of a fitted estimator, in scikit-learn's Display style."""

import numpy as np
from sklearn.utils.validation import check_is_fitted


def _import_pyplot(caller):
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise ImportError(
            f"{caller} needs matplotlib. Install it with: pip install "
            '"skdl[plot]" (or pip install matplotlib)'
        ) from exc
    return plt


def _trained_step(estimator):
    """The skdl estimator whose history is drawn: the estimator itself, a
    Pipeline's last step, or a fitted search's ``best_estimator_``."""
    seen = estimator
    for _ in range(10):  # pipelines of searches of pipelines...
        if hasattr(seen, "history_"):
            return seen
        if hasattr(seen, "best_estimator_"):
            seen = seen.best_estimator_
        elif hasattr(seen, "steps"):
            seen = seen.steps[-1][1]
        else:
            break
    check_is_fitted(estimator)  # NotFittedError for an unfitted one
    raise TypeError(
        f"{type(estimator).__name__} has no training history: "
        "TrainingHistoryDisplay draws skdl estimators (or a Pipeline ending in "
        "one, or a fitted search over them)."
    )


class TrainingHistoryDisplay:
    """Training and validation curves per epoch, with the best epoch marked.

    Build it with :meth:`from_estimator` from a fitted skdl estimator (no
    refit), or from a ``history_`` list; :meth:`plot` draws. Needs
    matplotlib (``pip install "skdl[plot]"``).

    Parameters
    ----------
    history : list of dict
        One dict per epoch, as an estimator's ``history_``: ``epoch``,
        ``train_loss`` and, with a validation split, ``valid_loss`` and
        validation metrics (``valid_acc``, ``valid_r2``).
    best_epoch : int, default=None
        The epoch whose weights early stopping restored (``best_epoch_``),
        marked by a vertical line; None marks nothing.
    estimator_name : str, default=None
        Shown in the title.
    loss_note : str, default=None
        Added to the loss axis label (for regressors that standardise y:
        "on standardised y").

    Attributes
    ----------
    lines_ : dict of str to matplotlib Line2D
        One line per drawn column of the history, by column name
        (``"train_loss"``, ``"valid_loss"``, ...).
    best_line_ : matplotlib Line2D or None
        The vertical line at ``best_epoch``.
    ax_ : matplotlib Axes
    figure_ : matplotlib Figure

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np
    >>> from skdl import DenseClassifier
    >>> from skdl.inspection import TrainingHistoryDisplay
    >>> X = np.random.RandomState(0).normal(size=(200, 4))
    >>> y = (X[:, 0] > 0).astype(int)
    >>> clf = DenseClassifier(early_stopping=True, max_epochs=30, random_state=0)
    >>> display = TrainingHistoryDisplay.from_estimator(clf.fit(X, y))
    >>> sorted(display.lines_)
    ['train_loss', 'valid_loss']
    """

    def __init__(
        self, *, history, best_epoch=None, estimator_name=None, loss_note=None
    ):
        self.history = history
        self.best_epoch = best_epoch
        self.estimator_name = estimator_name
        self.loss_note = loss_note

    def _columns(self, metrics):
        available = sorted(
            {k for row in self.history for k in row}
            - {"epoch", "dur", "train_batch_count", "valid_batch_count"}
            - {k for row in self.history for k in row if k.endswith("_best")}
        )
        columns = []
        for metric in metrics:
            found = [
                c
                for c in (metric, f"train_{metric}", f"valid_{metric}")
                if c in available and c not in columns
            ]
            if not found:
                raise ValueError(
                    f"The history has no {metric!r} column; it has "
                    f"{available}. Validation columns (valid_loss, valid_acc, "
                    "valid_r2) need early_stopping=True or a validation split."
                )
            columns += found
        return columns

    def plot(self, metrics=("loss",), *, ax=None, **kwargs):
        """Draw the curves.

        Parameters
        ----------
        metrics : sequence of str, default=("loss",)
            History columns to draw: a name such as ``"loss"`` draws
            ``train_loss`` and ``valid_loss`` (those there are); ``"acc"``
            draws ``valid_acc``; full column names work too. All go on one
            axes: call twice with two axes for scales that differ.
        ax : matplotlib Axes, default=None
            Axes to draw on; a new figure's by default.
        **kwargs
            Passed to ``Axes.plot`` for every line.

        Returns
        -------
        display : TrainingHistoryDisplay
            With ``lines_``, ``best_line_``, ``ax_`` and ``figure_``.
        """
        plt = _import_pyplot(type(self).__name__)
        if isinstance(metrics, str):
            metrics = (metrics,)
        columns = self._columns(metrics)
        if ax is None:
            _, ax = plt.subplots()
        self.lines_ = {}
        for column in columns:
            rows = [r for r in self.history if r.get(column) is not None]
            epochs = np.array([r["epoch"] for r in rows])
            values = np.array([float(r[column]) for r in rows])
            label = column.replace("_", " ")
            (self.lines_[column],) = ax.plot(
                epochs, values, marker="o", markersize=3, label=label, **kwargs
            )
        self.best_line_ = None
        if self.best_epoch is not None:
            self.best_line_ = ax.axvline(
                self.best_epoch,
                color="grey",
                linestyle="--",
                linewidth=1,
                label=f"best epoch ({self.best_epoch})",
            )
        ylabel = ", ".join(metrics)
        if self.loss_note and "loss" in metrics:
            ylabel += f" ({self.loss_note})"
        ax.set(xlabel="epoch", ylabel=ylabel)
        if self.estimator_name:
            ax.set_title(self.estimator_name)
        ax.legend(loc="best")
        self.ax_, self.figure_ = ax, ax.figure
        return self

    @classmethod
    def from_estimator(
        cls, estimator, *, metrics=("loss",), ax=None, name=None, **kwargs
    ):
        """Draw the history of a fitted estimator (nothing is refitted).

        Parameters
        ----------
        estimator : fitted skdl estimator, Pipeline or search
            A Pipeline draws its last step; a fitted search (``GridSearchCV``,
            :class:`~skdl.search.OptunaSearchCV`) its ``best_estimator_``.
        metrics, ax, **kwargs
            As for :meth:`plot`.
        name : str, default=None
            Title; the estimator's class name by default.

        Returns
        -------
        display : TrainingHistoryDisplay
        """
        _import_pyplot(cls.__name__)
        step = _trained_step(estimator)
        note = None
        if getattr(step, "normalize_y", False):
            note = "on standardised y"
        display = cls(
            history=step.history_,
            best_epoch=getattr(step, "best_epoch_", None),
            estimator_name=type(step).__name__ if name is None else name,
            loss_note=note,
        )
        return display.plot(metrics, ax=ax, **kwargs)
