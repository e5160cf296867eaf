"""What every skdl estimator shares: parameters, validation and the fit driver.

An estimator *holds* a skorch net (``net_``) built in ``fit``; it does not
subclass one. ``fit`` runs in this order: validate X and y -> encode targets
-> read data-dependent sizes -> build the module in a seeded scope -> train
the skorch net on tensors made once -> record ``history_`` and ``n_iter_``.
"""

import copy
import warnings
from numbers import Integral, Real

import numpy as np
import torch
from scipy.special import expit, log_softmax, softmax
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.metrics import accuracy_score, r2_score
from sklearn.model_selection import train_test_split
from sklearn.utils import compute_class_weight
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.validation import check_is_fitted, column_or_1d
from skorch.helper import predefined_split
from torch import nn

from ..callbacks import (
    EarlyStoppingWhenValidated,
    EpochScore,
    NonFiniteLossError,
    StopOnNonFiniteLoss,
)
from ..utils._compat import (
    Interval,
    StrOptions,
    _check_sample_weight,
    _fit_context,
    validate_data,
)
from ..utils._data import ArrayDataset, BatchIterator, as_tensor
from ..utils._torch import draw_seed, resolve_device, torch_scope
from ._net import SkdlNet

OPTIMIZERS = {
    "adam": torch.optim.Adam,
    "adamw": torch.optim.AdamW,
    "sgd": torch.optim.SGD,
    "rmsprop": torch.optim.RMSprop,
}

_FLOAT32_MAX = float(np.finfo(np.float32).max)
_MIN_PREDICT_BATCH = 256
_NO_Y = "no_validation"  # validate_data's own marker for "X only"


def _py(value):
    """A numpy scalar as the Python value it holds (for readable messages)."""
    return value.item() if isinstance(value, np.generic) else value


def _torch_at_least(major, minor):
    parts = torch.__version__.split("+")[0].split(".")
    return (int(parts[0]), int(parts[1])) >= (major, minor)


def _silent(*args, **kwargs):
    """A print that prints nothing (module level, so nets stay picklable)."""


def _accuracy_from_logits(y, out):
    return accuracy_score(y, out.argmax(1))


def _multilabel_accuracy_from_logits(y, out):
    return accuracy_score(y, out > 0)


def _has_batch_norm(module):
    return any(isinstance(m, nn.modules.batchnorm._BatchNorm) for m in module.modules())


