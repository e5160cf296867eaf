"""GraphClassifier / GraphRegressor: SMILES and generic graphs in, the data
path against PyG's own batching, errors, RDKit's logging, optional imports.

The contract checks (pickle in a fresh process, seeds, partial_fit, custom
module, sample weights, ...) run in tests/test_common.py.
"""

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest
import torch
from sklearn.base import clone
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline

from skdl import GraphClassifier, GraphRegressor
from skdl.networks import GraphModule
from skdl.networks._graph import reverse_edges
from skdl.preprocessing import MolecularGraphFeaturizer
from skdl.utils._graphs import GraphDataset, check_graphs

from conftest import SMALL_GRAPH, TINY_GRAPH

pytest.importorskip("rdkit")
torch_geometric = pytest.importorskip("torch_geometric")

SMILES = np.array(
    ["CCO", "c1ccccc1", "CC(=O)N", "C", "CCN(CC)CC", "O=C(O)c1ccccc1", "C#N", "CCCl"]
)


def _chains(n=80, seed=0):
    """Chains of C/N/O; the target counts N minus twice O."""
    rng = np.random.RandomState(seed)
    X = np.array(
        ["".join(rng.choice(list("CCCNO"), rng.randint(3, 9))) for _ in range(n)]
    )
    y = np.array([s.count("N") - 2.0 * s.count("O") for s in X])
    return X, y


# --------------------------------------------------------------- data path
def test_batches_equal_pyg_batching():
    """A batch gathered from the whole-data tensors is what PyG's
    Batch.from_data_list makes of the same graphs, in any order."""
    from torch_geometric.data import Batch, Data

    graphs = check_graphs(MolecularGraphFeaturizer().fit_transform(SMILES), "test")
    ds = GraphDataset.from_graphs(graphs)
    pick = [5, 0, 3, 7, 1]
    ours = ds[torch.tensor(pick)][0]
    theirs = Batch.from_data_list(
        [
            Data(
                x=torch.from_numpy(graphs[i][0]),
                edge_index=torch.from_numpy(graphs[i][1]),
                edge_attr=torch.from_numpy(graphs[i][2]),
            )
            for i in pick
        ]
    )
    for name in ("x", "edge_index", "edge_attr", "batch"):
        assert torch.equal(getattr(ours, name), getattr(theirs, name)), name
    assert ours.num_graphs == theirs.num_graphs == 5
    # A subset keeps graphs whole: its batches are the parent's.
    sub = ds.subset([3, 7, 1])
    assert torch.equal(
        sub[0:3][0].edge_index, ds[torch.tensor([3, 7, 1])][0].edge_index
    )


def test_reverse_edges_finds_the_opposite_direction():
    edge_index = torch.tensor([[0, 1, 1, 2, 2], [1, 0, 2, 1, 0]])
    rev = reverse_edges(edge_index, 3)
    assert rev.tolist() == [1, 0, 3, 2, -1]  # 2 -> 0 has no 0 -> 2
    assert reverse_edges(torch.zeros((2, 0), dtype=torch.long), 0).numel() == 0


@pytest.mark.parametrize("conv", ["dmpnn", "gine", "gat", "gcn"])
@pytest.mark.parametrize("readout", ["sum", "mean", "max", "attention"])
def test_every_layer_and_readout_is_batch_independent(conv, readout):
    """Each graph's output is the same alone, in a batch, and with graphs
    without nodes padded after it (as prediction pads its last batch)."""
    graphs = check_graphs(MolecularGraphFeaturizer().fit_transform(SMILES), "test")
    ds = GraphDataset.from_graphs(graphs)
    torch.manual_seed(0)
    net = GraphModule(72, 14, 2, conv=conv, readout=readout, batch_norm=True).eval()
    batch = ds[0 : len(ds)][0]
    together = net(**batch.inputs())
    padded = net(**batch.padded(3).inputs())
    assert padded.shape == (len(ds) + 3, 2)
    torch.testing.assert_close(padded[: len(ds)], together)
    for i in range(len(ds)):
        torch.testing.assert_close(net(**ds[i][0].inputs())[0], together[i])


# ------------------------------------------------------------- estimators
def test_smiles_pipeline_cross_validates_and_learns():
    X, y = _chains()
    reg = GraphRegressor(**SMALL_GRAPH, lr=1e-2, max_epochs=30, random_state=0)
    scores = cross_val_score(reg, X, y, cv=3)
    assert scores.mean() > 0.8, scores
    # In a Pipeline after the featurizer: the same graphs, the same network.
    pipe = make_pipeline(MolecularGraphFeaturizer(), clone(reg))
    direct = clone(reg).fit(X, y)
    np.testing.assert_array_equal(pipe.fit(X, y).predict(X), direct.predict(X))


