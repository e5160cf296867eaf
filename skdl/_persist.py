"""Saving and loading fitted estimators without pickle.

``pickle`` (and joblib) run code while loading, so a shared model file can
run anything. :func:`save` writes one zip file holding

* ``skdl-model.json``: what the object is, as data: class paths of the
  estimators (scikit-learn's and skdl's only), their parameters and fitted
  attributes as JSON, and references into
* ``arrays.safetensors``: every numeric array and tensor (network weights,
  optimizer state, fitted arrays), in the safetensors format, which holds
  raw numbers and nothing executable.

:func:`load` reads it back building only those classes, from the modules of
``skdl`` and ``sklearn``, with ``cls.__new__`` and the saved attributes
(never calling anything the file names otherwise), and refuses files it did
not write.
"""

import importlib
import json
import numbers
import zipfile

import numpy as np
import torch
from sklearn.base import BaseEstimator

FORMAT = "skdl-model"
VERSION = 1
_JSON = "skdl-model.json"
_ARRAYS = "arrays.safetensors"
# Estimator classes load only from these packages.
_TRUSTED = ("sklearn.", "skdl.")
# Types a parameter may name (e.g. ``dtype=np.float32``).
_TYPES = {
    f"{t.__module__}.{t.__qualname__}": t
    for t in (
        int,
        float,
        bool,
        str,
        complex,
        np.float16,
        np.float32,
        np.float64,
        np.int8,
        np.int16,
        np.int32,
        np.int64,
        np.uint8,
        np.uint16,
        np.uint32,
        np.uint64,
        np.bool_,
        np.str_,
        np.object_,
    )
}
# numpy dtypes safetensors stores; other arrays go to JSON when they can.
_TENSOR_DTYPES = {
    np.dtype(t)
    for t in ("float16", "float32", "float64", "int8", "int16", "int32")
    + ("int64", "uint8", "bool")
}


def _import_safetensors():
    try:
        import safetensors.torch
    except ImportError as exc:
        raise ImportError(
            "skdl.save and skdl.load need safetensors. Install it with: pip "
            'install "skdl[save]" (or pip install safetensors)'
        ) from exc
    return safetensors.torch


class _Encoder:
    """Python objects -> JSON-able data, arrays collected by key."""

    def __init__(self):
        self.arrays = {}

    def _store(self, tensor):
        key = str(len(self.arrays))
        # safetensors wants contiguous tensors that share no memory.
        self.arrays[key] = tensor.detach().cpu().contiguous().clone()
        return key

    def encode(self, obj, where):
        if obj is None or isinstance(obj, (bool, str)):
            return obj
        if isinstance(obj, (int, float)) and type(obj) in (int, float):
            if isinstance(obj, float) and not np.isfinite(obj):
                return {"__float__": repr(obj)}
            return obj
        if isinstance(obj, np.generic):
            return {
                "__npscalar__": obj.dtype.str,
                "value": self.encode(obj.item(), where),
            }
        if isinstance(obj, torch.Tensor):
            return {"__tensor__": self._store(obj)}
        if isinstance(obj, np.ndarray):
            return self._array(obj, where)
        if isinstance(obj, tuple):
            return {
                "__tuple__": [
                    self.encode(v, f"{where}[{i}]") for i, v in enumerate(obj)
                ]
            }
        if isinstance(obj, list):
            return [self.encode(v, f"{where}[{i}]") for i, v in enumerate(obj)]
        if isinstance(obj, dict):
            if all(isinstance(k, str) for k in obj):
                return {
                    "__dict__": {
                        k: self.encode(v, f"{where}[{k!r}]") for k, v in obj.items()
                    }
                }
            return {
                "__items__": [
                    [self.encode(k, where), self.encode(v, f"{where}[{k!r}]")]
                    for k, v in obj.items()
                ]
            }
        if isinstance(obj, slice):
            return {"__slice__": [obj.start, obj.stop, obj.step]}
        if isinstance(obj, type) and f"{obj.__module__}.{obj.__qualname__}" in _TYPES:
            return {"__type__": f"{obj.__module__}.{obj.__qualname__}"}
        if isinstance(obj, np.dtype):
            return {"__dtype__": obj.str}
        if isinstance(obj, np.random.RandomState):
            name, keys, pos, has_gauss, cached = obj.get_state()
            return {
                "__randomstate__": [
                    name,
                    self._array(keys, where),
                    pos,
                    has_gauss,
                    cached,
                ]
            }
        if isinstance(obj, BaseEstimator):
            return self._estimator(obj, where)
        raise TypeError(
            f"skdl.save cannot store {where}: a {type(obj).__module__}."
            f"{type(obj).__qualname__}. It stores estimators of scikit-learn and "
            "skdl whose parameters and fitted state are numbers, strings, arrays "
            "and containers of them (no functions, no custom classes); use "
            "pickle for anything else, and only with files you trust."
        )

    def _array(self, a, where):
        if a.dtype in _TENSOR_DTYPES:
            return {"__array__": self._store(torch.from_numpy(np.ascontiguousarray(a)))}
        if a.dtype.kind in "UO" and all(isinstance(v, str) for v in a.flat):
            return {"__strarray__": a.tolist(), "dtype": a.dtype.str}
        raise TypeError(
            f"skdl.save cannot store {where}: an array of dtype {a.dtype} "
            "(numbers, booleans and strings only)."
        )

    def _estimator(self, est, where):
        cls = type(est)
        path = f"{cls.__module__}.{cls.__qualname__}"
        if not path.startswith(_TRUSTED):
            raise TypeError(
                f"skdl.save cannot store {where}: {path} is neither a "
                "scikit-learn nor an skdl estimator, and skdl.load builds only "
                "those. Use pickle for it, and only with files you trust."
            )
        state = dict(vars(est))
        net = state.pop("net_", None)
        if net is not None and getattr(est, "_module_spec_", None) is None:
            raise TypeError(
                f"skdl.save cannot store {where}: its network is a custom "
                "module (module=...), whose code skdl.load would have to run. "
                "Save its weights with torch.save(est.net_.module_.state_dict(), "
                "path) and rebuild it, or use pickle with files you trust."
            )
        encoded = {
            "__estimator__": path,
            "state": {k: self.encode(v, f"{where}.{k}") for k, v in state.items()},
        }
        if net is not None:
            encoded["net"] = self._net(est, net, where)
        return encoded

    def _net(self, est, net, where):
        return {
            "module": self.encode(est._module_spec_, f"{where}.module"),
            "weights": self.encode(net.module_.state_dict(), f"{where}.weights"),
            "optimizer": self.encode(net.optimizer_.state_dict(), f"{where}.optimizer"),
            # The schedule's place: a continued fit goes on from it.
            "lr_schedule": self.encode(_schedule_state(net), f"{where}.lr_schedule"),
            "batch_size": net.batch_size,
            "merge_singleton": bool(net.iterator_train__merge_singleton),
            "history": self.encode(
                [
                    {k: v for k, v in row.items() if k != "batches"}
                    for row in net.history
                ],
                f"{where}.history",
            ),
        }


