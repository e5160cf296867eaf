"""Plain torch networks (``nn.Module``); no sklearn or skorch imports."""

from ._activations import ACTIVATIONS, make_activation
from ._dense import DenseBlock, DenseModule, weight_penalty

__all__ = [
    "ACTIVATIONS",
    "DenseBlock",
    "DenseModule",
    "make_activation",
    "weight_penalty",
]
