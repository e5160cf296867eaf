"""Recurrent networks (LSTM, GRU, Elman RNN) over padded sequences.

No layer ever reads a padding position: the forward direction reads each
row from its start, the backward one each row reversed within its own
length, so the last state of a row is the state after its own last token
and appending padding changes nothing (what packed sequences give, without
their cost on the CPU; see ``RNNModule.encode``). A row of length zero
reads one padding step and its readout is set to zero.
"""

import torch
import torch.nn.functional as F
from torch import nn

from ._sequence import (
    BACK_ARGS,
    FRONT_ARGS,
    PatchStem,
    SequenceNetwork,
    SequencePooling,
    resolve_patches,
    shared_args,
)

READOUTS = ("last", *SequencePooling.HOWS)


def init_recurrent(rnn):
    """Keras' and tsai's initialisation: Glorot-uniform input weights,
    orthogonal recurrent weights (per gate), zero biases, and for an LSTM a
    forget-gate bias of 1 (in ``bias_ih``; ``bias_hh`` stays 0), so that
    early in training the cell keeps its state rather than forgetting it."""
    gates = 4 if isinstance(rnn, nn.LSTM) else 3 if isinstance(rnn, nn.GRU) else 1
    for name, p in rnn.named_parameters():
        if name.startswith("weight_ih"):
            nn.init.xavier_uniform_(p)
        elif name.startswith("weight_hh"):
            for chunk in p.data.chunk(gates, 0):
                nn.init.orthogonal_(chunk)
        elif name.startswith("bias"):
            nn.init.zeros_(p)
            if isinstance(rnn, nn.LSTM) and name.startswith("bias_ih"):
                size = p.shape[0] // 4
                p.data[size : 2 * size] = 1.0  # gates are (input, forget, cell, output)