class _Decoder:
    def __init__(self, arrays, device):
        self.arrays = arrays
        self.device = device

    def decode(self, node):
        if isinstance(node, list):
            return [self.decode(v) for v in node]
        if not isinstance(node, dict):
            return node
        if len(node) == 1 and "__dict__" in node:
            return {k: self.decode(v) for k, v in node["__dict__"].items()}
        if "__tuple__" in node:
            return tuple(self.decode(v) for v in node["__tuple__"])
        if "__items__" in node:
            return {self.decode(k): self.decode(v) for k, v in node["__items__"]}
        if "__tensor__" in node:
            return self.arrays[node["__tensor__"]].clone()
        if "__array__" in node:
            return self.arrays[node["__array__"]].numpy().copy()
        if "__strarray__" in node:
            return np.array(node["__strarray__"], dtype=np.dtype(node["dtype"]))
        if "__npscalar__" in node:
            return np.dtype(node["__npscalar__"]).type(self.decode(node["value"]))
        if "__float__" in node:
            return float(node["__float__"])
        if "__slice__" in node:
            return slice(*node["__slice__"])
        if "__type__" in node:
            return _TYPES[node["__type__"]]
        if "__dtype__" in node:
            return np.dtype(node["__dtype__"])
        if "__randomstate__" in node:
            name, keys, pos, has_gauss, cached = node["__randomstate__"]
            rs = np.random.RandomState()
            rs.set_state((name, self.decode(keys), pos, has_gauss, cached))
            return rs
        if "__estimator__" in node:
            return self._estimator(node)
        raise ValueError(f"skdl.load: unknown entry {sorted(node)} in the file.")

    def _estimator(self, node):
        path = node["__estimator__"]
        module_name, _, name = path.rpartition(".")
        if not path.startswith(_TRUSTED) or "." not in path:
            raise ValueError(
                f"skdl.load refuses to build {path!r}: not sklearn or skdl."
            )
        cls = importlib.import_module(module_name)
        for part in name.split("."):
            cls = getattr(cls, part)
        if not (isinstance(cls, type) and issubclass(cls, BaseEstimator)):
            raise ValueError(f"skdl.load refuses to build {path!r}: not an estimator.")
        est = cls.__new__(cls)
        est.__dict__.update({k: self.decode(v) for k, v in node["state"].items()})
        if "net" in node:
            self._net(est, node["net"])
        return est

    def _net(self, est, node):
        from skorch.history import History

        if self.device is not None:
            est.device_ = self.device
        module = est._module_class(**self.decode(node["module"]))
        module.load_state_dict(self.decode(node["weights"]))
        net = est._make_net(
            module,
            device=est.device_,
            criterion=est._criterion(),
            batch_size=node["batch_size"],
            merge_singleton=node["merge_singleton"],
        ).initialize()
        net.optimizer_.load_state_dict(self.decode(node["optimizer"]))
        schedule = dict(net.callbacks_)["lr_schedule"]
        vars(schedule).update(self.decode(node["lr_schedule"]))
        net.history = History(
            [dict(row, batches=[]) for row in self.decode(node["history"])]
        )
        est.net_ = net
        est._module_spec_ = self.decode(node["module"])


