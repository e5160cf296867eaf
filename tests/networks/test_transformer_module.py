"""TransformerModule alone: shapes, key-padding masks (padding never read),
pooling, positional encodings, truncation, empty rows."""

import math

import pytest
import torch

from skdl.networks import EncoderLayer, TransformerModule
from skdl.networks._transformer import sinusoidal_positions

from conftest import padded_ids


def small(**kw):
    params = dict(
        d_model=8,
        n_heads=2,
        n_layers=2,
        dim_feedforward=16,
        embedding_dim=8,
        hidden_layer_sizes=(6,),
        linear_ngrams=0,  # the encoder alone
        ngram_features=0,
        length_feature=False,
        dropout=0.0,
        # One vector per token (the "auto" stem for small alphabets is
        # tested on its own below).
        patch_size=1,
        patch_kernel=None,
    )
    return TransformerModule(**{**params, **kw}).eval()


def test_auto_patches_follow_the_alphabet():
    dna = TransformerModule(n_outputs=1, vocab_size=6)
    assert (dna.patch_size, dna.patch_kernel) == (4, 9)
    assert isinstance(dna.stem.project, torch.nn.Conv1d)
    assert dna.stem.project.kernel_size == (9,) and dna.stem.project.stride == (1,)
    protein = TransformerModule(n_outputs=1, vocab_size=26)
    assert (protein.patch_size, protein.patch_kernel) == (1, None)
    series = TransformerModule(n_outputs=1, n_channels=3)
    assert (series.patch_size, series.patch_kernel) == (1, None)
    # An explicit size with the "auto" kernel keeps the stem for DNA.
    assert TransformerModule(n_outputs=1, vocab_size=6, patch_size=2).patch_kernel == 9


POOLINGS = ["cls", "mean", "max", "max_mean", "attention"]


@pytest.mark.parametrize("pooling", POOLINGS)
@pytest.mark.parametrize("positions", ["sinusoidal", "learned", "none"])
def test_output_shape_token_and_float_input(pooling, positions):
    kw = dict(global_pooling=pooling, positional_encoding=positions)
    net = small(n_outputs=3, vocab_size=7, **kw)
    assert net(padded_ids([9, 4, 1, 6], 9)).shape == (4, 3)
    net = small(n_outputs=2, n_channels=3, **kw)  # projected 3 -> 8
    assert net(torch.randn(4, 11, 3), torch.tensor([11, 5, 1, 8])).shape == (4, 2)


@pytest.mark.parametrize("pooling", POOLINGS)
@pytest.mark.parametrize("norm_first", [True, False])
def test_padding_is_never_read(pooling, norm_first):
    torch.manual_seed(0)
    net = small(
        n_outputs=2, vocab_size=7, global_pooling=pooling, norm_first=norm_first
    )
    x = padded_ids([7, 3, 5], 10)
    batch = net(x)
    for i, n in enumerate([7, 3, 5]):
        alone = net(x[i : i + 1, :n])
        torch.testing.assert_close(batch[i : i + 1], alone, rtol=1e-5, atol=1e-5)
    net = small(n_outputs=2, n_channels=2, global_pooling=pooling)
    h = torch.randn(2, 6, 2)
    lengths = torch.tensor([6, 3])
    noisy = h.clone()
    noisy[1, 3:] = 100.0
    torch.testing.assert_close(net(h, lengths), net(noisy, lengths))


def test_order_matters_with_positions_and_not_without():
    x = torch.tensor([[2, 3, 4, 5, 6]])
    flipped = x.flip(1)
    torch.manual_seed(0)
    with_pos = small(n_outputs=1, vocab_size=7)
    assert not torch.allclose(with_pos(x), with_pos(flipped))
    torch.manual_seed(0)
    bag = small(n_outputs=1, vocab_size=7, positional_encoding="none")
    torch.testing.assert_close(bag(x), bag(flipped))  # mean pooling of a set


@pytest.mark.parametrize("pooling", POOLINGS)
def test_empty_rows_give_finite_outputs(pooling):
    net = small(n_outputs=2, vocab_size=7, global_pooling=pooling)
    out = net(padded_ids([4, 0, 2], 4))
    assert torch.isfinite(out).all()
    assert torch.isfinite(net(torch.zeros(3, 0, dtype=torch.long))).all()
    if pooling != "cls":  # an empty row's features are zero
        lengths = torch.tensor([4, 0, 2])
        x = padded_ids([4, 0, 2], 4)
        feats = net.encode(net.embed(x, lengths), lengths)
        assert torch.equal(feats[1], torch.zeros_like(feats[1]))


