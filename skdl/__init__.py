"""skdl: PyTorch networks as scikit-learn estimators, trained through skorch."""

# Before anything imports skorch, which imports torch_geometric when it is
# installed (see skdl/_optional.py for why this comes first).
from ._optional import preload_pyg

preload_pyg()

# ruff: noqa: E402

from ._export import export
from ._persist import load, save
from .estimators import (
    DenseClassifier,
    DenseRegressor,
    GraphClassifier,
    GraphRegressor,
    ImageCNNClassifier,
    ImageCNNRegressor,
    RNNClassifier,
    RNNRegressor,
    SequenceCNNClassifier,
    SequenceCNNRegressor,
    TransformerClassifier,
    TransformerRegressor,
)

__version__ = "0.1.0.dev0"

__all__ = [
    "DenseClassifier",
    "DenseRegressor",
    "GraphClassifier",
    "GraphRegressor",
    "ImageCNNClassifier",
    "ImageCNNRegressor",
    "RNNClassifier",
    "RNNRegressor",
    "SequenceCNNClassifier",
    "SequenceCNNRegressor",
    "TransformerClassifier",
    "TransformerRegressor",
    "__version__",
    "export",
    "load",
    "save",
]
