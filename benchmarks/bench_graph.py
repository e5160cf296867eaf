"""The graph estimators: epoch time against hand-written PyG loops, and ESOL
RMSE next to the SMILES CNN, Morgan fingerprints + RF and Delaney's equation.

Part 1 (speed): ``GraphRegressor()``'s default network (D-MPNN, 300 wide)
trains one epoch on ``--n`` ESOL molecules, batch size 32, Adam at a
constant rate, one torch thread, three ways, interleaved in one process:

* pyg loop    -- what a PyG user writes: a list of ``Data`` objects and
                 ``torch_geometric.loader.DataLoader(shuffle=True)``, which
                 collates every batch with ``Batch.from_data_list``;
* batch loop  -- a hand-written loop over the batches skdl makes (gathered
                 from whole-data tensors, see ``skdl/utils/_graphs.py``):
                 the same module and batches, so the gap to skdl is the
                 wrapper's cost (skorch, callbacks, the schedule);
* skdl        -- ``GraphRegressor(batch_size=32, lr_schedule="constant")``
                 on the SMILES strings (featurized once per fit, outside the
                 epochs; an epoch's time is skorch's ``dur`` of that epoch).

Part 2 (accuracy): ESOL, 5-fold (shuffled, seed 0; the folds of
``bench_defaults.py``), RMSE in log units for Delaney's own ESOL equation
(the predictions shipped with the data), Morgan fingerprints (radius 2,
2,048 bits) + ``RandomForestRegressor``, the SMILES CNN pipeline and
``GraphRegressor(random_state=0)``, two folds at a time.

    python benchmarks/bench_graph.py              # writes results/graph.md
    python benchmarks/bench_graph.py --part speed
    python benchmarks/bench_graph.py --quick --out /tmp/graph.md
"""

import statistics
import time
import warnings

import numpy as np
import torch
from _common import arguments, environment, table, write_table
from _datasets import _morgan_rf

from skdl import GraphRegressor, SequenceCNNRegressor
from skdl.datasets import load_esol
from skdl.preprocessing import MolecularGraphFeaturizer, SequenceTokenizer
from skdl.utils._data import BatchIterator
from skdl.utils._graphs import GraphDataset, check_graphs

BATCH = 32


def _module(est, graphs, y):
    """The network ``est`` builds for these graphs (untrained, seeded)."""
    torch.manual_seed(0)
    est.n_node_features_, est.n_edge_features_ = graphs[0][0].shape[1], 14
    return est._build_module(graphs, n_outputs=1)


def _epoch(module, batches):
    """Seconds of the second of two epochs (as skdl's row: the first one
    warms up the allocator)."""
    opt = torch.optim.Adam(module.parameters(), lr=1e-3, fused=True)
    module.train()
    for _ in range(2):
        start = time.perf_counter()
        for b, yb in batches():
            opt.zero_grad()
            out = module(b.x, b.edge_index, b.edge_attr, b.batch, b.num_graphs)
            loss = torch.nn.functional.mse_loss(out, yb)
            loss.backward()
            opt.step()
    return time.perf_counter() - start


