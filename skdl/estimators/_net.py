"""The skorch net that skdl estimators hold (never a public base class).

It changes three things in ``skorch.NeuralNet``: batches are ``(X, y, w)``
triples from :class:`skdl.utils._data.BatchIterator`; the loss is weighted per
sample and, in training, adds weight and activity penalties; and the forward
pass can run under bfloat16 autocast.
"""

import contextlib

import torch
from skorch import NeuralNet
from skorch.callbacks import Callback
from skorch.utils import TeeGenerator

from ..networks import weight_penalty


class SkdlNet(NeuralNet):
    """``skorch.NeuralNet`` for skdl's batches, weights and penalties.

    Parameters (beyond skorch's)
    ----------------------------
    precision : {"float32", "bf16-mixed"}
    l1, l2 : float
        Penalties on linear/conv kernels, added to the training loss.
    regularize_bias : bool
        Whether ``l1``/``l2`` also apply to biases.
    """

    def __init__(
        self,
        *args,
        precision="float32",
        l1=0.0,
        l2=0.0,
        regularize_bias=False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.precision = precision
        self.l1 = l1
        self.l2 = l2
        self.regularize_bias = regularize_bias

    def _autocast(self):
        if self.precision != "bf16-mixed":
            return contextlib.nullcontext()
        return torch.autocast(torch.device(self.device).type, dtype=torch.bfloat16)

    def infer(self, x, **fit_params):
        if isinstance(x, tuple):  # (padded X, lengths) from a dynamic-padding batch
            x, lengths = x
            fit_params["lengths"] = lengths.to(self.device, non_blocking=True)
        x = x.to(self.device, non_blocking=True)
        with self._autocast():
            out = self.module_(x, **fit_params)
        return out.float() if out.dtype != torch.float32 else out

    def batch_loss(self, y_pred, y, w, training):
        """Mean of per-sample losses, weighted by ``w`` when given.

        ``w`` is normalised to mean 1 over the training set by the estimator,
        so weights change the relative importance of samples, not the
        learning rate.
        """
        y = y.to(self.device, non_blocking=True)
        losses = self.criterion_(y_pred, y)
        if w is None:
            loss = losses.mean()
        else:
            if losses.ndim > 1:  # multilabel / multi-output: average per sample
                losses = losses.flatten(1).mean(1)
            loss = (losses * w.to(self.device, non_blocking=True)).mean()
        if training:
            if self.l1 or self.l2:
                loss = loss + weight_penalty(
                    self.module_, self.l1, self.l2, self.regularize_bias
                )
            penalty = getattr(self.module_, "penalty", None)
            if penalty is not None:
                loss = loss + penalty
        return loss

    def get_loss(self, y_pred, y_true, X=None, training=False):
        # Used by skorch helpers that call get_loss directly; the steps below
        # call batch_loss with the weights.
        return self.batch_loss(y_pred, y_true, None, training)

    def _set_training(self, training=True):
        # skorch calls this for every batch; module.train() walks every
        # submodule, which costs more than a small network's forward pass.
        # Switch only when the mode changes.
        modules = [getattr(self, n + "_") for n in self._modules + self._criteria]
        if all(
            m.training == training for m in modules if isinstance(m, torch.nn.Module)
        ):
            return
        super()._set_training(training)

    def initialize_callbacks(self):
        super().initialize_callbacks()
        # Building the parameter generator for on_grad_computed costs more per
        # batch than a small network's optimizer step; do it only for
        # callbacks that use it (e.g. GradientNormClipping).
        self._grad_listeners = any(
            type(cb).on_grad_computed is not Callback.on_grad_computed
            for _, cb in self.callbacks_
        )
        return self

    def train_step(self, batch, **fit_params):
        optimizers = [getattr(self, name + "_") for name in self._optimizers]
        if any(isinstance(opt, torch.optim.LBFGS) for opt in optimizers):
            return super().train_step(batch, **fit_params)  # needs a closure
        self._zero_grad_optimizer()
        step = self.train_step_single(batch, **fit_params)
        if self._grad_listeners:
            self.notify(
                "on_grad_computed",
                named_parameters=TeeGenerator(self.get_all_learnable_params()),
                batch=batch,
                training=True,
            )
        self._step_optimizer(None)
        return step

    def train_step_single(self, batch, **fit_params):
        self._set_training(True)
        Xi, yi, wi = batch
        y_pred = self.infer(Xi, **fit_params)
        loss = self.batch_loss(y_pred, yi, wi, training=True)
        loss.backward()
        return {"loss": loss, "y_pred": y_pred}

    def validation_step(self, batch, **fit_params):
        self._set_training(False)
        Xi, yi, wi = batch
        with torch.no_grad():
            y_pred = self.infer(Xi, **fit_params)
            loss = self.batch_loss(y_pred, yi, wi, training=False)
        return {"loss": loss, "y_pred": y_pred}

    def evaluation_step(self, batch, training=False):
        # Prediction only (validation uses validation_step). A short last
        # batch is padded to the fixed prediction batch size
        # (iterator_valid__batch_size): float32 matrix kernels round
        # differently for different row counts, and padding makes a sample's
        # prediction bitwise independent of what else is predicted with it.
        self.check_is_fitted()
        X = batch[0]
        n, size = _rows(X), self.iterator_valid__batch_size
        if 0 < n < size:
            X = _pad_rows(X, size - n)
        with torch.set_grad_enabled(training):
            self._set_training(training)
            return self.infer(X)[:n]


def _rows(X):
    return len(X[0]) if isinstance(X, tuple) else len(X)


def _pad_rows(X, extra):
    """``extra`` rows of zeros appended (to each part of a tuple batch)."""
    if isinstance(X, tuple):
        return tuple(_pad_rows(part, extra) for part in X)
    return torch.cat([X, X.new_zeros((extra, *X.shape[1:]))])
