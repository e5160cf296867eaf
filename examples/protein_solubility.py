"""Protein solubility from sequence (SOLpro, 17,408 proteins), raw strings in.
===========================================================================

The flagship pipeline: ``SequenceTokenizer(alphabet="protein")`` turns amino
acid strings into token ids, ``SequenceCNNClassifier()`` learns from them
with its defaults, and scikit-learn cross-validates the whole thing. Next to
it, on the same folds:

* the baseline to beat: gradient boosting on residue and dipeptide
  composition plus the log length (the best baseline on every protein set
  of the defaults benchmark, ``benchmarks/results/defaults.md``);
* the two averaged: ``VotingClassifier(voting="soft")`` of the CNN pipeline
  and the baseline. Both look at the same strings from different sides
  (local motifs against global composition), so their mistakes differ.

One fit of the average per fold gives all three scores: the average's
fitted members are the CNN and the baseline, scored on the same test fold.

Measured (5 folds, 248 s on 2 cores): the CNN 0.648 +/- 0.005, gradient
boosting 0.643 +/- 0.006, their average 0.653 +/- 0.006.

Where this stands: none of these reaches 0.70. SOLpro's own 0.74 (Magnan et
al., 2009) came from predicted secondary structure and solvent accessibility
on top of the sequence, which no pip package here computes; the 0.70 the
project aims for has not been reached with sequence alone (see the README).

    pip install --no-deps aaanalysis==1.1.0   # data files only (make does this)
    python examples/protein_solubility.py      # 5-fold, ~4 min on 2 cores
    python examples/protein_solubility.py --quick
"""

import argparse
import time

import numpy as np
from joblib import Parallel, delayed
from sklearn.base import clone
from sklearn.ensemble import HistGradientBoostingClassifier, VotingClassifier
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from skdl import SequenceCNNClassifier
from skdl.datasets import load_solpro
from skdl.preprocessing import SequenceTokenizer

AMINO_ACIDS = "ACDEFGHIKLMNPQRSTVWY"


def composition_and_length(X):
    """Residue and dipeptide frequencies plus the log length, per protein."""
    counts = CountVectorizer(analyzer="char", ngram_range=(1, 2), lowercase=False)
    counts.fit([AMINO_ACIDS] + [a + b for a in AMINO_ACIDS for b in AMINO_ACIDS])
    C = counts.transform(X).toarray().astype(np.float64)
    lengths = np.array([len(s) for s in X], dtype=np.float64)
    return np.column_stack([C / np.maximum(lengths, 1)[:, None], np.log1p(lengths)])


def one_fold(model, X, y, train, test):
    """Fit the average on one fold; score it and each of its members."""
    start = time.perf_counter()
    model = clone(model).fit(X[train], y[train])
    y_test = model.le_.transform(y[test])  # the members learned encoded labels
    scores = {"average": model.score(X[test], y[test])}
    for name, member in model.named_estimators_.items():
        scores[name] = np.mean(member.predict(X[test]) == y_test)
    return scores, time.perf_counter() - start


def main(quick=False, folds=5, n_jobs=2):
    X, y = load_solpro(return_X_y=True)
    X, y = np.asarray(X), np.asarray(y)
    cnn = {}
    if quick:
        X, y, folds, n_jobs, cnn = X[::50], y[::50], 2, 1, {"max_epochs": 1}
    average = VotingClassifier(
        [
            (
                "SequenceCNNClassifier()",
                make_pipeline(
                    SequenceTokenizer(alphabet="protein"),
                    SequenceCNNClassifier(random_state=0, **cnn),
                ),
            ),
            (
                "composition + length, gradient boosting",
                make_pipeline(
                    FunctionTransformer(composition_and_length),
                    HistGradientBoostingClassifier(random_state=0),
                ),
            ),
        ],
        voting="soft",
    )
    cv = StratifiedKFold(folds, shuffle=True, random_state=0)
    print(f"SOLpro: {len(X)} proteins, {folds}-fold cross-validated accuracy")
    start = time.perf_counter()
    done = Parallel(n_jobs=n_jobs)(
        delayed(one_fold)(average, X, y, train, test) for train, test in cv.split(X, y)
    )
    for name in [*average.named_estimators, "average"]:
        scores = np.array([fold[name] for fold, _ in done])
        label = "average of the two" if name == "average" else name
        print(f"  {label:42s} {scores.mean():.3f} +/- {scores.std():.3f}")
    print(f"  ({time.perf_counter() - start:.0f} s in all)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny smoke run")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--n-jobs", type=int, default=2)
    main(**vars(parser.parse_args()))
