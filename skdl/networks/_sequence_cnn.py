"""1-D convolutional networks over padded sequences, with masks throughout.

Sequences arrive left-aligned: a row holds its ``length`` real positions and
then padding. Every layer keeps the padding out of the result:

* the embedding output is zero at pad positions;
* after each convolution the pad positions are zeroed again, so the next
  convolution sees the same zeros a sequence of exactly that length would see
  at its border ("same" padding);
* batch normalisation takes its statistics over real positions only;
* max-pooling never picks a pad value, average pooling divides by the number
  of real positions in the window;
* global pooling (max or mean) reads real positions only.

So appending more padding to a sequence does not change its output, and a
batch can be padded to its own longest sequence (dynamic padding).
"""

import math
from numbers import Integral

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from ._activations import make_activation
from ._dense import per_layer, positive_ints
from ._sequence import (
    BACK_ARGS,
    FRONT_ARGS,
    SequenceNetwork,
    SequencePooling,
    _not_auto,
    default_lengths,
    length_mask,
    shared_args,
)


def auto_conv_filters(vocab_size):
    """The widths of ``conv_filters="auto"``: three blocks of 32 filters for
    alphabets of at most 16 token ids (DNA, RNA), of 16 otherwise (proteins,
    SMILES, words, float input: ``vocab_size=None``). Chosen on the defaults
    benchmark: with 16 filters, 2 of 5 seeds stall on Oct4/MafK (5-fold
    accuracy 0.837 and 0.864 against 0.95), training loss stuck where the
    linear k-mer branch leaves it; 32 filters escape that plateau on every
    seed tried (0.959 to 0.966). Elsewhere 32 filters moved no set by more
    than one std (they cost Rotten Tomatoes 0.03) at 1.4 to 2.3 times the
    fit time."""
    if vocab_size is not None and int(vocab_size) <= 16:
        return (32, 32, 32)
    return (16, 16, 16)


def auto_spatial_dropout(vocab_size):
    """The channel dropout of ``spatial_dropout="auto"``: 0.2 for
    vocabularies of more than 64 token ids (words), 0 otherwise (DNA,
    proteins, SMILES, float input: ``vocab_size=None``). Chosen on the
    defaults benchmark: on Rotten Tomatoes 0.2 lifted 5-fold accuracy from
    0.754, 0.738 and 0.746 to 0.777, 0.778 and 0.778 (seeds 0-2), while it
    broke motif learning on DNA (Oct4/MafK 0.952 -> 0.83), cost ESOL R2 and
    moved the protein sets by -0.006 to 0.000."""
    if vocab_size is not None and int(vocab_size) > 64:
        return 0.2
    return 0.0


POOLED_POSITIONS = 4  # pool_sizes="auto": positions left on the median sequence


def auto_pool_sizes(n_blocks, lengths):
    """The pooling of ``pool_sizes="auto"`` for ``n_blocks`` convolution
    blocks: by 4 after the first and by 2 after each later one (``(4, 2,
    2)`` for the default three blocks, White's network), where the median
    of the real ``lengths`` in fit keeps at least :data:`POOLED_POSITIONS`
    positions through all of it (64 for three blocks); no pooling (1)
    otherwise, since a short sequence pooled by 16 is left with a position
    or two for the next convolution to read. Chosen on the defaults
    benchmark (``benchmarks/README.md``, step 29): without pooling the
    short choose sets (medians 12-24 tokens or steps) scored ESOL R2
    0.872 -> 0.881, FreeSolv 0.888 -> 0.891 and ItalyPower 0.969 -> 0.974
    (means of five seeds; Rotten Tomatoes 0.777 either way) at the same fit
    time, while GunPoint (150 steps) fell from 0.990 to 0.955."""
    n_blocks = int(n_blocks)
    if n_blocks == 0:
        return ()
    pools = (4,) + (2,) * (n_blocks - 1)
    if len(lengths) and np.median(lengths) >= POOLED_POSITIONS * math.prod(pools):
        return pools
    return (1,) * n_blocks


