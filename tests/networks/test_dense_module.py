"""DenseModule alone: shapes, parameter counts, residual paths, penalties."""

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
    net(x)
    h = net.hidden[0](x)
    expected = 0.5 * h.abs().sum(1).mean() + 0.25 * h.pow(2).sum(1).mean()
    torch.testing.assert_close(net.penalty, expected)
    net.eval()
    net(x)
    assert net.penalty is None


def test_weight_penalty_on_kernels_only():
    net = nn.Sequential(
        nn.Linear(2, 3), nn.BatchNorm1d(3), nn.Conv1d(1, 1, 2), nn.Embedding(5, 2)
    )
    with torch.no_grad():
        for p in net.parameters():
            p.fill_(2.0)
    # kernels: linear 2*3=6 weights, conv 1*1*2=2 weights -> 8 entries of 2.0
    assert weight_penalty(net, l1=1.0).item() == pytest.approx(16.0)
    assert weight_penalty(net, l2=1.0).item() == pytest.approx(32.0)
    # with biases: +3 (linear) +1 (conv)
    assert weight_penalty(net, l1=1.0, include_bias=True).item() == pytest.approx(24.0)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activations_by_name(name):
    assert isinstance(make_activation(name), nn.Module)


def test_unknown_activation():
    with pytest.raises(ValueError, match="Unknown activation 'nope'"):
        make_activation("nope")
