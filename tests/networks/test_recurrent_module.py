"""RNNModule alone: shapes, packing (padding never read), readouts, empty
rows, initialisation, attention pooling."""

import pytest
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from skdl.networks import AttentionPool, RNNModule

from conftest import padded_ids


def small(**kw):
    params = dict(
        hidden_size=5,
        hidden_layer_sizes=(6,),
        linear_ngrams=0,  # the recurrent network alone
        ngram_features=0,
        length_feature=False,
        dropout=0.0,
    )
    return RNNModule(**{**params, **kw}).eval()


READOUTS = ["last", "mean", "max", "max_mean", "attention"]
CELLS = ["lstm", "gru", "rnn"]


@pytest.mark.parametrize("cell", CELLS)
@pytest.mark.parametrize("readout", READOUTS)
def test_output_shape_token_and_float_input(cell, readout):
    net = small(n_outputs=3, vocab_size=7, cell=cell, readout=readout)
    assert net(padded_ids([9, 4, 1, 6], 9)).shape == (4, 3)
    net = small(n_outputs=2, n_channels=3, cell=cell, readout=readout)
    assert net(torch.randn(4, 11, 3), torch.tensor([11, 5, 1, 8])).shape == (4, 2)


@pytest.mark.parametrize("readout", READOUTS)
@pytest.mark.parametrize("bidirectional", [True, False])
def test_padding_is_never_read(readout, bidirectional):
    # Each row alone, unpadded, gives the output it gets padded in a batch.
    torch.manual_seed(0)
    net = small(n_outputs=2, vocab_size=7, readout=readout, bidirectional=bidirectional)
    x = padded_ids([7, 3, 5], 10)
    batch = net(x)
    for i, n in enumerate([7, 3, 5]):
        alone = net(x[i : i + 1, :n])
        torch.testing.assert_close(batch[i : i + 1], alone, rtol=1e-5, atol=1e-6)
    # and a float input's padding values are never read either
    net = small(n_outputs=2, n_channels=2, readout=readout)
    h = torch.randn(2, 6, 2)
    lengths = torch.tensor([6, 3])
    noisy = h.clone()
    noisy[1, 3:] = 100.0
    torch.testing.assert_close(net(h, lengths), net(noisy, lengths))


def test_last_readout_is_the_state_after_each_rows_own_last_token():
    net = small(n_outputs=1, n_channels=2, readout="last", bidirectional=False)
    h = torch.randn(2, 6, 2)
    lengths = torch.tensor([6, 4])
    states = []
    for i, n in enumerate(lengths.tolist()):
        out, _ = net.rnn(h[i : i + 1, :n])
        states.append(out[0, -1])
    torch.testing.assert_close(net.encode(h, lengths), torch.stack(states))


def test_bidirectional_last_joins_forward_end_and_backward_start():
    net = small(n_outputs=1, n_channels=2, readout="last", bidirectional=True)
    h = torch.randn(1, 5, 2)
    out, _ = net.rnn(h)
    expected = torch.cat([out[0, -1, :5], out[0, 0, 5:]])
    torch.testing.assert_close(net.encode(h, torch.tensor([5]))[0], expected)


@pytest.mark.parametrize("readout", READOUTS)
def test_empty_rows_give_finite_outputs_and_zero_features(readout):
    net = small(n_outputs=2, vocab_size=7, readout=readout)
    x = padded_ids([4, 0, 2], 4)
    assert torch.isfinite(net(x)).all()
    feats = net.encode(net.embed(x, torch.tensor([4, 0, 2])), torch.tensor([4, 0, 2]))
    assert torch.equal(feats[1], torch.zeros_like(feats[1]))
    # a batch of empty rows only, of width 0
    assert torch.isfinite(net(torch.zeros(3, 0, dtype=torch.long))).all()


def test_initialisation_orthogonal_recurrent_weights_and_forget_bias():
    net = RNNModule(n_outputs=1, vocab_size=5, hidden_size=6, cell="lstm")
    w = net.rnn.weight_hh_l0
    for gate in w.detach().chunk(4, 0):
        torch.testing.assert_close(gate @ gate.T, torch.eye(6), atol=1e-5, rtol=0)
    bias = net.rnn.bias_ih_l0.detach()
    assert torch.equal(bias[6:12], torch.ones(6))  # forget gate
    assert torch.equal(bias[:6], torch.zeros(6)) and not net.rnn.bias_hh_l0.any()
    gru = RNNModule(n_outputs=1, vocab_size=5, hidden_size=6, cell="gru")
    assert not gru.rnn.bias_ih_l0.any()  # no forget gate: all zero


def test_auto_stem_follows_the_alphabet():
    dna = RNNModule(n_outputs=1, vocab_size=6, hidden_size=8)
    assert (dna.patch_size, dna.patch_kernel) == (4, 9)
    assert dna.stem.project.kernel_size == (9,) and dna.rnn.input_size == 8
    for other in (dict(vocab_size=26), dict(n_channels=3)):
        net = RNNModule(n_outputs=1, hidden_size=8, **other)
        assert net.stem is None and (net.patch_size, net.patch_kernel) == (1, None)
    with pytest.raises(ValueError, match="patch_size must be >= 1"):
        RNNModule(n_outputs=1, vocab_size=26, patch_size=0)


def test_stacked_layers_dropout_only_between_layers():
    assert (
        small(n_outputs=1, vocab_size=5, n_layers=2, rnn_dropout=0.3).rnn.dropout == 0.3
    )
    # torch warns about dropout on a single layer; the module does not pass it
    one = small(n_outputs=1, vocab_size=5, n_layers=1, rnn_dropout=0.3)
    assert one.rnn.dropout == 0.0 and one.readout_dropout.p == 0.3


