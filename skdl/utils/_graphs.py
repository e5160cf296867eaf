"""Graphs as whole-data tensors, and batches cut from them without collating.

A hand-written PyG loop builds every batch with ``Batch.from_data_list``, a
Python loop over the batch's graphs. Here all graphs of a fit are
concatenated once (node features, edges with per-graph node indices, edge
features, and offsets of each graph's nodes and edges); a batch of any graph
indices is then a handful of vectorised gathers (see
:meth:`GraphDataset.__getitem__`). The batch the module gets is PyG's
layout: node rows of all graphs stacked, ``edge_index`` into those rows,
``batch`` the graph of each node.
"""

import numpy as np
import torch


class GraphBatch:
    """Graphs of one batch in PyG's layout, and their count.

    ``num_graphs`` is an int kept on the host (graphs without nodes exist,
    so it cannot be read from ``batch``); :meth:`inputs` are the module's
    keyword arguments.
    """

    def __init__(self, x, edge_index, edge_attr, batch, num_graphs):
        self.x = x
        self.edge_index = edge_index
        self.edge_attr = edge_attr
        self.batch = batch
        self.num_graphs = int(num_graphs)

    def __len__(self):
        return self.num_graphs

    def to(self, device):
        move = [t.to(device, non_blocking=True) for t in self._tensors()]
        return GraphBatch(*move, self.num_graphs)

    def _tensors(self):
        return self.x, self.edge_index, self.edge_attr, self.batch

    def padded(self, extra):
        """This batch with ``extra`` graphs of no nodes after its own."""
        return GraphBatch(*self._tensors(), self.num_graphs + extra)

    def inputs(self):
        return {
            "x": self.x,
            "edge_index": self.edge_index,
            "edge_attr": self.edge_attr,
            "batch": self.batch,
            "num_graphs": self.num_graphs,
        }


def _ranges(starts, counts):
    """``cat([arange(s, s + c) for s, c in zip(starts, counts)])``, vectorised."""
    total = int(counts.sum())
    offsets = torch.cumsum(counts, 0) - counts
    step = torch.arange(total, device=counts.device)
    return (starts - offsets).repeat_interleave(counts, output_size=total) + step