def _schedule_state(net):
    schedule = dict(net.callbacks_)["lr_schedule"]
    return {
        k: getattr(schedule, k) for k in ("kind", "total_steps", "step_", "touched_")
    }


def save(estimator, path):
    """Write a fitted estimator or Pipeline to ``path`` without pickle.

    The file (a zip archive) holds the estimators' classes, parameters and
    fitted attributes as JSON and every array and network weight in the
    safetensors format; :func:`load` reads it without running code from
    it. Needs safetensors (``pip install "skdl[save]"``).

    Parameters
    ----------
    estimator : estimator or Pipeline
        skdl estimators (with skdl's own networks, not ``module=``) and
        scikit-learn estimators, transformers and meta-estimators
        (``Pipeline``, ``ColumnTransformer``; a search's ``best_estimator_``,
        not the search) whose parameters and
        fitted state are numbers, strings, arrays, dicts, lists and tuples
        of them, and other such estimators. Functions (``FunctionTransformer``,
        callable scorers), custom classes and callbacks cannot be stored: a
        ``TypeError`` names the attribute.
    path : str or path-like
        The file to write (conventionally ``*.skdl``).

    See Also
    --------
    load : Read the file back.

    Examples
    --------
    >>> import os, tempfile
    >>> import numpy as np
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> import skdl
    >>> from skdl import DenseClassifier
    >>> X = np.random.RandomState(0).normal(size=(60, 3))
    >>> pipe = make_pipeline(StandardScaler(), DenseClassifier(max_epochs=2))
    >>> pipe.fit(X, X[:, 0] > 0)  # doctest: +ELLIPSIS
    Pipeline(...)
    >>> path = os.path.join(tempfile.mkdtemp(), "model.skdl")
    >>> skdl.save(pipe, path)
    >>> again = skdl.load(path)
    >>> bool((again.predict_proba(X) == pipe.predict_proba(X)).all())
    True
    """
    st = _import_safetensors()
    encoder = _Encoder()
    root = encoder.encode(estimator, type(estimator).__name__)
    header = {
        "format": FORMAT,
        "version": VERSION,
        "versions": _versions(),
        "root": root,
    }
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(_JSON, json.dumps(header))
        zf.writestr(_ARRAYS, st.save(encoder.arrays) if encoder.arrays else b"")


def load(path, *, device=None):
    """Read an estimator or Pipeline written by :func:`save`.

    Builds only scikit-learn and skdl estimator classes, from the file's
    data (no pickle, no code from the file), and refuses files that
    :func:`save` did not write.

    Parameters
    ----------
    path : str or path-like
    device : str, default=None
        Where the networks go ("cpu", "cuda"); by default where they were.

    Returns
    -------
    estimator : the saved estimator or Pipeline, fitted as it was.

    Examples
    --------
    See :func:`save`.
    """
    st = _import_safetensors()
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            if not {_JSON, _ARRAYS} <= names:
                raise ValueError
            header = json.loads(zf.read(_JSON))
            blob = zf.read(_ARRAYS)
    except (zipfile.BadZipFile, ValueError, KeyError, UnicodeDecodeError):
        raise ValueError(
            f"{path} is not a file written by skdl.save; skdl.load reads only "
            "those (use pickle or joblib for their files, and only with files "
            "you trust)."
        ) from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise ValueError(f"{path} is not a file written by skdl.save.")
    if (
        not isinstance(header.get("version"), numbers.Integral)
        or header["version"] > VERSION
    ):
        raise ValueError(
            f"{path} was written by a newer skdl (format version "
            f"{header.get('version')}); this skdl reads version {VERSION}. "
            "Upgrade skdl."
        )
    arrays = st.load(blob) if blob else {}
    return _Decoder(arrays, device).decode(header["root"])


def _versions():
    import sklearn
    import skorch

    import skdl

    return {
        "skdl": skdl.__version__,
        "sklearn": sklearn.__version__,
        "skorch": skorch.__version__,
        "torch": torch.__version__,
    }


def read_header(path):
    """The JSON part of a file written by :func:`save`, as a dict."""
    with zipfile.ZipFile(path) as zf:
        return json.loads(zf.read(_JSON))


__all__ = ["save", "load"]
