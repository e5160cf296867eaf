"""The demo: skdl's defaults against the first baseline
====================================================

skdl demo: raw sequences in, cross-validated deep networks out, with their
defaults, next to the baseline a user would try first.

Two real data sets, both offline from installed packages:

* DNA: does a 200-nt ChIP-seq peak bind Oct4 or MafK? (a random 4,000 of the
  7,797 peaks). ``make_pipeline(SequenceTokenizer(alphabet="dna"),
  SequenceCNNClassifier(random_state=0))`` against k-mer (1-3) counts and a
  logistic regression.
* SMILES: aqueous solubility (log S) of the 1,144 ESOL molecules.
  ``make_pipeline(SequenceTokenizer(alphabet="smiles"),
  SequenceCNNRegressor(random_state=0))`` against a ridge regression on
  character 1-3-gram tf-idf.

Both 5-fold cross-validated on the same folds, two folds at a time. Every
skdl parameter is at its default (see ``benchmarks/results/defaults.md`` for
22 data sets, including those where the defaults still lose, such as the
amyloid hexapeptides and the 106 promoter sequences).

    python examples/demo.py   # under two minutes on 2 cores
"""

import time
import warnings

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import KFold, StratifiedKFold, cross_val_score
from sklearn.pipeline import make_pipeline

from skdl import SequenceCNNClassifier, SequenceCNNRegressor
from skdl.datasets import load_dna_binding, load_esol
from skdl.preprocessing import SequenceTokenizer


def compare(title, X, y, cv, models, metric):
    print(f"{title}: 5-fold {metric}")
    for name, model in models.items():
        start = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. LR convergence notes
            scores = cross_val_score(model, X, y, cv=cv, n_jobs=2)
        print(
            f"  {name:44s} {scores.mean():.3f} +/- {scores.std():.3f}"
            f"  ({time.perf_counter() - start:.0f} s)"
        )


def main(n_peaks=4000):
    X, y = load_dna_binding(return_X_y=True)
    pick = np.random.RandomState(0).permutation(len(X))[:n_peaks]
    X, y = X[pick], y[pick]
    print(f"Oct4/MafK peaks: {len(X)} x {len(X[0])} nt, e.g. {X[0][:40]}...")
    compare(
        "DNA binding (Oct4 = 1, MafK = 0)",
        X,
        y,
        StratifiedKFold(5, shuffle=True, random_state=0),
        {
            "SequenceCNNClassifier, defaults": make_pipeline(
                SequenceTokenizer(alphabet="dna"), SequenceCNNClassifier(random_state=0)
            ),
            "k-mer (1-3) counts + logistic regression": make_pipeline(
                CountVectorizer(analyzer="char", ngram_range=(1, 3)),
                LogisticRegression(max_iter=2000),
            ),
        },
        "accuracy",
    )
    smiles, log_s = load_esol(return_X_y=True)
    print(f"\nESOL: {len(smiles)} molecules, e.g. {smiles[0]} (log S {log_s[0]})")
    compare(
        "Aqueous solubility",
        smiles,
        log_s,
        KFold(5, shuffle=True, random_state=0),
        {
            "SequenceCNNRegressor, defaults": make_pipeline(
                SequenceTokenizer(alphabet="smiles"),
                SequenceCNNRegressor(random_state=0),
            ),
            "char 1-3-gram tf-idf + ridge": make_pipeline(
                TfidfVectorizer(analyzer="char", ngram_range=(1, 3), lowercase=False),
                Ridge(),
            ),
        },
        "R^2",
    )


if __name__ == "__main__":
    main()
