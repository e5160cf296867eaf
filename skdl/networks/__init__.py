"""Plain torch networks (``nn.Module``); no sklearn or skorch imports.

What a module must do to be trained by an skdl estimator (construction,
call, return values) is written down in ``skdl/networks/_protocol.py``.
"""

from ._activations import ACTIVATIONS, make_activation
from ._dense import DenseBlock, DenseModule
from ._graph import DMPNNEncoder, GraphModule
from ._image import ImageAugment, ImageCNNModule, ImageConvBlock
from ._protocol import penalised_parameters, split_output, weight_penalty
from ._recurrent import RNNModule
from ._sequence import (
    AttentionPool,
    PatchStem,
    SequenceEmbedding,
    SequenceNetwork,
    default_lengths,
    global_pool,
    length_mask,
)
from ._sequence_cnn import (
    ConvBlock,
    MaskedBatchNorm1d,
    ParallelConv1d,
    SequenceCNNModule,
)
from ._transformer import EncoderLayer, TransformerModule

__all__ = [
    "ACTIVATIONS",
    "AttentionPool",
    "ConvBlock",
    "DenseBlock",
    "DMPNNEncoder",
    "DenseModule",
    "EncoderLayer",
    "GraphModule",
    "ImageAugment",
    "ImageCNNModule",
    "ImageConvBlock",
    "MaskedBatchNorm1d",
    "ParallelConv1d",
    "PatchStem",
    "RNNModule",
    "SequenceCNNModule",
    "SequenceEmbedding",
    "SequenceNetwork",
    "TransformerModule",
    "default_lengths",
    "global_pool",
    "length_mask",
    "make_activation",
    "penalised_parameters",
    "split_output",
    "weight_penalty",
]
