"""Optional dependencies: imported on use, with the pip command when missing.

torch-geometric (PyG) needs care: its import calls ``torch.jit.script``,
which torch 2.13 deprecates with a ``DeprecationWarning`` per call, and
skorch imports PyG whenever it is installed (``skorch/utils.py``). Where
DeprecationWarnings are errors (skdl's test suite, ``python -W error``), that
would make ``import skorch`` itself fail. :func:`import_pyg` imports PyG with
exactly that warning ignored, and ``skdl/__init__.py`` calls
:func:`preload_pyg` before anything imports skorch, so that skorch finds PyG
already imported; every other warning is left to the caller's filters.
"""

import importlib
import importlib.util
import warnings

# The one warning PyG's import raises under torch >= 2.10 (message start).
_PYG_JIT_WARNING = r"`torch\.jit\.script` is deprecated"

INSTALL = {
    "torch_geometric": 'pip install "skdl[graph]"  (torch-geometric)',
    "rdkit": 'pip install "skdl[chem]"  (rdkit and torch-geometric)',
}


def _quiet_import(name):
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", message=_PYG_JIT_WARNING, category=DeprecationWarning
        )
        return importlib.import_module(name)


def preload_pyg():
    """Import torch_geometric (quietly, see above) if it is installed."""
    try:
        if importlib.util.find_spec("torch_geometric") is not None:
            _quiet_import("torch_geometric")
    except ImportError:  # broken or blocked: the graph networks will say so
        pass


def import_optional(name, feature):
    """``import name`` for ``feature``, or an ImportError with the pip command."""
    try:
        if name.split(".")[0] == "torch_geometric":
            return _quiet_import(name)
        return importlib.import_module(name)
    except ImportError as exc:
        raise ImportError(
            f"{feature} needs {name.split('.')[0]}, which is not installed: "
            f"{INSTALL.get(name.split('.')[0], 'pip install ' + name)}."
        ) from exc
