"""skorch callbacks that skdl adds to every net."""

import math
import warnings

import numpy as np
import torch
from sklearn.exceptions import UndefinedMetricWarning
from skorch.callbacks import Callback, EarlyStopping


class NonFiniteLossError(FloatingPointError):
    """Raised by :class:`StopOnNonFiniteLoss`; estimators turn it into ValueError."""

    def __init__(self, epoch, batch, loss):
        self.epoch, self.batch, self.loss = epoch, batch, loss
        super().__init__(f"training loss became {loss} in epoch {epoch}, batch {batch}")


class StopOnNonFiniteLoss(Callback):
    """Stop training at the first batch whose training loss is NaN or inf.

    Continuing would only return NaN weights and NaN predictions, so the fit
    is stopped with :class:`NonFiniteLossError`.
    """

    def on_epoch_begin(self, net, **kwargs):
        self.batch_ = 0

    def on_batch_end(self, net, batch=None, training=False, loss=None, **kwargs):
        if not training:
            return
        self.batch_ += 1
        value = loss.item()
        if not math.isfinite(value):
            raise NonFiniteLossError(len(net.history), self.batch_, value)


class EpochScore(Callback):
    """Score the validation batches of each epoch and record it in the history.

    Unlike skorch's ``EpochScoring`` it reuses the predictions the validation
    step already made, and takes ``(y_true, y_pred)`` batches as skdl's
    iterators yield them (``(X, y, w)`` triples).

    Parameters
    ----------
    scorer : callable
        ``scorer(y_true, output) -> float`` on numpy arrays, where ``output``
        is the network's raw output (logits for classifiers).
    name : str
        History key, e.g. ``"valid_acc"``.
    """

    def __init__(self, scorer, name):
        self.scorer = scorer
        self.name = name

    def on_epoch_begin(self, net, **kwargs):
        self.y_true_, self.y_pred_ = [], []

    def on_batch_end(self, net, batch=None, training=False, y_pred=None, **kwargs):
        if training:
            return
        self.y_true_.append(batch[1].detach().cpu())
        self.y_pred_.append(y_pred.detach().float().cpu())

    def on_epoch_end(self, net, **kwargs):
        if self.y_true_:
            y_true = torch.cat(self.y_true_).numpy()
            y_pred = torch.cat(self.y_pred_).numpy().astype(np.float64)
            with warnings.catch_warnings():
                # e.g. R2 of a single validation sample: record nan, quietly
                warnings.simplefilter("ignore", UndefinedMetricWarning)
                net.history.record(self.name, float(self.scorer(y_true, y_pred)))
        self.y_true_, self.y_pred_ = [], []


class EarlyStoppingWhenValidated(EarlyStopping):
    """skorch's ``EarlyStopping``, idle in epochs that have no validation loss.

    skdl builds the callback when ``early_stopping=True``, but ``partial_fit``
    holds no data out; skorch's callback would fail on the missing
    ``valid_loss`` there.
    """

    def on_epoch_end(self, net, **kwargs):
        if self.monitor in net.history[-1]:
            super().on_epoch_end(net, **kwargs)
