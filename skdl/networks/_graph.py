"""Message-passing networks over graphs (molecules), built from PyG's layers.

torch-geometric is imported when a network is built, so that ``skdl`` and
its other networks import without it.
"""

import torch
from torch import nn

from .._optional import import_optional
from ._dense import DenseModule

CONVS = ("gine", "gat", "gcn", "dmpnn")
GRAPH_READOUTS = ("sum", "mean", "max", "attention")


def _pyg(name="torch_geometric.nn"):
    return import_optional(name, "skdl's graph networks")


def reverse_edges(edge_index, num_nodes):
    """For each directed edge ``u -> v`` the position of ``v -> u``, or -1.

    Found by sorting edge keys, so any edge order works; skdl's molecular
    graphs store the two directions of a bond next to each other.
    """
    src, dst = edge_index
    key = src * num_nodes + dst
    order = torch.argsort(key)
    sorted_key = key[order]
    want = dst * num_nodes + src
    pos = torch.searchsorted(sorted_key, want).clamp_max(max(len(key) - 1, 0))
    if len(key) == 0:
        return pos
    found = sorted_key[pos] == want
    return torch.where(found, order[pos], torch.full_like(pos, -1))


class DMPNNEncoder(nn.Module):
    """Directed message passing (chemprop's D-MPNN, Yang et al. 2019).

    Hidden states live on directed edges. ``h0(u->v) = act(W_i [x_u, e_uv])``;
    each of ``depth`` steps sums the states entering ``u`` except the one
    from ``v`` (the reverse edge), ``h(u->v) = act(h0 + W_h m(u->v))``, with
    ``W_h`` shared across steps as in chemprop. Atoms then read the states
    entering them: ``h_v = act(W_o [x_v, sum h(k->v)])``.

    Examples
    --------
    >>> import torch
    >>> from skdl.networks import DMPNNEncoder
    >>> enc = DMPNNEncoder(4, 2, hidden_size=8, depth=3, dropout=0.0)
    >>> edge_index = torch.tensor([[0, 1, 1, 2], [1, 0, 2, 1]])  # a 3-atom chain
    >>> enc(torch.randn(3, 4), edge_index, torch.randn(4, 2)).shape
    torch.Size([3, 8])
    """

    def __init__(self, n_node_features, n_edge_features, hidden_size, depth, dropout):
        super().__init__()
        self.depth = int(depth)
        self.w_i = nn.Linear(n_node_features + n_edge_features, hidden_size, bias=False)
        self.w_h = nn.Linear(hidden_size, hidden_size, bias=False)
        self.w_o = nn.Linear(n_node_features + hidden_size, hidden_size)
        self.act = nn.ReLU()
        self.dropout = nn.Dropout(dropout)

    def forward(self, x, edge_index, edge_attr):
        src, dst = edge_index
        n = len(x)
        rev = reverse_edges(edge_index, n)
        h0 = self.act(self.w_i(torch.cat([x[src], edge_attr.to(x.dtype)], 1)))
        h = h0
        has_rev = (rev >= 0).unsqueeze(1)
        for _ in range(self.depth - 1):
            incoming = h.new_zeros((n, h.shape[1])).index_add_(0, dst, h)
            m = incoming[src] - torch.where(has_rev, h[rev.clamp_min(0)], 0.0)
            h = self.dropout(self.act(h0 + self.w_h(m)))
        incoming = h.new_zeros((n, h.shape[1])).index_add_(0, dst, h)
        return self.dropout(self.act(self.w_o(torch.cat([x, incoming], 1))))


class _ConvLayer(nn.Module):
    """One PyG convolution, then (batch norm), activation, (dropout), with an
    optional residual connection around it."""

    def __init__(self, conv, hidden_size, uses_edges, batch_norm, dropout, residual):
        super().__init__()
        self.conv = conv
        self.uses_edges = uses_edges
        self.norm = nn.BatchNorm1d(hidden_size) if batch_norm else None
        self.act = nn.ReLU()
        self.dropout = nn.Dropout(dropout)
        self.residual = residual

    def forward(self, h, edge_index, edge_attr):
        if self.uses_edges:
            out = self.conv(h, edge_index, edge_attr)
        else:
            out = self.conv(h, edge_index)
        # Batch statistics need two nodes; a single node is normalised only
        # in evaluation (running statistics).
        if self.norm is not None and (len(out) > 1 or not self.training):
            out = self.norm(out)
        out = self.dropout(self.act(out))
        return h + out if self.residual else out


