"""Recurrent networks (LSTM, GRU, Elman RNN) over padded sequences.

Each row is packed to its real length before the recurrent layers
(``torch.nn.utils.rnn.pack_padded_sequence``), so no layer ever reads a
padding position: the last state of a row is the state after its own last
token, and appending padding changes nothing. A row of length zero is
packed as one padding step and its readout set to zero.
"""

import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from ._sequence import (
    BACK_ARGS,
    FRONT_ARGS,
    PatchStem,
    SequenceNetwork,
    SequencePooling,
    resolve_patches,
    shared_args,
)

CELLS = {"lstm": nn.LSTM, "gru": nn.GRU, "rnn": nn.RNN}
READOUTS = ("last", *SequencePooling.HOWS)


def init_recurrent(rnn):
    """Keras' and tsai's initialisation: Glorot-uniform input weights,
    orthogonal recurrent weights (per gate), zero biases, and for an LSTM a
    forget-gate bias of 1 (in ``bias_ih``; ``bias_hh`` stays 0), so that
    early in training the cell keeps its state rather than forgetting it."""
    gates = {nn.LSTM: 4, nn.GRU: 3, nn.RNN: 1}[type(rnn)]
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
    linear_ngrams, ngram_features, length_feature, linear_positions, max_len
        The wide branches and the head's extra inputs, as for
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
        linear_ngrams="auto",
        ngram_features="auto",
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

    def _shorten(self, h, lengths):
        """The stem, if any; then a batch of empty rows only gets one
        (padding) step, which packing needs."""
        if self.stem is not None:
            h, lengths = self.stem(h, lengths)
        if h.shape[1] == 0:
            h = F.pad(h, (0, 0, 0, 1))
        return h, lengths

    def encode(self, h, lengths):
        if torch.compiler.is_exporting():
            return self._encode_unpacked(h, lengths)
        h, lengths = self._shorten(h, lengths)
        size = h.shape[1]
        packed = pack_padded_sequence(
            h, lengths.clamp_min(1).cpu(), batch_first=True, enforce_sorted=False
        )
        out, state = self.rnn(packed)
        real = (lengths > 0)[:, None]
        if self.pool is None:  # "last"
            state = state[0] if isinstance(state, tuple) else state  # LSTM: (h, c)
            dirs = 2 if self.rnn.bidirectional else 1
            feats = torch.cat(list(state[-dirs:]), 1)  # last layer, each direction
        else:
            out, _ = pad_packed_sequence(out, batch_first=True, total_length=size)
            feats = self.pool(out, lengths)
        feats = feats * real.to(feats.dtype)
        if self.readout_dropout is not None:
            feats = self.readout_dropout(feats)
        return feats

    def _encode_unpacked(self, h, lengths):
        """:meth:`encode` without packing, for ``torch.export`` (packing
        makes shapes depend on the data, which it cannot trace; see
        ``skdl.export``). Each direction of each layer runs on its own over
        the padded batch, the backward one on every row reversed within its
        real length, so no real position ever reads a padding one: outputs
        at real positions and the last states are those of the packed run.
        Only for inference (no dropout between layers)."""
        h, lengths = self._shorten(h, lengths)
        rnn = self.rnn
        steps = torch.arange(h.shape[1], device=h.device)
        last = lengths.clamp_min(1) - 1
        real_steps = steps < lengths[:, None]
        reverse = torch.where(real_steps, last[:, None] - steps, steps)
        suffixes = ("", "_reverse") if rnn.bidirectional else ("",)
        gated = isinstance(rnn, nn.LSTM | nn.GRU)
        layer_in, finals = h, []
        for layer in range(rnn.num_layers):
            outs = []
            for suffix in suffixes:
                names = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
                weights = {
                    f"{name}_l0": getattr(rnn, f"{name}_l{layer}{suffix}")
                    for name in names
                }
                extra = {"nonlinearity": rnn.nonlinearity} if not gated else {}
                one = type(rnn)(  # a shell for the weights: no memory, no init
                    weights["weight_ih_l0"].shape[1],
                    rnn.hidden_size,
                    batch_first=True,
                    device="meta",
                    **extra,
                )
                backward = suffix == "_reverse"
                seq = _gather_steps(layer_in, reverse) if backward else layer_in
                out = torch.func.functional_call(one, weights, (seq,))[0]
                finals.append(_gather_steps(out, last[:, None])[:, 0])
                outs.append(_gather_steps(out, reverse) if backward else out)
            layer_in = torch.cat(outs, -1)
        real = (lengths > 0)[:, None]
        if self.pool is None:  # "last": each direction's final state
            feats = torch.cat(finals[-len(suffixes) :], 1)
        else:
            out = layer_in * real_steps.unsqueeze(-1).to(layer_in.dtype)
            feats = self.pool(out, lengths)
        return feats * real.to(feats.dtype)


def _gather_steps(x, index):
    """``x[i, index[i, t]]`` for features ``x`` (n, length, width)."""
    return x.gather(1, index.unsqueeze(-1).expand(-1, -1, x.shape[-1]))
