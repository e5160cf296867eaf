"""Export a fitted network for deployment: ONNX, or a ``torch.export`` program.

:func:`export` wraps the fitted torch module in a small module that returns
what ``predict_proba`` (classifiers) or ``predict`` (regressors) returns, so
the deployed file needs neither skdl nor sklearn, and writes beside it a
JSON of what the inputs and outputs are (class labels, the exported length,
the tokenizer's vocabulary and settings). For a pipeline that starts with a
``SequenceTokenizer``, ``skdl_inputs.py`` (standalone: numpy only) is copied
there too; its ``sequence_inputs`` turns strings into the model's inputs.

Both formats are traced by ``torch.export`` (the ONNX file by torch's dynamo
exporter, ``torch.onnx.export(..., dynamo=True)``), never TorchScript.
"""

import json
import shutil
import warnings
from pathlib import Path

import numpy as np
import torch
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.validation import check_is_fitted
from torch import nn

from .estimators._base import BaseNeuralNetwork
from .estimators._image import _ImageInput
from .estimators._sequence import _SequenceInput
from .estimators._table import _TableInput
from .preprocessing import SequenceTokenizer

FORMATS = ("onnx", "torch")
INPUTS_FILE = "skdl_inputs.py"
_TORCH_INTERNAL_WARNINGS = (
    r"`isinstance\(treespec, LeafSpec\)` is deprecated",
    r"_check_is_size will be removed",
)


class _Outputs(nn.Module):
    """Logits -> probabilities (classifiers) or predictions in y's units."""

    def __init__(self, estimator):
        super().__init__()
        self.task = _task(estimator)
        scale = getattr(estimator, "y_scale_", None)
        mean = getattr(estimator, "y_mean_", None)
        if self.task == "regression":
            self.register_buffer("scale", _float(scale))
            self.register_buffer("mean", _float(mean))

    def forward(self, logits):
        logits = logits.float()
        if self.task == "classification":
            return torch.softmax(logits, 1)
        if self.task == "multilabel":
            return torch.sigmoid(logits)
        return logits * self.scale + self.mean


class _Table(nn.Module):
    """Rows ``(batch, n_features)`` -> outputs; with a StandardScaler folded in."""

    def __init__(self, module, outputs, scaler=None):
        super().__init__()
        self.module, self.outputs = module, outputs
        self.scaled = scaler is not None
        if self.scaled:  # with_mean / with_std=False leave mean_ / scale_ None
            n = scaler.n_features_in_
            mean, scale = scaler.mean_, scaler.scale_
            self.register_buffer("shift", _float(np.zeros(n) if mean is None else mean))
            self.register_buffer(
                "divide", _float(np.ones(n) if scale is None else scale)
            )

    def forward(self, x):
        if self.scaled:
            x = (x - self.shift) / self.divide
        return self.outputs(self.module(x))


class _Images(nn.Module):
    """Images ``(batch, height, width, channels)`` -> outputs."""

    def __init__(self, module, outputs):
        super().__init__()
        self.module, self.outputs = module, outputs

    def forward(self, x):
        return self.outputs(self.module(x.permute(0, 3, 1, 2)))


class _Sequences(nn.Module):
    """Left-aligned ``x`` and real ``lengths`` -> outputs."""

    def __init__(self, module, outputs):
        super().__init__()
        self.module, self.outputs = module, outputs

    def forward(self, x, lengths):
        return self.outputs(self.module(x, lengths))


class _SequencesWithSide(_Sequences):
    def forward(self, x, lengths, side):
        return self.outputs(self.module(x, lengths, side))


def _float(values):
    return torch.as_tensor(np.asarray(values, dtype=np.float32))


def _task(estimator):
    if not hasattr(estimator, "classes_"):
        return "regression"
    return "multilabel" if estimator._multilabel_ else "classification"


