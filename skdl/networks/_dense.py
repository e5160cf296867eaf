"""Fully connected networks."""

from numbers import Integral

from torch import nn

from ._activations import make_activation


def positive_ints(values, name):
    """Check that ``values`` is a sequence of positive integers."""
    values = list(values)
    if not all(
        isinstance(v, Integral) and not isinstance(v, bool) and v > 0 for v in values
    ):
        raise ValueError(f"{name} must be positive integers; got {tuple(values)!r}.")
    return [int(v) for v in values]


def per_layer(value, n_layers, name):
    """``value`` for each of ``n_layers`` layers: a scalar/str is repeated,
    a sequence must have one entry per layer."""
    if isinstance(value, str) or not hasattr(value, "__len__"):
        return [value] * n_layers
    values = list(value)
    if n_layers == 0:  # no layers, nothing to configure
        return []
    if len(values) != n_layers:
        raise ValueError(
            f"{name} has {len(values)} entries but there are {n_layers} layers; "
            "give one value per layer, or a single value for all of them."
        )
    return values


class DenseBlock(nn.Module):
    """Linear -> (BatchNorm) -> activation -> (Dropout), optionally residual.

    With ``residual=True`` the block returns ``shortcut(x) + f(x)``, where the
    shortcut is the identity when the widths match and a bias-free linear
    projection when they don't.
    """

    def __init__(self, n_in, n_out, *, activation, dropout, batch_norm, residual):
        super().__init__()
        layers = [nn.Linear(n_in, n_out)]
        if batch_norm:
            layers.append(nn.BatchNorm1d(n_out))
        layers.append(make_activation(activation))
        if dropout:
            layers.append(nn.Dropout(dropout))
        self.body = nn.Sequential(*layers)
        self.shortcut = None
        if residual:
            self.shortcut = (
                nn.Identity() if n_in == n_out else nn.Linear(n_in, n_out, bias=False)
            )

    def forward(self, x):
        out = self.body(x)
        if self.shortcut is not None:
            out = out + self.shortcut(x)
        return out


class DenseModule(nn.Module):
    """A multi-layer perceptron returning logits.

    Parameters
    ----------
    n_features : int
        Width of the input.
    n_outputs : int
        Width of the output (classes, labels or regression targets).
    hidden_layer_sizes : sequence of int, default=(100,)
        Width of each hidden layer; empty for a linear model.
    activation : str or sequence of str, default="relu"
        Name from ``skdl.networks.ACTIVATIONS``, or one name per hidden layer.
    dropout : float, default=0.0
        Dropout probability after each hidden activation.
    batch_norm : bool, default=False
        Batch normalisation between each hidden linear layer and activation.
    residual : bool, default=False
        Residual connections around each hidden block.
    activity_l1, activity_l2 : float, default=0.0
        Penalties on the hidden layers' outputs (Keras' convention: summed
        over units, averaged over the batch). While training with either set,
        ``forward`` returns ``(logits, penalty)``, and skdl's estimators add
        ``penalty`` to the loss; otherwise it returns the logits alone.

    Examples
    --------
    >>> import torch
    >>> from skdl.networks import DenseModule
    >>> net = DenseModule(n_features=4, n_outputs=3, hidden_layer_sizes=(8,))
    >>> net(torch.zeros(2, 4)).shape
    torch.Size([2, 3])
    """

    def __init__(
        self,
        n_features,
        n_outputs,
        hidden_layer_sizes=(100,),
        activation="relu",
        dropout=0.0,
        batch_norm=False,
        residual=False,
        activity_l1=0.0,
        activity_l2=0.0,
    ):
        super().__init__()
        positive_ints(hidden_layer_sizes, "hidden_layer_sizes")
        widths = [int(n_features), *map(int, hidden_layer_sizes)]
        activations = per_layer(activation, len(widths) - 1, "activation")
        self.hidden = nn.ModuleList(
            DenseBlock(
                n_in,
                n_out,
                activation=act,
                dropout=dropout,
                batch_norm=batch_norm,
                residual=residual,
            )
            for n_in, n_out, act in zip(
                widths[:-1], widths[1:], activations, strict=True
            )
        )
        self.output = nn.Linear(widths[-1], int(n_outputs))
        self.activity_l1 = activity_l1
        self.activity_l2 = activity_l2

    def forward(self, x):
        track = self.training and (self.activity_l1 or self.activity_l2)
        penalty = 0.0
        for block in self.hidden:
            x = block(x)
            if track and self.activity_l1:
                penalty = penalty + self.activity_l1 * x.float().abs().sum(1).mean()
            if track and self.activity_l2:
                penalty = penalty + self.activity_l2 * x.float().pow(2).sum(1).mean()
        out = self.output(x)
        return (out, penalty) if track else out
