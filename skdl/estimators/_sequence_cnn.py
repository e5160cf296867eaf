"""1-D convolutional networks over sequences as sklearn classifiers and regressors."""

from numbers import Integral, Real

from ..networks import ACTIVATIONS, SequenceCNNModule
from ..networks._sequence_cnn import auto_conv_filters, auto_pool_sizes
from ..utils._compat import Interval, StrOptions
from ..utils._docstring import document
from ._base import (
    BaseNeuralNetwork,
    NeuralClassifierMixin,
    NeuralRegressorMixin,
    training_space,
)
from ._sequence import (
    EMBEDDING_DOC,
    HEAD_CONSTRAINTS,
    HEAD_DOC,
    HEAD_DROPOUT_DOC,
    HEAD_PER_LAYER,
    NORMALIZE_CONSTRAINTS,
    NORMALIZE_DOC,
    SEQUENCE_CONSTRAINTS,
    WIDE_CONSTRAINTS,
    WIDE_DOC,
    _SequenceInput,
    sequence_docs,
)

_PER_LAYER = [Interval(Integral, 1, None, closed="left"), "array-like"]


def sequence_cnn_space(trial):
    """Learning rate, batch size, weight decay, embedding, conv depth / width /
    kernel, pooling, dense width, dropouts."""
    depth = trial.suggest_int("n_conv_layers", 1, 3)
    filters = trial.suggest_int("conv_filters", 16, 128, log=True)
    return {
        **training_space(trial, lr=(1e-4, 3e-2), batch_sizes=(32, 64, 128)),
        "embedding_dim": trial.suggest_categorical("embedding_dim", [8, 16, 32, 64]),
        "conv_filters": (filters,) * depth,
        "kernel_sizes": trial.suggest_categorical("kernel_sizes", [3, 5, 7, 9]),
        "pool_sizes": trial.suggest_categorical("pool_sizes", [1, 2]),
        "global_pooling": trial.suggest_categorical(
            "global_pooling", ["max", "mean", "max_mean"]
        ),
        "hidden_layer_sizes": (trial.suggest_int("dense_width", 16, 256, log=True),),
        "dropout": trial.suggest_float("dropout", 0.0, 0.5),
        "spatial_dropout": trial.suggest_float("spatial_dropout", 0.0, 0.3),
    }


class _SequenceCNNFamily(_SequenceInput, BaseNeuralNetwork):
    """Masked 1-D CNNs on sequences: module, constraints, search space."""

    _module_class = SequenceCNNModule
    _search_space = staticmethod(sequence_cnn_space)
    _auto_depth = len(auto_conv_filters(None))  # conv_filters="auto": 3 blocks
    _per_layer = {
        "conv_filters": ("kernel_sizes", "strides", "dilations", "pool_sizes"),
        **HEAD_PER_LAYER,
    }
    _parameter_constraints = {
        **BaseNeuralNetwork._parameter_constraints,
        **SEQUENCE_CONSTRAINTS,
        **NORMALIZE_CONSTRAINTS,
        **WIDE_CONSTRAINTS,
        "conv_filters": ["array-like", StrOptions({"auto"})],
        "kernel_sizes": _PER_LAYER,
        "strides": _PER_LAYER,
        "dilations": _PER_LAYER,
        "padding": [StrOptions({"same", "valid"})],
        "pooling": [StrOptions({"max", "avg"})],
        "pool_sizes": [*_PER_LAYER, StrOptions({"auto"})],
        "global_pooling": [
            StrOptions({"max", "mean", "max_mean", "attention", "flatten"})
        ],
        **HEAD_CONSTRAINTS,
        "dropout": [Interval(Real, 0, 1, closed="left"), StrOptions({"auto"})],
        "activation": [StrOptions(set(ACTIVATIONS))],
        "spatial_dropout": [Interval(Real, 0, 1, closed="left"), StrOptions({"auto"})],
        "batch_norm": ["boolean"],
        "residual": ["boolean"],
    }

    _resolved_in_fit = (*_SequenceInput._resolved_in_fit, "pool_sizes")

    def _module_kwargs(self, X, rows=None):
        kwargs = super()._module_kwargs(X, rows)
        if isinstance(kwargs.get("pool_sizes"), str):  # "auto"
            depth = self._depth("conv_filters")
            kwargs["pool_sizes"] = auto_pool_sizes(depth, X.real_lengths())
        if kwargs.get("dropout") == "auto":
            # Defaults benchmark, step 32: without dropout the head fits the
            # series' summaries (PLAID 0.782 -> 0.836, five seeds).
            kwargs["dropout"] = 0.0 if X.kind == "values" else 0.5
        return kwargs

    def _check_like_fit(self, seqs):
        seqs = super()._check_like_fit(seqs)
        if self.global_pooling == "flatten" and self.module is None:
            name = type(self).__name__
            length = self._real_length(seqs)
            if length > self.max_len_:
                raise ValueError(
                    f"{name} flattens sequences of length {self.max_len_} (the "
                    f"longest in fit), but X holds one of length {length}. "
                    f"Truncate X (e.g. SequenceTokenizer(max_len={self.max_len_})) "
                    "or use global_pooling='max'."
                )
            seqs.data = seqs.data[:, : self.max_len_]
        return seqs


