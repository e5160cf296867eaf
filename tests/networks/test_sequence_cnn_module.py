"""SequenceCNNModule alone: shapes, masks, masked batch norm, lengths, counts."""

import pytest
import torch
from torch import nn

from skdl.networks import ConvBlock, MaskedBatchNorm1d, SequenceCNNModule

from conftest import padded_ids


def n_params(module):
    return sum(p.numel() for p in module.parameters())


def small(**kw):
    params = dict(
        conv_filters=(4, 4),
        kernel_sizes=3,
        pool_sizes=2,
        hidden_layer_sizes=(6,),
        dense_activation="relu",
        linear_ngrams=0,  # the convolutional network alone
        length_feature=False,
        dropout=0.0,
    )
    return SequenceCNNModule(**{**params, **kw})


def identity_head(net):
    """Make a network without hidden layers return its pooled features."""
    with torch.no_grad():
        net.head.output.weight.copy_(torch.eye(net.head.output.in_features))
        net.head.output.bias.zero_()
    return net


# ------------------------------------------------------------------- shapes
@pytest.mark.parametrize(
    "global_pooling", ["max", "mean", "max_mean", "attention", "flatten"]
)
def test_output_shape_token_input(global_pooling):
    net = small(n_outputs=3, vocab_size=7, global_pooling=global_pooling, max_len=9)
    assert net(padded_ids([9, 4, 1, 6, 2], 9)).shape == (5, 3)


@pytest.mark.parametrize("global_pooling", ["max", "mean", "max_mean", "flatten"])
def test_output_shape_float_input(global_pooling):
    net = small(n_outputs=2, n_channels=3, global_pooling=global_pooling, max_len=11)
    assert net(torch.randn(4, 11, 3)).shape == (4, 2)
    assert net(torch.randn(4, 11, 3), torch.tensor([11, 5, 1, 8])).shape == (4, 2)


def test_one_hot_input_has_one_channel_per_id_except_padding():
    net = small(n_outputs=2, vocab_size=7, embedding_dim=None)
    assert net.embed.embedding is None
    assert net.blocks[0].conv.in_channels == 6
    assert net(padded_ids([5, 3], 5)).shape == (2, 2)


def test_needs_exactly_one_of_vocab_size_and_n_channels():
    with pytest.raises(ValueError, match="exactly one of vocab_size and n_channels"):
        SequenceCNNModule(n_outputs=2)
    with pytest.raises(ValueError, match="exactly one of vocab_size and n_channels"):
        SequenceCNNModule(n_outputs=2, vocab_size=5, n_channels=2)


def test_flatten_needs_max_len_and_refuses_longer_input():
    with pytest.raises(ValueError, match="global_pooling='flatten' needs max_len"):
        small(n_outputs=2, vocab_size=7, global_pooling="flatten")
    net = small(n_outputs=2, vocab_size=7, global_pooling="flatten", max_len=6)
    assert net(padded_ids([3, 2], 4)).shape == (2, 2)  # shorter is padded
    with pytest.raises(ValueError, match="input length 8 exceeds max_len=6"):
        net(padded_ids([8, 2], 8))


def test_flatten_refuses_a_length_that_shrinks_to_nothing():
    with pytest.raises(ValueError, match="sequences of length 4 .* shrink to nothing"):
        small(
            n_outputs=2,
            vocab_size=7,
            padding="valid",
            kernel_sizes=5,
            global_pooling="flatten",
            max_len=4,
        )


# -------------------------------------------------------------------- masks
def test_embedding_output_is_zero_at_padding():
    # Pretrained row 0 is not zero, so only the mask can zero the pads; with
    # explicit lengths, ids after a row's length are padding too.
    weights = torch.arange(1.0, 15.0).reshape(7, 2)
    net = small(n_outputs=2, vocab_size=7, pretrained_embeddings=weights)
    seen = {}
    net.blocks[0].register_forward_pre_hook(lambda m, args: seen.update(h=args[0]))
    x = torch.tensor([[3, 4, 0, 0, 0], [2, 5, 6, 6, 6]])
    net(x, torch.tensor([2, 3]))
    h = seen["h"]  # (n, channels, length)
    assert h.shape == (2, 2, 5)
    torch.testing.assert_close(h[0, :, :2], weights[[3, 4]].T)
    torch.testing.assert_close(h[1, :, :3], weights[[2, 5, 6]].T)
    assert (h[0, :, 2:] == 0).all() and (h[1, :, 3:] == 0).all()


