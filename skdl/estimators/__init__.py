"""scikit-learn estimators that train PyTorch networks through skorch."""

from ._dense import DenseClassifier, DenseRegressor
from ._graph import GraphClassifier, GraphRegressor
from ._image import ImageCNNClassifier, ImageCNNRegressor
from ._recurrent import RNNClassifier, RNNRegressor
from ._sequence_cnn import SequenceCNNClassifier, SequenceCNNRegressor
from ._transformer import TransformerClassifier, TransformerRegressor

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
]
