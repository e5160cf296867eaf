"""The course's protein CNN without regularisation, with dropout, with L2.
=========================================================================

The course's protein network (embedding 16; conv 16x5, 16x3, 16x3 with
max-pooling 4, 2, 2; flattened over 200 residues; dense 256 relu and 64
tanh; White, *Deep Learning for Molecules & Materials*) trained three ways
on the same 4,000 SOLpro proteins (cut to their first 200 residues, as the
course does), for 30 epochs at a constant learning rate:

* no regularisation: the training loss falls while the validation loss
  turns up after a few epochs, the overfitting the course shows;
* dropout 0.5 before each dense layer;
* an L2 penalty on every weight (``l2=1e-3``, Keras' convention: a sum).

Each fit holds out 10% to draw the validation curve (``early_stopping=True``
with a patience longer than the fit, so nothing stops early; the weights of
the best epoch are kept) and is scored on a further 1,000 test proteins.
The training loss includes the L2 penalty.
The curves are drawn with ``skdl.inspection.TrainingHistoryDisplay`` into
``course_regularization.png`` (``--plot`` to choose the file; needs
matplotlib).

    pip install --no-deps aaanalysis==1.1.0   # data files only (make does this)
    python examples/course_regularization.py  # a few minutes on 2 cores
    python examples/course_regularization.py --quick
"""

import argparse
import time

import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline

from skdl import SequenceCNNClassifier
from skdl.datasets import load_solpro
from skdl.preprocessing import SequenceTokenizer

COURSE = dict(
    embedding_dim=16,
    conv_filters=(16, 16, 16),
    kernel_sizes=(5, 3, 3),
    pool_sizes=(4, 2, 2),
    padding="valid",
    global_pooling="flatten",
    hidden_layer_sizes=(256, 64),
    dense_activation=("relu", "tanh"),
    # The course's network alone: none of skdl's additions to it.
    linear_ngrams=0,
    ngram_features=0,
    length_feature=False,
    lr_schedule="constant",
    dropout=0.0,
)
SETTINGS = {
    "no regularisation": {},
    "dropout 0.5": dict(dropout=0.5),
    "L2 1e-3": dict(l2=1e-3),
}


def main(quick=False, plot=None):
    X, y = load_solpro(return_X_y=True, drop_duplicates=True)
    n_train, epochs = (300, 2) if quick else (4000, 30)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, train_size=n_train, test_size=n_train // 4, stratify=y, random_state=0
    )
    print(
        f"SOLpro: {len(X_train)} training proteins (10% of them for validation), "
        f"{len(X_test)} test proteins, {epochs} epochs"
    )
    fitted = {}
    for name, extra in SETTINGS.items():
        model = make_pipeline(
            SequenceTokenizer(alphabet="protein", max_len=200),
            SequenceCNNClassifier(
                **{**COURSE, **extra},
                max_epochs=epochs,
                early_stopping=True,
                n_iter_no_change=epochs,
                random_state=0,
                n_threads=2,
            ),
        )
        start = time.perf_counter()
        model.fit(X_train, y_train)
        seconds = time.perf_counter() - start
        history = model[-1].history_  # one dict per epoch
        valid = np.array([epoch["valid_loss"] for epoch in history])
        best = int(valid.argmin())
        print(
            f"  {name:18s} train loss {history[-1]['train_loss']:.3f}, "
            f"valid loss best {valid[best]:.3f} (epoch {best + 1}) and last "
            f"{valid[-1]:.3f}; test accuracy {model.score(X_test, y_test):.3f}"
            f"  ({seconds:.0f} s)"
        )
        fitted[name] = model
    if plot or not quick:
        draw(fitted, plot or "course_regularization.png")


def draw(fitted, path):
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed: no plot (pip install 'skdl[plot]')")
        return
    from skdl.inspection import TrainingHistoryDisplay

    fig, axes = plt.subplots(1, len(fitted), figsize=(4 * len(fitted), 3.2))
    for ax, (name, model) in zip(axes, fitted.items(), strict=True):
        TrainingHistoryDisplay.from_estimator(model, ax=ax)
        ax.set_title(name)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    print(f"training curves: {path}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny smoke run")
    parser.add_argument(
        "--plot",
        help="the figure's file (default course_regularization.png; "
        "--quick draws none unless given)",
    )
    main(**vars(parser.parse_args()))