def _split_pipeline(obj):
    """(preprocessing steps, the skdl estimator) of an estimator or pipeline."""
    if isinstance(obj, Pipeline):
        *before, (_, last) = obj.steps
        steps = [step for _, step in before if step not in (None, "passthrough")]
    else:
        steps, last = [], obj
    if not isinstance(last, BaseNeuralNetwork):
        raise TypeError(
            "skdl.export exports a fitted skdl estimator, or a Pipeline that ends "
            f"with one; got {type(last).__name__}."
        )
    check_is_fitted(last)
    if last._input_kind == "graph":
        raise TypeError(
            f"skdl.export does not export {type(last).__name__} yet: its batches "
            "have a data-dependent number of nodes and edges, and RDKit's "
            "featurisation would have to travel with the model. Share it with "
            "skdl.save / skdl.load (or pickle, with files you trust)."
        )
    if isinstance(last, _SequenceInput):
        allowed = (SequenceTokenizer,)
    elif isinstance(last, _TableInput):
        allowed = (StandardScaler,)
    else:  # images: the exported network takes the images themselves
        allowed = ()
    if len(steps) > 1 or (steps and not isinstance(steps[0], allowed)):
        names = ", ".join(type(s).__name__ for s in steps)
        carry = f"can carry a {allowed[0].__name__}" if allowed else "carries no step"
        raise TypeError(
            f"skdl.export {carry} before {type(last).__name__}, but this "
            f"Pipeline has: {names}. Export the last step alone and apply the "
            "others before calling the model."
        )
    return (steps[0] if steps else None), last


def _tokenizer_settings(tokenizer):
    """What ``skdl_inputs.sequence_inputs`` needs to tokenize as ``tokenizer``:
    its own case and split rule, k, joiner, vocabulary and truncation."""
    check_is_fitted(tokenizer)
    return {
        "case": tokenizer._resolved_case(),
        **tokenizer._split_rule(),
        "k": int(tokenizer.k),
        "join": tokenizer._joiner(),
        "vocabulary": {str(t): int(i) for t, i in tokenizer.vocabulary_.items()},
        "unknown_id": 1,
        "truncation": tokenizer.truncation,
    }


def _sequence_length(estimator, tokenizer, length):
    """The exported length: ``length``, or the tokenizer's rows, or the
    longest sequence in fit; never more than the network reads."""
    if length is None:
        length = getattr(tokenizer, "max_len_", None) or max(estimator.max_len_, 1)
    length = int(length)
    if length < 1:
        raise ValueError(f"length must be at least 1; got {length}.")
    cap = getattr(estimator, "max_len", None)  # the transformer truncates there
    if isinstance(cap, int) and not isinstance(cap, bool):
        length = min(length, cap)
    if getattr(estimator, "global_pooling", None) == "flatten":
        length = min(length, estimator.max_len_)
    return length