class GraphDataset(torch.utils.data.Dataset):
    """All graphs of a fit as concatenated tensors, with targets and weights.

    ``x`` (all nodes, node features), ``edge_index`` (2, all edges) holding
    node indices within each graph, ``edge_attr`` (all edges, edge features,
    possibly 0 wide), and ``node_ptr`` / ``edge_ptr`` (n_graphs + 1) the
    offsets of each graph's nodes and edges. Indexing with an int, slice or
    index tensor returns ``(GraphBatch, y[i], w[i])``.
    """

    lengths = None  # no length bucketing (see BaseNeuralNetwork._dataset)

    def __init__(self, x, edge_index, edge_attr, node_ptr, edge_ptr, y=None, w=None):
        self.x = x
        self.edge_index = edge_index
        self.edge_attr = edge_attr
        self.node_ptr = node_ptr
        self.edge_ptr = edge_ptr
        self.y = y
        self.sample_weight = w

    @classmethod
    def from_graphs(cls, graphs, y=None, w=None):
        """From validated ``(nodes, edge_index, edges)`` numpy triples."""
        n_nodes = np.array([len(g[0]) for g in graphs], dtype=np.int64)
        n_edges = np.array([g[1].shape[1] for g in graphs], dtype=np.int64)

        def cat(parts, width, dtype):
            if not parts:
                return np.zeros((0, width), dtype)
            return np.concatenate(parts).astype(dtype, copy=False)

        width = graphs[0][0].shape[1] if graphs else 0
        edge_width = graphs[0][2].shape[1] if graphs else 0
        x = cat([g[0] for g in graphs], width, np.float32)
        edge_attr = cat([g[2] for g in graphs], edge_width, np.float32)
        edge_index = (
            np.concatenate([g[1] for g in graphs], axis=1)
            if graphs
            else np.zeros((2, 0), np.int64)
        )
        ptr = [np.zeros(1, np.int64)]
        return cls(
            torch.from_numpy(x),
            torch.from_numpy(np.ascontiguousarray(edge_index, dtype=np.int64)),
            torch.from_numpy(edge_attr),
            torch.from_numpy(np.concatenate([*ptr, np.cumsum(n_nodes)])),
            torch.from_numpy(np.concatenate([*ptr, np.cumsum(n_edges)])),
            y,
            w,
        )

    def __len__(self):
        return len(self.node_ptr) - 1

    @property
    def device(self):
        return self.x.device

    def _index(self, index):
        if isinstance(index, slice):
            return torch.arange(len(self), device=self.device)[index]
        if isinstance(index, int | np.integer):
            return torch.tensor([int(index)], device=self.device)
        return torch.as_tensor(index, device=self.device).reshape(-1)

    def _gather(self, idx):
        """Nodes, edges (renumbered into the gathered nodes), edge features,
        each node's graph (0..len(idx)-1), and per-graph node/edge counts."""
        n_counts = self.node_ptr[idx + 1] - self.node_ptr[idx]
        e_counts = self.edge_ptr[idx + 1] - self.edge_ptr[idx]
        nodes = _ranges(self.node_ptr[idx], n_counts)
        edges = _ranges(self.edge_ptr[idx], e_counts)
        new_start = torch.cumsum(n_counts, 0) - n_counts
        shift = new_start.repeat_interleave(e_counts, output_size=len(edges))
        edge_index = self.edge_index[:, edges] + shift
        graph = torch.arange(len(idx), device=self.device)
        batch = graph.repeat_interleave(n_counts, output_size=len(nodes))
        return (
            self.x[nodes],
            edge_index,
            self.edge_attr[edges],
            batch,
            n_counts,
            e_counts,
        )

    def __getitem__(self, index):
        idx = self._index(index)
        x, edge_index, edge_attr, batch, _, _ = self._gather(idx)
        return (
            GraphBatch(x, edge_index, edge_attr, batch, len(idx)),
            None if self.y is None else self.y[idx],
            None if self.sample_weight is None else self.sample_weight[idx],
        )

    def subset(self, indices):
        idx = self._index(indices)
        x, edge_index, edge_attr, batch, n_counts, e_counts = self._gather(idx)
        # Back to per-graph node indices.
        starts = torch.cumsum(n_counts, 0) - n_counts
        edge_index = edge_index - starts.repeat_interleave(e_counts)
        zero = torch.zeros(1, dtype=torch.int64, device=self.device)
        return GraphDataset(
            x,
            edge_index,
            edge_attr,
            torch.cat([zero, torch.cumsum(n_counts, 0)]),
            torch.cat([zero, torch.cumsum(e_counts, 0)]),
            None if self.y is None else self.y[idx],
            None if self.sample_weight is None else self.sample_weight[idx],
        )

    def to(self, device):
        """Move all tensors to ``device`` (once, before training)."""
        parts = (
            self.x,
            self.edge_index,
            self.edge_attr,
            self.node_ptr,
            self.edge_ptr,
            self.y,
            self.sample_weight,
        )
        return GraphDataset(*(None if t is None else t.to(device) for t in parts))


def _graph_error(name, i, what):
    return ValueError(f"{name}: graph X[{i}] {what}")


