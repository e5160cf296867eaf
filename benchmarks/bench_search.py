"""Search time: GridSearchCV vs OptunaSearchCV without and with pruning.

The same 24 configurations of a DenseClassifier (learning rate x width x
dropout, ``--epochs`` epochs each, 20 by default) are cross-validated (3
folds) on the handwritten digits (1,797 images that ship with scikit-learn),
three ways:

* grid     -- ``GridSearchCV`` over the 24 configurations.
* optuna   -- ``OptunaSearchCV`` with Optuna's ``GridSampler`` over the same
              24 (so the budget is identical), no pruning.
* pruned   -- the same with the median pruner (after 5 complete trials,
              from epoch 3 on).

A trial that is not pruned trains each fold with ``partial_fit`` one epoch at
a time, which gives bitwise the same model as ``fit`` (skdl's partial_fit is
one epoch of the same seeded stream), so its score equals the grid's for
that configuration. Reported: the best score found, total wall time, and the
time until a search had found the grid's best score. Then the same no-pruning
search with ``n_jobs=2`` against ``n_jobs=1``: trials per second.

    python benchmarks/bench_search.py              # writes results/search.md
    python benchmarks/bench_search.py --quick --out /tmp/x.md   # smoke run
"""

import argparse
import datetime
import platform
import sys
import time

import numpy as np
import optuna
import torch
from sklearn.datasets import load_digits
from sklearn.model_selection import GridSearchCV

from skdl import DenseClassifier
from skdl.search import OptunaSearchCV

LRS = [1e-4, 1e-3, 1e-2, 1e-1]
WIDTHS = [16, 128, 512]
DROPOUTS = [0.0, 0.3]


def space(trial):
    return {
        "lr": trial.suggest_categorical("lr", LRS),
        "hidden_layer_sizes": (trial.suggest_categorical("width", WIDTHS),),
        "dropout": trial.suggest_categorical("dropout", DROPOUTS),
    }


def net(epochs):
    return DenseClassifier(max_epochs=epochs, batch_size=64, random_state=0)


def run_grid(X, y, epochs):
    grid = {
        "lr": LRS,
        "hidden_layer_sizes": [(w,) for w in WIDTHS],
        "dropout": DROPOUTS,
    }
    start = time.perf_counter()
    search = GridSearchCV(net(epochs), grid, cv=3, refit=False).fit(X, y)
    return search.best_score_, time.perf_counter() - start


def run_optuna(X, y, epochs, pruner, n_jobs, target):
    grid = {"lr": LRS, "width": WIDTHS, "dropout": DROPOUTS}
    n_trials = len(LRS) * len(WIDTHS) * len(DROPOUTS)
    started = datetime.datetime.now()
    start = time.perf_counter()
    search = OptunaSearchCV(
        net(epochs),
        space,
        n_trials=n_trials,
        cv=3,
        refit=False,
        n_jobs=n_jobs,
        sampler=optuna.samplers.GridSampler(grid, seed=0),
        pruner=pruner,
    ).fit(X, y)
    total = time.perf_counter() - start
    done = [
        t
        for t in search.study_.trials
        if t.state.name == "COMPLETE" and target is not None and t.value >= target
    ]
    reach = min(t.datetime_complete for t in done) - started if done else None
    states = [t.state.name for t in search.study_.trials]
    return {
        "best": search.best_score_,
        "total": total,
        "reach": None if reach is None else reach.total_seconds(),
        "pruned": states.count("PRUNED"),
        "trials": len(states),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny smoke run")
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--out", default="benchmarks/results/search.md")
    args = parser.parse_args(argv)
    cli = sys.argv[1:] if argv is None else argv
    torch.set_num_threads(1)
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    X, y = load_digits(return_X_y=True)
    X = (X / 16).astype(np.float32)
    epochs = args.epochs
    if args.quick:
        X, y, epochs = X[:300], y[:300], 2

    grid_best, grid_time = run_grid(X, y, epochs)
    print(f"grid: {grid_best:.4f} in {grid_time:.1f} s", file=sys.stderr)
    median = optuna.pruners.MedianPruner(n_startup_trials=5, n_warmup_steps=2)
    runs = {
        "optuna, no pruning": run_optuna(
            X, y, epochs, optuna.pruners.NopPruner(), 1, grid_best
        ),
        "optuna, median pruning": run_optuna(X, y, epochs, median, 1, grid_best),
        "optuna, no pruning, n_jobs=2": run_optuna(
            X, y, epochs, optuna.pruners.NopPruner(), 2, grid_best
        ),
    }
    for name, r in runs.items():
        print(name, r, file=sys.stderr)

    def fmt(seconds):
        return "not reached" if seconds is None else f"{seconds:.1f}"

    serial, parallel = runs["optuna, no pruning"], runs["optuna, no pruning, n_jobs=2"]
    lines = [
        "# Search: GridSearchCV vs OptunaSearchCV (pruning, n_jobs)",
        "",
        "Command: `" + " ".join(["python benchmarks/bench_search.py", *cli]) + "`",
        "",
        f"{datetime.date.today()}, {platform.machine()}, torch {torch.__version__}, "
        f"optuna {optuna.__version__}; digits ({len(X)} images), DenseClassifier, "
        f"24 configurations x 3 folds x {epochs} epochs, one torch thread per fit.",
        "",
        "| search | best CV accuracy | wall time (s) | time to the grid's best (s) "
        "| pruned trials |",
        "|---|---|---|---|---|",
        f"| GridSearchCV | {grid_best:.4f} | {grid_time:.1f} | {grid_time:.1f} | - |",
    ]
    for name, r in runs.items():
        lines.append(
            f"| {name} | {r['best']:.4f} | {r['total']:.1f} | {fmt(r['reach'])} "
            f"| {r['pruned']} of {r['trials']} |"
        )
    pruned = runs["optuna, median pruning"]
    lines += [
        "",
        f"- Pruned search: {pruned['total'] / grid_time:.2f}x the grid's wall time; "
        "time to the grid's best score: "
        + (
            "not reached"
            if pruned["reach"] is None
            else f"{pruned['reach'] / grid_time:.2f}x the grid's time"
        )
        + ".",
        f"- n_jobs=2 vs n_jobs=1 (no pruning, same trials): "
        f"{serial['total'] / parallel['total']:.2f}x the throughput.",
    ]
    text = "\n".join(lines) + "\n"
    with open(args.out, "w") as f:
        f.write(text)
    print(text)


if __name__ == "__main__":
    main()