def _build(estimator, preprocess, length):
    """(wrapper module, example inputs, input specs, metadata) for tracing."""
    module = _copy_module(estimator)
    outputs = _Outputs(estimator)
    batch = 2  # a batch of 1 would be specialised to 1 by torch.export
    meta = {"estimator": type(estimator).__name__, "task": outputs.task}
    if isinstance(estimator, _SequenceInput):
        length = _sequence_length(estimator, preprocess, length)
        if estimator._kind_ == "tokens":
            x = torch.ones(batch, length, dtype=torch.long)
            specs = [("x", "int64", ["batch", length])]
        else:
            channels = estimator.n_channels_
            x = torch.zeros(batch, length, channels)
            specs = [("x", "float32", ["batch", length, channels])]
        args = [x, torch.full((batch,), length)]
        specs.append(("lengths", "int64", ["batch"]))
        n_side = getattr(estimator.net_.module_, "n_side_features", 0)
        if n_side:
            wrapper = _SequencesWithSide(module, outputs)
            args.append(torch.zeros(batch, n_side))
            specs.append(("side", "float32", ["batch", n_side]))
        else:
            wrapper = _Sequences(module, outputs)
        meta.update(input=estimator._kind_, length=length)
        if preprocess is not None:
            meta["tokenizer"] = _tokenizer_settings(preprocess)
    elif isinstance(estimator, _ImageInput):
        h, w, c = estimator.image_shape_
        wrapper = _Images(module, outputs)
        args = [torch.zeros(batch, h, w, c)]
        specs = [("x", "float32", ["batch", h, w, c])]
        meta.update(input="images", layout="(batch, height, width, channels)")
    elif isinstance(estimator, _TableInput):
        n = estimator.n_features_in_
        wrapper = _Table(module, outputs, preprocess)
        args = [torch.zeros(batch, n)]
        specs = [("x", "float32", ["batch", n])]
        meta.update(input="table", scaler=preprocess is not None)
    else:  # pragma: no cover - every skdl family has one of the inputs above
        raise TypeError(f"skdl.export cannot export {type(estimator).__name__}.")
    meta["inputs"] = [{"name": n, "dtype": d, "shape": s} for n, d, s in specs]
    classes = getattr(estimator, "classes_", None)
    if classes is not None:
        meta["classes"] = [_label(c) for c in classes]
        name, n_out = "probabilities", len(classes)
    else:
        name, n_out = "predictions", int(estimator.n_outputs_)
        meta["n_outputs"] = n_out
    meta["outputs"] = [{"name": name, "dtype": "float32", "shape": ["batch", n_out]}]
    return wrapper.eval(), tuple(args), [n for n, _, _ in specs], meta


def _label(value):
    return value.item() if isinstance(value, np.generic) else value


def _copy_module(estimator):
    """The fitted module, copied to the CPU in float32 and eval mode."""
    import copy

    module = copy.deepcopy(estimator.net_.module_).cpu().float().eval()
    for p in module.parameters():
        p.requires_grad_(False)
    return module


