"""Tabular data: dense networks as ordinary scikit-learn estimators.
=================================================================

Runs on CPU in about a minute, with data that ships with scikit-learn (no
download):

1. Handwritten digits (1,797 8x8 images, 10 classes): a DenseClassifier in a
   Pipeline, 5-fold cross-validated next to sklearn's MLPClassifier.
2. Diabetes progression (442 patients, 10 measurements): a DenseRegressor
   with early stopping, cross-validated next to ridge regression.

    python examples/tabular.py
"""

import time
import warnings

from sklearn.compose import TransformedTargetRegressor
from sklearn.datasets import load_diabetes, load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import RidgeCV
from sklearn.model_selection import KFold, StratifiedKFold, cross_val_score
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skdl import DenseClassifier, DenseRegressor


def report(name, model, X, y, cv, scoring=None):
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        scores = cross_val_score(model, X, y, cv=cv, scoring=scoring, n_jobs=2)
    seconds = time.perf_counter() - start
    print(
        f"  {name:34s} {scores.mean():7.3f} +/- {scores.std():.3f}"
        f"   ({seconds:4.1f} s for {cv.get_n_splits()} folds)"
    )
    return scores


def main():
    X, y = load_digits(return_X_y=True)
    print(f"Digits: {X.shape[0]} images of {X.shape[1]} pixels, 10 classes")
    print("  5-fold cross-validated accuracy:")
    cv = StratifiedKFold(5, shuffle=True, random_state=0)
    report(
        "skdl DenseClassifier (256, 128)",
        make_pipeline(
            StandardScaler(),
            DenseClassifier(
                hidden_layer_sizes=(256, 128),
                dropout=0.2,
                max_epochs=40,
                batch_size=64,
                random_state=0,
            ),
        ),
        X,
        y,
        cv,
    )
    report(
        "sklearn MLPClassifier (256, 128)",
        make_pipeline(
            StandardScaler(),
            MLPClassifier(
                hidden_layer_sizes=(256, 128),
                max_iter=40,
                batch_size=64,
                random_state=0,
            ),
        ),
        X,
        y,
        cv,
    )

    X, y = load_diabetes(return_X_y=True)
    print(f"\nDiabetes: {X.shape[0]} patients, {X.shape[1]} measurements")
    print("  5-fold cross-validated R^2:")
    cv = KFold(5, shuffle=True, random_state=0)
    net = DenseRegressor(
        hidden_layer_sizes=(64, 32),
        lr=3e-3,
        weight_decay=1e-3,
        early_stopping=True,
        n_iter_no_change=20,
        max_epochs=400,
        batch_size=32,
        random_state=0,
    )
    report(
        "skdl DenseRegressor, early stopping",
        TransformedTargetRegressor(
            make_pipeline(StandardScaler(), net), transformer=StandardScaler()
        ),
        X,
        y,
        cv,
        scoring="r2",
    )
    report(
        "sklearn RidgeCV",
        make_pipeline(StandardScaler(), RidgeCV()),
        X,
        y,
        cv,
        scoring="r2",
    )


if __name__ == "__main__":
    main()
