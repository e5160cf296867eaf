"""What every skdl estimator shares: the family contract and the fit driver.

An estimator *holds* a skorch net (``net_``) built in ``fit``; it does not
subclass one. A family (dense, sequence CNN, ...) is one abstract class here
plus three pieces of its own:

* an input mixin that implements the input hooks below (``_TableInput`` in
  ``_table.py``, ``_SequenceInput`` in ``_sequence.py``, ...);
* its torch module (``_module_class``), built from the data sizes and the
  estimator parameters of the same names as the module's arguments;
* its parameter constraints, search space and documentation.

Task logic (targets, loss, outputs) lives in :class:`NeuralClassifierMixin`
and :class:`NeuralRegressorMixin`; training parameters, penalties, seeding
and the fit driver live in :class:`BaseNeuralNetwork`.

``fit`` runs: check the target type -> validate X and y -> encode targets ->
read data sizes -> build the module in a seeded scope -> train the skorch
net on a dataset made once -> record ``history_`` and ``n_iter_``. A fit that
raises leaves the estimator unfitted; a continued fit (``partial_fit``,
``warm_start``) that raises before training leaves it as it was.
"""

import copy
import difflib
import inspect
import warnings
from abc import ABCMeta, abstractmethod
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
from skorch.callbacks import GradientNormClipping, LRScheduler
from skorch.helper import predefined_split
from torch import nn

from ..callbacks import (
    EarlyStoppingWhenValidated,
    EpochProgress,
    EpochScore,
    LRSchedule,
    NonFiniteLossError,
    StopOnNonFiniteLoss,
)
from ..exceptions import DivergedError
from ..utils._compat import (
    Interval,
    StrOptions,
    _check_sample_weight,
    _check_y,
    _fit_context,
)
from ..utils._data import BatchIterator
from ..utils._graphs import GraphBatch
from ..utils._summary import summarize
from ..utils._torch import draw_seed, resolve_device, torch_scope
from ..utils._validation import FLOAT32_MAX
from ._net import SkdlNet, predict_rows

OPTIMIZERS = {
    "adam": torch.optim.Adam,
    "adamw": torch.optim.AdamW,
    "sgd": torch.optim.SGD,
    "rmsprop": torch.optim.RMSprop,
}

INPUT_KINDS = ("table", "sequence", "image", "graph")

MIN_PREDICT_BATCH = 256
NO_Y = "no_validation"  # validate_data's own marker for "X only"

# skorch-style nested names on skdl parameters that are not estimators (so
# sklearn's set_params would fail with an AttributeError), and the parameter
# that takes them instead. Other skorch prefixes (criterion__, iterator_*__)
# are not parameters at all and get sklearn's own "Invalid parameter" error.
_SKORCH_PREFIXES = {
    "module": "module_params",
    "optimizer": "optimizer_params",
    "callbacks": "callbacks",
}


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


def _same(a, b):
    """``a == b`` for parameter values, False where equality is ambiguous
    (arrays)."""
    if a is b:
        return True
    try:
        return bool(a == b)
    except (ValueError, TypeError):
        return False


def standard_scale(mean, std):
    """``std`` where it is a usable divisor, 1 where a column is constant
    (its spread is rounding next to its mean): the scale that standardises
    targets (``normalize_y``) and sequence channels (``normalize_input``)."""
    return np.where(std > 1e-12 * (1 + np.abs(mean)), std, 1.0)


def _can_stratify(codes, n_valid):
    """Whether train_test_split can stratify ``codes`` with ``n_valid`` held out."""
    if codes is None:
        return False
    counts = np.bincount(codes)
    counts = counts[counts > 0]
    n_train = len(codes) - n_valid
    return counts.min() >= 2 and n_valid >= len(counts) and n_train >= len(counts)


def training_space(trial, *, lr=(1e-4, 1e-1), batch_sizes=(32, 64, 128, 256)):
    """The training part of every default search space: learning rate, batch
    size and weight decay, drawn with ``trial.suggest_*``."""
    return {
        "lr": trial.suggest_float("lr", *lr, log=True),
        "batch_size": trial.suggest_categorical("batch_size", list(batch_sizes)),
        "weight_decay": trial.suggest_float("weight_decay", 1e-6, 1e-2, log=True),
    }


