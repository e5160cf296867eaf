"""DenseModule alone: shapes, parameter counts, residual paths, penalties."""

import copy

import pytest
import torch
from torch import nn

from skdl.networks import ACTIVATIONS, DenseModule, make_activation, weight_penalty


def n_params(module):
    return sum(p.numel() for p in module.parameters())


def test_output_shape_and_parameter_count():
    net = DenseModule(n_features=4, n_outputs=3, hidden_layer_sizes=(8, 5))
    assert net(torch.zeros(7, 4)).shape == (7, 3)
    assert n_params(net) == (4 * 8 + 8) + (8 * 5 + 5) + (5 * 3 + 3)


def test_no_hidden_layers_is_linear():
    net = DenseModule(n_features=4, n_outputs=2, hidden_layer_sizes=())
    assert n_params(net) == 4 * 2 + 2
    x = torch.randn(3, 4)
    torch.testing.assert_close(net(x), net.output(x))


def test_residual_identity_and_projection():
    net = DenseModule(
        n_features=4, n_outputs=1, hidden_layer_sizes=(6, 6), residual=True
    )
    first, second = net.hidden
    assert isinstance(first.shortcut, nn.Linear) and first.shortcut.bias is None
    assert isinstance(second.shortcut, nn.Identity)
    x = torch.randn(5, 6)
    torch.testing.assert_close(second(x), second.body(x) + x)


def test_batch_norm_and_dropout_layers():
    net = DenseModule(
        n_features=3, n_outputs=1, hidden_layer_sizes=(4,), batch_norm=True, dropout=0.5
    )
    kinds = [type(m) for m in net.hidden[0].body]
    assert kinds == [nn.Linear, nn.BatchNorm1d, nn.ReLU, nn.Dropout]


def test_activity_penalty_only_in_training():
    net = DenseModule(
        n_features=3,
        n_outputs=1,
        hidden_layer_sizes=(4,),
        activation="identity",
        activity_l1=0.5,
        activity_l2=0.25,
    )
    x = torch.randn(10, 3)
    net.train()
    out, penalty = net(x)  # training with a penalty: (logits, penalty)
    h = net.hidden[0](x)
    expected = 0.5 * h.abs().sum(1).mean() + 0.25 * h.pow(2).sum(1).mean()
    torch.testing.assert_close(penalty, expected)
    assert out.shape == (10, 1)
    net.eval()
    assert net(x).shape == (10, 1)  # evaluation: the logits alone
    # Nothing of a forward pass is kept on the module (it deep-copies).
    assert not any(isinstance(v, torch.Tensor) for v in vars(net).values())
    copy.deepcopy(net)


def test_weight_penalty_covers_every_weight_matrix():
    net = nn.ModuleDict(
        {
            "linear": nn.Linear(2, 3),
            "norm": nn.BatchNorm1d(3),
            "conv": nn.Conv1d(1, 1, 2),
            "embedding": nn.Embedding(5, 2),
            "lstm": nn.LSTM(2, 1),
            "attention": nn.MultiheadAttention(2, 1),
        }
    )
    with torch.no_grad():
        for p in net.parameters():
            p.fill_(2.0)
    # Weight matrices and kernels: linear 6, conv 2, LSTM weight_ih 4x2=8 and
    # weight_hh 4x1=4, attention in_proj 6x2=12 and out_proj 2x2=4: 36 entries
    # of 2.0. Embedding tables are left alone.
    assert weight_penalty(net, l1=1.0).item() == pytest.approx(72.0)
    assert weight_penalty(net, l2=1.0).item() == pytest.approx(144.0)
    # With biases and norms: + linear 3, norm 3 + 3, conv 1, LSTM 4 + 4,
    # attention in_proj 6 and out_proj 2 = 26 entries more.
    assert weight_penalty(net, l1=1.0, include_bias=True).item() == pytest.approx(124.0)
    # Frozen parameters are not penalised.
    net["lstm"].requires_grad_(False)
    assert weight_penalty(net, l1=1.0).item() == pytest.approx(48.0)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activations_by_name(name):
    assert isinstance(make_activation(name), nn.Module)


def test_unknown_activation():
    with pytest.raises(ValueError, match="Unknown activation 'nope'"):
        make_activation("nope")


def test_activity_penalty_of_a_linear_model_is_zero():
    net = DenseModule(n_features=3, n_outputs=1, hidden_layer_sizes=(), activity_l1=1.0)
    out, penalty = net.train()(torch.randn(4, 3))
    assert out.shape == (4, 1) and penalty == 0
