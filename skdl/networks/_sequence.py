"""Pieces every sequence network shares: masks, the input front end, pooling.

Sequences arrive left-aligned: a row holds its ``length`` real positions and
then padding (token id 0, or zeros for float input). The front end turns a
batch into float features ``(n, length, width)`` that are exactly zero at
padding; global pooling reads real positions only. Convolutional, recurrent
and attention networks put their own layers between the two.
"""

import torch
import torch.nn.functional as F
from torch import nn

POOLINGS = ("max", "mean", "max_mean")


def length_mask(lengths, size):
    """Boolean mask of shape (n, size): True at the first ``lengths[i]`` positions."""
    return torch.arange(size, device=lengths.device) < lengths[:, None]


def default_lengths(x, tokens):
    """Real lengths of a batch given without them: token rows are masked where
    the id is 0, float rows are taken as unpadded."""
    if tokens:
        return (x != 0).sum(1)
    return torch.full((x.shape[0],), x.shape[1], device=x.device)


class SequenceEmbedding(nn.Module):
    """Token ids or float channels to features ``(n, length, out_features)``.

    Parameters
    ----------
    vocab_size : int, default=None
        Number of token ids (id 0 is padding) for integer input ``(n, length)``.
        Give this or ``n_channels``.
    n_channels : int, default=None
        Channels of float input ``(n, length, channels)``, passed through.
    embedding_dim : int or None, default=16
        Width of a learned embedding; None gives one-hot channels (one per
        id except padding). Ignored for float input.
    pretrained_embeddings : tensor of shape (vocab_size, dim), default=None
        Initial embedding weights (row 0, padding, is never used); the width
        is the array's.
    freeze_embeddings : bool, default=False
        Keep the embedding weights fixed during training.

    ``forward(x, lengths)`` returns the features, zero at padding positions.
    """

    def __init__(
        self,
        vocab_size=None,
        n_channels=None,
        *,
        embedding_dim=16,
        pretrained_embeddings=None,
        freeze_embeddings=False,
    ):
        super().__init__()
        if (vocab_size is None) == (n_channels is None):
            raise ValueError("give exactly one of vocab_size and n_channels.")
        self.tokens = vocab_size is not None
        self.vocab_size = vocab_size
        self.embedding = None
        if self.tokens and pretrained_embeddings is not None:
            weights = torch.as_tensor(pretrained_embeddings, dtype=torch.float32)
            if weights.ndim != 2:
                raise ValueError(
                    "pretrained_embeddings must be 2-D (vocab_size, dim); got "
                    f"shape {tuple(weights.shape)}."
                )
            self.embedding = nn.Embedding.from_pretrained(
                weights.clone(), freeze=freeze_embeddings
            )
            self.out_features = weights.shape[1]
        elif self.tokens and embedding_dim is not None:
            self.embedding = nn.Embedding(vocab_size, embedding_dim, padding_idx=0)
            if freeze_embeddings:
                self.embedding.weight.requires_grad_(False)
            self.out_features = embedding_dim
        elif self.tokens:
            self.out_features = vocab_size - 1  # one-hot, no channel for padding
        else:
            self.out_features = n_channels

    def forward(self, x, lengths):
        mask = length_mask(lengths, x.shape[1]).unsqueeze(-1)
        if self.embedding is not None:
            h = self.embedding(x.long())
        elif self.tokens:
            h = F.one_hot(x.long(), self.vocab_size)[..., 1:].float()
        else:
            h = x
        return h * mask.to(h.dtype)


def global_pool(h, lengths, how):
    """Pool features ``(n, length, channels)`` over real positions.

    "max" (is a pattern anywhere?), "mean" (how much of it) or "max_mean"
    (both, concatenated: ``2 * channels`` outputs). An empty row pools to 0.
    """
    if how not in POOLINGS:
        raise ValueError(f"global pooling must be one of {POOLINGS}; got {how!r}.")
    if h.shape[1] == 0:  # a batch of empty rows only
        h = F.pad(h, (0, 0, 0, 1))
    mask = length_mask(lengths, h.shape[1]).unsqueeze(-1)
    pooled = []
    if how in ("max", "max_mean"):
        top = h.masked_fill(~mask, torch.finfo(h.dtype).min).amax(1)
        pooled.append(top.masked_fill(lengths[:, None] == 0, 0.0))
    if how in ("mean", "max_mean"):
        total = (h * mask).sum(1)
        pooled.append(total / lengths.clamp_min(1)[:, None].to(h.dtype))
    return torch.cat(pooled, 1) if len(pooled) > 1 else pooled[0]
