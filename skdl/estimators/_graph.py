"""Message-passing networks on molecules and other graphs as sklearn estimators.

X is SMILES strings or graphs. Strings are featurized inside ``fit`` and
``predict`` (by :class:`~skdl.preprocessing.MolecularGraphFeaturizer` with
its defaults) rather than by a required Pipeline step, so that
``cross_val_score(GraphRegressor(), smiles, y)``, searches and pickling need
no glue and the features can never drift apart from the network built for
them. The featurizer stays public for Pipelines that cache it or that set
``on_invalid``, and for generic graphs the estimator takes the same tuples
the featurizer returns.
"""

from numbers import Integral, Real

import numpy as np
import torch

from ..networks import GraphModule
from ..networks._graph import CONVS, GRAPH_READOUTS
from ..preprocessing._molecules import check_smiles_input, smiles_to_graphs
from ..utils._compat import Interval, StrOptions
from ..utils._docstring import document, module_parameters
from ..utils._graphs import GraphBatch, GraphDataset, check_graphs
from ._base import (
    NO_Y,
    BaseNeuralNetwork,
    NeuralClassifierMixin,
    NeuralRegressorMixin,
    training_space,
)
from ._sequence import HEAD_CONSTRAINTS, HEAD_DOC, HEAD_PER_LAYER


def graph_space(trial):
    """Learning rate, batch size, weight decay, message passing (kind,
    width, depth, readout), dense width, dropouts."""
    return {
        **training_space(trial, lr=(1e-4, 1e-2), batch_sizes=(16, 32, 64)),
        "conv": trial.suggest_categorical("conv", ["dmpnn", "gine"]),
        "hidden_size": trial.suggest_int("hidden_size", 64, 512, log=True),
        "n_layers": trial.suggest_int("n_layers", 2, 6),
        "readout": trial.suggest_categorical("readout", ["sum", "mean", "attention"]),
        "hidden_layer_sizes": (trial.suggest_int("dense_width", 64, 512, log=True),),
        "conv_dropout": trial.suggest_float("conv_dropout", 0.0, 0.3),
        "dropout": trial.suggest_float("dropout", 0.0, 0.3),
    }


def _is_smiles(X):
    """Whether X holds strings (SMILES) rather than graph tuples."""
    if isinstance(X, str):
        return True
    if hasattr(X, "iloc") or isinstance(X, np.ndarray):  # pandas, numpy
        values = np.asarray(X, dtype=object).reshape(-1)
        return values.size > 0 and isinstance(values[0], str)
    return isinstance(next(iter(X), None), str)


class _GraphInput:
    """Input hooks for graphs: SMILES strings, or (nodes, edges[, features])."""

    _input_kind = "graph"

    def _validate_input(self, X, y=NO_Y, *, reset):
        name = type(self).__name__
        if _is_smiles(X):
            graphs = check_graphs(
                smiles_to_graphs(check_smiles_input(X, name), name), name
            )
        else:
            graphs = check_graphs(X, name)
        if not graphs:
            raise ValueError(
                f"Found array with 0 sample(s) while a minimum of 1 is required by "
                f"{name}."
            )
        y = self._check_y_for(y, len(graphs), "graphs")
        nodes, edges = graphs[0][0].shape[1], graphs[0][2].shape[1]
        if reset:
            self.n_node_features_, self.n_edge_features_ = nodes, edges
        elif (nodes, edges) != (self.n_node_features_, self.n_edge_features_):
            raise ValueError(
                f"X has graphs with {nodes} node and {edges} edge features, but "
                f"{name} was fitted with {self.n_node_features_} and "
                f"{self.n_edge_features_}. Featurize X as in fit."
            )
        return graphs, (None if y is NO_Y else y)

    def _data_sizes(self, X):
        return {
            "n_node_features": self.n_node_features_,
            "n_edge_features": self.n_edge_features_,
        }

    def _dataset(self, X, y=None, w=None):
        return GraphDataset.from_graphs(X, y, w)

    def _summary_input(self):
        # A ring of 6 nodes, zero features: shapes only.
        ring = torch.arange(6)
        edge_index = torch.stack(
            [torch.cat([ring, (ring + 1) % 6]), torch.cat([(ring + 1) % 6, ring])]
        )
        batch = GraphBatch(
            torch.zeros(6, self.n_node_features_),
            edge_index,
            torch.zeros(12, self.n_edge_features_),
            torch.zeros(6, dtype=torch.long),
            1,
        )
        return batch, "a graph of 6 nodes and 12 directed edges"

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # Graphs and strings, never a 2-D table: scikit-learn's checks, which
        # feed tables, skip these estimators; skdl's checks feed them graphs.
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        return tags