def check_graphs(X, name):
    """Validate graphs given as ``(node_features, edge_index[, edge_features])``.

    Returns a list of ``(float32 nodes, int64 edge_index, float32 edges)``
    triples (edges 0 wide where none were given), or raises a ValueError /
    TypeError naming ``name`` and the first bad graph.
    """
    if isinstance(X, tuple) and len(X) in (2, 3) and np.ndim(X[0]) == 2:
        raise TypeError(
            f"{name} takes a list of graphs; X looks like a single graph "
            "(node_features, edge_index, ...). Wrap it in a list."
        )
    if isinstance(X, np.ndarray) and X.ndim == 2 and X.dtype.kind in "biuf":
        raise TypeError(
            f"{name} takes SMILES strings or a list of graphs "
            "(node_features, edge_index[, edge_features]), not a 2-D numeric "
            f"array of shape {X.shape}. For fingerprints or descriptors use "
            "DenseClassifier / DenseRegressor."
        )
    graphs = list(X)
    out = []
    for i, g in enumerate(graphs):
        if not isinstance(g, tuple | list) or len(g) not in (2, 3):
            raise TypeError(
                f"{name}: X[{i}] is a {type(g).__name__}; a graph is a tuple "
                "(node_features, edge_index) or (node_features, edge_index, "
                "edge_features)."
            )
        try:
            nodes = np.asarray(g[0], dtype=np.float64)
            edge_index = np.asarray(g[1])
            edges = None if len(g) == 2 else np.asarray(g[2], dtype=np.float64)
        except (TypeError, ValueError) as exc:
            raise _graph_error(
                name, i, f"holds values that are not numbers: {exc}"
            ) from None
        if nodes.ndim != 2:
            raise _graph_error(
                name,
                i,
                f"has node_features of shape {nodes.shape}; expected "
                "(n_nodes, n_node_features).",
            )
        n = len(nodes)
        if edge_index.size == 0:
            edge_index = np.zeros((2, 0), np.int64)
        if edge_index.ndim != 2 or edge_index.shape[0] != 2:
            raise _graph_error(
                name,
                i,
                f"has edge_index of shape {edge_index.shape}; expected "
                "(2, n_edges): row 0 the source nodes, row 1 the targets.",
            )
        if not np.issubdtype(edge_index.dtype, np.integer):
            if not np.all(np.mod(edge_index, 1) == 0):
                raise _graph_error(name, i, "has edge_index values that are not ints.")
        edge_index = edge_index.astype(np.int64)
        if edge_index.size and (edge_index.min() < 0 or edge_index.max() >= n):
            raise _graph_error(
                name,
                i,
                f"has edges to node {int(edge_index.max())} (or below 0), "
                f"but only {n} nodes (0..{n - 1}).",
            )
        n_edges = edge_index.shape[1]
        if edges is None:
            edges = np.zeros((n_edges, 0))
        if edges.ndim == 1 and n_edges == 0:
            edges = edges.reshape(0, -1 if edges.size else 0)
        if edges.ndim != 2 or len(edges) != n_edges:
            raise _graph_error(
                name,
                i,
                f"has edge_features of shape {edges.shape} for {n_edges} "
                "edges; expected (n_edges, n_edge_features).",
            )
        for part, what in ((nodes, "node_features"), (edges, "edge_features")):
            if not np.isfinite(part).all():
                raise _graph_error(name, i, f"has NaN or infinite {what}.")
        out.append([nodes, edge_index, edges])
    # Widths come from the graphs that have nodes (edges); an empty graph
    # carries none of its own and takes them.
    node_width = _width(name, out, 0)
    edge_width = _width(name, out, 2)
    for g in out:
        if len(g[0]) == 0:
            g[0] = np.zeros((0, node_width))
        if len(g[2]) == 0:
            g[2] = np.zeros((0, edge_width))
    return [(g[0].astype(np.float32), g[1], g[2].astype(np.float32)) for g in out]


def _width(name, graphs, part):
    """The one width of ``part`` (0: nodes, 2: edges) over non-empty parts."""
    what = "node" if part == 0 else "edge"
    width = None
    for i, g in enumerate(graphs):
        if len(g[part]) == 0:
            continue
        if width is None:
            width, first = g[part].shape[1], i
        elif g[part].shape[1] != width:
            raise _graph_error(
                name,
                i,
                f"has {g[part].shape[1]} {what} features, but X[{first}] "
                f"has {width}; every graph needs the same features.",
            )
    if width is None:  # no graph has any: the width given, if any
        width = graphs[0][part].shape[1] if graphs else 0
    return width