class MaskedBatchNorm1d(nn.BatchNorm1d):
    """``BatchNorm1d`` over (n, channels, length) whose training statistics
    count real positions only; evaluation uses the running statistics.

    A training batch with fewer than two real positions (possible with
    "valid" convolutions over very short sequences) has no usable
    statistics: it is normalised with the running ones, which it leaves
    unchanged. Statistics are computed in float32, also under autocast.
    """

    def forward(self, x, mask):
        m = mask.unsqueeze(1).to(torch.float32)  # (n, 1, L)
        count = m.sum()
        if not self.training or count < 2:
            return F.batch_norm(
                x,
                self.running_mean,
                self.running_var,
                self.weight,
                self.bias,
                training=False,
                eps=self.eps,
            )
        x = x.float()
        mean = (x * m).sum((0, 2)) / count
        centred = (x - mean[:, None]) * m
        var = centred.pow(2).sum((0, 2)) / count
        with torch.no_grad():
            self.num_batches_tracked += 1
            self.running_mean.lerp_(mean, self.momentum)
            self.running_var.lerp_(var * count / (count - 1), self.momentum)
        out = (x - mean[:, None]) * torch.rsqrt(var[:, None] + self.eps)
        return out * self.weight[:, None] + self.bias[:, None]


def kernel_widths(kernel_size, name="kernel_sizes"):
    """The widths of one block's convolution: an int, or a sequence of ints
    for parallel convolutions of those widths."""
    if isinstance(kernel_size, Integral) and not isinstance(kernel_size, bool):
        widths = [kernel_size]
    elif isinstance(kernel_size, str) or not hasattr(kernel_size, "__len__"):
        widths = [kernel_size]
    else:
        widths = list(kernel_size)
    if not widths or not all(
        isinstance(k, Integral) and not isinstance(k, bool) and k > 0 for k in widths
    ):
        raise ValueError(
            f"each entry of {name} must be a positive int or a non-empty sequence "
            f"of positive ints (parallel widths); got {kernel_size!r}."
        )
    return [int(k) for k in widths]


