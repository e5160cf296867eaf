"""Accuracy in bfloat16: ``precision="bf16-mixed"`` against float32, same folds.

``benchmarks/results/image.md`` measured what bf16 autocast saves in time
on this CPU (0.60x an epoch of the image CNNs); this measures what it costs
in accuracy, with the estimators' defaults otherwise:

* sklearn's digits (1,797 images of 8x8): ``ImageCNNClassifier()``, 5-fold
  accuracy;
* MNIST 5k (28x28): ``ImageCNNClassifier()``, one stratified 4,000/1,000
  split, accuracy (+/- the test accuracy's standard error);
* ESOL (1,144 SMILES): ``SequenceCNNRegressor()`` after a
  ``SequenceTokenizer(alphabet="smiles")``, 5-fold R².

Each pair runs on the same folds and seed, two folds at a time, one torch
thread per fit. Run it alone on the machine (fit times are compared).

    python benchmarks/bench_precision.py          # about 10 minutes on 2 cores
    python benchmarks/bench_precision.py --quick  # a smoke run
"""

import sys
import time

import numpy as np
from _common import arguments, environment, table, write_table
from sklearn.datasets import load_digits
from sklearn.model_selection import (
    KFold,
    StratifiedKFold,
    cross_val_score,
    train_test_split,
)
from sklearn.pipeline import make_pipeline

from skdl import ImageCNNClassifier, SequenceCNNRegressor
from skdl.datasets import load_esol, load_mnist_5k
from skdl.preprocessing import SequenceTokenizer

PRECISIONS = ("float32", "bf16-mixed")


def digits(quick):
    X, y = load_digits(return_X_y=True)
    X = X / 16.0
    if quick:
        X, y = X[::6], y[::6]

    def run(precision, epochs):
        est = ImageCNNClassifier(precision=precision, random_state=0, **epochs)
        cv = StratifiedKFold(2 if quick else 5, shuffle=True, random_state=0)
        return cross_val_score(est, X, y, cv=cv, n_jobs=1 if quick else 2)

    return "digits 8x8 (5-fold accuracy)", run


def mnist(quick):
    X, y = load_mnist_5k(return_X_y=True)
    X = X.reshape(-1, 28, 28)
    n = 400 if quick else 4000
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, train_size=n, test_size=n // 4, stratify=y, random_state=0
    )

    def run(precision, epochs):
        est = ImageCNNClassifier(
            precision=precision, random_state=0, n_threads=2, **epochs
        )
        acc = est.fit(X_train, y_train).score(X_test, y_test)
        se = (acc * (1 - acc) / len(y_test)) ** 0.5
        return np.array([acc]), se

    return "MNIST 5k (4,000/1,000 split, accuracy)", run


def esol(quick):
    data = load_esol()
    X, y = data.data, data.target
    if quick:
        X, y = X[::5], y[::5]

    def run(precision, epochs):
        pipe = make_pipeline(
            SequenceTokenizer(alphabet="smiles"),
            SequenceCNNRegressor(precision=precision, random_state=0, **epochs),
        )
        cv = KFold(2 if quick else 5, shuffle=True, random_state=0)
        return cross_val_score(pipe, X, y, cv=cv, n_jobs=1 if quick else 2)

    return "ESOL (5-fold R²)", run


def main(argv=None):
    args = arguments(__doc__, "precision.md", repeats=1).parse_args(argv)
    cli = sys.argv[1:] if argv is None else argv
    epochs = {"max_epochs": 1} if args.quick else {}
    rows = []
    for make in (digits, mnist, esol):
        name, run = make(args.quick)
        cells = [name]
        times = []
        for precision in PRECISIONS:
            start = time.perf_counter()
            out = run(precision, epochs)
            times.append(time.perf_counter() - start)
            if isinstance(out, tuple):  # one split: its standard error
                scores, spread = out
            else:
                scores, spread = out, out.std()
            cells.append(f"{scores.mean():.3f} ± {spread:.3f}")
            print(name, precision, cells[-1], f"{times[-1]:.0f} s", flush=True)
        cells += [f"{t:.0f}" for t in times] + [f"{times[1] / times[0]:.2f}x"]
        rows.append(cells)
    lines = [
        '# Accuracy in bfloat16 (`precision="bf16-mixed"`) against float32',
        "",
        "Command: `" + " ".join(["python benchmarks/bench_precision.py", *cli]) + "`",
        "",
        f"{environment(1)} (two fits at a time; the MNIST fit on 2 threads).",
        "Defaults otherwise, same folds and seed for both precisions; wall",
        "seconds of the whole cross-validation.",
        "",
        *table(
            ["set", "float32", "bf16-mixed", "float32 s", "bf16 s", "bf16 / float32"],
            rows,
            right=("float32 s", "bf16 s", "bf16 / float32"),
        ),
    ]
    write_table(args.out, lines)


if __name__ == "__main__":
    main()
