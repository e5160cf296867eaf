"""Pieces every sequence network shares: masks, the input front end, pooling.

Sequences arrive left-aligned: a row holds its ``length`` real positions and
then padding (token id 0, or zeros for float input). The front end turns a
batch into float features ``(n, length, width)`` that are exactly zero at
padding; global pooling reads real positions only. Convolutional, recurrent
and attention networks put their own layers between the two.
"""

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from ._activations import make_activation
from ._dense import DenseModule

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
    input_shift, input_scale : array-like of shape (n_channels,), default=None
        Float input only: :meth:`standardize` maps each channel ``c`` to
        ``(x[..., c] - input_shift[c]) / input_scale[c]`` (the training
        data's channel means and standard deviations, which the estimators
        pass). Kept as buffers, so they travel with the state dict and
        into exported graphs.
    series_norm : bool, default=False
        Float input only: after ``input_shift`` / ``input_scale``,
        :meth:`normalize_series` standardises each series by its own mean
        and standard deviation per channel over its real positions, and
        the network gives its dense head those two statistics and summaries
        of the standardised series (quantiles, mean absolute step).
    series_knots : array-like of shape (n_summaries, n_knots), default=None
        With ``series_norm``: knots for each of the ``N_SERIES_STATS *
        n_channels`` summaries (the estimators pass the training series'
        quantiles of each); the head then also gets every summary
        encoded piecewise linearly between its knots (see
        :meth:`encode_summaries`). A buffer, like ``input_shift``.

    ``forward(x, lengths)`` returns the features, zero at padding positions.

    Examples
    --------
    >>> import torch
    >>> from skdl.networks import SequenceEmbedding
    >>> embed = SequenceEmbedding(vocab_size=6, embedding_dim=4)
    >>> h = embed(torch.tensor([[2, 3, 0], [4, 0, 0]]), torch.tensor([2, 1]))
    >>> h.shape, bool(h[1, 1:].eq(0).all())
    (torch.Size([2, 3, 4]), True)
    """

    def __init__(
        self,
        vocab_size=None,
        n_channels=None,
        *,
        embedding_dim=16,
        pretrained_embeddings=None,
        freeze_embeddings=False,
        input_shift=None,
        input_scale=None,
        series_norm=False,
        series_knots=None,
    ):
        super().__init__()
        if (vocab_size is None) == (n_channels is None):
            raise ValueError("give exactly one of vocab_size and n_channels.")
        self.tokens = vocab_size is not None
        self.vocab_size = vocab_size
        self.standardized = (
            not self.tokens and input_shift is not None and input_scale is not None
        )
        if self.standardized:
            shift = torch.as_tensor(np.asarray(input_shift, dtype=np.float32))
            scale = torch.as_tensor(np.asarray(input_scale, dtype=np.float32))
            if shift.shape != (n_channels,) or scale.shape != (n_channels,):
                raise ValueError(
                    f"input_shift and input_scale need one value per channel "
                    f"({n_channels}); got shapes {tuple(shift.shape)} and "
                    f"{tuple(scale.shape)}."
                )
            if not bool((scale > 0).all()):
                raise ValueError("input_scale must be positive.")
            self.register_buffer("input_shift", shift)
            self.register_buffer("input_scale", scale)
        self.series_norm = bool(series_norm) and not self.tokens
        knots = None
        if self.series_norm and series_knots is not None:
            knots = torch.as_tensor(np.asarray(series_knots, dtype=np.float32))
            rows = self.N_SERIES_STATS * n_channels
            if knots.ndim != 2 or knots.shape[0] != rows:
                raise ValueError(
                    f"series_knots needs shape (n_summaries, n_knots), one row "
                    f"per series summary ({rows}); got {tuple(knots.shape)}."
                )
            if knots.shape[1] < 2 or not bool((knots.diff(dim=1) >= 0).all()):
                raise ValueError(
                    "series_knots needs at least 2 knots per row, in increasing order."
                )
        self.register_buffer("series_knots", knots)  # None: no encoding
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

    @property
    def series_features(self):
        """Width of what :meth:`normalize_series` gives the head: 0 without
        ``series_norm``; ``N_SERIES_STATS`` summaries per channel, each with
        its ramps (one per interval between knots) given ``series_knots``."""
        if not self.series_norm:
            return 0
        per_summary = 1 if self.series_knots is None else self.series_knots.shape[1]
        return self.N_SERIES_STATS * self.out_features * per_summary

    def standardize(self, x):
        """Float input with each channel standardised (see ``input_shift``);
        token ids, and float input without the statistics, unchanged.
        Padding becomes nonzero: every layer masks it."""
        if not self.standardized:
            return x
        return (x - self.input_shift.to(x.dtype)) / self.input_scale.to(x.dtype)

    # Quantiles of each standardised series that normalize_series returns.
    SERIES_QUANTILES = (0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0)
    # Statistics per channel: mean, log std, the quantiles, mean |step|.
    N_SERIES_STATS = len(SERIES_QUANTILES) + 3

    def normalize_series(self, x, lengths):
        """With ``series_norm``: each series standardised by its own mean and
        standard deviation per channel over its real positions, and
        summaries of each series as features ``(n, N_SERIES_STATS *
        channels)``: per channel the mean and the log of the standard
        deviation plus 1e-6 (before the standardisation), then the
        ``SERIES_QUANTILES`` of the standardised values (nearest rank) and
        their mean absolute step. Otherwise ``(x, None)``."""
        if not self.series_norm:
            return x, None
        mean = global_pool(x, lengths, "mean")
        std = global_pool((x - mean[:, None]) ** 2, lengths, "mean").sqrt()
        x = (x - mean[:, None]) / (std[:, None] + 1e-6)
        quantiles = series_quantiles(x, lengths, self.SERIES_QUANTILES)
        stats = [mean, torch.log(std + 1e-6), *quantiles]
        steps = (x[:, 1:] - x[:, :-1]).abs()  # step i is real if i + 1 is
        stats.append(global_pool(steps, (lengths - 1).clamp(min=0), "mean"))
        return x, self.encode_summaries(torch.cat(stats, 1))

    def encode_summaries(self, stats):
        """With ``series_knots``: the summaries ``(n, n_summaries)`` and,
        for each, one ramp per interval between neighbouring knots,
        ``clip((s - k[j]) / (k[j + 1] - k[j]), 0, 1)`` (the piecewise
        linear encoding of numerical features of Gorishniy et al., 2022,
        which lets a dense network cut a feature at its quantiles as trees
        do); otherwise the summaries unchanged."""
        if self.series_knots is None:
            return stats
        low = self.series_knots[:, :-1].to(stats.dtype)
        width = (self.series_knots[:, 1:] - self.series_knots[:, :-1]).clamp_min(1e-6)
        ramps = ((stats.unsqueeze(-1) - low) / width.to(stats.dtype)).clamp(0.0, 1.0)
        return torch.cat([stats, ramps.flatten(1)], 1)

    def forward(self, x, lengths):
        mask = length_mask(lengths, x.shape[1]).unsqueeze(-1)
        if self.embedding is not None:
            h = self.embedding(x.long())
        elif self.tokens:
            h = F.one_hot(x.long(), self.vocab_size)[..., 1:].float()
        else:
            h = x
        return h * mask.to(h.dtype)


def series_quantiles(x, lengths, quantiles):
    """Quantiles of ``x`` ``(n, length, channels)`` over each row's real
    positions, by nearest rank (sorted position ``round(q * (length - 1))``):
    one ``(n, channels)`` tensor per quantile; 0 for an empty row."""
    if x.shape[1] == 0:  # a batch of empty rows only
        x = F.pad(x, (0, 0, 0, 1))
    mask = length_mask(lengths, x.shape[1]).unsqueeze(-1)
    # Padding sorts after every real value, whatever it holds.
    ranked = torch.sort(x.masked_fill(~mask, float("inf")), 1).values
    last = (lengths.clamp(min=1) - 1).to(x.dtype)
    real = (lengths > 0).unsqueeze(-1)
    out = []
    for q in quantiles:
        at = torch.round(last * q).long()[:, None, None].expand(-1, 1, x.shape[2])
        value = ranked.gather(1, at)[:, 0]
        out.append(torch.where(real, value, torch.zeros_like(value)))
    return out


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


class AttentionPool(nn.Module):
    """Learned attention pooling over real positions: a score per position
    (``dot(v, tanh(W h))``), a softmax over the row's real positions, and the
    weighted mean of the features (as in Bahdanau-style attention readouts
    and DeepSol-like models' attention layers). Padding gets no weight; an
    empty row pools to 0.

    ``forward(h, lengths)`` maps ``(n, length, features)`` to
    ``(n, features)``.

    Examples
    --------
    >>> import torch
    >>> from skdl.networks import AttentionPool
    >>> pool = AttentionPool(n_features=8)
    >>> h = torch.randn(2, 5, 8)
    >>> pooled = pool(h, torch.tensor([5, 2]))
    >>> pooled.shape
    torch.Size([2, 8])
    >>> torch.allclose(pooled[1], pool(h[1:, :2], torch.tensor([2]))[0])
    True
    """

    def __init__(self, n_features, hidden_size=None):
        super().__init__()
        hidden_size = int(hidden_size or n_features)
        self.project = nn.Linear(n_features, hidden_size)
        self.score = nn.Linear(hidden_size, 1, bias=False)

    def forward(self, h, lengths):
        if h.shape[1] == 0:  # a batch of empty rows only
            h = F.pad(h, (0, 0, 0, 1))
        mask = length_mask(lengths, h.shape[1])
        scores = self.score(torch.tanh(self.project(h))).squeeze(-1).float()
        scores = scores.masked_fill(~mask, torch.finfo(scores.dtype).min)
        weights = torch.softmax(scores, 1) * mask  # empty rows: all zero
        return (weights.unsqueeze(-1).to(h.dtype) * h).sum(1)


class SequencePooling(nn.Module):
    """Global pooling over real positions by name, with or without parameters:
    "max", "mean", "max_mean" (:func:`global_pool`) or "attention"
    (:class:`AttentionPool`). ``out_features`` is the pooled width.

    ``forward(h, lengths)`` maps ``(n, length, n_features)`` to
    ``(n, out_features)``.
    """

    HOWS = (*POOLINGS, "attention")

    def __init__(self, how, n_features):
        super().__init__()
        if how not in self.HOWS:
            raise ValueError(f"pooling must be one of {self.HOWS}; got {how!r}.")
        self.how = how
        self.attention = AttentionPool(n_features) if how == "attention" else None
        self.out_features = n_features * (2 if how == "max_mean" else 1)

    def forward(self, h, lengths):
        if self.attention is not None:
            return self.attention(h, lengths)
        return global_pool(h, lengths, self.how)


def auto_ngrams(vocab_size):
    """The n-gram order of ``linear_ngrams="auto"``: 3 for alphabets of at
    most 16 token ids (DNA, RNA: 7**3 = 343 trigrams), 2 otherwise (proteins,
    SMILES, words; bigrams of long vocabularies are hashed, as fastText's word
    bigrams are). Chosen on the defaults benchmark: DNA trigrams are what a
    linear model on k-mers needs there, protein trigrams (27**3 = 19,683)
    overfit."""
    return 3 if int(vocab_size) <= 16 else 2


_HASH = 2654435761  # Knuth's multiplicative constant


def ngram_tables(vocab_size, ngrams, limit):
    """Rows of each order's table, ``min(vocab_size ** k, limit)`` for
    ``k = 1..ngrams``, and whether that order is hashed (more k-grams than
    ``limit``)."""
    orders = range(1, int(ngrams) + 1)
    sizes = [min(vocab_size**k, int(limit)) for k in orders]
    return sizes, [vocab_size**k > int(limit) for k in orders]


def ngram_ids(x, lengths, k, vocab_size, size):
    """Ids of the k-grams of left-aligned ids ``x`` (n, length >= k): exact
    (``a * vocab_size + b`` for bigrams) while ``vocab_size ** k <= size``,
    hashed into ``size`` rows otherwise; with the mask of the k-grams that
    lie within each row's real length. Both ``(n, length - k + 1)``."""
    width = x.shape[1] - k + 1
    ids = x[:, :width]
    for j in range(1, k):
        ids = ids * vocab_size + x[:, j : j + width]
    if vocab_size**k > size:
        ids = torch.remainder(ids * _HASH, size)
    return ids, length_mask((lengths - k + 1).clamp_min(0), width)


class NgramLinear(nn.Module):
    """A linear model on the bag of token n-grams of each sequence: the wide
    branch beside a deep sequence network (as in fastText and wide-and-deep
    models).

    For each order ``k = 1..ngrams`` the counts of the sequence's k-grams
    over real positions, divided by the square root of their number (so
    that a sequence's features have a similar norm at any length), are
    mapped by a linear layer to the outputs; orders are summed. This is
    logistic (or linear) regression on k-mer composition, learned jointly
    with the deep network whose logits it is added to. k-gram ids are exact
    while ``vocab_size ** k <= buckets``, hashed into ``buckets`` rows
    otherwise (long vocabularies, e.g. words). Weights start at zero, and
    the output is multiplied by ``gain``: Adam moves a weight by about the
    learning rate per step whatever its gradient, and a linear model on
    sparse counts needs weights of order 1 to 10, which a deep network's
    learning rate would take thousands of steps to reach (fastText trains
    its linear model at rates of 0.1 to 1).

    Parameters
    ----------
    vocab_size : int
        Number of token ids (0 is padding and never counted).
    n_outputs : int
    ngrams : int, default=3
        Longest n-gram order.
    buckets : int, default=2**18
        Rows of an order's table when its n-grams are hashed.
    gain : float, default=10.0
        Multiplier of the output (the linear branch's learning-rate factor
        under Adam).

    ``forward(x, lengths)`` with left-aligned ids ``x`` (n, length) returns
    ``(n, n_outputs)``.
    """

    def __init__(self, vocab_size, n_outputs, ngrams=3, buckets=2**18, gain=10.0):
        super().__init__()
        self.gain = float(gain)
        self.vocab_size = int(vocab_size)
        self.ngrams = int(ngrams)
        self.sizes, self.hashed = ngram_tables(self.vocab_size, self.ngrams, buckets)
        self.tables = nn.ModuleList(
            nn.Embedding(size, n_outputs) for size in self.sizes
        )
        for table in self.tables:
            nn.init.zeros_(table.weight)

    def forward(self, x, lengths):
        x = x.long()
        out = None
        for k, table in enumerate(self.tables, 1):
            if x.shape[1] < k:
                continue
            ids, valid = ngram_ids(x, lengths, k, self.vocab_size, self.sizes[k - 1])
            count = (lengths - k + 1).clamp_min(0)
            freq = (table(ids) * valid.unsqueeze(-1)).sum(1)
            freq = freq / count.clamp_min(1).sqrt()[:, None]
            out = freq if out is None else out + freq
        if out is None:  # every row shorter than one token
            out = self.tables[0].weight.new_zeros(
                x.shape[0], self.tables[0].embedding_dim
            )
        return out * self.gain


class PositionLinear(nn.Module):
    """A linear model on the flattened input, position by position: one
    weight per (position, token id) for token input, which is logistic (or
    linear) regression on the one-hot encoding of aligned sequences, or per
    (position, channel) for float input (regression on the flattened
    series). The wide branch for fixed-length data where a signal sits at a
    fixed position (promoter boxes, an aligned series' shape), which global
    pooling discards.

    Positions from ``max_len`` on have no weights and contribute nothing;
    padding contributes nothing. The sum is divided by the square root of
    ``max_len`` and multiplied by ``gain``; weights start at zero (see
    :class:`NgramLinear` for why).

    Parameters
    ----------
    max_len : int
        Positions with a weight.
    n_outputs : int
    vocab_size : int, default=None
        Number of token ids, for integer input ``(n, length)``.
    n_channels : int, default=None
        Channels of float input ``(n, length, channels)``.
    gain : float, default=10.0

    ``forward(x, lengths)`` with left-aligned ``x`` returns ``(n, n_outputs)``.
    """

    def __init__(self, max_len, n_outputs, vocab_size=None, n_channels=None, gain=10.0):
        super().__init__()
        if (vocab_size is None) == (n_channels is None):
            raise ValueError("PositionLinear needs vocab_size or n_channels.")
        self.max_len = int(max_len)
        self.vocab_size = None if vocab_size is None else int(vocab_size)
        self.gain = float(gain)
        if self.vocab_size is not None:
            self.table = nn.Embedding(self.max_len * self.vocab_size, n_outputs)
            nn.init.zeros_(self.table.weight)
        else:
            self.weight = nn.Parameter(
                torch.zeros(self.max_len * n_channels, n_outputs)
            )

    def forward(self, x, lengths):
        width = min(x.shape[1], self.max_len)
        x = x[:, :width]
        mask = length_mask(lengths.clamp_max(width), width)
        if self.vocab_size is not None:
            offsets = torch.arange(width, device=x.device) * self.vocab_size
            out = (self.table(x.long() + offsets) * mask.unsqueeze(-1)).sum(1)
        else:
            h = x.float() * mask.unsqueeze(-1)
            h = F.pad(h, (0, 0, 0, self.max_len - width)).flatten(1)
            out = h @ self.weight
        return out * (self.gain / self.max_len**0.5)


def auto_ngram_features(vocab_size):
    """The n-gram order of ``ngram_features="auto"``: 2 for alphabets of 17
    to 64 token ids (proteins, SMILES: at most 4,160 count columns), 0
    otherwise. Chosen on the defaults benchmark: dipeptide counts in the
    head lift SOLpro to 0.643 and capsid to 0.867 (0.628 and 0.821 without),
    while DNA 4-mers in the head lose Oct4/MafK 0.952 -> 0.856 (there the
    convolutions and the linear trigram branch do better alone); word
    vocabularies have far too many columns."""
    return 2 if 16 < int(vocab_size) <= 64 else 0


END_WINDOW = 25  # positions per end for end_features="auto"


def auto_end_features(vocab_size, lengths, ngram_features="auto"):
    """The window of ``end_features="auto"``: :data:`END_WINDOW` positions
    where the head reads n-gram counts (``ngram_features``, "auto" resolved
    by :func:`auto_ngram_features`: proteins, SMILES) and the median of the
    real ``lengths`` in fit is at least four windows, so that the ends
    differ from the whole (proteins; SMILES strings are shorter); 0
    otherwise. Chosen on the defaults benchmark (capsid 0.867 -> 0.889,
    disulfide 0.734 -> 0.743; benchmarks/README.md, step 27)."""
    if ngram_features == "auto":
        ngram_features = auto_ngram_features(vocab_size)
    if not ngram_features or len(lengths) == 0:
        return 0
    return END_WINDOW if np.median(lengths) >= 4 * END_WINDOW else 0


class NgramCounts(nn.Module):
    """The bag of token 1..``ngrams``-grams of each sequence as dense
    features, for a multilayer perceptron on k-mer composition: counts over
    real positions divided by the square root of the sequence's length,
    times ``gain``. An order whose exact
    table would exceed ``max_columns`` columns is hashed into
    ``max_columns``.

    The gain is the learning-rate factor of the weights that read these
    features (Adam moves a weight by about the learning rate per step, so
    scaling an input by ``gain`` makes the layer that reads it learn that
    much faster): a dipeptide's count over the root of a protein's length
    is of order 0.05. On one capsid fold (without the linear branch), at
    ``gain=1`` 20 epochs reached 0.855 and 100 epochs 0.878; ``gain=10``
    reached 0.881 in 20 (``benchmarks/README.md``, step 6).

    ``forward(x, lengths)`` with left-aligned ids ``x`` (n, length) returns
    ``(n, out_features)``. No parameters.
    """

    def __init__(self, vocab_size, ngrams=2, max_columns=4096, gain=10.0):
        super().__init__()
        self.gain = float(gain)
        self.vocab_size = int(vocab_size)
        self.ngrams = int(ngrams)
        self.sizes, self.hashed = ngram_tables(
            self.vocab_size, self.ngrams, max_columns
        )
        self.out_features = sum(self.sizes)

    def forward(self, x, lengths):
        x = x.long()
        scale = lengths.clamp_min(1).float().sqrt()[:, None] / self.gain
        columns = []
        for k, size in enumerate(self.sizes, 1):
            counts = torch.zeros(x.shape[0], size, device=x.device)
            if x.shape[1] >= k:
                ids, valid = ngram_ids(x, lengths, k, self.vocab_size, size)
                counts.scatter_add_(1, ids, valid.float())
            columns.append(counts)
        return torch.cat(columns, 1) / scale


class EndCounts(nn.Module):
    """The token counts of the first and of the last ``window`` tokens of each
    sequence (the composition of its two ends) as dense features, beside
    :class:`NgramCounts`' composition of the whole. Global pooling and the
    whole sequence's counts do not say where a residue sits; in proteins the
    ends carry signal and transit peptides, tags and charged tails. Counts
    over ``min(window, length)`` real positions, divided by the square root
    of that number, times ``gain`` (the learning-rate factor of
    :class:`NgramCounts`). Sequences shorter than ``window`` count their
    whole length at both ends.

    ``forward(x, lengths)`` with left-aligned ids ``x`` (n, length) returns
    ``(n, 2 * vocab_size)``: the first end's counts, then the last end's. No
    parameters.
    """

    def __init__(self, vocab_size, window=25, gain=10.0):
        super().__init__()
        if int(window) < 1:
            raise ValueError(f"window must be at least 1; got {window!r}.")
        self.vocab_size = int(vocab_size)
        self.window = int(window)
        self.gain = float(gain)
        self.out_features = 2 * self.vocab_size

    def forward(self, x, lengths):
        x = x.long()
        k = lengths.clamp(max=self.window)
        pos = torch.arange(x.shape[1], device=x.device)[None]
        first = pos < k[:, None]
        last = (pos >= (lengths - k)[:, None]) & (pos < lengths[:, None])
        scale = k.clamp_min(1).float().sqrt()[:, None] / self.gain
        ends = [
            torch.zeros(x.shape[0], self.vocab_size, device=x.device).scatter_add_(
                1, x, mask.float()
            )
            for mask in (first, last)
        ]
        return torch.cat(ends, 1) / scale


def log_length(lengths):
    """Sequence length as a feature of order 1: ``(log1p(length) - 5) / 1.5``
    as a column (n, 1). A fixed transform (no statistics of the training
    data): about -1.6 at 10 tokens, 0 at 150 and +1.7 at 2,000."""
    return ((torch.log1p(lengths.float()) - 5.0) / 1.5)[:, None]


# The constructor arguments every sequence network shares, by build step.
FRONT_ARGS = (
    "embedding_dim",
    "pretrained_embeddings",
    "freeze_embeddings",
    "input_shift",
    "input_scale",
    "series_norm",
    "series_knots",
)
BACK_ARGS = (
    "linear_ngrams",
    "ngram_features",
    "end_features",
    "length_feature",
    "linear_positions",
    "max_len",
    "hidden_layer_sizes",
    "dense_activation",
    "dropout",
    "batch_norm",
)


# (patch_size, patch_kernel) of the "auto" stem: width 9, max-pooled by 4.
STEM = (4, 9)


def auto_patches(vocab_size, long=False):
    """``(patch_size, patch_kernel)`` for "auto": a convolutional stem of
    width 9 max-pooled by 4 for alphabets of at most 16 token ids (DNA,
    RNA), and ``(1, None)``, one vector per position, otherwise (proteins,
    SMILES, words, float input: ``vocab_size=None``). Chosen on the defaults
    benchmark with the transformer: on Oct4/MafK (200 nt) one vector per
    nucleotide cost 7.8 s an epoch on 2,000 sequences, too slow for 5-fold
    rows; non-overlapping patches of 4 reached 0.848 accuracy and the stem
    0.975 (the CNN 0.959); the promoter set confirmed it (0.896 against
    0.830). The recurrent networks use the same rule (``benchmarks/README.md``
    says what it did for them), and their estimators pass ``long=True``
    for token sequences of median length 128 or more, which get the stem
    whatever the alphabet.
    """
    if long or (vocab_size is not None and int(vocab_size) <= 16):
        return STEM
    return 1, None


def resolve_patches(patch_size, patch_kernel, vocab_size, long=False):
    """``patch_size`` and ``patch_kernel`` with "auto" replaced by
    :func:`auto_patches` (``vocab_size`` None for float input)."""
    auto_size, auto_kernel = auto_patches(vocab_size, long)
    if isinstance(patch_size, str) and patch_size == "auto":
        patch_size = auto_size
    if isinstance(patch_kernel, str) and patch_kernel == "auto":
        patch_kernel = auto_kernel
    return int(patch_size), None if patch_kernel is None else int(patch_kernel)


class PatchStem(nn.Module):
    """Fewer, wider positions before a costly encoder (attention, recurrence).

    ``patch_kernel=None``: non-overlapping patches of ``patch_size``
    positions, each projected to ``out_features`` by one strided
    convolution (ViT's patches). An int: a convolutional stem instead, a
    convolution of that width centred on every position (stride 1), the
    activation, then max-pooling over windows of ``patch_size`` real
    positions, so a motif counts wherever it sits in a window (as hybrid
    CNN-LSTM and CNN-transformer models of DNA, DanQ and Enformer, begin).
    Either way a row of length ``l`` becomes ``ceil(l / patch_size)``
    vectors, exactly zero at padding, whatever the padding.

    ``forward(h, lengths) -> (h, lengths)`` on features ``(n, length,
    width)`` that are zero at padding. The convolution is the attribute
    ``project``.
    """

    def __init__(self, in_features, out_features, patch_size, patch_kernel, activation):
        super().__init__()
        self.patch_size = int(patch_size)
        if self.patch_size < 1:
            raise ValueError(f"patch_size must be >= 1; got {patch_size!r}.")
        self.patch_kernel = None if patch_kernel is None else int(patch_kernel)
        self.out_features = int(out_features)
        if self.patch_kernel is not None:
            if self.patch_kernel < 1:
                raise ValueError(f"patch_kernel must be >= 1; got {patch_kernel!r}.")
            self.project = nn.Conv1d(in_features, out_features, self.patch_kernel)
            self.stem_activation = make_activation(activation)
        elif self.patch_size > 1:
            p = self.patch_size
            self.project = nn.Conv1d(in_features, out_features, p, stride=p)
        else:
            raise ValueError(
                "PatchStem needs patch_size > 1 or a patch_kernel; with neither "
                "there is nothing to do."
            )

    def forward(self, h, lengths):
        if self.patch_kernel is not None:
            return self._conv_stem(h, lengths)
        return self._patches(h, lengths)

    def _patches(self, h, lengths):
        p = self.patch_size
        # A batch of empty rows still gets one (all-padding) patch; the last
        # patch of a row is completed with the front end's zeros at padding.
        h = F.pad(h, (0, 0, 0, -h.shape[1] % p if h.shape[1] else p))
        h = self.project(h.transpose(1, 2)).transpose(1, 2)
        lengths = torch.div(lengths + p - 1, p, rounding_mode="floor")
        real = length_mask(lengths, h.shape[1]).unsqueeze(-1)
        return h.masked_fill(~real, 0.0), lengths

    def _conv_stem(self, h, lengths):
        k, p = self.patch_kernel, self.patch_size
        length = max(h.shape[1], 1)
        x = F.pad(h.transpose(1, 2), ((k - 1) // 2, k // 2 + length - h.shape[1]))
        out = self.stem_activation(self.project(x))  # (n, out_features, length)
        if p > 1:
            real = length_mask(lengths, length).unsqueeze(1)
            low = torch.finfo(out.dtype).min
            out = F.pad(out.masked_fill(~real, low), (0, -length % p), value=low)
            out = F.max_pool1d(out, p)
            lengths = torch.div(lengths + p - 1, p, rounding_mode="floor")
        real = length_mask(lengths, out.shape[-1]).unsqueeze(1)
        return out.masked_fill(~real, 0.0).transpose(1, 2), lengths


def _not_auto(name, value, what):
    """Reject a string where a module needs a value the estimator resolves
    from the whole training set ("auto")."""
    if isinstance(value, str):
        raise ValueError(
            f"{name} must be {what}, got {value!r}: "
            "'auto' is resolved by the estimators, from the whole training set."
        )


def shared_args(arguments, names):
    """The entries ``names`` of a constructor's ``locals()`` (those it has:
    a family written before a shared argument existed gets its default)."""
    return {name: arguments[name] for name in names if name in arguments}


class SequenceNetwork(nn.Module):
    """What every skdl sequence network shares around its own layers.

    Front end (:class:`SequenceEmbedding`) -> the family's encoder ->
    a feature vector per sequence -> dense head, with, beside the encoder,
    the wide linear branches (:class:`NgramLinear`,
    :class:`PositionLinear`) added to the output, and the head's extra
    inputs (side features, :class:`NgramCounts`, :func:`log_length`).

    A family subclasses it, calls :meth:`_build_front` and then, after
    building its own layers on the front end's ``out_features``,
    :meth:`_build_back` with its encoder's output width (both take the
    shared arguments by the names in ``FRONT_ARGS`` / ``BACK_ARGS``: pass
    ``**shared_args(locals(), FRONT_ARGS)``); and implements
    ``encode(h, lengths)``, which maps the front end's features
    ``(n, length, width)`` (zero at padding) and the real lengths to
    ``(n, n_features)``. Construction order is front end, encoder, wide
    branches, head, so that seeded initialisation does not depend on which
    family's code built the shared parts.

    Examples
    --------
    A family that mean-pools its front end's features (a bag of embeddings):

    >>> import torch
    >>> from skdl.networks import SequenceNetwork, global_pool
    >>> from skdl.networks._sequence import BACK_ARGS, FRONT_ARGS, shared_args
    >>> class MeanOfEmbeddings(SequenceNetwork):
    ...     def __init__(self, n_outputs, vocab_size=None, n_channels=None,
    ...                  n_side_features=0, *, embedding_dim=8,
    ...                  pretrained_embeddings=None, freeze_embeddings=False,
    ...                  linear_ngrams=0, ngram_features=0, length_feature=False,
    ...                  linear_positions=False, max_len=None,
    ...                  hidden_layer_sizes=(8,), dense_activation="relu",
    ...                  dropout=0.0, batch_norm=False):
    ...         super().__init__()
    ...         args = locals()
    ...         width = self._build_front(vocab_size, n_channels,
    ...                                   **shared_args(args, FRONT_ARGS))
    ...         self._build_back(width, n_outputs, vocab_size, n_side_features,
    ...                          **shared_args(args, BACK_ARGS))
    ...     def encode(self, h, lengths):
    ...         return global_pool(h, lengths, "mean")
    >>> net = MeanOfEmbeddings(n_outputs=2, vocab_size=6)
    >>> net(torch.tensor([[2, 3, 4, 0], [5, 0, 0, 0]])).shape
    torch.Size([2, 2])
    """

    def _build_front(
        self,
        vocab_size,
        n_channels,
        *,
        embedding_dim,
        pretrained_embeddings,
        freeze_embeddings,
        input_shift=None,
        input_scale=None,
        series_norm=False,
        series_knots=None,
    ):
        self.embed = SequenceEmbedding(
            vocab_size,
            n_channels,
            embedding_dim=embedding_dim,
            pretrained_embeddings=pretrained_embeddings,
            freeze_embeddings=freeze_embeddings,
            input_shift=input_shift,
            input_scale=input_scale,
            series_norm=series_norm,
            series_knots=series_knots,
        )
        self.tokens = self.embed.tokens
        return self.embed.out_features

    def _build_back(
        self,
        n_features,
        n_outputs,
        vocab_size,
        n_side_features,
        *,
        linear_ngrams,
        ngram_features,
        length_feature,
        linear_positions,
        max_len,
        hidden_layer_sizes,
        dense_activation,
        dropout,
        batch_norm,
        end_features=0,
    ):
        self.n_side_features = int(n_side_features)
        self.length_feature = bool(length_feature)
        self.linear = None
        if linear_ngrams == "auto" and self.tokens:
            linear_ngrams = auto_ngrams(vocab_size)
        if linear_ngrams and self.tokens:
            self.linear = NgramLinear(vocab_size, n_outputs, ngrams=int(linear_ngrams))
            if self.length_feature:
                self.linear_length = nn.Linear(1, n_outputs, bias=False)
                nn.init.zeros_(self.linear_length.weight)
        self.positions = None
        _not_auto("linear_positions", linear_positions, "True or False")
        _not_auto("end_features", end_features, "a whole number")
        if linear_positions:
            if not max_len:
                raise ValueError("linear_positions=True needs max_len.")
            self.positions = PositionLinear(
                int(max_len),
                n_outputs,
                vocab_size=vocab_size if self.tokens else None,
                n_channels=None if self.tokens else self.embed.out_features,
            )
        self.counts = None
        if ngram_features == "auto" and self.tokens:
            ngram_features = auto_ngram_features(vocab_size)
        if ngram_features and self.tokens:
            self.counts = NgramCounts(vocab_size, ngrams=int(ngram_features))
            n_features += self.counts.out_features
        self.ends = None
        if end_features and self.tokens:
            self.ends = EndCounts(vocab_size, window=int(end_features))
            n_features += self.ends.out_features
        n_features += self.embed.series_features
        self.head = DenseModule(
            n_features=n_features + self.n_side_features + self.length_feature,
            n_outputs=n_outputs,
            hidden_layer_sizes=hidden_layer_sizes,
            activation=dense_activation,
            dropout=dropout,
            batch_norm=batch_norm,
        )

    def encode(self, h, lengths):
        """Features ``(n, length, width)``, zero at padding -> ``(n, n_features)``."""
        raise NotImplementedError

    def forward(self, x, lengths=None, side=None):
        if lengths is None:
            lengths = default_lengths(x, self.tokens)
        x = self.embed.standardize(x)  # what every branch below reads
        x, stats = self.embed.normalize_series(x, lengths)
        h = self.embed(x, lengths)
        wide = None
        if self.linear is not None:
            wide = self.linear(x, lengths)
        if self.positions is not None:
            flat = self.positions(x, lengths)
            wide = flat if wide is None else wide + flat
        bag = None
        if self.counts is not None:
            bag = self.counts(x, lengths)
        if self.ends is not None:
            ends = self.ends(x, lengths)
            bag = ends if bag is None else torch.cat([bag, ends], 1)
        if self.length_feature:
            size = log_length(lengths)
            if self.linear is not None:
                wide = wide + self.linear_length(size)
        h = self.encode(h, lengths)
        if self.n_side_features:
            if side is None:
                raise ValueError(
                    f"this network takes {self.n_side_features} side features; "
                    "call it with side=..."
                )
            h = torch.cat([h, side.to(h.dtype)], 1)
        if bag is not None:
            h = torch.cat([h, bag.to(h.dtype)], 1)
        if stats is not None:
            h = torch.cat([h, stats.to(h.dtype)], 1)
        if self.length_feature:
            h = torch.cat([h, size.to(h.dtype)], 1)
        out = self.head(h)
        if wide is None:
            return out
        if isinstance(out, tuple):  # (logits, penalty) in training
            return out[0] + wide.to(out[0].dtype), out[1]
        return out + wide.to(out.dtype)