def speed(n, repeats):
    from torch_geometric.data import Data
    from torch_geometric.loader import DataLoader

    X, y = load_esol(return_X_y=True)
    X, y = X[:n], ((y[:n] - y[:n].mean()) / y[:n].std()).astype(np.float32)
    graphs = check_graphs(MolecularGraphFeaturizer().fit_transform(X), "bench")
    yt = torch.from_numpy(y).reshape(-1, 1)
    data = [
        Data(
            x=torch.from_numpy(g[0]),
            edge_index=torch.from_numpy(g[1]),
            edge_attr=torch.from_numpy(g[2]),
            y=yt[i : i + 1],
        )
        for i, g in enumerate(graphs)
    ]
    ds = GraphDataset.from_graphs(graphs, yt)

    def pyg_batches():
        for b in DataLoader(data, batch_size=BATCH, shuffle=True):
            yield b, b.y

    def our_batches():
        for b, yb, _ in BatchIterator(ds, BATCH, shuffle=True):
            yield b, yb

    times = {"pyg loop": [], "batch loop": [], "skdl": []}
    torch.set_num_threads(1)
    for _ in range(repeats):
        times["pyg loop"].append(
            _epoch(_module(GraphRegressor(), graphs, y), pyg_batches)
        )
        times["batch loop"].append(
            _epoch(_module(GraphRegressor(), graphs, y), our_batches)
        )
        est = GraphRegressor(
            batch_size=BATCH, max_epochs=2, lr_schedule="constant", random_state=0
        ).fit(X, y)
        times["skdl"].append(est.history_[-1]["dur"])  # the second epoch
    base = statistics.median(times["batch loop"])
    rows = []
    for name, ts in times.items():
        med = statistics.median(ts)
        rows.append([name, f"{med:.3f}", f"{med / base:.2f}x"])
    return [
        f"## Epoch time, {n} ESOL molecules, batch {BATCH} (median of {repeats})",
        "",
        *table(["way", "s / epoch", "vs batch loop"], rows, right=("s / epoch",)),
    ]


def accuracy(quick):
    from sklearn.model_selection import KFold, cross_val_predict
    from sklearn.pipeline import make_pipeline

    data = load_esol()
    X, y, delaney = np.asarray(data.data), data.target, data.esol_predicted
    folds, params = 5, {}
    if quick:
        pick = np.random.RandomState(0).permutation(len(X))[:120]
        X, y, delaney, folds, params = (
            X[pick],
            y[pick],
            delaney[pick],
            2,
            {"max_epochs": 1},
        )
    cv = KFold(folds, shuffle=True, random_state=0)
    models = {
        "Morgan FP + RF": _morgan_rf(),  # the defaults benchmark's baseline
        "SMILES CNN (SequenceTokenizer + SequenceCNNRegressor)": make_pipeline(
            SequenceTokenizer(alphabet="smiles"),
            SequenceCNNRegressor(random_state=0, **params),
        ),
        "GraphRegressor (D-MPNN)": GraphRegressor(random_state=0, **params),
    }

    def rmse_per_fold(pred):
        return [
            float(np.sqrt(np.mean((pred[test] - y[test]) ** 2)))
            for _, test in cv.split(X)
        ]

    rows = [
        [
            "Delaney's ESOL equation (shipped predictions)",
            *_cells(rmse_per_fold(delaney)),
            "-",
        ]
    ]
    for name, model in models.items():
        start = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            pred = cross_val_predict(model, X, y, cv=cv, n_jobs=1 if quick else 2)
        rows.append(
            [name, *_cells(rmse_per_fold(pred)), f"{time.perf_counter() - start:.0f}"]
        )
    return [
        f"## ESOL, {folds}-fold RMSE (log mol/L; lower is better)",
        "",
        *table(["model", "RMSE", "per fold", "wall s"], rows),
        "",
        "Published, for scale (other splits, tuned): D-MPNN with RDKit",
        "features about 0.56 on random splits (chemprop's README),",
        "MoleculeNet's best 0.58.",
    ]


def _cells(scores):
    return [
        f"{np.mean(scores):.3f} ± {np.std(scores):.3f}",
        " ".join(f"{s:.2f}" for s in scores),
    ]


def main():
    parser = arguments(__doc__, "graph.md", repeats=5)
    parser.add_argument("--part", choices=["speed", "accuracy"], help="one part only")
    parser.add_argument("--n", type=int, default=640, help="molecules for part 1")
    args = parser.parse_args()
    n, repeats = (64, 1) if args.quick else (args.n, args.repeats)
    quick = " --quick" if args.quick else ""
    lines = [
        "# Graph estimators",
        "",
        environment(),
        "",
        f"Command: `python benchmarks/bench_graph.py{quick}`",
        "",
    ]
    if args.part != "accuracy":
        lines += [*speed(n, repeats), ""]
    if args.part != "speed":
        lines += accuracy(args.quick)
    write_table(args.out, lines)


if __name__ == "__main__":
    main()