def identity_block(pooling, pool_size):
    """A 1-channel block whose convolution copies its input."""
    block = ConvBlock(
        1,
        1,
        kernel_size=1,
        activation="identity",
        pooling=pooling,
        pool_size=pool_size,
    )
    with torch.no_grad():
        block.conv.weight.fill_(1.0)
        block.conv.bias.zero_()
    return block


def test_masked_max_pooling_never_picks_padding():
    # Real values are negative, so an unmasked max would pick a pad's 0 in
    # the windows (-4, pad) and (-9, pad).
    x = torch.tensor([[-5.0, -3.0, -4.0, 0.0, 0.0, 0.0], [-9.0, 0, 0, 0, 0, 0]])
    out, lengths = identity_block("max", 2)(x[:, None], torch.tensor([3, 1]))
    assert lengths.tolist() == [2, 1]
    torch.testing.assert_close(
        out[:, 0], torch.tensor([[-3.0, -4.0, 0.0], [-9.0, 0.0, 0.0]])
    )


def test_masked_max_pooling_odd_width():
    # Width 5 with windows of 2: the last window holds one real position and
    # the extra padding the pooling adds.
    x = torch.tensor([[-1.0, -2.0, -3.0, -4.0, -5.0]])
    out, lengths = identity_block("max", 2)(x[:, None], torch.tensor([5]))
    assert lengths.tolist() == [3]
    torch.testing.assert_close(out[0, 0], torch.tensor([-1.0, -3.0, -5.0]))


def test_masked_avg_pooling_divides_by_real_positions():
    x = torch.tensor([[-5.0, -3.0, -4.0, 0.0, 0.0, 0.0], [-6.0, -2.0, -1.0, 7, 7, 7]])
    # Windows of 4: row 0 (-5, -3, -4 | pad) averages to -4, not -3; row 1
    # (-6, -2 | pad, pad) to -4, not -2. The second windows hold only pads.
    out, lengths = identity_block("avg", 4)(x[:, None], torch.tensor([3, 2]))
    assert lengths.tolist() == [1, 1]
    torch.testing.assert_close(out[:, 0], torch.tensor([[-4.0, 0.0], [-4.0, 0.0]]))
    # A real 0 counts: row 0's second window (0 | pad, pad) averages to 0.
    out, lengths = identity_block("avg", 3)(x[:, None], torch.tensor([4, 3]))
    assert lengths.tolist() == [2, 1]
    torch.testing.assert_close(out[:, 0], torch.tensor([[-4.0, 0.0], [-3.0, 0.0]]))


def global_pool_net(global_pooling):
    """Float input -> a convolution that copies it -> global pooling -> output."""
    net = SequenceCNNModule(
        n_outputs=2,
        n_channels=2,
        conv_filters=(2,),
        kernel_sizes=1,
        pool_sizes=1,
        activation="identity",
        hidden_layer_sizes=(),
        global_pooling=global_pooling,
        linear_ngrams=0,
        length_feature=False,
    )
    with torch.no_grad():
        net.blocks[0].conv.weight.copy_(torch.eye(2)[:, :, None])
        net.blocks[0].conv.bias.zero_()
    return identity_head(net)


def test_global_max_ignores_padding():
    # Real values are negative; pads (masked to 0) would win an unmasked max.
    x = -torch.arange(1.0, 13.0).reshape(2, 3, 2)  # (n, length, channels)
    x[1, 1:] = 50.0  # beyond row 1's length: must be ignored too
    out = global_pool_net("max")(x, torch.tensor([2, 1]))
    torch.testing.assert_close(out, torch.tensor([[-1.0, -2.0], [-7.0, -8.0]]))


def test_global_mean_ignores_padding():
    x = torch.tensor(
        [[[1.0, -1.0], [3.0, -3.0], [9.0, 9.0]], [[4.0, 2.0], [8.0, 8.0], [8, 8]]]
    )
    out = global_pool_net("mean")(x, torch.tensor([2, 1]))
    torch.testing.assert_close(out, torch.tensor([[2.0, -2.0], [4.0, 2.0]]))