def export(estimator, path, format="onnx", *, length=None):
    """Write a fitted skdl estimator or pipeline as a deployable network.

    The file holds the network and the last step of prediction: class
    probabilities (what ``predict_proba`` returns; ``classes`` in the JSON
    gives the order of their columns, and their argmax is ``predict``) for
    classifiers, predictions in y's units for regressors. The batch axis is
    dynamic. Beside it, ``<path stem>.json`` describes the inputs and
    outputs.

    Parameters
    ----------
    estimator : fitted skdl estimator or Pipeline
        The last step must be an skdl estimator. Before it, a Pipeline may
        hold one ``SequenceTokenizer`` (sequence estimators: its vocabulary
        and settings go to the JSON, and ``skdl_inputs.py`` is copied
        beside the model) or one ``StandardScaler`` (dense estimators: it is
        folded into the network).
    path : str or path-like
        The file to write: ``.onnx`` for ONNX, ``.pt2`` for torch.
    format : {"onnx", "torch"}, default="onnx"
        "onnx": an ONNX model from ``torch.onnx.export(..., dynamo=True)``,
        one file (onnx and onnxscript must be installed:
        ``pip install "skdl[export]"``), run with e.g. onnxruntime.
        "torch": a ``torch.export`` program (``torch.export.save``), loaded
        with ``torch.export.load(path).module()``.
    length : int, default=None
        Sequence estimators only: the length of the exported input. Rows are
        left-aligned and padded with 0 to it; since padding does not change
        what skdl's sequence networks compute, predictions equal the
        estimator's for every sequence up to this length. Longer ones must
        be cut (``sequence_inputs`` cuts them as the tokenizer would). None
        takes the tokenizer's row length, else the longest sequence in fit
        (at most the transformer's ``max_len``).

    Returns
    -------
    path : pathlib.Path
        The model file written.

    Notes
    -----
    Inputs, by family (the JSON lists them with their shapes):

    - dense: ``x`` float32 ``(batch, n_features)``, raw when a
      ``StandardScaler`` was exported with it.
    - images: ``x`` float32 ``(batch, height, width, channels)``, with the
      pixel scale of fit (uint8 images were divided by 255 in fit: do so).
    - sequences: ``x`` (token ids int64 ``(batch, length)``, or values
      float32 ``(batch, length, channels)``), ``lengths`` int64 ``(batch,)``
      and, with side features, ``side`` float32 ``(batch, n_side)``.

    The length is fixed rather than a dynamic axis: ``torch.export``
    specialises on the length it traces, in the convolution towers' padding
    and pooling arithmetic and inside torch's decomposition of recurrent
    layers into steps (torch 2.13).

    Examples
    --------
    >>> import numpy as np, skdl, tempfile, os
    >>> X = np.random.RandomState(0).normal(size=(40, 3)).astype(np.float32)
    >>> reg = skdl.DenseRegressor(max_epochs=2, random_state=0).fit(X, X.sum(1))
    >>> path = skdl.export(reg, os.path.join(tempfile.mkdtemp(), "reg.pt2"),
    ...                    format="torch")
    >>> import torch
    >>> program = torch.export.load(path).module()
    >>> out = program(torch.as_tensor(X[:5])).numpy().ravel()
    >>> bool(np.allclose(out, reg.predict(X[:5]), atol=1e-5))
    True
    """
    if format not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}; got {format!r}.")
    preprocess, est = _split_pipeline(estimator)
    if length is not None and not isinstance(est, _SequenceInput):
        raise ValueError(
            f"length is for sequence estimators; {type(est).__name__} takes "
            "inputs of a fixed shape."
        )
    wrapper, args, names, meta = _build(est, preprocess, length)
    path = Path(path)
    # The wrapper's argument names are the input names; all share one batch.
    batch = torch.export.Dim("batch")
    dynamic = {name: {0: batch} for name in names}
    meta.update(format=format, skdl_export=1)
    with warnings.catch_warnings():
        # torch's own exporter code calls APIs torch 2.13 deprecated: nothing
        # a user can act on, so not shown to them (these two messages only).
        for message in _TORCH_INTERNAL_WARNINGS:
            warnings.filterwarnings("ignore", message=message, category=FutureWarning)
        # Every input's batch axis is the one Dim "batch"; the exporter says so.
        warnings.filterwarnings("ignore", message="# The axis name: batch will not")
        if format == "torch":
            program = torch.export.export(wrapper, args, dynamic_shapes=dynamic)
            torch.export.save(program, path)
        else:
            _onnx_export(wrapper, args, names, meta, dynamic, path)
    path.with_suffix(".json").write_text(json.dumps(meta, indent=1))
    if "tokenizer" in meta or meta.get("input") == "tokens":
        shutil.copyfile(
            Path(__file__).with_name("_export_inputs.py"), path.with_name(INPUTS_FILE)
        )
    return path


def _onnx_export(wrapper, args, names, meta, dynamic, path):
    try:
        import onnx  # noqa: F401
        import onnxscript  # noqa: F401
    except ImportError as exc:
        raise ImportError(
            'skdl.export(format="onnx") needs onnx and onnxscript. Install them '
            'with: pip install "skdl[export]" (or pip install onnx onnxscript)'
        ) from exc
    import contextlib
    import io
    import logging

    # The exporter prints its progress, and logs a warning for each
    # torchvision operator it skips when torchvision is absent: neither is
    # the user's concern. Quiet both for this call only.
    log = logging.getLogger("torch.onnx")
    level = log.level
    log.setLevel(logging.ERROR)
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            torch.onnx.export(
                wrapper,
                args,
                str(path),
                dynamo=True,
                input_names=names,
                output_names=[meta["outputs"][0]["name"]],
                dynamic_shapes=dynamic,
                external_data=False,
                verbose=False,
            )
    finally:
        log.setLevel(level)
