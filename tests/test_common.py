"""scikit-learn's estimator checks, then skdl's own, over every estimator.

skdl's checks live in ``skdl.utils.estimator_checks`` (imbalanced-learn's
``utils/estimator_checks.py`` is the model); each builds its own tiny data for
the estimator's input kind, so a new estimator only needs adding to
``ESTIMATORS``. ``USER_FAMILIES`` are networks a user brings with ``module=``;
they must pass skdl's checks too.
"""

import pytest
import torch
from sklearn.utils.estimator_checks import parametrize_with_checks
from torch import nn

from skdl import (
    DenseClassifier,
    DenseRegressor,
    GraphClassifier,
    GraphRegressor,
    ImageCNNClassifier,
    ImageCNNRegressor,
    RNNClassifier,
    RNNRegressor,
    SequenceCNNClassifier,
    SequenceCNNRegressor,
    TransformerClassifier,
    TransformerRegressor,
)
from skdl.utils.estimator_checks import yield_skdl_checks

from conftest import (
    SMALL_CNN,
    SMALL_GRAPH,
    SMALL_IMAGE_CNN,
    SMALL_RNN,
    SMALL_TRANSFORMER,
)

# Global max-pooling forgets positions, and sklearn's regression data depend
# on one column (position): 50 epochs reach R2 0.75 there (20 give 0.39).
# The dense estimators at their defaults; the sequence CNNs small, with 20
# epochs (max_epochs="auto" trains ~1,000 steps on the checks' 100-row data,
# which multiplies the suite's time and checks nothing more).
ESTIMATORS = [
    DenseClassifier(),
    DenseRegressor(),
    SequenceCNNClassifier(**SMALL_CNN, lr=1e-2, max_epochs=20),
    SequenceCNNRegressor(**SMALL_CNN, lr=1e-2, max_epochs=50),
    RNNClassifier(**SMALL_RNN, lr=1e-2, max_epochs=20),
    RNNRegressor(**SMALL_RNN, lr=1e-2, max_epochs=20),
    TransformerClassifier(**SMALL_TRANSFORMER, lr=3e-3, max_epochs=20),
    TransformerRegressor(**SMALL_TRANSFORMER, lr=3e-3, max_epochs=20),
    # sklearn's data are tables, which the image CNNs read as 1 x n_features
    # strips. Without batch norm, whose statistics count rows, not weights:
    # skdl's float32 sample-weight check holds for these; VARIANTS has batch
    # norm. The regressor flattens, since sklearn's regression targets are
    # linear in the columns, which global pooling would mix up.
    ImageCNNClassifier(**SMALL_IMAGE_CNN, batch_norm=False, lr=1e-2, max_epochs=20),
    ImageCNNRegressor(
        **SMALL_IMAGE_CNN,
        batch_norm=False,
        global_pooling="flatten",
        lr=1e-2,
        max_epochs=20,
    ),
]

# The same classes in configurations whose code paths differ from the
# defaults: held-out validation with weight restoring, batch normalisation
# (single-sample batches merged), dropout and residual projections.
_VARIANT = dict(early_stopping=True, batch_norm=True, dropout=0.1, residual=True)
VARIANTS = [
    DenseClassifier(**_VARIANT, hidden_layer_sizes=(16, 8)),
    DenseRegressor(**_VARIANT, hidden_layer_sizes=(16, 8)),
    # Held-out validation, residual conv blocks, mean pooling, one-hot input.
    SequenceCNNClassifier(
        **{**_VARIANT, "batch_norm": False},
        embedding_dim=None,
        spatial_dropout=0.1,
        global_pooling="mean",
        lr=1e-2,
        max_epochs=20,
    ),
    # Strided "valid" convolutions with masked batch norm, feeding a flattening
    # head.
    SequenceCNNRegressor(
        batch_norm=True,
        conv_filters=(8,),
        kernel_sizes=2,
        padding="valid",
        strides=2,
        pool_sizes=1,
        global_pooling="flatten",
        dense_activation="relu",
        hidden_layer_sizes=(16,),
        lr=1e-2,
        max_epochs=20,
    ),
    # Two stacked GRUs read one way, held-out validation, attention readout,
    # one-hot input.
    RNNClassifier(
        early_stopping=True,
        dropout=0.1,
        cell="gru",
        n_layers=2,
        bidirectional=False,
        rnn_dropout=0.1,
        readout="attention",
        embedding_dim=None,
        hidden_size=8,
        lr=1e-2,
        max_epochs=20,
    ),
    # An Elman RNN's last state into a batch-normalised head, no clipping.
    RNNRegressor(
        cell="rnn",
        readout="last",
        batch_norm=True,
        clip_grad_norm=None,
        hidden_size=8,
        hidden_layer_sizes=(16,),
        lr=1e-2,
        max_epochs=20,
    ),
    # Post-norm layers with learned positions and a [CLS] readout, held-out
    # validation.
    TransformerClassifier(
        **SMALL_TRANSFORMER,
        early_stopping=True,
        norm_first=False,
        positional_encoding="learned",
        global_pooling="cls",
        lr=3e-3,
        max_epochs=20,
    ),
    # Batch norm, residual blocks with strided projections, a flattening
    # head, held-out validation, noise (shifts, flips and rotations would
    # scramble the columns of sklearn's tables; tests/estimators/test_image.py
    # trains with them on images).
    ImageCNNClassifier(
        **{**SMALL_IMAGE_CNN, "strides": (1, 2)},
        early_stopping=True,
        residual=True,
        global_pooling="flatten",
        augment={"noise": 0.01},
        lr=1e-2,
        max_epochs=20,
    ),
    # An even kernel under "same" padding, average pooling, channel dropout,
    # batch norm (flattened, as above: global pooling, "avg_max" included, is
    # tested on images in tests/estimators/test_image.py).
    ImageCNNRegressor(
        conv_filters=(8,),
        kernel_sizes=2,
        pooling="avg",
        global_pooling="flatten",
        spatial_dropout=0.1,
        hidden_layer_sizes=(16,),
        lr=1e-2,
        max_epochs=20,
    ),
]
SKLEARN_CHECKED = ESTIMATORS + VARIANTS