class BaseNeuralNetwork(BaseEstimator, metaclass=ABCMeta):
    """Base class of skdl's estimators; not for direct use.

    A concrete estimator is a task mixin, an input mixin (which implements
    the abstract input hooks) and a family class that sets the class
    attributes below, e.g.
    ``class DenseClassifier(NeuralClassifierMixin, _DenseFamily)``.

    Class attributes a family sets
    ------------------------------
    _input_kind : {"table", "sequence", "image", "graph"}
        What X is; skdl's estimator checks choose their data by it.
    _module_class : type
        The default torch module. It is called with ``n_outputs``, the data
        sizes from :meth:`_data_sizes` and every estimator parameter that
        has the name of one of its arguments (see ``skdl/networks/_protocol.py``
        for what it must accept and return).
    _search_space : callable
        ``(trial) -> dict`` of parameters, the space
        :class:`skdl.search.OptunaSearchCV` searches by default. It only
        calls ``trial.suggest_*``, so no Optuna import is needed to declare it.
    _per_layer : dict
        ``{"layers_param": ("per_layer_param", ...)}``: parameters that take
        one value per layer of ``layers_param`` (or one value for all).
    """

    _input_kind: str = None
    _module_class: type = None
    # max_epochs="auto": at least this many epochs, and enough of them for
    # _MIN_STEPS optimizer steps (small data sets lack steps, not epochs),
    # but no more than _MAX_AUTO_EPOCHS.
    _min_epochs: int = 20
    _MIN_STEPS = 1000
    _MAX_AUTO_EPOCHS = 300
    _search_space = None
    _per_layer: dict = {}
    _auto_depth: int = 0  # layers of a layers parameter given as "auto"

    _parameter_constraints: dict = {
        "max_epochs": [
            Interval(Integral, 1, None, closed="left"),
            StrOptions({"auto"}),
        ],
        "batch_size": [
            Interval(Integral, 1, None, closed="left"),
            StrOptions({"auto"}),
        ],
        "lr": [Interval(Real, 0, None, closed="neither"), StrOptions({"auto"})],
        "lr_schedule": [StrOptions({"onecycle", "cosine", "constant"})],
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
        "l1": [Interval(Real, 0, None, closed="left")],
        "l2": [Interval(Real, 0, None, closed="left")],
        "regularize_bias": ["boolean"],
    }

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        kind = cls.__dict__.get("_input_kind")
        if kind is not None and kind not in INPUT_KINDS:
            raise TypeError(f"{cls.__name__}._input_kind must be one of {INPUT_KINDS}.")

    def _store_params(self, params):
        """Store ``__init__``'s arguments (its ``locals()``) as attributes."""
        for name in self._get_param_names():
            setattr(self, name, params[name])

    # ----------------------------------------------------------- input hooks
    @abstractmethod
    def _validate_input(self, X, y=NO_Y, *, reset):
        """Validate X (and y when given) for this input kind.

        Returns ``(X, y)``: X in the form :meth:`_data_sizes` and
        :meth:`_dataset` take (an array, or a family's own container), y as
        an array or None. With ``reset=True`` (a new fit) it records what
        prediction must match (``n_features_in_``, ``feature_names_in_``,
        kind-specific sizes); with ``reset=False`` it checks X against them
        and raises a ``ValueError`` naming the estimator when X differs.
        Raises ``ValueError`` (or ``TypeError`` for a wrong container) with a
        message that names the estimator, for any X it cannot take.
        """

    def _check_y_for(self, y, n_samples, what):
        """y validated for X of ``n_samples`` ``what`` (e.g. "sequences")
        that are not a 2-D array, so sklearn's validate_data cannot check
        them together; ``NO_Y`` passes through."""
        name = type(self).__name__
        if y is None:
            raise ValueError(
                f"This {name} estimator requires y to be passed, but the target "
                "y is None."
            )
        if y is NO_Y:
            return y
        y = _check_y(y, multi_output=True, y_numeric=self._y_numeric, estimator=self)
        if len(y) != n_samples:
            raise ValueError(
                f"{name}: X holds {n_samples} {what} but y has {len(y)} targets."
            )
        return y

    @abstractmethod
    def _data_sizes(self, X):
        """Sizes read from validated X that the module is built for, e.g.
        ``{"n_features": 20}`` or ``{"vocab_size": 25}``; a user's ``module=``
        receives them too."""

    @abstractmethod
    def _dataset(self, X, y=None, w=None):
        """The dataset for validated X (and targets, weights) that the batch
        iterator cuts batches from.

        It must support ``len``, ``ds[start:end]`` and ``ds[index_tensor]``
        (returning ``(X_batch, y_batch, w_batch)``, where ``X_batch`` is what
        the module's forward takes: a tensor, or a dict of its inputs),
        ``ds.subset(indices)`` and ``ds.to(device)``, and have ``lengths``
        (per-row lengths, for length bucketing, or None). Data that cannot be
        sliced from tensors (graphs) build their batches in ``__getitem__``.
        :class:`skdl.utils._data.ArrayDataset` is the tensor case.
        """

    # --------------------------------------------------------- module hooks
    def _architecture_names(self):
        """Estimator parameters that are arguments of the default module."""
        module_args = inspect.signature(self._module_class).parameters
        return [n for n in self._get_param_names() if n in module_args]

    def _module_kwargs(self, X, rows=None):
        """Architecture arguments of the default module, by name; families
        convert values (or add fitted sizes) by overriding this. ``rows`` is
        the training dataset (after any hold-out split, with the weights)."""
        return {n: getattr(self, n) for n in self._architecture_names()}

    def _build_module(self, X, n_outputs, rows=None):
        sizes = self._data_sizes(X)
        if self.module is not None:
            self._warn_unused_architecture()
            self._module_spec_ = None
            return self._custom_module(n_outputs=n_outputs, **sizes)
        self._check_per_layer()
        kwargs = self._module_kwargs(X, rows)
        try:
            module = self._module_class(n_outputs=n_outputs, **sizes, **kwargs)
        except ValueError as exc:
            raise ValueError(f"{type(self).__name__}: {exc}") from None
        # The network's arguments: skdl.load rebuilds it from them.
        self._module_spec_ = {"n_outputs": n_outputs, **sizes, **kwargs}
        return module

    def _depth(self, layers):
        """How many layers the widths parameter ``layers`` makes: "auto"
        widths are chosen by the module, always for ``_auto_depth`` layers."""
        widths = getattr(self, layers)
        return self._auto_depth if isinstance(widths, str) else len(widths)

    def _check_per_layer(self):
        for layers, params in self._per_layer.items():
            widths = getattr(self, layers)
            auto = isinstance(widths, str)
            n = self._depth(layers)
            if n == 0:  # no such layers: their per-layer settings are unused
                continue
            named = f"{layers}={widths!r}" if auto else layers
            for param in params:
                value = getattr(self, param)
                # A scalar (or str) applies to every layer; entries may be
                # sequences themselves (parallel kernel widths).
                if (
                    isinstance(value, str)
                    or not hasattr(value, "__len__")
                    or getattr(value, "ndim", 1) == 0
                ):
                    continue
                if len(value) != n:
                    raise ValueError(
                        f"{type(self).__name__}: {param}={value!r} has "
                        f"{len(value)} entries, but {named} has {n} layers. Give "
                        "one value per layer, or a single value for all of them."
                    )

    def _warn_unused_architecture(self):
        """Tell users that architecture knobs are ignored with a custom module."""
        defaults = inspect.signature(type(self).__init__).parameters
        changed = [
            n
            for n in self._architecture_names()
            if not _same(getattr(self, n), defaults[n].default)
        ]
        if changed:
            warnings.warn(
                f"{type(self).__name__}: {changed} only shape the default network "
                "and are ignored with module=...; pass module_params instead.",
                UserWarning,
                stacklevel=7,  # the user's fit call (through _fit_context)
            )

    def _custom_module(self, **sizes):
        """Build the user's ``module=`` from data sizes and ``module_params``."""
        name = type(self).__name__
        if isinstance(self.module, nn.Module):
            raise ValueError(
                f"{name}: module must be a class (or factory) that "
                f"skdl calls with the data sizes, not a built "
                f"{type(self.module).__name__} instance. Pass "
                f"module={type(self.module).__name__} and its other arguments "
                "as module_params={...}."
            )
        params = dict(self.module_params or {})
        clash = sorted(set(params) & set(sizes))
        if clash:
            raise ValueError(
                f"{name}: module_params must not contain "
                f"{clash}; these sizes are read from the data in fit."
            )
        try:
            inspect.signature(self.module).bind(**sizes, **params)
        except TypeError as exc:
            raise TypeError(
                f"{name}: module={getattr(self.module, '__name__', self.module)!r} "
                f"cannot be called with the data sizes {sorted(sizes)} and "
                f"module_params {sorted(params)}: {exc}."
            ) from None
        except ValueError:  # no signature to inspect (some builtins)
            pass
        return self.module(**sizes, **params)

    def default_search_space(self):
        """The space :class:`skdl.search.OptunaSearchCV` searches by default.

        Returns
        -------
        space : callable
            ``space(trial) -> dict`` of parameters of this estimator, drawn
            with ``trial.suggest_*``.
        """
        return type(self)._search_space

    # ------------------------------------------------------------ parameters
    def set_params(self, **params):
        """Set parameters, as in scikit-learn.

        skorch's nested names (``module__width``, ``optimizer__momentum``)
        are refused with the skdl parameter that takes them instead.
        """
        name = type(self).__name__
        for key in params:
            prefix, sep, rest = key.partition("__")
            if sep and prefix in _SKORCH_PREFIXES:
                target = _SKORCH_PREFIXES[prefix]
                example = (
                    f"{target}={{{rest!r}: ...}}"
                    if target.endswith("_params")
                    else target
                )
                raise ValueError(
                    f"{name} has no nested parameter {key!r}: skorch's "
                    f"'{prefix}__' names are not used here. Set {example} "
                    f"instead (e.g. est.set_params({target}=...))."
                )
        return super().set_params(**params)

    # ------------------------------------------------------------- validation
    def __sklearn_is_fitted__(self):
        return hasattr(self, "net_")

    def _forget_fit(self):
        """Drop every fitted attribute, leaving the estimator cleanly unfitted.

        Fitted state is what ``fit`` sets, and its names end with "_", the
        private ones too (``_kind_``, ``_rng_state_``); a family that stores
        more follows the same rule. Parameters and the attributes scikit-learn
        itself keeps on an estimator (output and metadata configuration,
        callback contexts) are left alone.
        """
        for key in list(vars(self)):
            if key.endswith("_") and not key.startswith("__"):
                delattr(self, key)

    def _sample_weight(self, sample_weight, y):
        """Validated weights (one per row of ``y``) rescaled to mean 1, as a
        float32 tensor (or None)."""
        if sample_weight is None:
            return None
        w = _check_sample_weight(
            sample_weight, y, dtype=np.float64, ensure_non_negative=True
        )
        return torch.from_numpy((w / w.mean()).astype(np.float32))

    # --------------------------------------------------------------- building
    def _resolve_batch_size(self, n_samples):
        """batch_size="auto": about n/50 rounded to a power of two, within
        16..128 (and at most n), so that every data size gets tens of steps
        per epoch."""
        if self.batch_size == "auto":
            size = 2 ** round(np.log2(max(n_samples, 1) / 50))
            return int(max(1, min(n_samples, max(16, min(128, size)))))
        return self.batch_size

    def _planned_epochs(self, n_samples):
        """Epochs that ``fit`` on ``n_samples`` rows would train (before
        any early stop; without its validation hold-out). Ask a fitted
        estimator: the minimum of steps may depend on the input fit saw."""
        return self._resolve_epochs(n_samples, self._resolve_batch_size(n_samples))

    def _resolve_epochs(self, n_samples, batch_size):
        """max_epochs="auto": the family's minimum (``_min_epochs``), or more
        where that leaves fewer than ``_min_steps()`` optimizer steps."""
        if self.max_epochs != "auto":
            return self.max_epochs
        steps = -(-max(n_samples, 1) // batch_size)
        need = -(-self._min_steps() // steps)
        return int(min(max(self._min_epochs, need), self._MAX_AUTO_EPOCHS))

    def _min_steps(self):
        """Optimizer steps that ``max_epochs="auto"`` trains at least (a
        family may lower it for some input, once fit has seen it)."""
        return self._MIN_STEPS

    _AUTO_LR = 1e-3

    def _resolve_lr(self):
        """The learning rate (the schedule's peak): ``lr``, or for "auto"
        the family's rate for the input fit saw (:meth:`_auto_lr`)."""
        return self._auto_lr() if isinstance(self.lr, str) else self.lr

    def _auto_lr(self):
        """``lr="auto"``: 1e-3 unless a family says otherwise for some
        input, once fit has seen it."""
        return self._AUTO_LR

    def _make_optimizer(self, device):
        name = type(self).__name__
        params = dict(self.optimizer_params or {})
        opt = self.optimizer
        if isinstance(opt, str):
            opt = OPTIMIZERS[opt]
        accepted = inspect.signature(opt).parameters
        takes_any = any(p.kind is p.VAR_KEYWORD for p in accepted.values())
        unknown = [k for k in params if k not in accepted and not takes_any]
        reserved = [k for k in params if k in ("params", "lr")]
        if unknown or reserved:
            bad = (unknown or reserved)[0]
            choices = [k for k in accepted if k not in ("self", "params", "lr")]
            close = difflib.get_close_matches(bad, choices, n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            if bad == "lr":
                hint = " Set the learning rate with lr=..."
            raise ValueError(
                f"{name}: optimizer_params has {bad!r}, which {opt.__name__} does "
                f"not take here.{hint} {opt.__name__} takes: {', '.join(choices)}."
            )
        if (
            isinstance(self.optimizer, str)
            and opt in (torch.optim.Adam, torch.optim.AdamW)
            and (device.startswith("cuda") or _torch_at_least(2, 4))
        ):
            params.setdefault("fused", True)
        if "weight_decay" in accepted:
            # Always passed: torch's AdamW would otherwise decay by 0.01 even
            # with weight_decay=0.
            params.setdefault("weight_decay", self.weight_decay)
        return opt, params

    def _make_net(self, module, *, device, criterion, batch_size, merge_singleton):
        optimizer, optimizer_params = self._make_optimizer(device)
        callbacks = [
            ("stop_on_nonfinite", StopOnNonFiniteLoss()),
            ("lr_schedule", LRSchedule()),
        ]
        if self.early_stopping:
            score, name = self._validation_scorer()
            callbacks.append(("valid_score", EpochScore(score, name)))
        if self.verbose:
            # After the scores it shows, before early stopping (which ends the
            # last epoch early by raising).
            callbacks.append(("progress", EpochProgress(bar=self.verbose == 1)))
        if self.early_stopping:
            callbacks += [
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
        clip = getattr(self, "clip_grad_norm", None)  # families with CLIP_CONSTRAINTS
        if clip is not None:
            callbacks.append(("clip_grad_norm", GradientNormClipping(clip)))
        user = copy.deepcopy(self.callbacks or [])
        theirs = [
            c
            for c in user
            if isinstance(c[1] if isinstance(c, tuple) else c, LRScheduler)
        ]
        if theirs and self.lr_schedule != "constant":
            raise ValueError(
                f"{type(self).__name__}: callbacks has a learning-rate scheduler, and "
                f"lr_schedule={self.lr_schedule!r} would set the rate too. Use "
                "lr_schedule='constant' with your own scheduler."
            )
        callbacks += user
        predict_batch = predict_rows(max(batch_size, MIN_PREDICT_BATCH))
        return SkdlNet(
            module,
            criterion=criterion,
            optimizer=optimizer,
            lr=self._resolve_lr(),
            max_epochs=1,  # every call that trains says how many epochs
            batch_size=batch_size,
            iterator_train=self._iterator,
            iterator_train__shuffle=True,
            iterator_train__merge_singleton=merge_singleton,
            iterator_valid=self._iterator,
            # Validation and prediction need no gradients: larger batches.
            iterator_valid__batch_size=predict_batch,
            train_split=None,
            callbacks=callbacks,
            device=device,
            # skorch's ANSI-coloured log table is off (EpochProgress shows
            # the epochs); its verbose lets early stopping say when it stops.
            verbose=self.verbose,
            callbacks__print_log=None,
            precision=self.precision,
            l1=self.l1,
            l2=self.l2,
            regularize_bias=self.regularize_bias,
            **{f"optimizer__{k}": v for k, v in optimizer_params.items()},
        )

    # The batch iterator class given to skorch: a replaceable part.
    _iterator = BatchIterator

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

        Notes
        -----
        If ``fit`` raises, the estimator is left unfitted (predicting raises
        ``NotFittedError``), not half-changed. With ``warm_start=True`` a fit
        that raises before training starts (e.g. on X of the wrong shape)
        leaves the fitted network as it was.
        """
        return self._fit(X, y, sample_weight, epochs=None, keep_net=self.warm_start)

    @_fit_context(prefer_skip_nested_validation=True)
    def _fit_next_epoch(self, X, y, sample_weight=None, classes=None):
        """Train the next epoch of a whole ``fit`` (no hold-out), continuing
        its learning-rate schedule: ``k`` calls give the network of the first
        ``k`` epochs of ``fit`` with ``early_stopping=False``. For searches
        that score every epoch (:class:`~skdl.search.OptunaSearchCV`)."""
        return self._fit(
            X,
            y,
            sample_weight,
            epochs=1,
            keep_net=True,
            holdout=False,
            classes=classes,
            planned=True,
        )

    # ---------------------------------------------------------------- training
    def _fit(
        self,
        X,
        y,
        sample_weight=None,
        *,
        epochs,
        keep_net,
        holdout=True,
        classes=None,
        planned=False,
    ):
        """Train. ``epochs=None`` is a whole fit (``max_epochs``, with the
        learning-rate schedule from its start); an int trains that many
        epochs at the constant rate, or, with ``planned=True``, as the next
        epochs of a whole fit, continuing its schedule (so that a search
        that trains and scores epoch by epoch sees what ``fit`` makes)."""
        continued = keep_net and self.__sklearn_is_fitted__()
        training = False
        try:
            if not continued:
                self._forget_fit()
            y = self._check_target_kind(y)
            X, y = self._validate_input(X, y, reset=not continued)
            w = self._sample_weight(sample_weight, y)
            y_tensor, n_outputs, stratify = self._encode_targets(
                y, not continued, classes, w
            )
            w = self._apply_class_weight(w, y_tensor)
            if not continued:
                self.device_ = resolve_device(self.device, type(self).__name__)
            dataset = self._dataset(X, y_tensor, w)
            validate = self.early_stopping and holdout
            with torch_scope(
                n_threads=self.n_threads,
                device=self.device_,
                seed=None if continued else draw_seed(self.random_state),
                rng_state=self._rng_state_ if continued else None,
            ) as scope:
                train_ds, valid_ds = dataset, None
                if validate:
                    train_ds, valid_ds = self._split(dataset, stratify)
                net = self.net_ if continued else self._new_net(X, n_outputs, train_ds)
                if continued and net.lr != self._resolve_lr():
                    # updates the param groups, keeps the optimizer's state
                    net.set_params(lr=self._resolve_lr())
                n_train = len(train_ds)
                full = self._resolve_epochs(n_train, net.batch_size)
                steps = -(-n_train // net.batch_size)
                schedule = dict(net.callbacks_)["lr_schedule"]
                progress = dict(net.callbacks_).get("progress")
                if progress is not None:
                    progress.total_epochs = len(net.history) + (
                        full if epochs is None else epochs
                    )
                if epochs is None:  # a whole fit: the schedule from its start
                    epochs = full
                    schedule.plan(self.lr_schedule, epochs * steps, restart=True)
                elif planned:
                    schedule.plan(self.lr_schedule, full * steps, restart=not continued)
                else:
                    schedule.plan("constant", 1, restart=True)
                if self.device_ != "cpu":
                    train_ds = train_ds.to(self.device_)
                    if valid_ds is not None:
                        valid_ds = valid_ds.to(self.device_)
                net.train_split = (
                    None if valid_ds is None else predefined_split(valid_ds)
                )
                training = True
                try:
                    # skorch's partial_fit runs on_train_begin/end around the
                    # loop and catches the KeyboardInterrupt that its callbacks
                    # (e.g. EarlyStopping) raise to stop training.
                    net.partial_fit(train_ds, None, epochs=epochs)
                except NonFiniteLossError as exc:
                    raise DivergedError(
                        f"{type(self).__name__} stopped: the training loss became "
                        f"{exc.loss} in epoch {exc.epoch} (batch {exc.batch}), so "
                        f"its weights are no longer usable. Lower the learning "
                        f"rate (lr={self._resolve_lr()}), scale X (and y for "
                        "regression), or "
                        "add a gradient-clipping callback.",
                        epoch=exc.epoch,
                        batch=exc.batch,
                        loss=exc.loss,
                    ) from None
                finally:
                    net.train_split = None
        except BaseException:
            # A new fit, or a continued one whose network training touched,
            # leaves nothing half-made behind.
            if not continued or training:
                self._forget_fit()
            raise
        self._rng_state_ = scope["rng_state"]
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

    def _new_net(self, X, n_outputs, train_ds):
        name = type(self).__name__
        module = self._build_module(X, n_outputs, train_ds)
        batch_norm = _has_batch_norm(module)
        batch_size = self._resolve_batch_size(len(train_ds))
        if batch_norm and len(train_ds) < 2:
            raise ValueError(
                f"{name} has batch normalisation, which needs at least 2 "
                f"training samples; got {len(train_ds)} sample(s)."
            )
        if batch_norm and batch_size < 2:
            raise ValueError(
                f"{name} has batch normalisation, which needs batches of at least "
                f"2 samples; got batch_size={batch_size}. Use a larger batch_size "
                "or batch_norm=False."
            )
        net = self._make_net(
            module,
            device=self.device_,
            criterion=self._criterion(),
            batch_size=batch_size,
            merge_singleton=batch_norm,
        )
        return net.initialize()

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
        # Stratified where every class can be split; at random otherwise (a
        # class with one sample, or more classes than held-out rows).
        train_idx, valid_idx = train_test_split(
            np.arange(n),
            test_size=n_valid,
            random_state=seed,
            stratify=stratify if _can_stratify(stratify, n_valid) else None,
        )
        valid = dataset.subset(np.sort(valid_idx))
        if valid.lengths is not None:  # little padding per validation batch
            valid, _ = valid.sorted_by_length()
        return dataset.subset(np.sort(train_idx)), valid

    def summary(self):
        """The fitted network layer by layer, as Keras' ``model.summary()``.

        One forward pass of a single sample (the size seen in fit; for
        sequences the longest one) records each layer's output shape and
        parameter count; totals are counted for all, trainable and frozen
        parameters. ``print`` the result, or let a notebook show it.

        Returns
        -------
        summary : :class:`~skdl.utils.NetworkSummary`
            Its ``layers`` hold the rows (name, type, output shape, parameter
            count, depth); ``total_params``, ``trainable_params`` and
            ``non_trainable_params`` the totals.
        """
        check_is_fitted(
            self,
            msg=(
                "This %(name)s has no network yet: its layer sizes come from the "
                "data (features, vocabulary, length, channels, outputs). Call fit "
                "first; a fit on a few rows with max_epochs=1 is enough to see "
                "the layers."
            ),
        )
        inputs, described = self._summary_input()
        device = self.device_
        if isinstance(inputs, GraphBatch):
            inputs = inputs.to(device).inputs()
        elif isinstance(inputs, dict):
            inputs = {k: v.to(device) for k, v in inputs.items()}
        else:
            inputs = inputs.to(device)
        module = self.net_.module_
        with torch_scope(n_threads=self.n_threads, device=device):
            return summarize(
                module,
                inputs,
                title=f"{type(self).__name__}: {type(module).__name__}",
                input_description=f"Output shapes for one sample: {described}.",
            )

    # Predictions of at least this many batches get a bar at verbose >= 1.
    _PREDICT_BAR_BATCHES = 10

    def _predict_batches(self, dataset):
        """The network's output over ``dataset``, batch by batch (with a
        progress bar for long predictions when ``verbose``)."""
        net = self.net_
        if not self.verbose:
            return net.forward(dataset)
        n_batches = len(net.get_iterator(dataset, training=False))
        if n_batches < self._PREDICT_BAR_BATCHES:
            return net.forward(dataset)
        from tqdm.auto import tqdm

        parts = tqdm(
            net.forward_iter(dataset),
            total=n_batches,
            desc=f"{type(self).__name__} predict",
            unit="batch",
            leave=False,
            dynamic_ncols=True,
        )
        return torch.cat(list(parts))

    def _summary_input(self):
        """A batch of one sample as the module takes it, and its description."""
        raise NotImplementedError

    def _forward(self, X):
        """Raw network output for X as float64 numpy, shape (n, n_outputs)."""
        check_is_fitted(self)
        X, _ = self._validate_input(X, reset=False)
        dataset, order = self._dataset(X), None
        if dataset.lengths is not None:  # batches of similar length, then unsort
            dataset, order = dataset.sorted_by_length()
        with torch_scope(n_threads=self.n_threads, device=self.device_):
            out = self._predict_batches(dataset).numpy().astype(np.float64)
        if order is not None:
            out[order] = out.copy()
        return out

    # ----------------------------------------------------------------- sklearn
    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = False
        tags.target_tags.multi_output = True
        return tags

    def _check_target_kind(self, y):
        """y, or a clear error for targets of the wrong kind (regressors)."""
        return y

    def _apply_class_weight(self, w, y_tensor):
        return w


class NeuralClassifierMixin(ClassifierMixin):
    """Targets, loss and outputs of skdl classifiers."""

    _y_numeric = False

    def summary(self):
        summary = super().summary()
        classes = getattr(self, "classes_", None)
        linears = [m for m in self.net_.module_.modules() if isinstance(m, nn.Linear)]
        if (
            isinstance(classes, np.ndarray)
            and len(classes) == 2
            and linears
            and linears[-1].out_features == 2
        ):
            out = linears[-1]
            fewer = out.in_features + (out.bias is not None)
            summary.notes.append(
                f"Two classes get two logits (a softmax over both): a single "
                f"sigmoid output, as Keras' Dense(1, activation='sigmoid'), has "
                f"{fewer:,} parameters fewer ({summary.total_params - fewer:,} in "
                "all)."
            )
        return summary

    summary.__doc__ = BaseNeuralNetwork.summary.__doc__

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

    def _encode_targets(self, y, first, classes, sample_weight=None):
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
            self._multilabel_ = multilabel
            if multilabel:
                self.classes_ = np.arange(y.shape[1])
            else:
                self.classes_ = np.unique(y if classes is None else classes)
                if len(self.classes_) < 2:
                    raise ValueError(
                        f"{name} needs samples of at least 2 classes in the data, "
                        f"but y contains only one class: {_py(self.classes_[0])!r}."
                    )
        elif multilabel != self._multilabel_ or (
            multilabel and y.shape[1] != len(self.classes_)
        ):
            raise ValueError(
                f"{name} was fitted on "
                f"{'multilabel' if self._multilabel_ else 'single-label'} targets "
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
        if self._multilabel_:
            return nn.BCEWithLogitsLoss(reduction="none")
        return nn.CrossEntropyLoss(reduction="none")

    def _apply_class_weight(self, w, y_tensor):
        if self.class_weight is None:
            return w
        if self._multilabel_:
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
        if self._multilabel_:
            return _multilabel_accuracy_from_logits, "valid_acc"
        return _accuracy_from_logits, "valid_acc"

    def predict_proba(self, X):
        """Class probabilities of shape (n_samples, n_classes).

        For multilabel targets, column j is the probability of label j.
        """
        out = self._forward(X)
        return expit(out) if self._multilabel_ else softmax(out, axis=1)

    def predict_log_proba(self, X):
        """Logarithm of :meth:`predict_proba`."""
        out = self._forward(X)
        if self._multilabel_:
            return -np.logaddexp(0, -out)
        return log_softmax(out, axis=1)

    def predict(self, X):
        """Predicted class labels, in the labels' own type (strings too)."""
        out = self._forward(X)
        if self._multilabel_:
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
    # Merged into each regressor's _parameter_constraints.
    _regressor_constraints = {
        "loss": [StrOptions(set(_LOSSES))],
        "normalize_y": ["boolean"],
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

    def _check_target_kind(self, y):
        """Refuse string targets before X is looked at, with a regressor's
        message (not numpy's, nor one about X)."""
        name = type(self).__name__
        if y is None:
            return y
        arr = np.asarray(y)
        if arr.dtype.kind in "USO":
            try:
                return arr.astype(np.float64)
            except (ValueError, TypeError):
                first = next(
                    (v for v in arr.ravel() if isinstance(v, str | bytes)), None
                )
                raise ValueError(
                    f"{name} is a regressor and needs numeric y, but y holds "
                    f"strings (e.g. {first!r}). For class labels use a classifier "
                    f"such as {name.replace('Regressor', 'Classifier')}."
                ) from None
        return y

    def _encode_targets(self, y, first, classes, sample_weight=None):
        name = type(self).__name__
        if np.abs(y).max(initial=0.0) > FLOAT32_MAX:
            raise ValueError(
                f"{name} computes in float32, but y has values beyond its range; "
                "scale y, e.g. with TransformedTargetRegressor."
            )
        y2 = y.reshape(len(y), -1).astype(np.float64)
        if first:
            self._y_ndim_ = y.ndim
            self.n_outputs_ = y2.shape[1]
            self.y_mean_ = np.zeros(y2.shape[1])
            self.y_scale_ = np.ones(y2.shape[1])
            if self.normalize_y:  # weighted: a zero weight is an absent row
                w = None if sample_weight is None else sample_weight.numpy()
                if w is not None and not w.sum() > 0:
                    w = None
                self.y_mean_ = np.average(y2, axis=0, weights=w)
                var = np.average((y2 - self.y_mean_) ** 2, axis=0, weights=w)
                self.y_scale_ = standard_scale(self.y_mean_, np.sqrt(var))
        elif y2.shape[1] != self.n_outputs_:
            raise ValueError(
                f"{name} was fitted on {self.n_outputs_} target(s); y has "
                f"{y2.shape[1]}."
            )
        scaled = (y2 - self.y_mean_) / self.y_scale_
        return torch.from_numpy(scaled.astype(np.float32)), y2.shape[1], None

    def _criterion(self):
        return self._LOSSES[self.loss](reduction="none")

    def _validation_scorer(self):
        return r2_score, "valid_r2"

    def predict(self, X):
        """Predictions with the shape of the y seen in fit: (n,) or (n, n_outputs),
        in y's units."""
        out = self._forward(X) * self.y_scale_ + self.y_mean_
        return out.ravel() if self._y_ndim_ == 1 else out