_ARCHITECTURE_DOC = (
    EMBEDDING_DOC
    + "\n\n    "
    + NORMALIZE_DOC
    + "\n\n    "
    + WIDE_DOC
    + """

    conv_filters : array-like of int or "auto", default={default}
        Output channels of each convolution block; ``()`` pools the
        embeddings directly. "auto" is three blocks of 32 filters for
        alphabets of at most 16 token ids (DNA, RNA) and of 16 otherwise
        (proteins, SMILES, words, float input). On the defaults benchmark,
        16 filters left 2 of 5 seeds short of the binding motifs of a DNA
        set that the others found; elsewhere 32 changed little and cost up
        to twice the time.

    kernel_sizes : int or array-like, default={default}
        Kernel width of each convolution (one int for all). An entry that
        is itself a sequence of ints gives that block parallel convolutions
        of those widths, ``conv_filters`` filters each, concatenated (Kim's
        sentence CNN, DeepSol): ``kernel_sizes=((3, 5, 9), 3, 3)`` reads
        motifs of 3, 5 and 9 tokens side by side in the first block. Needs
        ``padding="same"``.

    strides : int or array-like of int, default={default}
        Stride of each convolution.

    dilations : int or array-like of int, default={default}
        Dilation of each convolution.

    padding : {"same", "valid"}, default={default}
        "same" keeps the length (for stride 1), and each pooling keeps a
        trailing partial window; "valid" convolves only where the kernel
        fits inside the sequence and pools whole windows only, as Keras'
        ``Conv1D`` and ``MaxPooling1D`` do by default (so a network written
        for Keras has the same layer sizes), and sequences shorter than the
        receptive field contribute no features.

    pooling : {"max", "avg"}, default={default}
        Pooling after each convolution block.

    pool_sizes : int, array-like of int or "auto", default={default}
        Window (and stride) of each block's pooling; 1 means no pooling.
        "auto" pools by 4 after the first block and by 2 after each later
        one (``(4, 2, 2)`` for three blocks) where the median sequence in
        fit is long enough to keep 4 positions through all of it (64
        tokens or steps for three blocks: proteins, DNA, most series), and
        not at all for shorter data (SMILES, sentences, short series), so
        that their convolutions read the sequence rather than a position or
        two. On the defaults benchmark no pooling lifted the short sets
        (ESOL R² 0.872 to 0.881, ItalyPower 0.969 to 0.974, five seeds)
        and cost GunPoint's 150 steps 0.990 to 0.955.

    global_pooling : str, default={default}
        "max", "mean", "max_mean", "attention" or "flatten": how the final
        (channels, length) map becomes a vector for the dense head. "max"
        (is a pattern anywhere?), "mean" (how much of it, i.e. composition),
        "max_mean" (both, concatenated) and "attention" (a learned softmax
        over positions, as in the recurrent and transformer families) read
        real positions only and accept sequences of any length. "flatten"
        keeps positions (as Keras' ``Flatten``); the network is then built
        for the longest sequence seen in fit (``max_len_``), and longer
        sequences are refused at predict.

    activation : str, default={default}
        Activation of the convolution blocks: "relu", "leaky_relu", "elu",
        "selu", "gelu", "silu", "tanh", "sigmoid", "softplus" or "identity".

    """
    + HEAD_DOC.replace(
        HEAD_DROPOUT_DOC,
        """    dropout : float or "auto", default={default}
        Dropout after each dense hidden layer. "auto" is 0.5 on token ids
        and 0 on float input (series), where the dense head reads the
        series' summaries (``normalize_input="series"``) and dropout kept
        the network from fitting them: on the defaults benchmark's series
        choose sets it took PLAID from 0.782 to 0.836 accuracy and left
        GunPoint and ItalyPower where they were (five-seed means).""",
    )
    + """

    spatial_dropout : float or "auto", default={default}
        Channel dropout (whole feature maps, ``torch.nn.Dropout1d``) after
        each convolution block. "auto" is 0.2 for vocabularies of more than
        64 token ids (words) and 0 otherwise (DNA, proteins, SMILES, float
        input). On the defaults benchmark it lifted a sentence set's
        accuracy by 0.02-0.04 (three seeds) and broke motif learning on
        DNA.

    batch_norm : bool, default={default}
        Batch normalisation in the convolution blocks (statistics over real
        positions only) and in the dense layers.

    residual : bool, default={default}
        Residual convolution blocks ``x + f(x)`` (a 1x1 convolution where the
        widths or strides differ). Needs ``padding="same"``."""
)