class BaseNeuralNetwork(BaseEstimator):
    """Base class of skdl's estimators; not for direct use.

    Subclasses define ``__init__`` with every parameter, ``_build_module``,
    and (through the classifier/regressor mixins below) target handling.
    """

    _parameter_constraints: dict = {
        "max_epochs": [Interval(Integral, 0, None, closed="left")],
        "batch_size": [
            Interval(Integral, 1, None, closed="left"),
            StrOptions({"auto"}),
        ],
        "lr": [Interval(Real, 0, None, closed="neither")],
        "optimizer": [StrOptions(set(OPTIMIZERS)), type],
        "optimizer_params": [dict, None],
        "weight_decay": [Interval(Real, 0, None, closed="left")],
        "early_stopping": ["boolean"],
        "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
        "n_iter_no_change": [Interval(Integral, 1, None, closed="left")],
        "callbacks": [list, None],
        "device": [str],
        "precision": [StrOptions({"float32", "bf16-mixed"})],
        "n_threads": [Interval(Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
        "warm_start": ["boolean"],
        "module": [callable, None],
        "module_params": [dict, None],
    }

    # ------------------------------------------------------------------ hooks
    def _build_module(self, n_outputs, **sizes):
        """The torch module for data of these sizes (subclasses define it)."""
        raise NotImplementedError

    def _data_sizes(self, X):
        """Data-dependent sizes of validated X, passed to ``_build_module``."""
        return {"n_features": X.shape[1]}

    def _dataset(self, X, y=None, w=None):
        """The :class:`ArrayDataset` for validated X (and targets, weights)."""
        return ArrayDataset(as_tensor(X), y, w)

    def _penalties(self):
        """``dict(l1=..., l2=..., regularize_bias=...)`` for the net."""
        return {}

    def _custom_module(self, **sizes):
        """Build the user's ``module=`` from data sizes and ``module_params``."""
        if isinstance(self.module, nn.Module):
            raise ValueError(
                f"{type(self).__name__}: module must be a class (or factory) that "
                f"skdl calls with the data sizes, not a built "
                f"{type(self.module).__name__} instance. Pass "
                f"module={type(self.module).__name__} and its other arguments "
                "as module_params={...}."
            )
        params = dict(self.module_params or {})
        clash = sorted(set(params) & set(sizes))
        if clash:
            raise ValueError(
                f"{type(self).__name__}: module_params must not contain "
                f"{clash}; these sizes are read from the data in fit."
            )
        return self.module(**sizes, **params)

    # ------------------------------------------------------------- validation
    def _validate_X(self, X, y=_NO_Y, *, reset):
        """validate_data, then a float32 copy that is finite after the cast."""
        name = type(self).__name__
        kwargs = dict(reset=reset, dtype=[np.float32, np.float64])
        if y is not _NO_Y:
            kwargs.update(y=y, multi_output=True, y_numeric=self._y_numeric)
        try:
            out = validate_data(self, X, **kwargs)
        except ValueError as exc:
            if "could not convert" in str(exc):
                raise ValueError(
                    f"{name} needs numeric X, but X holds values that are not "
                    f"numbers ({exc}). Encode categorical columns first (e.g. "
                    "OneHotEncoder) and turn text or sequences into numbers "
                    "(e.g. CountVectorizer) in a Pipeline step."
                ) from None
            if name not in str(exc):
                raise type(exc)(f"{name}: {exc}") from None
            raise
        X, y = (out, None) if y is _NO_Y else out
        if X.dtype != np.float32:
            if np.abs(X).max(initial=0.0) > _FLOAT32_MAX:
                raise ValueError(
                    f"{name} computes in float32, but X has values beyond its "
                    f"range (|x| > {_FLOAT32_MAX:.3g}). Scale the features, e.g. "
                    "with StandardScaler."
                )
            X = X.astype(np.float32)
        return X, y

    def __sklearn_is_fitted__(self):
        return hasattr(self, "net_")

    def _sample_weight(self, sample_weight, X):
        """Validated weights rescaled to mean 1, as a float32 tensor (or None)."""
        if sample_weight is None:
            return None
        w = _check_sample_weight(
            sample_weight, X, dtype=np.float64, ensure_non_negative=True
        )
        return torch.from_numpy((w / w.mean()).astype(np.float32))

    # --------------------------------------------------------------- building
    def _resolve_batch_size(self, n_samples):
        if self.batch_size == "auto":
            return max(1, min(200, n_samples))
        return self.batch_size

    def _make_optimizer(self, device):
        params = dict(self.optimizer_params or {})
        opt = self.optimizer
        if isinstance(opt, str):
            opt = OPTIMIZERS[opt]
            fused_ok = device.startswith("cuda") or _torch_at_least(2, 4)
            if opt in (torch.optim.Adam, torch.optim.AdamW) and fused_ok:
                params.setdefault("fused", True)
        if self.weight_decay:
            params.setdefault("weight_decay", self.weight_decay)
        return opt, params

    def _make_net(self, module, *, device, criterion, batch_size, merge_singleton):
        optimizer, optimizer_params = self._make_optimizer(device)
        callbacks = [("stop_on_nonfinite", StopOnNonFiniteLoss())]
        if self.early_stopping:
            score, name = self._validation_scorer()
            callbacks += [
                ("valid_score", EpochScore(score, name)),
                (
                    "early_stopping",
                    EarlyStoppingWhenValidated(
                        monitor="valid_loss",
                        patience=self.n_iter_no_change,
                        load_best=True,
                        sink=print if self.verbose else _silent,
                    ),
                ),
            ]
        callbacks += copy.deepcopy(self.callbacks or [])
        return SkdlNet(
            module,
            criterion=criterion,
            optimizer=optimizer,
            lr=self.lr,
            max_epochs=self.max_epochs,
            batch_size=batch_size,
            iterator_train=BatchIterator,
            iterator_train__shuffle=True,
            iterator_train__merge_singleton=merge_singleton,
            iterator_valid=BatchIterator,
            # Validation and prediction need no gradients: larger batches.
            iterator_valid__batch_size=max(batch_size, _MIN_PREDICT_BATCH),
            train_split=None,
            callbacks=callbacks,
            device=device,
            verbose=self.verbose,
            precision=self.precision,
            **({} if self.verbose else {"callbacks__print_log": None}),
            **{f"optimizer__{k}": v for k, v in optimizer_params.items()},
            **self._penalties(),
        )

    # -------------------------------------------------------------- public
    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Train the network for ``max_epochs`` epochs.

        Parameters
        ----------
        X : array-like
            Training data, in a form the estimator accepts (see its
            description).
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Class labels (or a 0/1 indicator matrix for multilabel problems)
            for classifiers; targets for regressors.
        sample_weight : array-like of shape (n_samples,), default=None
            Per-sample weights of the loss (rescaled to mean 1).

        Returns
        -------
        self : object
            The fitted estimator.
        """
        return self._fit(
            X, y, sample_weight, epochs=self.max_epochs, keep_net=self.warm_start
        )

    # ---------------------------------------------------------------- training
    def _fit(
        self, X, y, sample_weight=None, *, epochs, keep_net, holdout=True, classes=None
    ):
        name = type(self).__name__
        first = not (keep_net and self.__sklearn_is_fitted__())
        X, y = self._validate_X(X, y, reset=first)
        y_tensor, n_outputs, stratify = self._encode_targets(y, first, classes)
        w = self._sample_weight(sample_weight, X)
        w = self._apply_class_weight(w, y_tensor)
        if first:
            self.__dict__.pop("net_", None)
            self.device_ = resolve_device(self.device)
        dataset = self._dataset(X, y_tensor, w)
        validate = self.early_stopping and holdout and epochs > 0

        with torch_scope(
            n_threads=self.n_threads,
            device=self.device_,
            seed=draw_seed(self.random_state) if first else None,
            rng_state=None if first else self._rng_state,
        ) as scope:
            train_ds, valid_ds = dataset, None
            if validate:
                train_ds, valid_ds = self._split(dataset, stratify)
            if first:
                module = self._build_module(n_outputs=n_outputs, **self._data_sizes(X))
                batch_norm = _has_batch_norm(module)
                if batch_norm and len(train_ds) < 2 and epochs > 0:
                    raise ValueError(
                        f"{name} has batch normalisation, which needs at least 2 "
                        f"training samples; got {len(train_ds)} sample(s)."
                    )
                net = self._make_net(
                    module,
                    device=self.device_,
                    criterion=self._criterion(),
                    batch_size=self._resolve_batch_size(len(train_ds)),
                    merge_singleton=batch_norm,
                )
                net.initialize()
            else:
                net = self.net_
                if net.lr != self.lr:  # updates param groups, keeps Adam's state
                    net.set_params(lr=self.lr)
            if self.device_ != "cpu":
                train_ds = train_ds.to(self.device_)
                if valid_ds is not None:
                    valid_ds = valid_ds.to(self.device_)
            net.train_split = None if valid_ds is None else predefined_split(valid_ds)
            try:
                # skorch's partial_fit runs on_train_begin/end around the loop
                # and catches the KeyboardInterrupt that its callbacks (e.g.
                # EarlyStopping) raise to stop training.
                net.partial_fit(train_ds, None, epochs=epochs)
            except NonFiniteLossError as exc:
                self.__dict__.pop("net_", None)  # a continued fit's net is spoilt too
                raise ValueError(
                    f"{name} stopped: the training loss became {exc.loss} in "
                    f"epoch {exc.epoch} (batch {exc.batch}), so its weights are no "
                    f"longer usable. Lower the learning rate (lr={self.lr}), scale "
                    "X (and y for regression), or add a gradient-clipping callback."
                ) from None
            finally:
                net.train_split = None
        self._rng_state = scope["rng_state"]
        self.net_ = net
        self.history_ = [
            {k: v for k, v in row.items() if k != "batches"} for row in net.history
        ]
        self.n_iter_ = len(self.history_)
        es = dict(net.callbacks_).get("early_stopping")
        if validate and es is not None and es.best_epoch_:
            self.best_epoch_ = int(es.best_epoch_)
        else:
            self.__dict__.pop("best_epoch_", None)
        return self

    def _split(self, dataset, stratify):
        n = len(dataset)
        n_valid = int(np.ceil(self.validation_fraction * n))
        if n_valid < 1 or n - n_valid < 1:
            raise ValueError(
                f"{type(self).__name__}: early stopping needs at least one training "
                f"and one validation sample; {n} samples with "
                f"validation_fraction={self.validation_fraction} leave too few."
            )
        seed = int(torch.randint(2**31 - 1, (1,)))
        idx = np.arange(n)
        try:
            train_idx, valid_idx = train_test_split(
                idx, test_size=n_valid, random_state=seed, stratify=stratify
            )
        except ValueError:  # a class too small to stratify: split at random
            train_idx, valid_idx = train_test_split(
                idx, test_size=n_valid, random_state=seed
            )
        valid = dataset.subset(np.sort(valid_idx))
        if valid.lengths is not None:  # little padding per validation batch
            valid, _ = valid.sorted_by_length()
        return dataset.subset(np.sort(train_idx)), valid

    def _forward(self, X):
        """Raw network output for X as float64 numpy, shape (n, n_outputs)."""
        check_is_fitted(self)
        X, _ = self._validate_X(X, reset=False)
        dataset, order = self._dataset(X), None
        if dataset.lengths is not None:  # batches of similar length, then unsort
            dataset, order = dataset.sorted_by_length()
        with torch_scope(n_threads=self.n_threads, device=self.device_):
            out = self.net_.forward(dataset).numpy().astype(np.float64)
        if order is not None:
            out[order] = out.copy()
        return out

    # ----------------------------------------------------------------- sklearn
    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = False
        tags.target_tags.multi_output = True
        return tags

    def _apply_class_weight(self, w, y_tensor):
        return w


class NeuralClassifierMixin(ClassifierMixin):
    """Targets, loss and outputs of skdl classifiers."""

    _y_numeric = False

    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y, classes=None, sample_weight=None):
        """Train exactly one epoch, continuing from the current network.

        Parameters
        ----------
        X : array-like
        y : array-like of shape (n_samples,) or (n_samples, n_labels)
        classes : array-like of shape (n_classes,), default=None
            All labels that will ever appear. Needed on the first call when
            that call's ``y`` does not hold every class; ignored afterwards.
        sample_weight : array-like of shape (n_samples,), default=None

        Returns
        -------
        self : object
            The estimator, trained one more epoch.
        """
        return self._fit(
            X, y, sample_weight, epochs=1, keep_net=True, holdout=False, classes=classes
        )

    def _encode_targets(self, y, first, classes):
        name = type(self).__name__
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)
        kind = type_of_target(y, input_name="y")
        if kind not in ("binary", "multiclass", "multilabel-indicator"):
            raise ValueError(
                f"Unknown label type: {kind!r}. {name} is a classifier and needs "
                "discrete class labels (ints or strings) or a 0/1 label-indicator "
                f"matrix; for a continuous target use a regressor such as "
                f"{name.replace('Classifier', 'Regressor')}."
            )
        multilabel = kind == "multilabel-indicator"
        if first:
            self._multilabel = multilabel
            if multilabel:
                self.classes_ = np.arange(y.shape[1])
            else:
                self.classes_ = np.unique(y if classes is None else classes)
                if len(self.classes_) < 2:
                    raise ValueError(
                        f"{name} needs samples of at least 2 classes in the data, "
                        f"but y contains only one class: {_py(self.classes_[0])!r}."
                    )
        elif multilabel != self._multilabel or (
            multilabel and y.shape[1] != len(self.classes_)
        ):
            raise ValueError(
                f"{name} was fitted on "
                f"{'multilabel' if self._multilabel else 'single-label'} targets "
                f"with {len(self.classes_)} classes; got {kind} y of shape {y.shape}."
            )
        if multilabel:
            return torch.from_numpy(y.astype(np.float32)), y.shape[1], None
        unseen = np.setdiff1d(np.unique(y), self.classes_)
        if unseen.size:
            raise ValueError(
                f"{name}: y contains labels {unseen.tolist()} that are not in "
                f"classes_ {self.classes_.tolist()}. Pass every label with "
                "partial_fit(X, y, classes=...) on the first call."
            )
        codes = np.searchsorted(self.classes_, y)
        return torch.from_numpy(codes.astype(np.int64)), len(self.classes_), codes

    def _criterion(self):
        if self._multilabel:
            return nn.BCEWithLogitsLoss(reduction="none")
        return nn.CrossEntropyLoss(reduction="none")

    def _apply_class_weight(self, w, y_tensor):
        if self.class_weight is None:
            return w
        if self._multilabel:
            raise ValueError(
                f"{type(self).__name__}: class_weight is not supported for "
                "multilabel y; pass sample_weight instead."
            )
        y_codes = y_tensor.numpy()
        cw = compute_class_weight(
            self.class_weight,
            classes=self.classes_,
            y=self.classes_[y_codes],
        )
        per_sample = torch.from_numpy(cw.astype(np.float32))[y_tensor]
        return per_sample if w is None else w * per_sample

    def _validation_scorer(self):
        if self._multilabel:
            return _multilabel_accuracy_from_logits, "valid_acc"
        return _accuracy_from_logits, "valid_acc"

    def predict_proba(self, X):
        """Class probabilities of shape (n_samples, n_classes).

        For multilabel targets, column j is the probability of label j.
        """
        out = self._forward(X)
        return expit(out) if self._multilabel else softmax(out, axis=1)

    def predict_log_proba(self, X):
        """Logarithm of :meth:`predict_proba`."""
        out = self._forward(X)
        if self._multilabel:
            return -np.logaddexp(0, -out)
        return log_softmax(out, axis=1)

    def predict(self, X):
        """Predicted class labels, in the labels' own type (strings too)."""
        out = self._forward(X)
        if self._multilabel:
            return (out > 0).astype(int)
        return self.classes_[out.argmax(1)]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = True
        return tags


class NeuralRegressorMixin(RegressorMixin):
    """Targets, loss and outputs of skdl regressors."""

    _y_numeric = True
    _LOSSES = {
        "squared_error": nn.MSELoss,
        "mse": nn.MSELoss,
        "absolute_error": nn.L1Loss,
        "mae": nn.L1Loss,
        "huber": nn.HuberLoss,
    }

    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y, sample_weight=None):
        """Train exactly one epoch, continuing from the current network.

        Parameters
        ----------
        X : array-like
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
        sample_weight : array-like of shape (n_samples,), default=None

        Returns
        -------
        self : object
            The estimator, trained one more epoch.
        """
        return self._fit(X, y, sample_weight, epochs=1, keep_net=True, holdout=False)

    def _encode_targets(self, y, first, classes):
        name = type(self).__name__
        if np.abs(y).max(initial=0.0) > _FLOAT32_MAX:
            raise ValueError(
                f"{name} computes in float32, but y has values beyond its range; "
                "scale y, e.g. with TransformedTargetRegressor."
            )
        y2 = y.reshape(len(y), -1)
        if first:
            self._y_ndim = y.ndim
            self.n_outputs_ = y2.shape[1]
        elif y2.shape[1] != self.n_outputs_:
            raise ValueError(
                f"{name} was fitted on {self.n_outputs_} target(s); y has "
                f"{y2.shape[1]}."
            )
        return torch.from_numpy(y2.astype(np.float32)), y2.shape[1], None

    def _criterion(self):
        return self._LOSSES[self.loss](reduction="none")

    def _validation_scorer(self):
        return r2_score, "valid_r2"

    def predict(self, X):
        """Predictions with the shape of the y seen in fit: (n,) or (n, n_outputs)."""
        out = self._forward(X)
        return out.ravel() if self._y_ndim == 1 else out


def _warn_if_unused_architecture(est, names):
    """Tell users that architecture knobs are ignored with a custom module."""
    if est.module is None:
        return
    defaults = est.__class__().get_params()
    changed = [n for n in names if est.get_params()[n] != defaults[n]]
    if changed:
        warnings.warn(
            f"{type(est).__name__}: {changed} only shape the default network and "
            "are ignored with module=...; pass module_params instead.",
            UserWarning,
            stacklevel=3,
        )