# One check cannot pass at the defaults, by design. sklearn's data are 15
# weighted rows against their ~30 repeats: batch_size="auto" (at least 16
# rows) trains the first in one batch and the second in two, and dropout (0.5
# in the sequence families) draws a mask per row, so the two train different
# models. Measured on sklearn 1.9.1 / torch 2.13.0 CPU (pytest --runxfail):
# predictions differ by up to 0.78 (relative) for DenseClassifier and 2.2 for
# RNNClassifier. With one full batch and no dropout they agree to float32
# rounding (2e-7 relative for the dense, recurrent and convolutional
# classifiers; the check asks for 1e-7): check_sample_weight_equivalence_float32
# (in skdl.utils.estimator_checks, run below) trains that way and proves
# equivalence at rtol 1e-5.
_FLOAT32_SAMPLE_WEIGHT = (
    "Weighted rows and their repeats fall into different mini-batches "
    "(batch_size='auto') and get different dropout masks; with one full batch "
    "and no dropout they agree to float32 rounding, ~2e-7 where 1e-7 is asked "
    "(see check_sample_weight_equivalence_float32)."
)


# In the variant configuration the equivalence does not hold even in exact
# arithmetic: the held-out rows for early stopping differ between weighted and
# repeated data, batch-norm statistics count rows not weights, and dropout
# draws a mask per row. Measured (pytest --runxfail): all 45 probabilities
# differ, by up to 0.62 (classifier); all 15 predictions, by up to 1.71
# (regressor).
_STRUCTURAL_SAMPLE_WEIGHT = (
    "Early stopping holds out different rows, batch norm counts rows not "
    "weights, and dropout draws masks per row, so weighted and repeated data "
    "train different models by design."
)


def expected_failed_checks(estimator):
    # Which list an estimator comes from decides the reason, not guesses from
    # its attributes.
    variant = any(estimator is v for v in VARIANTS)
    reason = _STRUCTURAL_SAMPLE_WEIGHT if variant else _FLOAT32_SAMPLE_WEIGHT
    failing = {"check_sample_weight_equivalence_on_dense_data": reason}
    if estimator.__sklearn_tags__().input_tags.sparse:  # the same check, sparse X
        failing["check_sample_weight_equivalence_on_sparse_data"] = reason
    return failing


@parametrize_with_checks(SKLEARN_CHECKED, expected_failed_checks=expected_failed_checks)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)