def test_no_conv_blocks_pools_the_embeddings_directly():
    weights = torch.tensor([[9.0, 9.0], [0.0, 0.0], [1.0, -1.0], [3.0, 5.0]])
    net = SequenceCNNModule(
        n_outputs=2,
        vocab_size=4,
        pretrained_embeddings=weights,
        conv_filters=(),
        hidden_layer_sizes=(),
        global_pooling="mean",
        linear_ngrams=0,
        length_feature=False,
    )
    out = identity_head(net)(torch.tensor([[2, 3, 3, 0], [3, 0, 0, 0]]))
    torch.testing.assert_close(
        out, torch.tensor([[7.0 / 3, 3.0], [3.0, 5.0]]), rtol=1e-6, atol=1e-6
    )


def test_token_input_without_lengths_is_masked_where_id_is_zero():
    net = small(n_outputs=2, vocab_size=7).eval()
    x = padded_ids([5, 2, 4], 6)
    torch.testing.assert_close(net(x), net(x, (x != 0).sum(1)))


PADDING_CONFIGS = {
    "same": dict(),
    "valid": dict(padding="valid"),
    "strides": dict(strides=(2, 3), pool_sizes=1),
    "dilations": dict(dilations=(2, 3), kernel_sizes=(3, 2)),
    "valid-strided-dilated": dict(padding="valid", strides=2, dilations=2),
    "pool-sizes": dict(pool_sizes=(3, 2)),
    "avg-pool": dict(pooling="avg", pool_sizes=(3, 2)),
    "batch-norm": dict(batch_norm=True),
    "residual": dict(residual=True, strides=(1, 2)),
    "residual-bn-mean": dict(residual=True, batch_norm=True, global_pooling="mean"),
    "one-hot": dict(embedding_dim=None, activation="tanh"),
    "max-mean": dict(global_pooling="max_mean", activation="tanh"),
    "parallel-widths": dict(kernel_sizes=((2, 3, 6), 3)),
    "parallel-strided-residual": dict(
        kernel_sizes=((1, 4), (3, 5)), strides=(2, 1), residual=True, batch_norm=True
    ),
}


@pytest.mark.parametrize("config", PADDING_CONFIGS.values(), ids=PADDING_CONFIGS)
def test_appending_padding_changes_nothing_in_eval_mode(config):
    torch.manual_seed(0)
    net = small(n_outputs=3, vocab_size=7, **config)
    if config.get("batch_norm"):
        net(padded_ids([40] * 8, 40))  # non-trivial running statistics
    net.eval()
    lengths = torch.tensor([1, 2, 3, 5, 8, 13, 20])
    x = padded_ids(lengths, 20)
    out = net(x)
    assert torch.isfinite(out).all()
    longer = torch.cat([x, torch.zeros(7, 17, dtype=x.dtype)], 1)
    torch.testing.assert_close(net(longer), out)
    # Each row alone, at exactly its own length: the batch changes nothing.
    alone = torch.cat([net(x[i : i + 1, :n]) for i, n in enumerate(lengths)])
    torch.testing.assert_close(alone, out)


def test_appending_padding_changes_nothing_for_float_input():
    torch.manual_seed(0)
    net = small(n_outputs=1, n_channels=2, strides=2, global_pooling="mean").eval()
    x = torch.randn(3, 9, 2)
    lengths = torch.tensor([9, 4, 6])
    out = net(x, lengths)
    longer = torch.cat([x, torch.full((3, 5, 2), 99.0)], 1)  # pads' values unused
    torch.testing.assert_close(net(longer, lengths), out)
    torch.testing.assert_close(net(x[1:2, :4]), out[1:2])


# --------------------------------------------------------- masked batch norm
def paired_batch_norm(channels=3):
    torch.manual_seed(0)
    masked, plain = MaskedBatchNorm1d(channels), nn.BatchNorm1d(channels)
    with torch.no_grad():
        masked.weight.uniform_(0.5, 2.0)
        masked.bias.uniform_(-1.0, 1.0)
    plain.load_state_dict(masked.state_dict())
    return masked, plain


