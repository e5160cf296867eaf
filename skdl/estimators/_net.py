"""The skorch net that skdl estimators hold (never a public base class).

It changes three things in ``skorch.NeuralNet``: batches are ``(X, y, w)``
triples from :class:`skdl.utils._data.BatchIterator`, where X is a tensor or
a dict of the module's inputs; the loss is weighted per sample and, in
training, adds weight penalties and the activity penalty a module returns
(see ``skdl/networks/_protocol.py``); and the forward pass can run under
bfloat16 autocast.

skorch's private API
--------------------
``SkdlNet`` overrides or calls these private members of ``skorch.NeuralNet``,
and nothing else private of skorch is used anywhere in skdl:
``SKORCH_PRIVATE_API`` lists them, ``tests/estimators/test_net.py`` checks
that the installed skorch still has them, and ``pyproject.toml`` bounds
skorch below 2.
"""

import contextlib

import torch
from skorch import NeuralNet
from skorch.callbacks import Callback
from skorch.utils import TeeGenerator

from ..networks import penalised_parameters, split_output, weight_penalty
from ..utils._graphs import GraphBatch

SKORCH_PRIVATE_API = (
    "_set_training",
    "_zero_grad_optimizer",
    "_step_optimizer",
    "_modules",
    "_criteria",
    "_optimizers",
)

# Prediction pads the last batch's rows to a multiple of this (see
# evaluation_step and benchmarks/bench_predict.py).
PREDICT_ROW_MULTIPLE = 16


def predict_rows(n):
    """Rows a prediction batch of ``n`` rows is padded to on the CPU."""
    return -(-n // PREDICT_ROW_MULTIPLE) * PREDICT_ROW_MULTIPLE


class SkdlNet(NeuralNet):
    """``skorch.NeuralNet`` for skdl's batches, weights and penalties.

    Parameters (beyond skorch's)
    ----------------------------
    precision : {"float32", "bf16-mixed"}
    l1, l2 : float
        Penalties on the weight matrices and kernels, added to the training
        loss (see :func:`skdl.networks.penalised_parameters`).
    regularize_bias : bool
        Whether ``l1``/``l2`` also apply to biases and normalisation weights.
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

    def initialize_module(self):
        super().initialize_module()
        self._penalised = None  # the parameters l1/l2 reach, found on first use
        return self

    def _autocast(self):
        if self.precision != "bf16-mixed":
            return contextlib.nullcontext()
        return torch.autocast(torch.device(self.device).type, dtype=torch.bfloat16)

    def infer(self, x, **fit_params):
        """The module's raw output (logits, or ``(logits, penalty)``)."""
        if isinstance(x, GraphBatch):  # graphs: x, edge_index, ..., num_graphs
            kwargs = x.to(self.device).inputs()
            x = kwargs.pop("x")
            fit_params = {**kwargs, **fit_params}
        elif isinstance(x, dict):  # {"x": ..., "lengths": ..., "side": ...}
            kwargs = {k: v.to(self.device, non_blocking=True) for k, v in x.items()}
            x = kwargs.pop("x")
            fit_params = {**kwargs, **fit_params}
        else:
            x = x.to(self.device, non_blocking=True)
        with self._autocast():
            return self.module_(x, **fit_params)

    def _logits(self, out):
        logits, penalty = split_output(out)
        logits = logits.float() if logits.dtype != torch.float32 else logits
        return logits, penalty

    def batch_loss(self, y_pred, y, w, training, penalty=None):
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
                if self._penalised is None:
                    self._penalised = penalised_parameters(
                        self.module_, self.regularize_bias
                    )
                loss = loss + weight_penalty(
                    self.module_, self.l1, self.l2, parameters=self._penalised
                )
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
        y_pred, penalty = self._logits(self.infer(Xi, **fit_params))
        loss = self.batch_loss(y_pred, yi, wi, training=True, penalty=penalty)
        loss.backward()
        return {"loss": loss, "y_pred": y_pred}

    def validation_step(self, batch, **fit_params):
        self._set_training(False)
        Xi, yi, wi = batch
        with torch.no_grad():
            y_pred, _ = self._logits(self.infer(Xi, **fit_params))
            loss = self.batch_loss(y_pred, yi, wi, training=False)
        return {"loss": loss, "y_pred": y_pred}

    def evaluation_step(self, batch, training=False):
        # Prediction only (validation uses validation_step). A short last
        # batch is padded with rows of zeros: float32 matrix kernels round
        # differently for some row counts, and padding makes a sample's
        # prediction bitwise independent of what else is predicted with it.
        # On the CPU a multiple of PREDICT_ROW_MULTIPLE rows is enough (all
        # counts from 4 rows on round alike, measured in
        # benchmarks/bench_predict.py); on a GPU, where the kernel is chosen
        # by row count, every batch gets the same fixed count.
        self.check_is_fitted()
        X = batch[0]
        n = _rows(X)
        if str(self.device).startswith("cuda"):
            size = self.iterator_valid__batch_size
        else:
            size = predict_rows(n)
        if 0 < n < size:
            X = _pad_rows(X, size - n)
        with torch.set_grad_enabled(training):
            self._set_training(training)
            return self._logits(self.infer(X))[0][:n]


def _rows(X):
    return len(X["x"]) if isinstance(X, dict) else len(X)  # graphs: num_graphs


def _pad_rows(X, extra):
    """``extra`` rows of zeros appended (to each part of a dict batch; for
    graphs, ``extra`` graphs without nodes)."""
    if isinstance(X, GraphBatch):
        return X.padded(extra)
    if isinstance(X, dict):
        return {k: _pad_rows(v, extra) for k, v in X.items()}
    return torch.cat([X, X.new_zeros((extra, *X.shape[1:]))])