# ------------------------------------------------------------ a user's family
class UserLSTM(nn.Module):
    """The recurrent family a user would write before skdl ships one: token
    embedding (or float channels), an LSTM over the real positions of each
    sequence (packed, so padding is never read), the last hidden state, a
    linear head. Empty sequences get a zero state."""

    def __init__(self, n_outputs, vocab_size=None, n_channels=None, hidden=16):
        super().__init__()
        self.embedding = None if vocab_size is None else nn.Embedding(vocab_size, 8)
        self.lstm = nn.LSTM(8 if n_channels is None else n_channels, hidden, 1)
        self.lstm.batch_first = True
        self.head = nn.Linear(hidden, n_outputs)

    def forward(self, x, lengths=None):
        if lengths is None:
            lengths = (
                (x != 0).sum(1)
                if self.embedding
                else torch.full((len(x),), x.shape[1], device=x.device)
            )
        h = self.embedding(x.long()) if self.embedding else x.float()
        if h.shape[1] == 0:  # a batch of empty sequences only
            h = h.new_zeros((len(h), 1, h.shape[2]))
        packed = nn.utils.rnn.pack_padded_sequence(
            h, lengths.clamp_min(1).cpu(), batch_first=True, enforce_sorted=False
        )
        _, (state, _) = self.lstm(packed)
        last = state[-1] * (lengths > 0).unsqueeze(1).to(state.dtype)
        return self.head(last)


# Trained with an L1 penalty, which must reach the LSTM's weights too.
USER_FAMILIES = [SequenceCNNClassifier(module=UserLSTM, l1=1e-4, lr=1e-2)]

# The checks' token data have 10 ids, where "auto" turns the head's n-gram
# counts off (they start at 17 ids), and rows of many lengths, where it turns
# the position branch off; these switch those paths on by hand: pickling,
# seeds, padding invariance and ragged input must hold for the linear
# branch's embedding bag, the head's counts and the position weights, too.
# The last one has parallel kernel widths in its first block
# (ParallelConv1d), which no default turns on.
_WIDE = dict(SMALL_CNN, lr=1e-2)
WIDE_PATHS = [
    SequenceCNNClassifier(**_WIDE, linear_ngrams=3, ngram_features=2),
    SequenceCNNRegressor(**_WIDE, linear_ngrams=2, ngram_features=3),
    SequenceCNNClassifier(**_WIDE, linear_ngrams=0, linear_positions=True),
    SequenceCNNClassifier(**{**_WIDE, "kernel_sizes": ((2, 5), 3)}),
    SequenceCNNRegressor(**_WIDE, ngram_features=2, end_features=3),
]


# Graph estimators take SMILES or graphs, never a table, so scikit-learn's
# checks (which feed tables) skip them (``two_d_array=False``); skdl's checks
# feed them SMILES, and the checks of scikit-learn's that need no data run
# below. D-MPNN (the default) in both tasks; GIN with attention readout, and
# GAT with mean readout and dropout between layers. The classifiers are 64
# wide: at 16, 30 epochs of 4 batches reach 0.73 training accuracy on the
# string-label check's 60 molecules (100 epochs reach 1.0).
GRAPH_ESTIMATORS = [
    GraphClassifier(**{**SMALL_GRAPH, "hidden_size": 64}, lr=1e-2, max_epochs=20),
    GraphRegressor(**SMALL_GRAPH, lr=1e-2, max_epochs=20),
    GraphClassifier(
        **{**SMALL_GRAPH, "hidden_size": 64},
        conv="gine",
        readout="attention",
        lr=1e-2,
    ),
    GraphRegressor(
        **SMALL_GRAPH, conv="gat", readout="mean", conv_dropout=0.1, lr=1e-2
    ),
]

# scikit-learn's checks of the estimator object itself (construction,
# get/set_params, clone, repr, tags), which need no data.
_DATA_FREE_CHECKS = [
    "check_no_attributes_set_in_init",
    "check_parameters_default_constructible",
    "check_get_params_invariance",
    "check_set_params",
    "check_estimator_repr",
    "check_estimator_cloneable",
    "check_estimator_tags_renamed",
    "check_valid_tag_types",
    "check_do_not_raise_errors_in_init_or_set_params",
]


@pytest.mark.parametrize("check_name", _DATA_FREE_CHECKS)
@pytest.mark.parametrize("cls", [GraphClassifier, GraphRegressor])
def test_sklearn_data_free_checks_on_graph_estimators(cls, check_name):
    from sklearn.utils import estimator_checks

    getattr(estimator_checks, check_name)(cls.__name__, cls())


# ---------------------------------------------------------------- our checks
def _skdl_check_params():
    labelled = [("", est) for est in ESTIMATORS + USER_FAMILIES]
    labelled += [(f"graph{i}-", est) for i, est in enumerate(GRAPH_ESTIMATORS)]
    labelled += [(f"wide{i}-", est) for i, est in enumerate(WIDE_PATHS)]
    for prefix, est in labelled:
        for check in yield_skdl_checks(est):
            name = f"{prefix}{type(est).__name__}-{check.__name__}"
            yield pytest.param(est, check, id=name)


@pytest.mark.parametrize("estimator,check", list(_skdl_check_params()))
def test_skdl_checks(estimator, check):
    check(type(estimator).__name__, estimator)
