"""Choosing a sequence family: CNN, RNN or transformer
===================================================

Convolutional, recurrent or attention network? The three sequence families
with their defaults, side by side, on DNA and on proteins.

The same pipeline a user writes for each family, ``make_pipeline(
SequenceTokenizer(alphabet=...), <Family>Classifier(random_state=0))``, on
the same folds, next to the baseline a user of that data tries first:

* Oct4 vs MafK ChIP-seq peaks (DNA, 200 nt; janggu's sample files), every
  8th of the 7,997 peaks, against k-mer (1-3) counts + logistic regression;
* SOLpro protein solubility (aaanalysis), 1,200 random proteins, against
  gradient boosting on amino-acid composition and length.

3-fold cross-validation, two folds at a time. (The benchmark rows of these
families, on more sets, are in ``benchmarks/results/defaults.md``.)

    python examples/sequence_families.py          # long: see below
    python examples/sequence_families.py --quick  # a smoke run in seconds

The full run has not been timed yet. The recurrent and attention networks
on the proteins dominate it: an RNN stepping through every residue took
about 30 s an epoch over 600 SOLpro proteins on 2 cores
(``benchmarks/results/families.md``; by default it now reads proteins this
long through a convolutional stem, a quarter of the steps), and the
default recipe runs at least 1,000 optimizer steps per fit.
"""

import argparse
import time

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from skdl import RNNClassifier, SequenceCNNClassifier, TransformerClassifier
from skdl.datasets import load_dna_binding, load_solpro
from skdl.preprocessing import SequenceTokenizer

AMINO_ACIDS = "ACDEFGHIKLMNPQRSTVWY"


def composition_and_length(X):
    """Amino-acid frequencies and the log length of each protein."""
    rows = []
    for seq in X:
        counts = np.array([seq.count(a) for a in AMINO_ACIDS], dtype=float)
        rows.append([*(counts / max(len(seq), 1)), np.log1p(len(seq))])
    return np.array(rows)


def families(alphabet, epochs):
    extra = {} if epochs is None else {"max_epochs": epochs}
    return {
        cls.__name__: make_pipeline(
            SequenceTokenizer(alphabet=alphabet), cls(random_state=0, **extra)
        )
        for cls in (SequenceCNNClassifier, RNNClassifier, TransformerClassifier)
    }


def compare(title, X, y, models, cv, n_jobs):
    print(f"{title}: {len(X)} sequences, {cv.get_n_splits()}-fold accuracy")
    for name, model in models.items():
        start = time.perf_counter()
        scores = cross_val_score(model, X, y, cv=cv, n_jobs=n_jobs)
        print(
            f"  {name:40s} {scores.mean():.3f} +/- {scores.std():.3f}"
            f"  ({time.perf_counter() - start:.0f} s)",
            flush=True,
        )


def main(quick=False):
    epochs = 1 if quick else None
    n_jobs = 1 if quick else 2  # a smoke run: no worker processes to start
    cv = StratifiedKFold(2 if quick else 3, shuffle=True, random_state=0)
    X, y = load_dna_binding(subset="all", return_X_y=True)
    step = 80 if quick else 8
    X, y = X[::step], y[::step]
    dna = {
        **families("dna", epochs),
        "k-mer counts (1-3) + LogisticRegression": make_pipeline(
            CountVectorizer(analyzer="char", ngram_range=(1, 3), lowercase=False),
            LogisticRegression(max_iter=2000),
        ),
    }
    compare("Oct4 vs MafK", X, y, dna, cv, n_jobs)

    X, y = load_solpro(return_X_y=True)
    pick = np.random.RandomState(0).permutation(len(X))[: 120 if quick else 1200]
    X, y = X[pick], y[pick]
    proteins = {
        **families("protein", epochs),
        "composition + length, HistGradientBoosting": make_pipeline(
            FunctionTransformer(composition_and_length),
            HistGradientBoostingClassifier(random_state=0),
        ),
    }
    compare("SOLpro", X, y, proteins, cv, n_jobs)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny smoke run")
    main(**vars(parser.parse_args()))
