"""Self-attention encoders (transformers) over padded sequences.

Attention reads real positions only: every layer gets a key-padding mask
from the lengths (``torch.nn.functional.scaled_dot_product_attention`` with
a boolean mask, which lets torch pick a fused, memory-efficient kernel), so
appending padding changes no real position's output, and outputs at padding
are zeroed after each layer. Inputs longer than ``max_positions`` are
truncated to their first ``max_positions`` positions.
"""

import math

import torch
import torch.nn.functional as F
from torch import nn

from ._activations import make_activation
from ._sequence import (
    BACK_ARGS,
    FRONT_ARGS,
    PatchStem,
    SequenceNetwork,
    SequencePooling,
    default_lengths,
    length_mask,
    resolve_patches,
    shared_args,
)

POSITIONAL_ENCODINGS = ("sinusoidal", "learned", "none")
TRANSFORMER_POOLINGS = ("cls", *SequencePooling.HOWS)


def sinusoidal_positions(length, d_model, device=None):
    """Vaswani et al.'s fixed encoding, ``(length, d_model)``: sines and
    cosines of geometrically spaced frequencies (an odd width drops the last
    cosine)."""
    pos = torch.arange(length, device=device, dtype=torch.float32)[:, None]
    freq = torch.exp(
        torch.arange(0, d_model, 2, device=device, dtype=torch.float32)
        * (-math.log(10000.0) / d_model)
    )
    table = torch.zeros(length, d_model, device=device)
    table[:, 0::2] = torch.sin(pos * freq)
    table[:, 1::2] = torch.cos(pos * freq)[:, : d_model // 2]
    return table


def _rename_stem_weights(state_dict, prefix, *args):
    """Load a transformer's stem or patch weights saved under their names of
    before :class:`PatchStem` (``project.weight``, ``project.bias``)."""
    for name in ("weight", "bias"):
        old = f"{prefix}project.{name}"
        if old in state_dict:
            state_dict[f"{prefix}stem.project.{name}"] = state_dict.pop(old)


class EncoderLayer(nn.Module):
    """Multi-head self-attention and a feed-forward block, each with a
    residual connection and layer norm, before (``norm_first=True``, the
    pre-norm layout that trains stably without warm-up) or after the block
    (the original post-norm layout).

    ``forward(x, mask)``: ``x`` ``(n, length, d_model)``, ``mask`` ``(n,
    length)`` True at real positions; every row must have at least one.
    """

    def __init__(
        self,
        d_model,
        n_heads,
        dim_feedforward,
        dropout,
        activation,
        norm_first,
        attention_dropout=None,
    ):
        super().__init__()
        if d_model % n_heads:
            raise ValueError(
                f"d_model={d_model} must be a multiple of n_heads={n_heads}."
            )
        self.n_heads = int(n_heads)
        self.dropout = float(dropout)
        self.attention_dropout = float(
            dropout if attention_dropout is None else attention_dropout
        )
        self.norm_first = bool(norm_first)
        self.qkv = nn.Linear(d_model, 3 * d_model)
        self.out = nn.Linear(d_model, d_model)
        self.ff = nn.Sequential(
            nn.Linear(d_model, dim_feedforward),
            make_activation(activation),
            nn.Dropout(dropout),
            nn.Linear(dim_feedforward, d_model),
        )
        self.norm1 = nn.LayerNorm(d_model)
        self.norm2 = nn.LayerNorm(d_model)
        self.drop = nn.Dropout(dropout)

    def attend(self, x, mask):
        n, length, d = x.shape
        q, k, v = (
            self.qkv(x)
            .view(n, length, 3, self.n_heads, d // self.n_heads)
            .permute(2, 0, 3, 1, 4)
        )
        out = F.scaled_dot_product_attention(
            q,
            k,
            v,
            attn_mask=mask[:, None, None, :],
            dropout_p=self.attention_dropout if self.training else 0.0,
        )
        return self.out(out.transpose(1, 2).reshape(n, length, d))

    def forward(self, x, mask):
        if self.norm_first:
            x = x + self.drop(self.attend(self.norm1(x), mask))
            x = x + self.drop(self.ff(self.norm2(x)))
        else:
            x = self.norm1(x + self.drop(self.attend(x, mask)))
            x = self.norm2(x + self.drop(self.ff(x)))
        return x * mask.unsqueeze(-1).to(x.dtype)


class TransformerModule(SequenceNetwork):
    """Embedding (or one-hot, or raw channels) -> projection to ``d_model``
    -> positional encoding -> self-attention encoder layers -> pooling ->
    dense head, returning logits; with the wide branches and head inputs of
    :class:`~skdl.networks.SequenceNetwork`.

    Parameters
    ----------
    n_outputs : int
        Width of the output.
    vocab_size, n_channels, n_side_features
        As for :class:`~skdl.networks.SequenceCNNModule`.
    embedding_dim, pretrained_embeddings, freeze_embeddings
        The front end, as for :class:`~skdl.networks.SequenceCNNModule`; its
        output is projected linearly to ``d_model`` unless it has that width.
    input_shift, input_scale, series_norm, series_knots
        Float input's scaling, as for :class:`~skdl.networks.SequenceCNNModule`.
    linear_ngrams, ngram_features, length_feature, linear_positions, max_len
        The wide branches and the head's extra inputs, as for
        :class:`~skdl.networks.SequenceCNNModule` (``max_len``: positions
        of the position branch).
    end_features : int, default=0
        The head's counts of each sequence's two ends, as for
        :class:`~skdl.networks.SequenceCNNModule`.
    d_model : int, default=64
        Width of the encoder.
    n_heads : int, default=4
        Attention heads (``d_model`` must be a multiple).
    n_layers : int, default=2
        Encoder layers.
    dim_feedforward : int, default=128
        Width of each layer's feed-forward block.
    encoder_dropout : float, default=0.1
        Dropout in the feed-forward block and on each residual branch.
    attention_dropout : float, default=0.0
        Dropout on the attention weights (above 0, torch's CPU attention
        falls back from its fused kernel to one that materialises them).
    activation : str, default="gelu"
        Activation of the feed-forward blocks.
    norm_first : bool, default=True
        Pre-norm layers (layer norm before attention and feed-forward, and
        once more after the last layer); False for the original post-norm.
    positional_encoding : {"sinusoidal", "learned", "none"}, default="sinusoidal"
        Added to the projected inputs: fixed sines and cosines (any length),
        a learned vector per position (``max_positions`` of them), or none
        (attention alone does not see order).
    max_positions : int, default=1024
        Inputs are truncated to their first ``max_positions`` positions.
    patch_size : int or "auto", default="auto"
        Positions per patch: above 1, a strided convolution (kernel and
        stride ``patch_size``) turns each run of ``patch_size`` positions
        into one vector of width ``d_model`` in place of the per-position
        projection, so attention runs over ``patch_size`` times fewer
        positions (its cost falls with the square of that); as ViT's patches
        do for images, and k-mer tokens for DNA.
    patch_kernel : int, None or "auto", default="auto"
        With an int, a convolutional stem instead: a convolution of that
        width over every position (stride 1), the activation, and
        max-pooling over windows of ``patch_size`` positions (as hybrid
        CNN-transformer models of DNA such as Enformer begin); a motif is
        then found wherever it sits in a patch. "auto" (both) is
        ``auto_patches`` (``skdl/networks/_sequence.py``): the stem of width
        9 pooled by 4 for alphabets
        of at most 16 token ids (DNA, RNA), one vector per token otherwise.
    global_pooling : {"cls", "mean", "max", "max_mean", "attention"}, default="mean"
        How the encoded positions become one vector: a learned [CLS] vector
        prepended to every sequence and read out after the encoder, pooling
        over real positions, or learned attention pooling.
    hidden_layer_sizes, dense_activation, dropout, batch_norm
        The dense head (``batch_norm`` only there).

    ``forward(x, lengths=None, side=None)`` as for
    :class:`~skdl.networks.SequenceCNNModule`.

    Examples
    --------
    >>> import torch
    >>> from skdl.networks import TransformerModule
    >>> net = TransformerModule(n_outputs=2, vocab_size=6, d_model=8, n_heads=2)
    >>> x = torch.tensor([[2, 3, 4, 5, 0, 0], [3, 3, 0, 0, 0, 0]])
    >>> net(x).shape
    torch.Size([2, 2])
    """

    def __init__(
        self,
        n_outputs,
        vocab_size=None,
        n_channels=None,
        n_side_features=0,
        *,
        embedding_dim=64,
        pretrained_embeddings=None,
        freeze_embeddings=False,
        input_shift=None,
        input_scale=None,
        series_norm=False,
        series_knots=None,
        linear_ngrams="auto",
        ngram_features="auto",
        end_features=0,
        length_feature=True,
        linear_positions=False,
        max_len=None,
        d_model=64,
        n_heads=4,
        n_layers=2,
        dim_feedforward=128,
        encoder_dropout=0.1,
        attention_dropout=0.0,
        activation="gelu",
        norm_first=True,
        positional_encoding="sinusoidal",
        max_positions=1024,
        patch_size="auto",
        patch_kernel="auto",
        global_pooling="mean",
        hidden_layer_sizes=(64,),
        dense_activation="relu",
        dropout=0.5,
        batch_norm=False,
    ):
        super().__init__()
        args = locals()
        width = self._build_front(
            vocab_size, n_channels, **shared_args(args, FRONT_ARGS)
        )
        if positional_encoding not in POSITIONAL_ENCODINGS:
            raise ValueError(
                f"positional_encoding must be one of {POSITIONAL_ENCODINGS}; got "
                f"{positional_encoding!r}."
            )
        if global_pooling not in TRANSFORMER_POOLINGS:
            raise ValueError(
                f"global_pooling must be one of {TRANSFORMER_POOLINGS}; got "
                f"{global_pooling!r}."
            )
        d_model, self.max_positions = int(d_model), int(max_positions)
        self.patch_size, self.patch_kernel = resolve_patches(
            patch_size, patch_kernel, vocab_size if self.tokens else None
        )
        self.stem = self.project = None
        if self.patch_size != 1 or self.patch_kernel is not None:  # PatchStem checks
            self.stem = PatchStem(
                width, d_model, self.patch_size, self.patch_kernel, activation
            )
            # Saved before the stem was its own module: "project.*" then.
            self._register_load_state_dict_pre_hook(_rename_stem_weights)
        elif width == d_model:
            self.project = nn.Identity()
        else:
            self.project = nn.Linear(width, d_model)
        self.positional_encoding = positional_encoding
        self.position_table = None
        if positional_encoding == "sinusoidal":  # computed once, not per batch
            self.register_buffer(
                "sinusoid",
                sinusoidal_positions(self.max_positions, d_model),
                persistent=False,
            )
        if positional_encoding == "learned":
            self.position_table = nn.Embedding(self.max_positions, d_model)
            nn.init.normal_(self.position_table.weight, std=0.02)
        self.cls = None
        if global_pooling == "cls":
            self.cls = nn.Parameter(torch.zeros(d_model))
            nn.init.normal_(self.cls, std=0.02)
        self.layers = nn.ModuleList(
            EncoderLayer(
                d_model,
                n_heads,
                dim_feedforward,
                encoder_dropout,
                activation,
                norm_first,
                attention_dropout,
            )
            for _ in range(int(n_layers))
        )
        self.final_norm = nn.LayerNorm(d_model) if norm_first else None
        self.pool = None
        n_features = d_model
        if global_pooling != "cls":
            self.pool = SequencePooling(global_pooling, d_model)
            n_features = self.pool.out_features
        self._build_back(
            n_features,
            n_outputs,
            vocab_size,
            n_side_features,
            **shared_args(args, BACK_ARGS),
        )

    def forward(self, x, lengths=None, side=None):
        if x.shape[1] > self.max_positions:  # documented truncation
            if lengths is None:
                lengths = default_lengths(x, self.tokens)
            x = x[:, : self.max_positions]
            lengths = lengths.clamp_max(self.max_positions)
        return super().forward(x, lengths, side)

    def encode(self, h, lengths):
        if self.stem is not None:
            h, lengths = self.stem(h, lengths)
        else:
            h = self.project(h)
        n, length = h.shape[:2]
        if self.positional_encoding == "sinusoidal":
            h = h + self.sinusoid[:length].to(h.dtype)
        elif self.positional_encoding == "learned":
            h = h + self.position_table.weight[:length].to(h.dtype)
        mask = length_mask(lengths, length)
        if self.cls is not None:
            h = torch.cat([self.cls.to(h.dtype).expand(n, 1, -1), h], 1)
            mask = F.pad(mask, (1, 0), value=True)
        # Empty rows attend to their first (padding) position, so that no
        # softmax is over nothing; their features are zeroed below.
        empty = ~mask.any(1)
        if h.shape[1] == 0:
            h, mask = F.pad(h, (0, 0, 0, 1)), F.pad(mask, (0, 1))
        keys = mask.clone()
        keys[:, 0] |= empty
        h = h * mask.unsqueeze(-1).to(h.dtype)
        for layer in self.layers:
            h = layer(h, keys) * mask.unsqueeze(-1).to(h.dtype)
        if self.final_norm is not None:
            h = self.final_norm(h) * mask.unsqueeze(-1).to(h.dtype)
        if self.cls is not None:
            return h[:, 0]
        feats = self.pool(h, lengths)
        return feats * (~empty)[:, None].to(feats.dtype)
