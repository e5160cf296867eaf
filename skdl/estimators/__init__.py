"""scikit-learn estimators that train PyTorch networks through skorch."""

from ._dense import DenseClassifier, DenseRegressor
from ._sequence_cnn import SequenceCNNClassifier, SequenceCNNRegressor

__all__ = [
    "DenseClassifier",
    "DenseRegressor",
    "SequenceCNNClassifier",
    "SequenceCNNRegressor",
]
