"""Self-attention encoders (transformers) over sequences as sklearn estimators."""

from numbers import Integral, Real

from ..networks import ACTIVATIONS, TransformerModule
from ..networks._transformer import POSITIONAL_ENCODINGS, TRANSFORMER_POOLINGS
from ..utils._compat import Interval, StrOptions
from ..utils._docstring import document
from ._base import (
    BaseNeuralNetwork,
    NeuralClassifierMixin,
    NeuralRegressorMixin,
    training_space,
)
from ._sequence import (
    CLIP_CONSTRAINTS,
    CLIP_DOC,
    EMBEDDING_DOC,
    HEAD_CONSTRAINTS,
    HEAD_DOC,
    HEAD_PER_LAYER,
    NORMALIZE_CONSTRAINTS,
    NORMALIZE_DOC,
    PATCH_CONSTRAINTS,
    SEQUENCE_CONSTRAINTS,
    WIDE_CONSTRAINTS,
    WIDE_DOC,
    _SequenceInput,
    sequence_docs,
)


def transformer_space(trial):
    """Learning rate, batch size, weight decay, width, heads, depth,
    feed-forward width, pooling, dense width, dropouts."""
    d_model = trial.suggest_categorical("d_model", [32, 64, 128])
    return {
        **training_space(trial, lr=(1e-4, 3e-3), batch_sizes=(32, 64, 128)),
        "embedding_dim": d_model,
        "d_model": d_model,
        "n_heads": trial.suggest_categorical("n_heads", [1, 2, 4]),
        "n_layers": trial.suggest_int("n_layers", 1, 4),
        "dim_feedforward": 2 * d_model,
        "global_pooling": trial.suggest_categorical(
            "global_pooling", ["cls", "mean", "max", "attention"]
        ),
        "hidden_layer_sizes": (trial.suggest_int("dense_width", 16, 256, log=True),),
        "dropout": trial.suggest_float("dropout", 0.0, 0.5),
        "encoder_dropout": trial.suggest_float("encoder_dropout", 0.0, 0.3),
    }


class _TransformerFamily(_SequenceInput, BaseNeuralNetwork):
    """Self-attention encoders on sequences: module, constraints, search space."""

    _module_class = TransformerModule
    _search_space = staticmethod(transformer_space)
    _per_layer = HEAD_PER_LAYER
    _parameter_constraints = {
        **BaseNeuralNetwork._parameter_constraints,
        **SEQUENCE_CONSTRAINTS,
        **NORMALIZE_CONSTRAINTS,
        **WIDE_CONSTRAINTS,
        **HEAD_CONSTRAINTS,
        **CLIP_CONSTRAINTS,
        "d_model": [Interval(Integral, 1, None, closed="left")],
        "n_heads": [Interval(Integral, 1, None, closed="left")],
        "n_layers": [Interval(Integral, 0, None, closed="left")],
        "dim_feedforward": [Interval(Integral, 1, None, closed="left")],
        "encoder_dropout": [Interval(Real, 0, 1, closed="left")],
        "attention_dropout": [Interval(Real, 0, 1, closed="left")],
        "activation": [StrOptions(set(ACTIVATIONS))],
        "norm_first": ["boolean"],
        "positional_encoding": [StrOptions(set(POSITIONAL_ENCODINGS))],
        "max_len": [Interval(Integral, 1, None, closed="left")],
        **PATCH_CONSTRAINTS,
        "global_pooling": [StrOptions(set(TRANSFORMER_POOLINGS))],
        "batch_norm": ["boolean"],
    }

    def _module_kwargs(self, X, rows=None):
        # The estimator's max_len is the truncation length (the module's
        # max_positions); the module's max_len (the longest fit sequence, for
        # the position branch) stops there too.
        kwargs = super()._module_kwargs(X, rows)
        kwargs["max_positions"] = self.max_len
        kwargs["max_len"] = min(self.max_len_, self.max_len)
        return kwargs