class _GraphFamily(_GraphInput, BaseNeuralNetwork):
    """Message-passing networks on graphs: module, constraints, search space."""

    _module_class = GraphModule
    _search_space = staticmethod(graph_space)
    _per_layer = HEAD_PER_LAYER
    _min_epochs = 30
    _parameter_constraints = {
        **BaseNeuralNetwork._parameter_constraints,
        **HEAD_CONSTRAINTS,
        "conv": [StrOptions(set(CONVS))],
        "hidden_size": [Interval(Integral, 1, None, closed="left")],
        "n_layers": [Interval(Integral, 1, None, closed="left")],
        "heads": [Interval(Integral, 1, None, closed="left")],
        "residual": ["boolean"],
        "batch_norm": ["boolean"],
        "conv_dropout": [Interval(Real, 0, 1, closed="left")],
        "readout": [StrOptions(set(GRAPH_READOUTS))],
    }


_INPUT_DOC = """
    X can be

    - SMILES strings (a list, 1-D array or pandas Series), featurized in
      ``fit`` and ``predict`` by
      :class:`~skdl.preprocessing.MolecularGraphFeaturizer` (atoms as
      nodes, bonds as pairs of directed edges, chemprop-style atom and bond
      features; needs RDKit, ``pip install "skdl[chem]"``). A string RDKit
      cannot parse raises a ValueError naming its index;
    - a list of graphs, each a tuple ``(node_features, edge_index)`` or
      ``(node_features, edge_index, edge_features)``: float arrays
      ``(n_nodes, n_node_features)`` and ``(n_edges, n_edge_features)``, and
      an int array ``(2, n_edges)`` of source and target nodes (0-based, one
      column per directed edge; give both directions for undirected graphs).
      Every graph needs the same feature widths; graphs without nodes are
      allowed (they pool to zeros).

    The graphs of a fit are concatenated once into whole-data tensors, and
    each batch is gathered from them with a few vectorised index
    operations (no per-graph collation). Message passing uses
    torch-geometric's layers (``pip install "skdl[graph]"``).
""".strip("\n").lstrip()

_ARCHITECTURE_DOC = (
    """
    conv : {"dmpnn", "gine", "gat", "gcn"}, default={default}
        The message passing. "dmpnn": chemprop's directed-edge MPNN (states
        on directed bonds, messages that skip the reverse bond, weights
        shared across steps). "gine": GIN with edge features (PyG's
        ``GINEConv``; ``GINConv`` for graphs without edge features). "gat":
        attention over neighbours with edge features (``GATv2Conv``). "gcn":
        ``GCNConv``, which ignores edge features.

    hidden_size : int, default={default}
        Width of the node (for "dmpnn": directed edge) states.

    n_layers : int, default={default}
        Message-passing steps.

    heads : int, default={default}
        Attention heads of ``conv="gat"`` (averaged).

    residual : bool, default={default}
        Residual connections around each message-passing layer (not used by
        "dmpnn", whose steps add the initial state already).

    batch_norm : bool, default={default}
        Batch normalisation of the node states in each layer (not "dmpnn").

    conv_dropout : float, default={default}
        Dropout of the states after each message-passing layer.

    readout : {"sum", "mean", "max", "attention"}, default={default}
        Pooling of the node states of each graph into one vector: the sum
        (size-extensive, as most molecular properties), the mean, the
        maximum, or learned attention weights over the nodes.

    """
    + HEAD_DOC
)

_ATTRIBUTES_DOC = """
    n_node_features_ : int
        Width of the node features seen in fit.

    n_edge_features_ : int
        Width of the edge features seen in fit (0 for graphs without them).
""".strip("\n").lstrip()

