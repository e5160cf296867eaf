"""Plain torch networks (``nn.Module``); no sklearn or skorch imports."""

from ._activations import ACTIVATIONS, make_activation
from ._dense import DenseBlock, DenseModule, weight_penalty
from ._sequence_cnn import ConvBlock, MaskedBatchNorm1d, SequenceCNNModule

__all__ = [
    "ACTIVATIONS",
    "ConvBlock",
    "DenseBlock",
    "DenseModule",
    "MaskedBatchNorm1d",
    "SequenceCNNModule",
    "make_activation",
    "weight_penalty",
]