class RNNModule(SequenceNetwork):
    """Embedding (or one-hot, or raw channels) -> recurrent layers ->
    readout -> dense head, returning logits; with the wide branches and
    head inputs of :class:`~skdl.networks.SequenceNetwork`.

    Parameters
    ----------
    n_outputs : int
        Width of the output.
    vocab_size, n_channels, n_side_features
        As for :class:`~skdl.networks.SequenceCNNModule`.
    embedding_dim, pretrained_embeddings, freeze_embeddings
        The front end, as for :class:`~skdl.networks.SequenceCNNModule`.
    input_shift, input_scale, series_norm, series_knots
        Float input's scaling, as for :class:`~skdl.networks.SequenceCNNModule`.
    linear_ngrams, ngram_features, length_feature, linear_positions, max_len
        The wide branches and the head's extra inputs, as for
        :class:`~skdl.networks.SequenceCNNModule`.
    end_features : int, default=0
        The head's counts of each sequence's two ends, as for
        :class:`~skdl.networks.SequenceCNNModule`.
    patch_size : int or "auto", default="auto"
        Positions per recurrent step: above 1, a strided convolution makes
        one ``hidden_size``-wide vector of each run of ``patch_size``
        positions (or, with ``patch_kernel``, the stem's max-pool windows),
        so the recurrence takes ``patch_size`` times fewer sequential steps.
    patch_kernel : int, None or "auto", default="auto"
        With an int, a convolutional stem before the recurrent layers: a
        convolution of that width over every position, a ReLU and
        max-pooling over windows of ``patch_size`` positions (DanQ's
        convolution-then-BiLSTM design); :class:`PatchStem`. "auto" (both)
        is the transformer's rule: the stem of width 9 pooled by 4 for
        alphabets of at most 16 token ids (DNA, RNA), one step per position
        otherwise. (The estimators also give the stem to long token
        sequences, which the module cannot see.)
    cell : {"lstm", "gru", "rnn"}, default="lstm"
        The recurrent layer (``torch.nn.LSTM``, ``GRU`` or ``RNN`` with tanh).
    hidden_size : int, default=64
        Width of the recurrent state (per direction).
    n_layers : int, default=1
        Stacked recurrent layers.
    bidirectional : bool, default=True
        Also read each sequence backwards; the readout joins both directions.
    rnn_dropout : float, default=0.0
        Dropout on the recurrent layers' outputs: between stacked layers (as
        torch's ``dropout`` argument) and on the readout, before the head.
    readout : {"last", "mean", "max", "max_mean", "attention"}, default="max"
        How the per-position states become one vector: "last" is the final
        state of each direction (after the row's own last token forwards,
        after its first backwards); "mean", "max" and "max_mean" pool the
        outputs over real positions; "attention" is learned attention
        pooling over real positions (:class:`AttentionPool`).
    hidden_layer_sizes, dense_activation, dropout, batch_norm
        The dense head (``batch_norm`` only there), as for
        :class:`~skdl.networks.SequenceCNNModule`.

    ``forward(x, lengths=None, side=None)`` as for
    :class:`~skdl.networks.SequenceCNNModule`.

    Examples
    --------
    >>> import torch
    >>> from skdl.networks import RNNModule
    >>> net = RNNModule(n_outputs=2, vocab_size=6, hidden_size=8)
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
        max_len=None,
        patch_size="auto",
        patch_kernel="auto",
        cell="lstm",
        hidden_size=64,
        n_layers=1,
        bidirectional=True,
        rnn_dropout=0.0,
        readout="max",
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
        if cell not in CELLS:
            raise ValueError(f"cell must be one of {sorted(CELLS)}; got {cell!r}.")
        if readout not in READOUTS:
            raise ValueError(f"readout must be one of {READOUTS}; got {readout!r}.")
        if int(n_layers) < 1 or int(hidden_size) < 1:
            raise ValueError("hidden_size and n_layers must be at least 1.")
        self.patch_size, self.patch_kernel = resolve_patches(
            patch_size, patch_kernel, vocab_size if self.tokens else None
        )
        self.stem = None
        if self.patch_size != 1 or self.patch_kernel is not None:  # PatchStem checks
            self.stem = PatchStem(
                width, hidden_size, self.patch_size, self.patch_kernel, "relu"
            )
            width = self.stem.out_features
        self.rnn = CELLS[cell](
            width,
            int(hidden_size),
            num_layers=int(n_layers),
            batch_first=True,
            bidirectional=bool(bidirectional),
            dropout=float(rnn_dropout) if int(n_layers) > 1 else 0.0,
        )
        init_recurrent(self.rnn)
        n_features = int(hidden_size) * (2 if bidirectional else 1)
        self.pool = None if readout == "last" else SequencePooling(readout, n_features)
        self.readout_dropout = nn.Dropout(rnn_dropout) if rnn_dropout else None
        if self.pool is not None:
            n_features = self.pool.out_features
        self._build_back(
            n_features,
            n_outputs,
            vocab_size,
            n_side_features,
            **shared_args(args, BACK_ARGS),
        )

    def encode(self, h, lengths):
        """The stem (if any), the recurrent layers over each row's real
        length (``self.rnn``, an ``LSTM``, ``GRU`` or ``RNN`` of this module:
        torch's module, run without packing), then the readout."""
        if self.stem is not None:
            h, lengths = self.stem(h, lengths)
        if h.shape[1] == 0:  # a batch of empty rows: one (padding) step
            h = F.pad(h, (0, 0, 0, 1))
        out, finals = self.rnn(h, lengths=lengths)
        real_steps = torch.arange(h.shape[1], device=h.device) < lengths[:, None]
        if self.pool is None:  # "last": each direction's final state
            feats = finals
        else:
            out = out * real_steps.unsqueeze(-1).to(out.dtype)
            feats = self.pool(out, lengths)
        feats = feats * (lengths > 0)[:, None].to(feats.dtype)
        if self.readout_dropout is not None:
            feats = self.readout_dropout(feats)
        return feats


class _Unpacked:
    """Mixed into ``torch.nn.LSTM`` (GRU, RNN): called with ``lengths=``, the
    layers run over the padded batch without packing, and no real position
    ever reads a padding one. Each direction of each layer runs on its own,
    the backward one on every row reversed within its real length, so the
    outputs at real positions and the last states are those torch's packed
    sequences give (``tests/networks/test_recurrent_module.py`` compares
    them). Called without ``lengths``, the layer is torch's own.

    Not packed, for speed: on the CPU, the backward pass of torch's packed
    recurrence slices the whole packed input at every step and costs time
    quadratic in the length (one training step of a bidirectional LSTM on
    32 rows of about 200 positions: 1.9 s packed, 0.3 s this way;
    ``benchmarks/README.md``, step 16). It is also what ``torch.export`` can
    trace (packing makes shapes depend on data).

    Returns the last layer's outputs ``(n, length, directions * hidden)``
    (values at padding positions are not meaningful) and the final state of
    each row's last layer, directions concatenated ``(n, directions *
    hidden)``."""

    def forward(self, input, hx=None, *, lengths=None):
        if lengths is None:
            return super().forward(input, hx)
        steps = torch.arange(input.shape[1], device=input.device)
        last = lengths.clamp_min(1) - 1
        real_steps = steps < lengths[:, None]
        reverse = torch.where(real_steps, last[:, None] - steps, steps)
        suffixes = ("", "_reverse") if self.bidirectional else ("",)
        layer_in = input
        for layer in range(self.num_layers):
            if layer and self.dropout and self.training:  # as torch's between layers
                layer_in = F.dropout(layer_in, self.dropout, training=True)
            outs, finals = [], []
            for suffix in suffixes:
                backward = suffix == "_reverse"
                seq = _gather_steps(layer_in, reverse) if backward else layer_in
                out = self._direction(seq, f"_l{layer}{suffix}")
                finals.append(_gather_steps(out, last[:, None])[:, 0])
                outs.append(_gather_steps(out, reverse) if backward else out)
            layer_in = torch.cat(outs, -1)
        return layer_in, torch.cat(finals, 1)

    def _direction(self, x, suffix):
        """One direction of one layer (its weights named with ``suffix``,
        e.g. ``_l0_reverse``) over the batch ``x``, from a zero state: the
        call torch's module makes for each of its layers."""
        names = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
        params = [
            getattr(self, name + suffix) for name in names[: 4 if self.bias else 2]
        ]
        h0 = x.new_zeros(1, x.shape[0], self.hidden_size)
        args = (params, self.bias, 1, 0.0, self.training, False, True)
        if isinstance(self, nn.LSTM):
            return torch.lstm(x, (h0, h0), *args)[0]
        if isinstance(self, nn.GRU):
            return torch.gru(x, h0, *args)[0]
        step = torch.rnn_tanh if self.nonlinearity == "tanh" else torch.rnn_relu
        return step(x, h0, *args)[0]


class LSTM(_Unpacked, nn.LSTM):
    """``torch.nn.LSTM`` that also runs unpacked over padded rows (``lengths=``)."""


class GRU(_Unpacked, nn.GRU):
    """``torch.nn.GRU`` that also runs unpacked over padded rows (``lengths=``)."""


class RNN(_Unpacked, nn.RNN):
    """``torch.nn.RNN`` that also runs unpacked over padded rows (``lengths=``)."""


CELLS = {"lstm": LSTM, "gru": GRU, "rnn": RNN}


def _gather_steps(x, index):
    """``x[i, index[i, t]]`` for features ``x`` (n, length, width)."""
    return x.gather(1, index.unsqueeze(-1).expand(-1, -1, x.shape[-1]))