def test_wide_branches_and_side_features_are_shared_with_the_cnn():
    net = RNNModule(n_outputs=2, vocab_size=7, n_side_features=3, hidden_size=4)
    assert net.linear is not None and net.linear.ngrams == 3  # "auto" for 7 ids
    x = padded_ids([5, 2], 6)
    assert net(x, side=torch.randn(2, 3)).shape == (2, 2)
    with pytest.raises(ValueError, match="side features"):
        net(x)


@pytest.mark.parametrize(
    "kw, match",
    [
        (dict(cell="transformer"), "cell must be one of"),
        (dict(readout="first"), "readout must be one of"),
        (dict(hidden_size=0), "at least 1"),
    ],
)
def test_bad_arguments(kw, match):
    with pytest.raises(ValueError, match=match):
        RNNModule(n_outputs=1, vocab_size=5, **kw)


def test_attention_pool_weights_real_positions_only():
    pool = AttentionPool(3)
    h = torch.randn(2, 4, 3)
    lengths = torch.tensor([4, 2])
    noisy = h.clone()
    noisy[1, 2:] = 50.0
    out = pool(noisy, lengths)
    torch.testing.assert_close(out[1:], pool(h[1:, :2], lengths[1:]))
    # a convex combination: inside the features' range at each channel
    lo, hi = h[0].min(0).values, h[0].max(0).values
    assert ((out[0] >= lo - 1e-6) & (out[0] <= hi + 1e-6)).all()
    assert torch.equal(pool(h, torch.tensor([0, 2]))[0], torch.zeros(3))
    assert pool(torch.zeros(2, 0, 3), torch.tensor([0, 0])).abs().sum() == 0


def test_penalised_parameters_reach_recurrent_weights():
    from skdl.networks import penalised_parameters

    net = small(n_outputs=1, vocab_size=5)
    chosen = {id(p) for p in penalised_parameters(net)}
    assert id(net.rnn.weight_hh_l0) in chosen and id(net.rnn.weight_ih_l0) in chosen
    assert isinstance(net.rnn, nn.LSTM)


def packed_encoding(net, h, lengths):
    """What :meth:`RNNModule.encode` computes, the textbook way: the rows
    packed to their lengths (``pack_padded_sequence``) through the module's
    own ``torch.nn.LSTM`` (GRU, RNN), then its readout."""
    if net.stem is not None:
        h, lengths = net.stem(h, lengths)
    packed = pack_padded_sequence(
        h, lengths.clamp_min(1), batch_first=True, enforce_sorted=False
    )
    out, state = net.rnn(packed)
    if net.pool is None:
        state = state[0] if isinstance(state, tuple) else state
        feats = torch.cat(list(state[-(2 if net.rnn.bidirectional else 1) :]), 1)
    else:
        out, _ = pad_packed_sequence(out, batch_first=True, total_length=h.shape[1])
        feats = net.pool(out, lengths)
    return feats * (lengths > 0)[:, None].to(feats.dtype)


@pytest.mark.parametrize("cell", ["lstm", "gru", "rnn"])
def test_encoding_equals_packed_sequences(cell):
    """The module runs each direction on its own over the padded batch, the
    backward one reversed within each row (faster than packing on the CPU,
    and what torch.export traces); it computes what torch's packed
    sequences compute, outputs and gradients: every readout, one and two
    layers, both directions, rows of every length including an empty one."""
    torch.manual_seed(0)
    x = torch.randint(1, 6, (5, 12))
    lengths = torch.tensor([12, 7, 1, 0, 3])
    x[torch.arange(12) >= lengths[:, None]] = 0
    stems = [(1, None), (4, 9), (3, None)]  # none, "auto" for DNA, patches
    for readout, (patch_size, kernel) in zip(
        ("last", "max", "mean", "attention"), stems * 2, strict=False
    ):
        for bidirectional in (True, False):
            for n_layers in (1, 2):
                net = RNNModule(
                    2,
                    vocab_size=6,
                    cell=cell,
                    readout=readout,
                    bidirectional=bidirectional,
                    n_layers=n_layers,
                    hidden_size=8,
                    patch_size=patch_size,
                    patch_kernel=kernel,
                ).eval()
                h = net.embed(x, lengths)
                ours, grads = net.encode(h, lengths), []
                for feats in (ours, packed_encoding(net, h, lengths)):
                    grads.append(
                        torch.autograd.grad(feats.square().sum(), net.rnn.parameters())
                    )
                torch.testing.assert_close(ours, packed_encoding(net, h, lengths))
                for a, b in zip(*grads, strict=True):
                    torch.testing.assert_close(a, b)


def test_dropout_between_layers_only_in_training():
    # rnn_dropout reaches the outputs of every layer but the last, as
    # torch's own dropout argument does, and only in training mode (the
    # readout's dropout, which rnn_dropout also sets, removed to see it).
    x = torch.randint(1, 6, (4, 9), generator=torch.Generator().manual_seed(0))
    for n_layers, random in ((2, True), (1, False)):
        net = RNNModule(
            2, vocab_size=6, n_layers=n_layers, rnn_dropout=0.5, dropout=0.0
        )
        net.readout_dropout = None
        assert torch.equal(net.eval()(x), net(x))
        assert torch.equal(net.train()(x), net(x)) is not random
