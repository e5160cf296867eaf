"""Protein solubility from sequence (SOLpro, 17,408 proteins), raw strings in.
===========================================================================

The flagship pipeline: ``SequenceTokenizer(alphabet="protein")`` turns amino
acid strings into token ids, ``SequenceCNNClassifier()`` learns from them
with its defaults, and scikit-learn cross-validates the whole thing. Next to
it, on the same folds:

* the baseline to beat: gradient boosting on residue and dipeptide
  composition, the log length and physicochemical summaries that
  sequence-based solubility predictors compute (hydropathy, charge,
  turn-forming and aromatic residues, the aliphatic index, both ends'
  hydropathy and charge): the strongest sequence-only baseline of the
  defaults benchmark (``benchmarks/results/defaults.md``);
* the two averaged: ``VotingClassifier(voting="soft")`` of the CNN pipeline
  and the baseline. Both look at the same strings from different sides
  (local motifs against global composition), so their mistakes differ.

One fit of the average per fold gives all three scores: the average's
fitted members are the CNN and the baseline, scored on the same test fold.

Measured (5 folds, 315 s on 2 cores): the CNN 0.648 +/- 0.006, gradient
boosting 0.646 +/- 0.008, their average 0.655 +/- 0.005. (With composition
and length alone, gradient boosting scored 0.643 +/- 0.006 and the average
0.653 +/- 0.006, with the CNN default before it counted each protein's
ends.)

Where this stands: none of these reaches 0.70. SOLpro's own 0.74 (Magnan et
al., 2009) came from predicted secondary structure and solvent accessibility
on top of the sequence, which no pip package here computes; the 0.70 the
project aims for has not been reached with sequence alone (see the README).

    pip install --no-deps aaanalysis==1.1.0   # data files only (make does this)
    python examples/protein_solubility.py      # 5-fold, ~5 min on 2 cores
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


# Kyte and Doolittle's hydropathy of each residue (1982), in AMINO_ACIDS order.
KYTE_DOOLITTLE = np.array(
    [1.8, 2.5, -3.5, -3.5, 2.8, -0.4, -3.2, 4.5, -3.9, 3.8,
     1.9, -3.5, -1.6, -3.5, -4.5, -0.8, -0.7, 4.2, -0.9, -1.3]
)  # fmt: skip


def composition_and_physics(X):
    """Per protein: residue and dipeptide frequencies, the log length, and
    what solubility predictors compute from the sequence alone: mean
    hydropathy and the extremes of its running mean over 9 and 19 residues,
    net and total charge, the shares of turn-forming, aromatic and cysteine
    residues, the aliphatic index, and the hydropathy and net charge of the
    first and last 25 residues."""
    counts = CountVectorizer(analyzer="char", ngram_range=(1, 2), lowercase=False)
    counts.fit([AMINO_ACIDS] + [a + b for a in AMINO_ACIDS for b in AMINO_ACIDS])
    C = counts.transform(X).toarray().astype(np.float64)
    lengths = np.array([len(s) for s in X], dtype=np.float64)
    residues = [counts.vocabulary_[a] for a in AMINO_ACIDS]  # their columns
    share = C[:, residues] / np.maximum(lengths, 1)[:, None]
    col = {a: share[:, i] for i, a in enumerate(AMINO_ACIDS)}
    charge = col["K"] + col["R"] - col["D"] - col["E"]
    physics = [
        share @ KYTE_DOOLITTLE,
        charge,
        col["K"] + col["R"] + col["D"] + col["E"],
        col["N"] + col["G"] + col["P"] + col["S"],
        col["F"] + col["W"] + col["Y"],
        col["C"],
        col["A"] + 2.9 * col["V"] + 3.9 * (col["I"] + col["L"]),
    ]
    hydropathy = {a: h for a, h in zip(AMINO_ACIDS, KYTE_DOOLITTLE, strict=True)}
    local = []
    for s in X:
        h = np.array([hydropathy.get(a, 0.0) for a in s] or [0.0])
        row = []
        for width in (9, 19):
            run = (
                np.convolve(h, np.ones(width) / width, "valid")
                if len(h) >= width
                else h
            )
            row += [run.max(), run.min()]
        for end in (s[:25], s[-25:]):
            n = max(len(end), 1)
            row += [
                sum(hydropathy.get(a, 0.0) for a in end) / n,
                sum((a in "KR") - (a in "DE") for a in end) / n,
            ]
        local.append(row)
    return np.column_stack(
        [C / np.maximum(lengths, 1)[:, None], np.log1p(lengths), *physics, local]
    )


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
                "composition + physics, gradient boosting",
                make_pipeline(
                    FunctionTransformer(composition_and_physics),
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
