"""skdl: PyTorch networks as scikit-learn estimators, trained through skorch."""

from ._export import export
from ._persist import load, save
from .estimators import (
    DenseClassifier,
    DenseRegressor,
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
