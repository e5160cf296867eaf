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

    Examples
    --------
    skdl nets carry it; a learning rate that blows up the loss stops the fit
    with a :class:`~skdl.exceptions.DivergedError` naming the epoch:

    >>> import numpy as np
    >>> from skdl import DenseRegressor
    >>> X = np.random.RandomState(0).normal(size=(64, 3))
    >>> reg = DenseRegressor(lr=1e12, max_epochs=5, random_state=0)
    >>> try:
    ...     reg.fit(X, X.sum(1))
    ... except ValueError as exc:
    ...     print(type(exc).__name__)
    DivergedError
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

    Examples
    --------
    >>> import numpy as np
    >>> from skdl import DenseClassifier
    >>> X = np.random.RandomState(0).normal(size=(80, 3))
    >>> clf = DenseClassifier(early_stopping=True, max_epochs=3, random_state=0)
    >>> clf.fit(X, X[:, 0] > 0).partial_fit(X, X[:, 0] > 0).n_iter_
    4
    """

    def on_epoch_end(self, net, **kwargs):
        if self.monitor in net.history[-1]:
            super().on_epoch_end(net, **kwargs)


class LRSchedule(Callback):
    """Set the learning rate before every training batch from a schedule
    over the whole fit.

    skdl adds one to every net and sets it up with :meth:`plan` before each
    call that trains: ``fit`` plans ``max_epochs`` epochs from step 0,
    ``partial_fit`` trains at the constant base rate, and a search that
    trains epoch by epoch plans the whole fit once and continues it.

    The schedules (``kind``), as multiples of the base rate ``lr``:

    - "onecycle": rises from ``1/25`` to 1 over the first 30% of the steps,
      then falls along a cosine to ``1e-4`` (the shape of Smith's one-cycle
      policy, as in ``torch.optim.lr_scheduler.OneCycleLR`` and fastai's
      ``fit_one_cycle``);
    - "cosine": a linear warm-up from 0 over the first 5% of the steps, then
      a cosine decay to 0;
    - "constant": 1 throughout.

    Examples
    --------
    >>> from skdl.callbacks import LRSchedule
    >>> schedule = LRSchedule("onecycle", total_steps=100).initialize()
    >>> [round(schedule.factor(step), 3) for step in (0, 30, 99)]
    [0.04, 1.0, 0.0]
    """

    def __init__(self, kind="constant", total_steps=1):
        self.kind = kind
        self.total_steps = total_steps

    def initialize(self):
        super().initialize()
        self.step_ = 0
        self.touched_ = False
        return self

    def plan(self, kind, total_steps, *, restart):
        """Use schedule ``kind`` over ``total_steps`` optimizer steps, from
        step 0 if ``restart``, else from where the last call stopped."""
        self.kind, self.total_steps = kind, max(int(total_steps), 1)
        if restart:
            self.step_ = 0

    def factor(self, step):
        """The multiple of the base learning rate at ``step`` (0-based)."""
        t = min(step / max(self.total_steps - 1, 1), 1.0)
        if self.kind == "onecycle":
            rise = 0.3
            if t < rise:
                return 1 / 25 + (1 - 1 / 25) * t / rise
            cos = 0.5 * (1 + math.cos(math.pi * (t - rise) / (1 - rise)))
            return 1e-4 + (1 - 1e-4) * cos
        if self.kind == "cosine":
            warm = 0.05
            if t < warm:
                return min((step + 1) / (warm * self.total_steps), 1.0)
            return 0.5 * (1 + math.cos(math.pi * (t - warm) / (1 - warm)))
        return 1.0

    def on_train_begin(self, net, **kwargs):
        if self.kind == "constant" and self.touched_:
            # After a scheduled fit the rate is back at lr (a user's own
            # scheduler, used with "constant", is never overridden).
            for group in net.optimizer_.param_groups:
                group["lr"] = net.lr
            self.touched_ = False

    def on_batch_begin(self, net, batch=None, training=False, **kwargs):
        if not training or self.kind == "constant":
            return
        self.touched_ = True
        lr = net.lr * self.factor(self.step_)
        for group in net.optimizer_.param_groups:
            group["lr"] = lr
        self.step_ += 1