class ParallelConv1d(nn.Module):
    """Convolutions of several widths over the same input, each padded to
    keep the length ("same"), their outputs concatenated along channels:
    the first layer of Kim's sentence CNN (2014) and of DeepSol (Khurana et
    al. 2018), where filters of several widths read motifs of several
    lengths side by side.

    ``n_out`` filters per width, so ``out_channels = n_out * len(widths)``.
    """

    def __init__(self, n_in, n_out, widths, *, stride=1, dilation=1):
        super().__init__()
        self.branches = nn.ModuleList(
            nn.Conv1d(n_in, n_out, k, stride=stride, dilation=dilation) for k in widths
        )
        self.spans = [dilation * (k - 1) for k in widths]
        self.out_channels = n_out * len(widths)

    def forward(self, x):
        return torch.cat(
            [
                conv(F.pad(x, (span // 2, span - span // 2)) if span else x)
                for conv, span in zip(self.branches, self.spans, strict=True)
            ],
            dim=1,
        )


class ConvBlock(nn.Module):
    """Conv1d -> (masked BatchNorm) -> activation -> mask -> (+ shortcut)
    -> (spatial dropout) -> (masked pooling).

    ``kernel_size`` may be a sequence of widths: parallel convolutions
    (:class:`ParallelConv1d`, ``n_out`` filters each, ``padding="same"``
    only), whose ``out_channels`` is then ``n_out`` times the number of
    widths. ``forward(x, lengths)`` takes ``x`` of shape (n, channels,
    length) and returns the new ``(x, lengths)``.
    """

    def __init__(
        self,
        n_in,
        n_out,
        *,
        kernel_size,
        stride=1,
        dilation=1,
        padding="same",
        activation="relu",
        batch_norm=False,
        spatial_dropout=0.0,
        residual=False,
        pooling="max",
        pool_size=1,
    ):
        super().__init__()
        if padding not in ("same", "valid"):
            raise ValueError(f"padding must be 'same' or 'valid'; got {padding!r}.")
        if pooling not in ("max", "avg"):
            raise ValueError(f"pooling must be 'max' or 'avg'; got {pooling!r}.")
        widths = kernel_widths(kernel_size)
        if len(widths) == 1:
            self.conv = nn.Conv1d(
                n_in, n_out, widths[0], stride=stride, dilation=dilation
            )
            self.span = dilation * (widths[0] - 1)
        else:
            if padding != "same":
                raise ValueError(
                    "parallel kernel widths need padding='same' (their outputs "
                    f"must have one length); got kernel_sizes entry {kernel_size!r} "
                    "with padding='valid'."
                )
            self.conv = ParallelConv1d(
                n_in, n_out, widths, stride=stride, dilation=dilation
            )
            self.span = 0  # each branch pads itself
            n_out = self.conv.out_channels
        self.out_channels = n_out
        self.stride = stride
        self.same = padding == "same"
        # Fixed padding on both sides ("same" for stride 1; for larger strides
        # output i is centred on input i * stride). Fixed, not length-dependent,
        # so that extra padding at the end changes nothing.
        self.pad = (self.span // 2, self.span - self.span // 2) if self.same else (0, 0)
        self.bn = MaskedBatchNorm1d(n_out) if batch_norm else None
        self.activation = make_activation(activation)
        self.dropout = nn.Dropout1d(spatial_dropout) if spatial_dropout else None
        self.shortcut = None
        if residual:
            if not self.same:
                raise ValueError("residual conv blocks need padding='same'.")
            self.shortcut = (
                nn.Identity()
                if n_in == n_out and stride == 1
                else nn.Conv1d(n_in, n_out, 1, stride=stride, bias=False)
            )
        self.pooling = pooling
        self.pool_size = int(pool_size)

    def conv_length(self, lengths):
        """Real positions after the convolution, for a tensor of lengths."""
        if self.same:
            return _ceil_div(lengths, self.stride)
        shrunk = torch.div(lengths - self.span - 1, self.stride, rounding_mode="floor")
        return torch.where(lengths > self.span, shrunk + 1, 0)

    def pool_length(self, lengths):
        """Real positions after the pooling: windows holding any real
        position ("same"), or whole windows of real positions only
        ("valid", as Keras' default ``MaxPooling1D``)."""
        if self.same:
            return _ceil_div(lengths, self.pool_size)
        return torch.div(lengths, self.pool_size, rounding_mode="floor")

    def out_length(self, length):
        """Length after the whole block (convolution and pooling)."""
        return self.pool_length(self.conv_length(torch.as_tensor(length)))

    def forward(self, x, lengths):
        if x.shape[-1] == 0:  # only empty sequences: give kernels a position
            x = F.pad(x, (0, 1))
        size = x.shape[-1]
        left, right = self.pad
        right += max(0, self.span + 1 - (size + left + right))  # too short to convolve
        out = self.conv(F.pad(x, (left, right)) if left or right else x)
        conv_lengths = self.conv_length(lengths)
        mask = length_mask(conv_lengths, out.shape[-1])
        if self.bn is not None:
            out = self.bn(out, mask)
        out = self.activation(out)
        if self.shortcut is not None:
            out = out + self.shortcut(x)[..., : out.shape[-1]]
        out = out * mask.unsqueeze(1).to(out.dtype)
        if self.dropout is not None:
            out = self.dropout(out)
        if self.pool_size > 1:
            out = _masked_pool(out, mask, self.pool_size, self.pooling, self.same)
            conv_lengths = self.pool_length(conv_lengths)
            new_mask = length_mask(conv_lengths, out.shape[-1]).unsqueeze(1)
            out = out.masked_fill(~new_mask, 0.0)
        return out, conv_lengths


def _ceil_div(a, b):
    if isinstance(a, torch.Tensor):
        return torch.div(a + b - 1, b, rounding_mode="floor")
    return -(-a // b)


def _masked_pool(x, mask, size, how, partial):
    """Non-overlapping pooling of windows ``size`` over real positions; a
    trailing partial window is kept if ``partial`` (else dropped, as
    torch's and Keras' pooling do by default)."""
    if not partial and x.shape[-1] < size:  # no whole window: no positions
        return x[..., :0]
    extra = (-x.shape[-1]) % size if partial else 0
    m = mask.unsqueeze(1)
    if how == "max":
        low = torch.finfo(x.dtype).min
        x = x.masked_fill(~m, low)
        if extra:
            x = F.pad(x, (0, extra), value=low)
        out = F.max_pool1d(x, size)
    else:
        mf = m.to(x.dtype)
        if extra:
            x, mf = F.pad(x, (0, extra)), F.pad(mf, (0, extra))
        out = F.avg_pool1d(x, size) / F.avg_pool1d(mf, size).clamp_min(1.0 / size)
    return out


class SequenceCNNModule(SequenceNetwork):
    """Embedding (or one-hot, or raw channels) -> conv blocks -> global pooling
    -> dense head, returning logits.

    Parameters
    ----------
    n_outputs : int
        Width of the output.
    vocab_size : int, default=None
        Number of token ids (id 0 is padding) for integer input of shape
        (n, length). Give this or ``n_channels``.
    n_channels : int, default=None
        Channels of float input of shape (n, length, channels).
    n_side_features : int, default=0
        Per-sample features (``forward(..., side=...)``) joined to the pooled
        sequence features before the dense head.
    embedding_dim : int or None, default=16
        Width of the token embedding; None feeds one-hot channels (one per
        id except padding). Ignored for float input.
    pretrained_embeddings : tensor of shape (vocab_size, dim), default=None
        Initial embedding weights (row 0, padding, is never used).
    freeze_embeddings : bool, default=False
        Keep the embedding weights fixed during training.
    input_shift, input_scale : array-like of shape (n_channels,), default=None
        Float input only: each channel is standardised with these (the
        training data's channel means and standard deviations) before any
        layer reads it; see :class:`~skdl.networks.SequenceEmbedding`.
    series_norm : bool, default=False
        Float input only: then each series is standardised by its own
        per-channel mean and standard deviation, which the dense head gets
        as features (:meth:`SequenceEmbedding.normalize_series`).
    series_knots : array-like of shape (n_summaries, n_knots), default=None
        With ``series_norm``: knots at which the head also reads each
        series summary piecewise linearly
        (:meth:`SequenceEmbedding.encode_summaries`).
    linear_ngrams : int or "auto", default="auto"
        Add a linear model on the counts of token 1..``linear_ngrams``-grams
        (:class:`NgramLinear`) to the output; 0 for none, "auto" for the
        order :func:`auto_ngrams` picks from ``vocab_size``. Token input
        only.
    ngram_features : int or "auto", default="auto"
        Give the dense head the counts of token 1..``ngram_features``-grams
        (:class:`NgramCounts`: over the square root of the length, times 10), so
        that it learns a nonlinear model of k-mer composition beside the
        convolutions; "auto" for the order :func:`auto_ngram_features`
        picks from ``vocab_size``. Token input only.
    end_features : int, default=0
        Give the dense head the token counts of the first and of the last
        ``end_features`` tokens of each sequence (:class:`EndCounts`: the
        composition of its two ends, over the square root of the window,
        times 10); 0 for none. Token input only.
    length_feature : bool, default=True
        Give the dense head (and the linear branch) the log length of each
        sequence (:func:`log_length`), which masked pooling hides.
    linear_positions : bool, default=False
        Add a linear model on the flattened input (:class:`PositionLinear`:
        one weight per position and token id, or per position and channel)
        to the output, for fixed-length data with signals at fixed
        positions. Needs ``max_len``; later positions get no weight.
    conv_filters : sequence of int or "auto", default="auto"
        Output channels of each convolution; "auto" for the widths
        :func:`auto_conv_filters` picks from ``vocab_size`` (three blocks).
    kernel_sizes, strides, dilations, pool_sizes : int or sequence of int
        Per convolution (a single int applies to all); defaults (5, 3, 3),
        1, 1 and (4, 2, 2). An entry of ``kernel_sizes`` that is a sequence
        of ints makes that block :class:`ParallelConv1d` (``padding="same"``
        only). ``pool_sizes`` of 1 means no pooling after that
        block. (The estimators' ``pool_sizes="auto"`` picks the pooling
        from the lengths in fit, :func:`auto_pool_sizes`; a module takes
        numbers.)
    padding : {"same", "valid"}, default="same"
        "same": convolutions keep the length (stride 1) and pooling keeps a
        trailing partial window; "valid": both read whole windows of real
        positions only (Keras' defaults for ``Conv1D`` and ``MaxPooling1D``).
    pooling : {"max", "avg"}, default="max"
    global_pooling : {"max", "mean", "max_mean", "attention", "flatten"}, default="max"
        How the (channels, length) map becomes a vector ("max_mean": both,
        concatenated; "attention": :class:`AttentionPool`). "flatten" needs
        ``max_len`` and then accepts inputs of at most that length.
    max_len : int, default=None
        Input length for ``global_pooling="flatten"``.
    hidden_layer_sizes : sequence of int, default=(256, 64)
    activation : str, default="relu"
        Activation of the convolution blocks.
    dense_activation : str or sequence of str, default="relu"
        Activation of the hidden dense layers: one name for all, or one per
        layer.
    dropout : float, default=0.5
        Dropout after each hidden dense layer.
    spatial_dropout : float or "auto", default="auto"
        Channel dropout (``nn.Dropout1d``) after each convolution block;
        :func:`auto_spatial_dropout` picks it from ``vocab_size``.
    batch_norm : bool, default=False
        Masked batch normalisation in the conv blocks, batch normalisation in
        the dense head.
    residual : bool, default=False
        Residual conv blocks (needs ``padding="same"``).

    ``forward(x, lengths=None, side=None)``: ``lengths`` (n,) gives the number
    of real positions of each left-aligned row; without it, integer input is
    masked where ``x != 0`` and float input is taken as unpadded.

    Examples
    --------
    >>> import torch
    >>> from skdl.networks import SequenceCNNModule
    >>> net = SequenceCNNModule(n_outputs=2, vocab_size=6)
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
        embedding_dim=16,
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
        conv_filters="auto",
        kernel_sizes=(5, 3, 3),
        strides=1,
        dilations=1,
        padding="same",
        pooling="max",
        pool_sizes=(4, 2, 2),
        global_pooling="max",
        max_len=None,
        hidden_layer_sizes=(256, 64),
        activation="relu",
        dense_activation="relu",
        dropout=0.5,
        spatial_dropout="auto",
        batch_norm=False,
        residual=False,
    ):
        super().__init__()
        args = locals()
        width = self._build_front(
            vocab_size, n_channels, **shared_args(args, FRONT_ARGS)
        )
        if isinstance(conv_filters, str) and conv_filters == "auto":
            conv_filters = auto_conv_filters(vocab_size if self.tokens else None)
        if isinstance(spatial_dropout, str) and spatial_dropout == "auto":
            spatial_dropout = auto_spatial_dropout(vocab_size if self.tokens else None)
        filters = positive_ints(conv_filters, "conv_filters")
        _not_auto("pool_sizes", pool_sizes, "an int or a sequence of ints")
        n = len(filters)
        self.blocks = nn.ModuleList()
        n_in = width
        for n_out, k, s, d, p in zip(
            filters,
            per_layer(kernel_sizes, n, "kernel_sizes"),
            per_layer(strides, n, "strides"),
            per_layer(dilations, n, "dilations"),
            per_layer(pool_sizes, n, "pool_sizes"),
            strict=True,
        ):
            self.blocks.append(
                ConvBlock(
                    n_in,
                    n_out,
                    kernel_size=kernel_widths(k),
                    stride=int(s),
                    dilation=int(d),
                    padding=padding,
                    activation=activation,
                    batch_norm=batch_norm,
                    spatial_dropout=spatial_dropout,
                    residual=residual,
                    pooling=pooling,
                    pool_size=int(p),
                )
            )
            n_in = self.blocks[-1].out_channels
        channels = n_in
        if global_pooling not in (*SequencePooling.HOWS, "flatten"):
            raise ValueError(
                "global_pooling must be 'max', 'mean', 'max_mean', 'attention' or "
                f"'flatten'; got {global_pooling!r}."
            )
        self.global_pooling = global_pooling
        self.max_len = max_len
        self.pool = None
        if global_pooling != "flatten":
            self.pool = SequencePooling(global_pooling, channels)
            n_features = self.pool.out_features
        else:
            if not max_len:
                raise ValueError("global_pooling='flatten' needs max_len.")
            size = int(max_len)
            for block in self.blocks:
                size = int(block.out_length(size))
            if size < 1:
                raise ValueError(
                    f"sequences of length {max_len} (X with {max_len} feature(s)) "
                    "shrink to nothing in the convolution and pooling layers; use "
                    "padding='same', smaller pool sizes or fewer layers."
                )
            self.out_length = size
            n_features = channels * size
        self._build_back(
            n_features,
            n_outputs,
            vocab_size,
            n_side_features,
            **shared_args(args, BACK_ARGS),
        )

    def encode(self, h, lengths):
        h = h.transpose(1, 2)  # (n, C, L)
        for block in self.blocks:
            h, lengths = block(h, lengths)
        if self.pool is None:  # flatten
            return h.flatten(1)
        return self.pool(h.transpose(1, 2), lengths)

    def forward(self, x, lengths=None, side=None):
        if self.global_pooling == "flatten":
            if x.shape[1] > self.max_len:
                raise ValueError(
                    f"input length {x.shape[1]} exceeds max_len={self.max_len} "
                    "of this flattening network."
                )
            if lengths is None:
                lengths = default_lengths(x, self.tokens)
            pad = (0, self.max_len - x.shape[1])
            x = F.pad(x, pad) if self.tokens else F.pad(x, (0, 0, *pad))
        return super().forward(x, lengths, side)