_CNN_DOCS = sequence_docs(_ARCHITECTURE_DOC)


@document(**_CNN_DOCS)
class SequenceCNNClassifier(NeuralClassifierMixin, _SequenceCNNFamily):
    """1-D convolutional network classifier for sequences (PyTorch via skorch).

    Token embedding (or one-hot channels, or the input's own channels), a
    stack of convolution + pooling blocks, global pooling over positions
    and a dense head; beside them, a linear model on token n-gram counts
    whose output is added to the network's (``linear_ngrams``); the head
    also reads the token bigram counts of proteins and SMILES
    (``ngram_features``), the residue counts of each protein's two ends
    (``end_features``) and the log length (``length_feature``); for
    float series of one length a linear model on positions is added to the
    output too (``linear_positions``). The convolutions
    follow the protein solubility network of White's *Deep Learning for
    Molecules & Materials* (embedding 16; conv 16x5, 16x3, 16x3 with
    max-pooling; dense 256 and 64), with the changes listed in the Notes.
    The linear branches, the length input, dropout 0.5 on token ids (and
    channel dropout for word vocabularies), the per-series scaling and
    summaries of float series and the training recipe (batch size and epochs
    by data size, one-cycle schedule) were chosen on the defaults benchmark
    (``benchmarks/results/defaults.md``).

    See Also
    --------
    SequenceCNNRegressor : The same network for regression.
    skdl.preprocessing.SequenceTokenizer : Strings to token ids.

    Notes
    -----
    The textbook network uses Keras' default "valid" convolutions, a
    ``Flatten`` of a fixed length of 200 and tanh in its second dense layer.
    skdl's defaults use "same" convolutions and global max-pooling instead,
    so that sequences of any length (also shorter than the receptive field)
    get features and variable-length batches work, and one activation for
    all dense layers, so that any depth works; ``padding="valid"``,
    ``global_pooling="flatten"``, ``dense_activation=("relu", "tanh")`` and
    ``SequenceTokenizer(max_len=200)`` give the textbook's form, with
    ``linear_ngrams=0, ngram_features=0, end_features=0,
    length_feature=False, linear_positions=False, dropout=0.0`` for its
    network alone.

    Examples
    --------
    >>> from sklearn.pipeline import make_pipeline
    >>> from skdl import SequenceCNNClassifier
    >>> from skdl.preprocessing import SequenceTokenizer
    >>> X = ["ACGTTATAATGC", "GGCATTGC", "TTATAATCC", "CCGGA"] * 10
    >>> y = [1, 0, 1, 0] * 10
    >>> pipe = make_pipeline(
    ...     SequenceTokenizer(alphabet="dna"),
    ...     SequenceCNNClassifier(max_epochs=30, lr=1e-2, random_state=0),
    ... )
    >>> pipe.fit(X, y).score(X, y)
    1.0
    """

    _parameter_constraints = {
        **_SequenceCNNFamily._parameter_constraints,
        "class_weight": [dict, StrOptions({"balanced"}), None],
    }

    _resolved_in_fit = (*_SequenceCNNFamily._resolved_in_fit, "dropout")

    _auto_epochs_note = """
        On token ids this classifier trains {min_epochs} epochs however
        small the data: on a few hundred DNA, protein or text sequences
        more steps fitted the training set past what generalises (the
        defaults benchmark's small-data rows)."""

    _auto_lr_note = """
        This classifier's "auto" is 3e-3 on float input (series): on the
        defaults benchmark's series choose sets it took PLAID from 0.719 to
        0.782 accuracy (five-seed means) and left GunPoint and ItalyPower
        where they were."""

    def _auto_lr(self):
        # Float series (one or a few channels, each series standardised by
        # its own statistics) trained too slowly at 1e-3: defaults
        # benchmark, step 31 (PLAID 0.719 -> 0.782, five seeds).
        if getattr(self, "_kind_", None) == "values":
            return 3e-3
        return super()._auto_lr()

    def _min_steps(self):
        # On token ids the classifier trains its 20 epochs however small the
        # data: with the 1,000-step minimum it fitted 200-sequence training
        # sets past what generalises (defaults benchmark, step 24: 250-row
        # subsets of DNA, protein and text sets). Float series keep it.
        if getattr(self, "_kind_", None) == "tokens":
            return 0
        return super()._min_steps()

    def __init__(
        self,
        *,
        embedding_dim=16,
        pretrained_embeddings=None,
        freeze_embeddings=False,
        side_features=0,
        normalize_input="series",
        linear_ngrams="auto",
        ngram_features="auto",
        end_features="auto",
        length_feature=True,
        linear_positions="auto",
        conv_filters="auto",
        kernel_sizes=(5, 3, 3),
        strides=1,
        dilations=1,
        padding="same",
        pooling="max",
        pool_sizes="auto",
        global_pooling="max",
        activation="relu",
        hidden_layer_sizes=(256, 64),
        dense_activation="relu",
        dropout="auto",
        spatial_dropout="auto",
        batch_norm=False,
        residual=False,
        class_weight=None,
        l1=0.0,
        l2=0.0,
        regularize_bias=False,
        max_epochs="auto",
        batch_size="auto",
        lr="auto",
        lr_schedule="onecycle",
        optimizer="adam",
        optimizer_params=None,
        weight_decay=0.0,
        early_stopping=False,
        validation_fraction=0.1,
        n_iter_no_change=5,
        callbacks=None,
        device="cpu",
        precision="float32",
        n_threads=1,
        random_state=None,
        verbose=0,
        warm_start=False,
        module=None,
        module_params=None,
    ):
        self._store_params(locals())