class GraphModule(nn.Module):
    """A message-passing network on graphs, returning logits per graph.

    Node features are embedded to ``hidden_size`` (except by D-MPNN, which
    starts from edges), passed through ``n_layers`` message-passing layers,
    pooled per graph (``readout``) and fed to a dense head.

    Parameters
    ----------
    n_node_features, n_edge_features : int
        Widths of the node and edge features (``n_edge_features`` may be 0).
    n_outputs : int
        Width of the output.
    conv : {"gine", "gat", "gcn", "dmpnn"}, default="dmpnn"
        The message passing. "gine": GIN with edge features (PyG's
        ``GINEConv``; plain ``GINConv`` without edge features). "gat":
        attention over neighbours with edge features (``GATv2Conv``, heads
        averaged). "gcn": ``GCNConv`` (edge features unused). "dmpnn":
        chemprop's directed-edge MPNN (:class:`DMPNNEncoder`).
    hidden_size : int, default=300
        Width of the node (or edge) states.
    n_layers : int, default=3
        Message-passing steps (D-MPNN's depth).
    heads : int, default=4
        Attention heads of "gat".
    residual : bool, default=True
        Residual connections around each layer (not "dmpnn", whose steps
        add the initial state already).
    batch_norm : bool, default=False
        Batch normalisation of the node states in each layer (not "dmpnn").
    conv_dropout : float, default=0.0
        Dropout of the node (edge) states after each layer.
    readout : {"sum", "mean", "max", "attention"}, default="sum"
        Pooling of node states per graph; "attention" is a learned softmax
        weighting of the nodes (PyG's ``AttentionalAggregation``). A graph
        without nodes pools to zeros.
    hidden_layer_sizes, dense_activation, dropout
        The dense head, as in :class:`DenseModule`.

    Examples
    --------
    >>> import torch
    >>> from skdl.networks import GraphModule
    >>> net = GraphModule(n_node_features=4, n_edge_features=2, n_outputs=1)
    >>> x, edge_index = torch.randn(3, 4), torch.tensor([[0, 1, 1, 2], [1, 0, 2, 1]])
    >>> net(x, edge_index, torch.randn(4, 2), torch.zeros(3, dtype=torch.long),
    ...     num_graphs=1).shape
    torch.Size([1, 1])
    """

    def __init__(
        self,
        n_node_features,
        n_edge_features,
        n_outputs,
        conv="dmpnn",
        hidden_size=300,
        n_layers=3,
        heads=4,
        residual=True,
        batch_norm=False,
        conv_dropout=0.0,
        readout="sum",
        hidden_layer_sizes=(300,),
        dense_activation="relu",
        dropout=0.0,
    ):
        super().__init__()
        if conv not in CONVS:
            raise ValueError(f"conv must be one of {CONVS}, got {conv!r}.")
        if readout not in GRAPH_READOUTS:
            raise ValueError(
                f"readout must be one of {GRAPH_READOUTS}, got {readout!r}."
            )
        pyg = _pyg()
        h = int(hidden_size)
        n_edge_features = int(n_edge_features)
        self.conv = conv
        self.encoder = None
        self.layers = nn.ModuleList()
        if conv == "dmpnn":
            self.encoder = DMPNNEncoder(
                n_node_features, n_edge_features, h, n_layers, conv_dropout
            )
        else:
            self.embed = nn.Linear(n_node_features, h)
            for _ in range(int(n_layers)):
                layer, uses_edges = self._conv(pyg, conv, h, n_edge_features, heads)
                self.layers.append(
                    _ConvLayer(layer, h, uses_edges, batch_norm, conv_dropout, residual)
                )
        self.readout = readout
        self.attention = None
        if readout == "attention":
            gate = nn.Sequential(nn.Linear(h, h), nn.ReLU(), nn.Linear(h, 1))
            self.attention = pyg.aggr.AttentionalAggregation(gate)
        self.head = DenseModule(
            n_features=h,
            n_outputs=n_outputs,
            hidden_layer_sizes=hidden_layer_sizes,
            activation=dense_activation,
            dropout=dropout,
        )

    @staticmethod
    def _conv(pyg, conv, h, n_edge_features, heads):
        edges = n_edge_features > 0
        if conv == "gine":
            mlp = nn.Sequential(nn.Linear(h, h), nn.ReLU(), nn.Linear(h, h))
            if edges:
                return pyg.GINEConv(mlp, edge_dim=n_edge_features), True
            return pyg.GINConv(mlp), False
        if conv == "gat":
            layer = pyg.GATv2Conv(
                h,
                h,
                heads=int(heads),
                concat=False,
                edge_dim=n_edge_features if edges else None,
            )
            return layer, edges
        return pyg.GCNConv(h, h), False

    def _pool(self, h, batch, num_graphs):
        if self.attention is not None:
            return self.attention(h, batch, dim_size=num_graphs)
        out = h.new_zeros((num_graphs, h.shape[1]))
        if self.readout == "max":
            index = batch.unsqueeze(1).expand_as(h)
            out = out.scatter_reduce(0, index, h, "amax", include_self=False)
            return out
        out = out.index_add(0, batch, h)
        if self.readout == "mean":
            count = torch.bincount(batch, minlength=num_graphs).clamp_min(1)
            out = out / count.unsqueeze(1).to(out.dtype)
        return out

    def forward(self, x, edge_index, edge_attr=None, batch=None, num_graphs=None):
        if batch is None:
            batch = x.new_zeros(len(x), dtype=torch.long)
        if num_graphs is None:
            num_graphs = int(batch.max()) + 1 if len(batch) else 0
        if edge_attr is None:
            edge_attr = x.new_zeros((edge_index.shape[1], 0))
        x = x.float()
        if self.encoder is not None:
            h = self.encoder(x, edge_index, edge_attr)
        else:
            h = self.embed(x)
            for layer in self.layers:
                h = layer(h, edge_index, edge_attr)
        return self.head(self._pool(h, batch, num_graphs))