_ARCHITECTURE_DOC = (
    EMBEDDING_DOC
    + "\n\n    "
    + NORMALIZE_DOC
    + "\n\n    "
    + WIDE_DOC
    + """

    d_model : int, default={default}
        Width of the encoder. The front end's output (``embedding_dim``
        wide for token ids, the channels for float input) is projected
        linearly to it unless it has this width already.

    n_heads : int, default={default}
        Attention heads per layer; ``d_model`` must be a multiple of it.

    n_layers : int, default={default}
        Encoder layers (self-attention and feed-forward blocks).

    dim_feedforward : int, default={default}
        Width of each layer's feed-forward block.

    encoder_dropout : float, default={default}
        Dropout inside the feed-forward blocks and on each residual branch.

    attention_dropout : float, default={default}
        Dropout on the attention weights. Off by default: on the defaults
        benchmark's choose sets 0.0 scored as well as 0.1 or better, and a
        training step on series of 251 points took half the time (with
        dropout, torch's CPU attention cannot use its fused kernel).

    activation : str, default={default}
        Activation of the feed-forward blocks (any name of the dense
        activations: "gelu", "relu", ...).

    norm_first : bool, default={default}
        Layer norm before each block (pre-norm, which trains stably without
        a warm-up) rather than after the residual sum (the original
        post-norm layout).

    positional_encoding : {"sinusoidal", "learned", "none"}, default={default}
        How the encoder learns where a token is: fixed sines and cosines
        (Vaswani et al.; any length), a learned vector per position (one
        per position up to ``max_len``), or none (self-attention alone does
        not see order).

    max_len : int, default={default}
        Sequences longer than this are truncated to their first ``max_len``
        positions, in fit and predict, for every branch of the network
        (attention costs time quadratic in the length). Longer tasks can
        raise it (``benchmarks/bench_families.py`` measures time and
        memory per epoch by length).

    patch_size : int or "auto", default={default}
        Positions per patch ("auto": see ``patch_kernel``). Above 1, a
        strided convolution (kernel and stride ``patch_size``) makes one
        ``d_model``-wide vector of each run of ``patch_size`` tokens, in
        place of the per-token projection, so
        attention runs over ``patch_size`` times fewer positions: a layer's
        attention costs about ``patch_size**2`` times less, the rest
        ``patch_size`` times less (ViT's patches; k-mer tokens for DNA).
        ``max_len`` still counts tokens.

    patch_kernel : int, None or "auto", default={default}
        None: the patches above. An int: a convolutional stem instead, a
        convolution of that width centred on every token (stride 1), the
        activation, then max-pooling over windows of ``patch_size``
        positions, so a motif is found wherever it lies in a patch (as
        hybrid CNN-transformer models of DNA, e.g. Enformer, begin).
        "auto" for both: the stem of width 9 pooled by 4 for token ids of
        alphabets of at most 16 ids (DNA, RNA), one vector per position
        otherwise (proteins, SMILES, text, float series). On the defaults
        benchmark's Oct4/MafK (200 nt), one vector per nucleotide took 8x
        the CNN's epoch time; patches of 4 scored 0.848 and the stem 0.975
        (the CNN 0.959, k-mer logistic regression 0.776), and the promoter
        set confirmed it (0.896 against 0.830 without).

    global_pooling : {"cls", "mean", "max", "max_mean", "attention"}, default={default}
        How the encoded positions become one vector per sequence: a learned
        [CLS] vector prepended to each sequence and read out after the
        encoder (BERT's way), pooling over real positions ("mean", "max",
        "max_mean"), or learned attention pooling.

    """
    + HEAD_DOC
    + """

    batch_norm : bool, default={default}
        Batch normalisation in the dense head.

    """
    + CLIP_DOC
)

_TRANSFORMER_DOCS = sequence_docs(_ARCHITECTURE_DOC)


