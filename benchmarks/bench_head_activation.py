"""What the sequence CNNs' changed default dense activation does on real data.

``SequenceCNNClassifier`` / ``SequenceCNNRegressor`` used ``dense_activation=
("relu", "tanh")`` (the textbook's head, which only works with exactly two
dense layers) and now default to ``"relu"`` for any depth. This script
cross-validates both heads with every other parameter at its default, on the
same folds, on four installed real data sets: SOLpro proteins (4,000, as in
``make demo``), Oct4/MafK DNA peaks, ESOL SMILES (log solubility) and Rotten
Tomatoes snippets (4,000). It is not the defaults benchmark (issue 9, which
will choose every default against baselines); it only shows what this one
change does.

    python benchmarks/bench_head_activation.py   # writes results/head_activation.md
    python benchmarks/bench_head_activation.py --quick --out /tmp/x.md
"""

import time

import numpy as np
import sklearn
from _common import arguments, environment, table, write_table
from sklearn.model_selection import KFold, StratifiedKFold, cross_val_score
from sklearn.pipeline import make_pipeline

from skdl import SequenceCNNClassifier, SequenceCNNRegressor
from skdl.datasets import load_dna_binding, load_esol, load_rotten_tomatoes, load_solpro
from skdl.preprocessing import SequenceTokenizer

HEADS = {'"relu" (new default)': "relu", '("relu", "tanh") (before)': ("relu", "tanh")}


def subsample(X, y, n, seed=0):
    if n is None or len(X) <= n:
        return X, y
    pick = np.random.RandomState(seed).permutation(len(X))[:n]
    return X[pick], y[pick]


def data_sets(quick):
    n = 300 if quick else None
    sets = []
    X, y = load_solpro(return_X_y=True)
    sets.append(("SOLpro (protein)", *subsample(X, y, n or 4000), "protein", True))
    X, y = load_dna_binding(subset="all", return_X_y=True)
    sets.append(("Oct4/MafK (DNA)", *subsample(X, y, n), "dna", True))
    X, y = load_esol(return_X_y=True)
    sets.append(("ESOL (SMILES)", *subsample(X, y, n), "smiles", False))
    X, y = load_rotten_tomatoes(return_X_y=True)
    sets.append(("Rotten Tomatoes (text)", *subsample(X, y, n or 4000), "text", True))
    return sets


def main(argv=None):
    args = arguments(__doc__, "head_activation.md", repeats=1).parse_args(argv)
    folds = 2 if args.quick else 3
    rows = []
    for title, X, y, alphabet, classify in data_sets(args.quick):
        X, y = np.asarray(X, dtype=object), np.asarray(y)
        if classify:
            cv, scoring = StratifiedKFold(folds, shuffle=True, random_state=0), None
        else:
            cv, scoring = KFold(folds, shuffle=True, random_state=0), "r2"
        for head, activation in HEADS.items():
            cls = SequenceCNNClassifier if classify else SequenceCNNRegressor
            pipe = make_pipeline(
                SequenceTokenizer(alphabet=alphabet, max_len="ragged"),
                cls(
                    dense_activation=activation,
                    max_epochs=1 if args.quick else 20,
                    random_state=0,
                ),
            )
            start = time.perf_counter()
            scores = cross_val_score(pipe, X, y, cv=cv, scoring=scoring, n_jobs=1)
            seconds = time.perf_counter() - start
            metric = "accuracy" if classify else "R2"
            rows.append((title, len(X), metric, head, scores, seconds))
            print(
                f"{title:24s} {head:28s} {metric} {scores.mean():.3f} +/- "
                f"{scores.std():.3f} ({seconds:.0f} s)",
                flush=True,
            )
    quick = " --quick" if args.quick else ""
    lines = [
        "# Sequence CNN default head: one activation vs the textbook's two",
        "",
        f"Command: `python benchmarks/bench_head_activation.py{quick}`  ",
        f"{environment()}, scikit-learn {sklearn.__version__}.",
        "",
        f"{folds}-fold cross-validation, the same folds for both heads; every other "
        "parameter at its default (20 epochs, batch 'auto', lr 1e-3), tokenizer "
        "`max_len='ragged'`.",
        "",
    ]
    lines += table(
        ["data", "n", "metric", "dense_activation", "mean", "std", "seconds"],
        [
            [
                title,
                n,
                metric,
                f"`{head}`",
                f"{s.mean():.3f}",
                f"{s.std():.3f}",
                f"{seconds:.0f}",
            ]
            for title, n, metric, head, s, seconds in rows
        ],
        right={"n", "mean", "std", "seconds"},
    )
    write_table(args.out, lines)


if __name__ == "__main__":
    main()