@document(**_CNN_DOCS)
class SequenceCNNRegressor(NeuralRegressorMixin, _SequenceCNNFamily):
    """1-D convolutional network regressor for sequences (PyTorch via skorch).

    The network of :class:`SequenceCNNClassifier` with a regression output;
    predictions have the shape of the ``y`` seen in fit.

    See Also
    --------
    SequenceCNNClassifier : The same network for classification.
    skdl.preprocessing.SequenceTokenizer : Strings to token ids.

    Notes
    -----
    The targets are standardised for training (``normalize_y=True``) and
    predictions come back in y's units, so targets of any scale work.

    Examples
    --------
    >>> import numpy as np
    >>> from skdl import SequenceCNNRegressor
    >>> rng = np.random.RandomState(0)
    >>> X = rng.normal(size=(200, 30)).astype(np.float32)  # 200 series, length 30
    >>> y = X.max(axis=1)
    >>> reg = SequenceCNNRegressor(batch_size=20, max_epochs=50, lr=3e-3,
    ...                            random_state=0)
    >>> reg.fit(X, y).score(X, y) > 0.9
    True
    """

    _parameter_constraints = {
        **_SequenceCNNFamily._parameter_constraints,
        **NeuralRegressorMixin._regressor_constraints,
    }

    def __init__(
        self,
        *,
        embedding_dim=16,
        pretrained_embeddings=None,
        freeze_embeddings=False,
        side_features=0,
        normalize_input=True,
        linear_ngrams="auto",
        ngram_features="auto",
        end_features="auto",
        length_feature=True,
        linear_positions="auto",
        conv_filters="auto",
        kernel_sizes=(5, 3, 3),
        strides=1,
        dilations=1,
        padding="same",
        pooling="max",
        pool_sizes="auto",
        global_pooling="max",
        activation="relu",
        hidden_layer_sizes=(256, 64),
        dense_activation="relu",
        dropout=0.5,
        spatial_dropout="auto",
        batch_norm=False,
        residual=False,
        loss="squared_error",
        normalize_y=True,
        l1=0.0,
        l2=0.0,
        regularize_bias=False,
        max_epochs="auto",
        batch_size="auto",
        lr=1e-3,
        lr_schedule="onecycle",
        optimizer="adam",
        optimizer_params=None,
        weight_decay=0.0,
        early_stopping=False,
        validation_fraction=0.1,
        n_iter_no_change=5,
        callbacks=None,
        device="cpu",
        precision="float32",
        n_threads=1,
        random_state=None,
        verbose=0,
        warm_start=False,
        module=None,
        module_params=None,
    ):
        self._store_params(locals())
