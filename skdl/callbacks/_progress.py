"""What a fit shows while it runs: a progress bar or one plain line per epoch.

skorch's own ``PrintLog`` table colours its best values with ANSI codes,
which end up as escape sequences in log files and CI output; these write
plain text (tqdm draws the bar, in a terminal or, through ``tqdm.auto``, a
notebook widget where ipywidgets is installed).
"""

import sys

from skorch.callbacks import Callback

# History keys that are bookkeeping, not numbers to show.
_HIDDEN = {"epoch", "dur", "batches", "train_batch_count", "valid_batch_count"}


def epoch_line(row, total=None):
    """One epoch of a skorch history as plain text: the epoch, its losses
    and scores (a ``*`` after the validation loss when it is the best so
    far) and its duration."""
    epoch = row["epoch"]
    width = len(str(total)) if total else 0
    parts = [f"epoch {epoch:>{width}}" + (f"/{total}" if total else "")]
    for key, value in row.items():
        if key in _HIDDEN or key.endswith("_best") or value is None:
            continue
        try:
            text = f"{float(value):.4f}"
        except (TypeError, ValueError):
            continue
        best = "*" if key == "valid_loss" and row.get("valid_loss_best") else ""
        parts.append(f"{key} {text}{best}")
    if "dur" in row:
        parts.append(f"{row['dur']:.2f}s")
    return "  ".join(parts)


class EpochProgress(Callback):
    """Per-epoch feedback for ``verbose=1`` (a bar) and ``verbose=2`` (a line).

    Parameters
    ----------
    bar : bool, default=True
        True: a tqdm bar over each epoch's training batches showing the
        running training loss, left on screen at the epoch's end with the
        epoch's losses and validation scores. False: one plain line per
        epoch (:func:`epoch_line`).
    file : file-like, default=None
        Where to write; ``sys.stderr`` for the bar (as tqdm does) and
        ``sys.stdout`` for lines when None.

    Attributes
    ----------
    total_epochs : int or None
        Shown as "epoch 3/20"; the estimators set it before training.

    Examples
    --------
    ``verbose=1`` gives the bar, ``verbose=2`` the lines:

    >>> import numpy as np
    >>> from skdl import DenseRegressor
    >>> X = np.random.RandomState(0).normal(size=(40, 3))
    >>> reg = DenseRegressor(verbose=2, max_epochs=2, random_state=0)
    >>> _ = reg.fit(X, X.sum(1))  # doctest: +ELLIPSIS
    epoch 1/2 ...
    epoch 2/2 ...
    """

    def __init__(self, bar=True, file=None):
        self.bar = bar
        self.file = file
        self.total_epochs = None

    def on_epoch_begin(self, net, dataset_train=None, **kwargs):
        self.bar_ = None
        self.loss_sum_, self.n_batches_ = 0.0, 0
        if not self.bar:
            return
        from tqdm.auto import tqdm

        total = None
        if dataset_train is not None:
            total = len(net.get_iterator(dataset_train, training=True))
        epoch = len(net.history)
        self.bar_ = tqdm(
            total=total,
            desc=f"epoch {epoch}"
            + (f"/{self.total_epochs}" if self.total_epochs else ""),
            unit="batch",
            leave=True,
            dynamic_ncols=True,
            file=self.file or sys.stderr,
        )

    def on_batch_end(self, net, training=False, loss=None, **kwargs):
        if self.bar_ is None or not training:
            return
        self.loss_sum_ += loss.item()
        self.n_batches_ += 1
        self.bar_.update(1)
        self.bar_.set_postfix_str(
            f"train_loss {self.loss_sum_ / self.n_batches_:.4f}", refresh=False
        )

    def on_epoch_end(self, net, **kwargs):
        row = net.history[-1]
        if self.bar_ is not None:
            # The epoch's numbers replace the running loss on the bar.
            line = epoch_line(row)
            self.bar_.set_postfix_str(line.split("  ", 1)[1] if "  " in line else "")
            self.bar_.close()
            self.bar_ = None
        else:
            print(epoch_line(row, self.total_epochs), file=self.file or sys.stdout)

    def on_train_end(self, net, **kwargs):
        if getattr(self, "bar_", None) is not None:  # an interrupted epoch
            self.bar_.close()
            self.bar_ = None

    def __getstate__(self):
        state = self.__dict__.copy()
        # Bars and streams do not pickle: a loaded net writes to the defaults.
        state.update(bar_=None, file=None)
        return state