def test_generic_graphs_without_edge_features():
    """Graphs from another domain: is it a star or a path (4..7 nodes, a
    constant node feature)? Only the structure tells, through the degrees
    that message passing sees."""
    rng = np.random.RandomState(0)
    graphs, y = [], []
    for _ in range(60):
        n = rng.randint(4, 8)
        star = rng.rand() < 0.5
        pairs = (
            [(0, k) for k in range(1, n)]
            if star
            else [(k, k + 1) for k in range(n - 1)]
        )
        edges = [p for a, b in pairs for p in ((a, b), (b, a))]
        edge_index = np.array(edges, dtype=np.int64).T.reshape(2, -1)
        graphs.append((np.ones((n, 1)), edge_index))
        y.append(float(star))
    y = np.array(y)
    # GIN (here GINConv: no edge features) and D-MPNN; GCN's normalised mean
    # blurs degrees (0.8 here) and is only checked to run, below.
    for conv in ("gine", "dmpnn"):
        clf = GraphClassifier(
            conv=conv, **SMALL_GRAPH, lr=1e-2, max_epochs=40, random_state=0
        )
        clf.fit(graphs, y)
        assert clf.n_edge_features_ == 0 and clf.n_node_features_ == 1
        assert clf.score(graphs, y) > 0.8, (conv, clf.score(graphs, y))
    gcn = GraphClassifier(conv="gcn", **TINY_GRAPH).fit(graphs, y)
    assert gcn.predict_proba(graphs).shape == (60, 2)
    # An empty graph predicts (its pooled state is zero).
    assert clf.predict_proba([(np.zeros((0, 1)), np.zeros((2, 0)))]).shape == (1, 2)


def test_multioutput_and_target_scale():
    X, y = _chains(60)
    Y = np.column_stack([1000 + 50 * y, -y])
    reg = GraphRegressor(**{**TINY_GRAPH, "max_epochs": 5}).fit(X, Y)
    assert reg.predict(X).shape == (60, 2)
    assert abs(reg.predict(X)[:, 0].mean() - 1000) < 100  # back in y's units


def test_bf16_trains():
    X, y = _chains(60)
    reg = GraphRegressor(**TINY_GRAPH, precision="bf16-mixed").fit(X, y)
    assert np.isfinite(reg.predict(X)).all()


def test_summary_and_search_space():
    X, y = _chains(40)
    reg = GraphRegressor(**TINY_GRAPH).fit(X, y)
    text = str(reg.summary())
    assert "GraphModule" in text and "DMPNNEncoder" in text
    optuna = pytest.importorskip("optuna")
    trial = optuna.trial.FixedTrial(
        {
            "lr": 1e-3,
            "batch_size": 16,
            "weight_decay": 1e-5,
            "conv": "gine",
            "hidden_size": 64,
            "n_layers": 2,
            "readout": "mean",
            "dense_width": 64,
            "conv_dropout": 0.1,
            "dropout": 0.1,
        }
    )
    params = reg.default_search_space()(trial)
    clone(reg).set_params(**params, max_epochs=1).fit(X, y)


# ----------------------------------------------------------------- errors
def test_invalid_smiles_names_index_and_string_and_rdkit_stays_quiet(capfd):
    X, y = _chains(10)
    X = X.astype(object)
    X[4] = "C1CC("
    with pytest.raises(ValueError, match=r"X\[4\] = 'C1CC\(' is not a valid SMILES"):
        GraphRegressor(**TINY_GRAPH).fit(X, y)
    assert "SMILES Parse Error" not in capfd.readouterr().err
    # RDKit's own logging is back on afterwards, for the rest of the process.
    from rdkit import Chem

    assert Chem.MolFromSmiles("C1CC(") is None
    assert "SMILES Parse Error" in capfd.readouterr().err
    graphs = MolecularGraphFeaturizer(on_invalid="empty").fit_transform(X)
    assert graphs[4][0].shape == (0, 72)
    GraphRegressor(**TINY_GRAPH).fit(graphs, y)  # empty graphs train