_GRAPH_DOCS = dict(
    input=_INPUT_DOC,
    architecture=_ARCHITECTURE_DOC,
    module=module_parameters(
        sizes="``n_node_features`` and ``n_edge_features``",
        call=(
            "``forward(x, edge_index, edge_attr, batch, num_graphs)`` with the "
            "batch's graphs in torch-geometric's layout (node rows of all "
            "graphs stacked, ``batch`` the graph of each node, ``num_graphs`` "
            "an int, since graphs may have no nodes)"
        ),
    ),
    attributes=_ATTRIBUTES_DOC,
)


@document(**_GRAPH_DOCS)
class GraphClassifier(NeuralClassifierMixin, _GraphFamily):
    """Message-passing neural network classifier for molecules and graphs.

    SMILES strings (or graphs) in; a message-passing network (chemprop's
    D-MPNN by default, or GIN, GAT, GCN layers from torch-geometric), a
    readout per graph and a dense head, trained through skorch with skdl's
    default recipe. Binary, multiclass and multilabel targets.

    See Also
    --------
    GraphRegressor : The same network for regression.
    skdl.preprocessing.MolecularGraphFeaturizer : SMILES to graphs.
    SequenceCNNClassifier : A convolutional network on SMILES as text.

    Examples
    --------
    >>> from skdl import GraphClassifier
    >>> X = ["CCO", "CCN", "CCCO", "CCCN", "OCCO", "NCCN"] * 5
    >>> y = ["alcohol", "amine"] * 15
    >>> clf = GraphClassifier(hidden_size=32, max_epochs=10, random_state=0)
    >>> clf.fit(X, y).predict(["CCCCO", "CCCCN"]).tolist()
    ['alcohol', 'amine']
    """

    _parameter_constraints = {
        **_GraphFamily._parameter_constraints,
        "class_weight": [dict, StrOptions({"balanced"}), None],
    }

    def __init__(
        self,
        *,
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
        class_weight=None,
        l1=0.0,
        l2=0.0,
        regularize_bias=False,
        max_epochs="auto",
        batch_size="auto",
        lr=1e-3,
        lr_schedule="onecycle",
        optimizer="adam",
        optimizer_params=None,
        weight_decay=0.0,
        early_stopping=False,
        validation_fraction=0.1,
        n_iter_no_change=10,
        callbacks=None,
        device="cpu",
        precision="float32",
        n_threads=1,
        random_state=None,
        verbose=0,
        warm_start=False,
        module=None,
        module_params=None,
    ):
        self._store_params(locals())


@document(**_GRAPH_DOCS)
class GraphRegressor(NeuralRegressorMixin, _GraphFamily):
    """Message-passing neural network regressor for molecules and graphs.

    The network of :class:`GraphClassifier` with a regression output (one
    or several targets); predictions have the shape of the ``y`` seen in
    fit.

    See Also
    --------
    GraphClassifier : The same network for classification.
    skdl.preprocessing.MolecularGraphFeaturizer : SMILES to graphs.
    SequenceCNNRegressor : A convolutional network on SMILES as text.

    Notes
    -----
    The targets are standardised for training (``normalize_y=True``) and
    predictions come back in y's units, so targets of any scale work.

    Examples
    --------
    >>> from skdl import GraphRegressor
    >>> X = ["C", "CC", "CCC", "CCCC", "CCCCC", "CCCCCC"] * 5
    >>> y = [len(s) * 10.0 for s in X]        # carbons, in units of 10
    >>> reg = GraphRegressor(hidden_size=32, lr=1e-2, max_epochs=20, random_state=0)
    >>> reg.fit(X, y).score(X, y) > 0.9
    True
    """

    _parameter_constraints = {
        **_GraphFamily._parameter_constraints,
        **NeuralRegressorMixin._regressor_constraints,
    }

    def __init__(
        self,
        *,
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
        loss="squared_error",
        normalize_y=True,
        l1=0.0,
        l2=0.0,
        regularize_bias=False,
        max_epochs="auto",
        batch_size="auto",
        lr=1e-3,
        lr_schedule="onecycle",
        optimizer="adam",
        optimizer_params=None,
        weight_decay=0.0,
        early_stopping=False,
        validation_fraction=0.1,
        n_iter_no_change=10,
        callbacks=None,
        device="cpu",
        precision="float32",
        n_threads=1,
        random_state=None,
        verbose=0,
        warm_start=False,
        module=None,
        module_params=None,
    ):
        self._store_params(locals())