def test_masked_batch_norm_equals_batch_norm_without_padding():
    masked, plain = paired_batch_norm()
    for _ in range(3):
        x = torch.randn(4, 3, 7) * 2 + 1
        full = torch.ones(4, 7, dtype=torch.bool)
        torch.testing.assert_close(masked(x, full), plain(x))
    torch.testing.assert_close(masked.running_mean, plain.running_mean)
    torch.testing.assert_close(masked.running_var, plain.running_var)
    assert masked.num_batches_tracked == plain.num_batches_tracked == 3
    masked.eval(), plain.eval()
    x = torch.randn(2, 3, 5)
    torch.testing.assert_close(masked(x, torch.ones(2, 5, dtype=torch.bool)), plain(x))


def test_masked_batch_norm_ignores_padded_positions():
    masked, plain = paired_batch_norm()
    x = torch.randn(3, 3, 6)
    lengths = torch.tensor([6, 2, 4])
    mask = torch.arange(6) < lengths[:, None]
    x = x.masked_fill(~mask[:, None], 1e3)  # would dominate unmasked statistics
    out = masked(x, mask)
    # The same positions as one unpadded sequence through plain batch norm.
    real = torch.cat([x[i, :, :n] for i, n in enumerate(lengths)], 1)
    expected = plain(real[None])[0]
    torch.testing.assert_close(
        torch.cat([out[i, :, :n] for i, n in enumerate(lengths)], 1), expected
    )
    torch.testing.assert_close(masked.running_mean, plain.running_mean)
    torch.testing.assert_close(masked.running_var, plain.running_var)


def test_masked_batch_norm_without_two_real_positions_uses_running_stats():
    bn = MaskedBatchNorm1d(2)
    with torch.no_grad():
        bn.running_mean.copy_(torch.tensor([1.0, -1.0]))
        bn.running_var.copy_(torch.tensor([4.0, 0.25]))
    mask = torch.tensor([[True, False, False], [False, False, False]])
    x = torch.randn(2, 2, 3)
    out = bn(x, mask)  # training mode, but only one real position
    expected = (x - bn.running_mean[:, None]) / torch.sqrt(
        bn.running_var[:, None] + bn.eps
    )
    torch.testing.assert_close(out, expected)
    assert bn.num_batches_tracked == 0  # the running statistics are untouched
    torch.testing.assert_close(bn.running_mean, torch.tensor([1.0, -1.0]))