def test_inputs_longer_than_max_positions_are_truncated():
    net = small(
        n_outputs=1, vocab_size=7, max_positions=5, positional_encoding="learned"
    )
    assert net.position_table.num_embeddings == 5
    x = padded_ids([9, 7], 9)
    torch.testing.assert_close(net(x), net(x[:, :5]))
    torch.testing.assert_close(net(x, torch.tensor([9, 7])), net(x[:, :5]))


def test_sinusoidal_positions_follow_vaswani():
    table = sinusoidal_positions(6, 4)
    pos, i = 3, 1  # dimension 2i and 2i+1
    angle = pos / 10000 ** (2 * i / 4)
    assert math.isclose(table[pos, 2 * i], math.sin(angle), rel_tol=1e-5)
    assert math.isclose(table[pos, 2 * i + 1], math.cos(angle), rel_tol=1e-5)
    assert sinusoidal_positions(3, 5).shape == (3, 5)  # odd widths too


def test_no_projection_when_the_front_end_has_d_model_columns():
    assert isinstance(small(n_outputs=1, vocab_size=7).project, torch.nn.Identity)
    assert isinstance(
        small(n_outputs=1, vocab_size=7, embedding_dim=4).project, torch.nn.Linear
    )


def test_encoder_layer_matches_a_reference_attention():
    # One post-norm layer, no dropout, against attention written out by hand.
    torch.manual_seed(0)
    layer = EncoderLayer(4, 2, 8, 0.0, "relu", norm_first=False).eval()
    x = torch.randn(1, 3, 4)
    mask = torch.tensor([[True, True, False]])
    q, k, v = layer.qkv(x).view(1, 3, 3, 2, 2).permute(2, 0, 3, 1, 4)
    scores = q @ k.transpose(-1, -2) / math.sqrt(2)
    scores = scores.masked_fill(~mask[:, None, None, :], float("-inf"))
    att = (scores.softmax(-1) @ v).transpose(1, 2).reshape(1, 3, 4)
    h = layer.norm1(x + layer.out(att))
    expected = layer.norm2(h + layer.ff(h)) * mask[..., None]
    torch.testing.assert_close(layer(x, mask), expected)


def test_attention_dropout_is_its_own_rate():
    # In training mode, with every other dropout off, only attention_dropout
    # makes two passes differ; at 0 the layer is deterministic in training.
    x, mask = torch.randn(2, 6, 8), torch.ones(2, 6, dtype=torch.bool)
    layer = EncoderLayer(8, 2, 16, 0.0, "relu", True, attention_dropout=0.5).train()
    assert layer.attention_dropout == 0.5
    assert not torch.equal(layer(x, mask), layer(x, mask))
    layer.attention_dropout = 0.0
    torch.testing.assert_close(layer(x, mask), layer(x, mask), rtol=0, atol=0)
    # By default attention drops at the layer's rate, as torch's own layer does.
    assert EncoderLayer(8, 2, 16, 0.2, "relu", True).attention_dropout == 0.2
    net = TransformerModule(n_outputs=1, vocab_size=5, d_model=8, n_heads=2,
                            encoder_dropout=0.3, attention_dropout=0.0)  # fmt: skip
    assert [m.attention_dropout for m in net.layers] == [0.0, 0.0]
    assert [m.dropout for m in net.layers] == [0.3, 0.3]


@pytest.mark.parametrize(
    "kw, match",
    [
        (dict(d_model=6, n_heads=4), "multiple of n_heads"),
        (dict(positional_encoding="rotary"), "positional_encoding must be"),
        (dict(global_pooling="first"), "global_pooling must be"),
    ],
)
def test_bad_arguments(kw, match):
    with pytest.raises(ValueError, match=match):
        TransformerModule(n_outputs=1, vocab_size=5, **kw)


def test_stem_weights_saved_under_their_old_names_still_load():
    # Before the stem was a PatchStem its convolution was "project.*".
    torch.manual_seed(0)
    net = TransformerModule(n_outputs=1, vocab_size=6).eval()
    state = net.state_dict()
    old = {k.replace("stem.project.", "project."): v for k, v in state.items()}
    assert "project.weight" in old and "stem.project.weight" not in old
    torch.manual_seed(1)
    fresh = TransformerModule(n_outputs=1, vocab_size=6).eval()
    fresh.load_state_dict(old)
    x = torch.tensor([[2, 3, 4, 5, 2, 3, 0, 0]])
    torch.testing.assert_close(fresh(x), net(x))