@pytest.mark.parametrize(
    "X, error, match",
    [
        ("CCO", TypeError, "single string"),
        ([("CCO",), "CC"], TypeError, "X\\[0\\] is a tuple"),
        ([(np.ones((2, 3)), [[0], [2]])], ValueError, "edges to node 2"),
        ([(np.ones((2, 3)), [[0, 1]])], ValueError, "edge_index of shape"),
        ([(np.ones(3), [[0], [1]])], ValueError, "node_features of shape"),
        ([(np.full((2, 3), np.nan), [[0], [1]])], ValueError, "NaN"),
        (
            [(np.ones((2, 3)), [[0], [1]]), (np.ones((2, 4)), [[0], [1]])],
            ValueError,
            "X\\[1\\] has 4 node features, but X\\[0\\] has 3",
        ),
        ([(np.ones((2, 3)), [[0], [1]], np.ones((2, 2)))], ValueError, "for 1 edges"),
        ((np.ones((2, 3)), np.array([[0], [1]])), TypeError, "single graph"),
        ([], ValueError, "0 sample"),
        (np.ones((4, 3)), TypeError, "not a 2-D numeric array"),
    ],
)
def test_bad_graphs_get_clear_errors(X, error, match):
    y = np.zeros(len(X)) if isinstance(X, list) else [0.0]
    with pytest.raises(error, match=match) as info:
        GraphRegressor(**TINY_GRAPH).fit(X, y if len(y) else [])
    assert "GraphRegressor" in str(info.value)


def test_predict_checks_feature_widths():
    X, y = _chains(30)
    reg = GraphRegressor(**TINY_GRAPH).fit(X, y)
    with pytest.raises(ValueError, match="fitted with 72 and 14"):
        reg.predict([(np.ones((2, 3)), [[0], [1]])])
    clf = GraphClassifier(**TINY_GRAPH)
    with pytest.raises(ValueError, match="1 class|one class"):
        clf.fit(X, np.zeros(30))


def _fresh(code):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


@pytest.mark.parametrize(
    "blocked, data, command",
    [
        ("torch_geometric", "[(np.ones((2, 1)), [[0], [1]])] * 4", "skdl[graph]"),
        ("rdkit", "['CCO'] * 4", "skdl[chem]"),
    ],
)
def test_missing_optional_dependency_says_what_to_install(blocked, data, command):
    """In a fresh process where the package cannot be imported, ``import
    skdl`` works and fitting says which extra to install."""
    run = _fresh(
        f"""
        import sys
        sys.modules[{blocked!r}] = None  # what a missing package looks like
        import numpy as np
        from skdl import GraphRegressor
        try:
            GraphRegressor(max_epochs=1).fit({data}, [0.0, 1.0, 0.0, 1.0])
        except ImportError as exc:
            print("ImportError:", exc)
        """
    )
    assert run.returncode == 0, run.stderr
    assert "ImportError:" in run.stdout and command in run.stdout, run.stdout


def test_importing_skdl_under_deprecation_errors():
    """``python -W error::DeprecationWarning``: skdl and skorch import with
    PyG installed, and PyG's own warning is the only one ignored."""
    run = _fresh(
        """
        import warnings
        warnings.simplefilter("error", DeprecationWarning)
        import skdl, skorch, torch_geometric
        try:
            warnings.warn("another", DeprecationWarning)
        except DeprecationWarning:
            print("still errors")
        """
    )
    assert run.returncode == 0, run.stderr
    assert "still errors" in run.stdout


def test_save_load_and_export_refusal(tmp_path):
    pytest.importorskip("safetensors")
    import skdl

    X, y = _chains(30)
    reg = GraphRegressor(**TINY_GRAPH).fit(X, y)
    skdl.save(reg, tmp_path / "graph")
    again = skdl.load(tmp_path / "graph")
    np.testing.assert_array_equal(again.predict(X), reg.predict(X))
    with pytest.raises(TypeError, match="does not export GraphRegressor yet"):
        skdl.export(reg, tmp_path / "graph.onnx")


def test_class_weight_shifts_predictions():
    X, y = _chains(60)
    labels = np.where(y > 0, "pos", "other")
    plain = GraphClassifier(**TINY_GRAPH).fit(X, labels)
    weighted = GraphClassifier(**TINY_GRAPH, class_weight={"pos": 10.0, "other": 1.0})
    weighted.fit(X, labels)
    pos = list(plain.classes_).index("pos")
    assert (
        weighted.predict_proba(X)[:, pos].mean() > plain.predict_proba(X)[:, pos].mean()
    )


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
@pytest.mark.parametrize("precision", ["float32", "bf16-mixed"])
def test_cuda_fit_predict(precision):
    X, y = _chains(60)
    reg = GraphRegressor(**TINY_GRAPH, device="cuda", precision=precision).fit(X, y)
    assert reg.device_ == "cuda" and reg.predict(X).shape == (60,)
    assert np.isfinite(reg.predict(X)).all()


def test_targets_must_match_the_graphs():
    X, y = _chains(10)
    with pytest.raises(ValueError, match="X holds 10 graphs but y has 9 targets"):
        GraphRegressor(**TINY_GRAPH).fit(X, y[:9])
    with pytest.raises(ValueError, match="requires y to be passed"):
        GraphRegressor(**TINY_GRAPH).fit(X, None)