@document(**_TRANSFORMER_DOCS)
class TransformerClassifier(NeuralClassifierMixin, _TransformerFamily):
    """Self-attention encoder (transformer) classifier for sequences (PyTorch
    via skorch).

    Token embedding (or one-hot channels, or the input's own channels)
    projected to ``d_model``, positional encoding, a stack of pre-norm
    encoder layers whose attention reads real positions only (a key-padding
    mask from the lengths), pooling and a dense head; beside them the same
    linear branches and head inputs as :class:`SequenceCNNClassifier`
    (``linear_ngrams``, ``ngram_features``, ``end_features``,
    ``length_feature``, ``linear_positions``), and the same training recipe,
    with gradient clipping. Trained from scratch: no pretrained weights are
    downloaded.

    See Also
    --------
    TransformerRegressor : The same network for regression.
    SequenceCNNClassifier : Convolutions instead of attention.
    RNNClassifier : Recurrence instead of attention.
    skdl.preprocessing.SequenceTokenizer : Strings to token ids.

    Examples
    --------
    >>> from sklearn.pipeline import make_pipeline
    >>> from skdl import TransformerClassifier
    >>> from skdl.preprocessing import SequenceTokenizer
    >>> X = ["ACGTTATAATGC", "GGCATTGC", "TTATAATCC", "CCGGA"] * 10
    >>> y = [1, 0, 1, 0] * 10
    >>> pipe = make_pipeline(
    ...     SequenceTokenizer(alphabet="dna"),
    ...     TransformerClassifier(d_model=16, embedding_dim=16, max_epochs=20,
    ...                           random_state=0),
    ... )
    >>> pipe.fit(X, y).score(X, y)
    1.0
    """

    _parameter_constraints = {
        **_TransformerFamily._parameter_constraints,
        "class_weight": [dict, StrOptions({"balanced"}), None],
    }

    def __init__(
        self,
        *,
        embedding_dim=64,
        pretrained_embeddings=None,
        freeze_embeddings=False,
        side_features=0,
        normalize_input=True,
        linear_ngrams="auto",
        ngram_features="auto",
        end_features=0,
        length_feature=True,
        linear_positions="auto",
        d_model=64,
        n_heads=4,
        n_layers=2,
        dim_feedforward=128,
        encoder_dropout=0.1,
        attention_dropout=0.0,
        activation="gelu",
        norm_first=True,
        positional_encoding="sinusoidal",
        max_len=1024,
        patch_size="auto",
        patch_kernel="auto",
        global_pooling="mean",
        hidden_layer_sizes=(64,),
        dense_activation="relu",
        dropout=0.5,
        batch_norm=False,
        clip_grad_norm=1.0,
        class_weight=None,
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


@document(**_TRANSFORMER_DOCS)
class TransformerRegressor(NeuralRegressorMixin, _TransformerFamily):
    """Self-attention encoder (transformer) regressor for sequences (PyTorch
    via skorch).

    The network of :class:`TransformerClassifier` with a regression output;
    predictions have the shape of the ``y`` seen in fit.

    See Also
    --------
    TransformerClassifier : The same network for classification.
    SequenceCNNRegressor : Convolutions instead of attention.
    skdl.preprocessing.SequenceTokenizer : Strings to token ids.

    Notes
    -----
    The targets are standardised for training (``normalize_y=True``) and
    predictions come back in y's units, so targets of any scale work.

    Examples
    --------
    >>> import numpy as np
    >>> from skdl import TransformerRegressor
    >>> rng = np.random.RandomState(0)
    >>> X = rng.normal(size=(200, 20)).astype(np.float32)  # 200 series, length 20
    >>> y = X.mean(axis=1)
    >>> reg = TransformerRegressor(d_model=16, max_epochs=30, random_state=0)
    >>> reg.fit(X, y).score(X, y) > 0.9
    True
    """

    _parameter_constraints = {
        **_TransformerFamily._parameter_constraints,
        **NeuralRegressorMixin._regressor_constraints,
    }

    def __init__(
        self,
        *,
        embedding_dim=64,
        pretrained_embeddings=None,
        freeze_embeddings=False,
        side_features=0,
        normalize_input=True,
        linear_ngrams="auto",
        ngram_features="auto",
        end_features=0,
        length_feature=True,
        linear_positions="auto",
        d_model=64,
        n_heads=4,
        n_layers=2,
        dim_feedforward=128,
        encoder_dropout=0.1,
        attention_dropout=0.0,
        activation="gelu",
        norm_first=True,
        positional_encoding="sinusoidal",
        max_len=1024,
        patch_size="auto",
        patch_kernel="auto",
        global_pooling="mean",
        hidden_layer_sizes=(64,),
        dense_activation="relu",
        dropout=0.5,
        batch_norm=False,
        clip_grad_norm=1.0,
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