# ------------------------------------------------------------------ lengths
@pytest.mark.parametrize(
    "kernel,stride,dilation,padding,pool",
    [
        (3, 1, 1, "same", 1),
        (4, 1, 1, "same", 2),
        (5, 2, 1, "same", 3),
        (3, 3, 2, "same", 2),
        (3, 1, 1, "valid", 1),
        (5, 2, 1, "valid", 2),
        (3, 2, 3, "valid", 3),
        (2, 3, 2, "valid", 1),
    ],
)
def test_block_length_bookkeeping(kernel, stride, dilation, padding, pool):
    block = ConvBlock(
        2,
        3,
        kernel_size=kernel,
        stride=stride,
        dilation=dilation,
        padding=padding,
        pool_size=pool,
    )
    span = dilation * (kernel - 1)
    width = 30
    lengths = torch.arange(width + 1)
    out, out_lengths = block(torch.randn(width + 1, 2, width), lengths)
    assert out_lengths.tolist() == block.out_length(lengths).tolist()
    # By hand: positions where the kernel fits ("valid") or every stride-th
    # position ("same"), then one per started pooling window ("same") or per
    # whole window ("valid", as Keras pools).
    for n in range(width + 1):
        if padding == "same":
            conv = -(-n // stride)
            assert int(block.out_length(n)) == -(-conv // pool)
        else:
            conv = (n - span - 1) // stride + 1 if n > span else 0
            assert int(block.out_length(n)) == conv // pool
    # An input of exactly length n comes out with out_length(n) positions.
    for n in range(span + 1, width + 1):
        out, _ = block(torch.randn(1, 2, n), torch.tensor([n]))
        assert out.shape[-1] == int(block.out_length(n))
    # Positions beyond each row's new length are zero.
    out, out_lengths = block(torch.randn(width + 1, 2, width), lengths)
    beyond = torch.arange(out.shape[-1]) >= out_lengths[:, None]
    assert (out.abs().sum(1)[beyond] == 0).all()


@pytest.mark.parametrize(
    "config",
    [dict(), dict(padding="valid", kernel_sizes=5), dict(global_pooling="mean")],
    ids=["same-max", "valid", "mean"],
)
def test_zero_length_row_gives_finite_output(config):
    net = small(n_outputs=2, vocab_size=7, **config).eval()
    x = padded_ids([4, 0, 2], 4)
    out = net(x)
    assert torch.isfinite(out).all()
    # An empty sequence gets the same output whatever batch it is in.
    torch.testing.assert_close(net(x[1:2]), out[1:2])


def test_all_empty_batch_with_residual_projection():
    net = small(n_outputs=2, vocab_size=7, residual=True).eval()
    out = net(torch.zeros(3, 0, dtype=torch.long), torch.zeros(3, dtype=torch.long))
    assert out.shape == (3, 2) and torch.isfinite(out).all()


def test_all_empty_batch_without_residual():
    net = small(n_outputs=2, vocab_size=7).eval()
    out = net(torch.zeros(3, 0, dtype=torch.long), torch.zeros(3, dtype=torch.long))
    assert out.shape == (3, 2) and torch.isfinite(out).all()


# --------------------------------------------------------- parameter counts
def test_default_network_parameter_count():
    net = SequenceCNNModule(n_outputs=2, vocab_size=27)
    embedding = 27 * 16
    convs = (16 * 16 * 5 + 16) + 2 * (16 * 16 * 3 + 16)
    # The head reads the pooled features, the 1- and 2-gram counts
    # ("auto": bigrams for 27 ids, no parameters of their own) and the log
    # length.
    counts = 27 + 27**2
    dense = ((16 + counts + 1) * 256 + 256) + (256 * 64 + 64) + (64 * 2 + 2)
    # The linear branch ("auto": bigrams for 27 ids): a weight per 1- and
    # 2-gram id and output, and one per output for the log length.
    wide = (27 + 27**2) * 2 + 2
    assert n_params(net) == embedding + convs + dense + wide
    layer = [nn.Linear, nn.ReLU, nn.Dropout]  # dropout 0.5 by default
    assert [type(m) for m in net.head.hidden[0].body] == layer
    # One activation for every dense layer by default (any depth works);
    # the textbook's relu + tanh is dense_activation=("relu", "tanh").
    assert [type(m) for m in net.head.hidden[1].body] == layer
    book = SequenceCNNModule(
        n_outputs=2, vocab_size=27, dense_activation=("relu", "tanh")
    )
    assert [type(m) for m in book.head.hidden[1].body] == [
        nn.Linear,
        nn.Tanh,
        nn.Dropout,
    ]


def test_textbook_flatten_network_parameter_count():
    # "valid" convolutions and pooling, as Keras' defaults, and Flatten at
    # length 200: 200 -conv5-> 196 -pool4-> 49 -conv3-> 47 -pool2-> 23
    # -conv3-> 21 -pool2-> 10 positions x 16 (the course's 60,929 parameters
    # with its 21 tokens and one output).
    net = SequenceCNNModule(
        n_outputs=1,
        vocab_size=27,
        padding="valid",
        pool_sizes=(4, 2, 2),
        global_pooling="flatten",
        max_len=200,
        linear_ngrams=0,
        ngram_features=0,
        length_feature=False,
    )
    assert net.out_length == 10
    head = (16 * 10 * 256 + 256) + (256 * 64 + 64) + (64 + 1)
    convs = (16 * 16 * 5 + 16) + 2 * (16 * 16 * 3 + 16)
    assert n_params(net) == 27 * 16 + convs + head
    assert net(padded_ids([200, 30], 200, vocab_size=27)).shape == (2, 1)
    course = SequenceCNNModule(
        n_outputs=1,
        vocab_size=21,  # 20 amino acids and padding
        padding="valid",
        global_pooling="flatten",
        max_len=200,
        dense_activation=("relu", "tanh"),
        linear_ngrams=0,
        ngram_features=0,
        length_feature=False,
    )
    assert n_params(course) == 60_929


def test_residual_shortcuts_and_batch_norm_parameters():
    net = SequenceCNNModule(
        n_outputs=1,
        vocab_size=5,
        embedding_dim=4,
        conv_filters=(4, 6, 6),
        kernel_sizes=3,
        strides=(1, 1, 2),
        hidden_layer_sizes=(),
        residual=True,
        batch_norm=True,
        linear_ngrams=0,
        length_feature=False,
    )
    shortcuts = [b.shortcut for b in net.blocks]
    assert isinstance(shortcuts[0], nn.Identity)  # same width, stride 1
    assert isinstance(shortcuts[1], nn.Conv1d) and shortcuts[1].bias is None
    assert shortcuts[2].stride == (2,)
    assert all(isinstance(b.bn, MaskedBatchNorm1d) for b in net.blocks)
    convs = (4 * 4 * 3 + 4) + (4 * 6 * 3 + 6) + (6 * 6 * 3 + 6)
    expected = 5 * 4 + convs + (4 * 6 + 6 * 6) + 2 * (4 + 6 + 6) + (6 + 1)
    assert n_params(net) == expected


def test_frozen_embedding_has_no_gradient():
    net = small(n_outputs=2, vocab_size=7, freeze_embeddings=True)
    assert not net.embed.embedding.weight.requires_grad
    pretrained = small(
        n_outputs=2, vocab_size=7, pretrained_embeddings=torch.ones(7, 3)
    )
    assert pretrained.embed.embedding.weight.requires_grad
    assert pretrained.blocks[0].conv.in_channels == 3


# -------------------------------------------------------------------- bf16
@pytest.mark.parametrize(
    "config",
    [dict(), dict(pooling="avg", global_pooling="mean"), dict(embedding_dim=None)],
    ids=["default", "avg-mean", "one-hot"],
)
def test_bf16_autocast_forward_on_cpu(config):
    torch.manual_seed(0)
    net = small(n_outputs=2, vocab_size=7, **config)
    x = padded_ids([6, 3, 1], 6)
    expected = net(x)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        out = net(x)
    assert out.dtype == torch.bfloat16
    torch.testing.assert_close(out.float(), expected, atol=0.05, rtol=0.05)


def test_bf16_autocast_training_with_batch_norm():
    net = small(n_outputs=2, vocab_size=7, batch_norm=True).train()
    with torch.autocast("cpu", dtype=torch.bfloat16):
        out = net(padded_ids([6, 3, 4], 6))
    assert torch.isfinite(out.float()).all()
    assert net.blocks[0].bn.running_mean.dtype == torch.float32


# ------------------------------------------------------- parallel kernels
def test_parallel_widths_are_separate_convolutions_concatenated():
    # kernel_sizes entry (2, 3, 6): three convolutions of 4 filters each over
    # the same input, each padded "same", stacked along channels.
    torch.manual_seed(0)
    net = small(n_outputs=2, vocab_size=7, kernel_sizes=((2, 3, 6), 3))
    first, second = net.blocks
    assert first.out_channels == 12 and second.conv.in_channels == 12
    assert [c.kernel_size[0] for c in first.conv.branches] == [2, 3, 6]
    x = torch.randn(5, 3, 11)
    block = ConvBlock(3, 4, kernel_size=(2, 3, 6))
    expected = []
    for conv in block.conv.branches:
        span = conv.kernel_size[0] - 1
        expected.append(conv(nn.functional.pad(x, (span // 2, span - span // 2))))
    torch.testing.assert_close(block.conv(x), torch.cat(expected, 1))
    lengths = torch.tensor([11, 7, 3, 1, 0])
    out, new_lengths = block(x, lengths)
    assert out.shape == (5, 12, 11) and torch.equal(new_lengths, lengths)
    assert (out[1, :, 7:] == 0).all()  # padding stays zero
    # One width in a sequence is the plain block, parameter for parameter.
    assert n_params(ConvBlock(3, 4, kernel_size=(5,))) == n_params(
        ConvBlock(3, 4, kernel_size=5)
    )


def test_parallel_widths_need_same_padding_and_positive_widths():
    with pytest.raises(ValueError, match="padding='same'"):
        small(n_outputs=2, vocab_size=7, kernel_sizes=((2, 3), 3), padding="valid")
    for bad in ((), (3, 0), (2.5,), (True,)):
        with pytest.raises(ValueError, match="positive int"):
            small(n_outputs=2, vocab_size=7, kernel_sizes=(bad, 3))
