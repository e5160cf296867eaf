"""1-D convolutional networks over sequences as sklearn classifiers and regressors."""

from numbers import Integral, Real

import numpy as np
import torch

from ..networks import ACTIVATIONS, SequenceCNNModule
from ..utils._compat import Interval, StrOptions, _check_feature_names, _check_y
from ..utils._data import ArrayDataset
from ..utils._docstring import FITTED_ATTRIBUTES, TRAINING_PARAMETERS, Substitution
from ..utils._sequence_input import check_sequences
from ._base import (
    _NO_Y,
    BaseNeuralNetwork,
    NeuralClassifierMixin,
    NeuralRegressorMixin,
    _warn_if_unused_architecture,
)

_ARCHITECTURE = (
    "embedding_dim",
    "pretrained_embeddings",
    "freeze_embeddings",
    "conv_filters",
    "kernel_sizes",
    "strides",
    "dilations",
    "padding",
    "pooling",
    "pool_sizes",
    "global_pooling",
    "hidden_layer_sizes",
    "activation",
    "dense_activation",
    "dropout",
    "spatial_dropout",
    "batch_norm",
    "residual",
)

_PER_LAYER = [Interval(Integral, 1, None, closed="left"), "array-like"]


class _SequenceCNNMixin:
    """Sequence input, architecture parameters and module building."""

    _sequence_constraints = {
        "embedding_dim": [Interval(Integral, 1, None, closed="left"), None],
        "pretrained_embeddings": ["array-like", None],
        "freeze_embeddings": ["boolean"],
        "conv_filters": ["array-like"],
        "kernel_sizes": _PER_LAYER,
        "strides": _PER_LAYER,
        "dilations": _PER_LAYER,
        "padding": [StrOptions({"same", "valid"})],
        "pooling": [StrOptions({"max", "avg"})],
        "pool_sizes": _PER_LAYER,
        "global_pooling": [StrOptions({"max", "mean", "max_mean", "flatten"})],
        "hidden_layer_sizes": ["array-like"],
        "activation": [StrOptions(set(ACTIVATIONS))],
        "dense_activation": [StrOptions(set(ACTIVATIONS)), "array-like"],
        "dropout": [Interval(Real, 0, 1, closed="left")],
        "spatial_dropout": [Interval(Real, 0, 1, closed="left")],
        "batch_norm": ["boolean"],
        "residual": ["boolean"],
        "l1": [Interval(Real, 0, None, closed="left")],
        "l2": [Interval(Real, 0, None, closed="left")],
        "regularize_bias": ["boolean"],
    }

    # --------------------------------------------------------------- input
    def _validate_X(self, X, y=_NO_Y, *, reset):
        name = type(self).__name__
        if y is None:
            raise ValueError(
                f"This {name} estimator requires y to be passed, but the target "
                "y is None."
            )
        _check_feature_names(self, X, reset=reset)
        seqs = check_sequences(X, name)
        if y is not _NO_Y:
            y = _check_y(
                y, multi_output=True, y_numeric=self._y_numeric, estimator=self
            )
            if len(y) != len(seqs):
                raise ValueError(
                    f"{name}: X holds {len(seqs)} sequences but y has {len(y)} targets."
                )
        if reset:
            self._set_input_sizes(X, seqs)
        else:
            seqs = self._check_like_fit(seqs)
        return seqs, (None if y is _NO_Y else y)

    def _set_input_sizes(self, X, seqs):
        self._kind = seqs.kind
        for attr in ("vocab_size_", "n_channels_", "n_features_in_"):
            self.__dict__.pop(attr, None)
        if seqs.table:
            self.n_features_in_ = seqs.length
        if seqs.kind == "tokens":
            self.vocab_size_ = max(int(seqs.data.max()) + 1, 2)
            if self.pretrained_embeddings is not None:
                rows = len(self.pretrained_embeddings)
                if self.vocab_size_ > rows:
                    raise ValueError(
                        f"{type(self).__name__}: X holds token id "
                        f"{self.vocab_size_ - 1}, but pretrained_embeddings has "
                        f"only {rows} rows (ids 0..{rows - 1})."
                    )
                self.vocab_size_ = rows
        else:
            self.n_channels_ = seqs.n_channels
        self.max_len_ = self._real_length(seqs)

    @staticmethod
    def _real_length(seqs):
        if seqs.lengths is not None:
            return int(seqs.lengths.max())
        if seqs.kind == "tokens":
            return int((seqs.data != 0).sum(1).max())
        return seqs.length

    def _check_like_fit(self, seqs):
        name = type(self).__name__
        fitted_width = getattr(self, "n_features_in_", None)
        if seqs.table and fitted_width is not None and seqs.length != fitted_width:
            raise ValueError(
                f"X has {seqs.length} features, but {name} is expecting "
                f"{fitted_width} features as input (the padded length of the 2-D "
                "X seen in fit). Pad or truncate to that length (a "
                "SequenceTokenizer in the same Pipeline does), or pass the "
                "sequences as a list of arrays, which may have any length."
            )
        if seqs.kind != self._kind:
            fitted = "token ids (integers)" if self._kind == "tokens" else "values"
            got = "token ids (integers)" if seqs.kind == "tokens" else "values (floats)"
            raise ValueError(
                f"{name} was fitted on {fitted}, but X holds {got}. Pass X in the "
                "form used in fit."
            )
        if seqs.kind == "tokens":
            top = int(seqs.data.max()) if seqs.data.numel() else 0
            if top >= self.vocab_size_:
                raise ValueError(
                    f"{name}: X holds token id {top}, but the network was fitted "
                    f"on ids 0..{self.vocab_size_ - 1}. Encode X with the "
                    "tokenizer fitted together with this estimator (in one "
                    "Pipeline); it maps unseen tokens to id 1."
                )
        elif seqs.n_channels != self.n_channels_:
            raise ValueError(
                f"X has {seqs.n_channels} channels, but {name} was fitted with "
                f"{self.n_channels_}."
            )
        if self.global_pooling == "flatten" and self.module is None:
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

    def _data_sizes(self, X):
        if X.kind == "tokens":
            return {"vocab_size": self.vocab_size_}
        return {"n_channels": self.n_channels_}

    def _dataset(self, X, y=None, w=None):
        return ArrayDataset(X.data, y, w, lengths=X.lengths)

    # ------------------------------------------------------------- network
    def _build_module(self, n_outputs, vocab_size=None, n_channels=None):
        if self.module is not None:
            _warn_if_unused_architecture(self, _ARCHITECTURE)
            sizes = {"vocab_size": vocab_size} if vocab_size else {}
            sizes |= {"n_channels": n_channels} if n_channels else {}
            return self._custom_module(n_outputs=n_outputs, **sizes)
        name = type(self).__name__
        for param in ("conv_filters", "hidden_layer_sizes"):
            values = list(getattr(self, param))
            if not all(isinstance(v, Integral) and v > 0 for v in values):
                raise ValueError(
                    f"{name}: {param} must be positive integers; got "
                    f"{getattr(self, param)!r}."
                )
        self._check_per_layer(
            "conv_filters", "kernel_sizes", "strides", "dilations", "pool_sizes"
        )
        self._check_per_layer("hidden_layer_sizes", "dense_activation")
        embeddings = self.pretrained_embeddings
        if embeddings is not None:
            embeddings = np.asarray(embeddings, dtype=np.float32)
            if embeddings.ndim != 2:
                raise ValueError(
                    f"{name}: pretrained_embeddings must be 2-D (vocab_size, dim); "
                    f"got shape {embeddings.shape}."
                )
            if (
                self.embedding_dim is not None
                and self.embedding_dim != embeddings.shape[1]
            ):
                raise ValueError(
                    f"{name}: embedding_dim={self.embedding_dim} but "
                    f"pretrained_embeddings has {embeddings.shape[1]} columns; "
                    "set embedding_dim=None to take the width from the array."
                )
            embeddings = torch.from_numpy(embeddings)
        try:
            return SequenceCNNModule(
                n_outputs=n_outputs,
                vocab_size=vocab_size,
                n_channels=n_channels,
                embedding_dim=self.embedding_dim,
                pretrained_embeddings=embeddings,
                freeze_embeddings=self.freeze_embeddings,
                conv_filters=self.conv_filters,
                kernel_sizes=self.kernel_sizes,
                strides=self.strides,
                dilations=self.dilations,
                padding=self.padding,
                pooling=self.pooling,
                pool_sizes=self.pool_sizes,
                global_pooling=self.global_pooling,
                max_len=self.max_len_,
                hidden_layer_sizes=self.hidden_layer_sizes,
                activation=self.activation,
                dense_activation=self.dense_activation,
                dropout=self.dropout,
                spatial_dropout=self.spatial_dropout,
                batch_norm=self.batch_norm,
                residual=self.residual,
            )
        except ValueError as exc:
            raise ValueError(f"{name}: {exc}") from None

    def _check_per_layer(self, layers, *params):
        n = len(getattr(self, layers))
        if n == 0:  # no such layers: their per-layer settings are unused
            return
        for param in params:
            value = getattr(self, param)
            if isinstance(value, str) or np.ndim(value) == 0:
                continue
            if len(value) != n:
                raise ValueError(
                    f"{type(self).__name__}: {param}={value!r} has {len(value)} "
                    f"entries, but {layers} has {n} layers. Give one value per "
                    f"layer, or a single value for all of them."
                )

    def default_search_space(self):
        """The space :class:`skdl.search.OptunaSearchCV` searches by default.

        Returns
        -------
        space : callable
            ``space(trial) -> dict`` of parameters of this estimator, drawn
            with ``trial.suggest_*``; see ``skdl.search._spaces.sequence_cnn_space`` for
            the ranges.
        """
        from ..search._spaces import sequence_cnn_space

        return sequence_cnn_space

    def _penalties(self):
        return dict(l1=self.l1, l2=self.l2, regularize_bias=self.regularize_bias)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        return tags


_ARCHITECTURE_DOC = """
    embedding_dim : int or None, default=16
        Width of the learned token embedding. None feeds one-hot channels
        (one per token id except padding) straight into the convolutions.
        Not used for float input.

    pretrained_embeddings : array-like of shape (vocab_size, dim), default=None
        Initial embedding weights, row ``i`` for token id ``i`` (row 0,
        padding, is never used). Token ids in X must be below ``vocab_size``.

    freeze_embeddings : bool, default=False
        Keep the embedding weights fixed during training.

    conv_filters : array-like of int, default=(16, 16, 16)
        Output channels of each convolution block; ``()`` pools the
        embeddings directly.

    kernel_sizes : int or array-like of int, default=(5, 3, 3)
        Kernel width of each convolution (one int for all).

    strides : int or array-like of int, default=1
        Stride of each convolution.

    dilations : int or array-like of int, default=1
        Dilation of each convolution.

    padding : {"same", "valid"}, default="same"
        "same" keeps the length (for stride 1); "valid" convolves only where
        the kernel fits inside the sequence, so sequences shorter than the
        receptive field contribute no features.

    pooling : {"max", "avg"}, default="max"
        Pooling after each convolution block.

    pool_sizes : int or array-like of int, default=(4, 2, 2)
        Window (and stride) of each block's pooling; 1 means no pooling.

    global_pooling : {"max", "mean", "max_mean", "flatten"}, default="max"
        How the final (channels, length) map becomes a vector for the dense
        head. "max" (is a pattern anywhere?), "mean" (how much of it, i.e.
        composition) and "max_mean" (both, concatenated) read real positions
        only and accept sequences of any length. "flatten" keeps positions
        (as Keras' ``Flatten``); the network is then built for the longest
        sequence seen in fit (``max_len_``), and longer sequences are
        refused at predict.

    hidden_layer_sizes : array-like of int, default=(256, 64)
        Widths of the dense layers after global pooling.

    activation : str, default="relu"
        Activation of the convolution blocks: "relu", "leaky_relu", "elu",
        "selu", "gelu", "silu", "tanh", "sigmoid", "softplus" or "identity".

    dense_activation : str or array-like of str, default=("relu", "tanh")
        Activation of the dense layers: one name for all, or one per layer.

    dropout : float, default=0.0
        Dropout after each dense hidden layer.

    spatial_dropout : float, default=0.0
        Channel dropout (whole feature maps, ``torch.nn.Dropout1d``) after
        each convolution block.

    batch_norm : bool, default=False
        Batch normalisation in the convolution blocks (statistics over real
        positions only) and in the dense layers.

    residual : bool, default=False
        Residual convolution blocks ``x + f(x)`` (a 1x1 convolution where the
        widths or strides differ). Needs ``padding="same"``.

    l1 : float, default=0.0
        L1 penalty ``l1 * sum|w|`` on convolution and dense kernels, added to
        the training loss.

    l2 : float, default=0.0
        L2 penalty ``l2 * sum w**2`` on the kernels.

    regularize_bias : bool, default=False
        Also apply ``l1`` and ``l2`` to biases.
""".strip("\n").lstrip()

_MODULE_DOC = """
    module : torch.nn.Module subclass, default=None
        Replaces the default network. It is called as ``module(n_outputs=...,
        vocab_size=..., **module_params)`` for token input or with
        ``n_channels=...`` for float input; its ``forward(x, lengths=None)``
        gets a batch of left-aligned sequences (padding id 0 / zeros at the
        end) and, for variable-length input, each row's real length, and
        returns ``(n_samples, n_outputs)`` logits (raw predictions for
        regressors). The architecture hyperparameters above are then not used.

    module_params : dict, default=None
        Keyword arguments for ``module``.
""".strip("\n").lstrip()

_SEQUENCE_ATTRIBUTES = """
    vocab_size_ : int
        Number of token ids the network embeds (the largest id in fit plus
        one, at least 2; or the rows of ``pretrained_embeddings``). Only for
        token input.

    n_channels_ : int
        Channels per position. Only for float input.

    max_len_ : int
        Length of the longest sequence seen in fit (padding not counted).

    n_features_in_ : int
        Columns of a 2-D X seen in fit (its padded length); set for 2-D
        input. Any length is accepted at predict unless
        ``global_pooling="flatten"``.

    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names of a pandas DataFrame X seen in fit.
""".strip("\n").lstrip()

_INPUT_DOC = """
    X can be

    - a 2-D integer array ``(n_samples, length)`` of token ids with 0 as
      padding, as :class:`skdl.preprocessing.SequenceTokenizer` makes;
    - a list (or 1-D object array) of 1-D integer arrays of different
      lengths (``SequenceTokenizer(max_len="ragged")``): each batch is then
      padded only to its own longest sequence, and batches group sequences
      of similar length;
    - a float array ``(n_samples, length)`` (one value per position) or
      ``(n_samples, length, channels)`` (time series, one-hot encodings), or
      a list of float arrays ``(length_i,)`` / ``(length_i, channels)`` of
      different lengths.

    Integer dtype means token ids, floating dtype means values. Padding is
    masked in every layer, so appending padding to a sequence does not
    change its prediction, and pre- and post-padding give the same result.
""".strip("\n").lstrip()


@Substitution(
    architecture=_ARCHITECTURE_DOC,
    training=TRAINING_PARAMETERS,
    module=_MODULE_DOC,
    sequence=_SEQUENCE_ATTRIBUTES,
    fitted=FITTED_ATTRIBUTES,
    input=_INPUT_DOC,
)
class SequenceCNNClassifier(
    NeuralClassifierMixin, _SequenceCNNMixin, BaseNeuralNetwork
):
    """1-D convolutional network classifier for sequences (PyTorch via skorch).

    Token embedding (or one-hot channels, or the input's own channels), a
    stack of convolution + pooling blocks, global pooling over positions
    and a dense head. The defaults follow the protein solubility network of
    White's *Deep Learning for Molecules & Materials* (embedding 16; conv
    16x5, 16x3, 16x3 with max-pooling; dense 256 relu and 64 tanh).

    {input}

    Parameters
    ----------
    {architecture}

    class_weight : dict, "balanced" or None, default=None
        Weights per class, multiplied into the per-sample loss. "balanced"
        uses ``n_samples / (n_classes * np.bincount(y))``.

    {training}

    {module}

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels (for multilabel y, the label indices ``0..n_labels-1``).

    {sequence}

    {fitted}

    See Also
    --------
    SequenceCNNRegressor : The same network for regression.
    skdl.preprocessing.SequenceTokenizer : Strings to token ids.

    Notes
    -----
    The textbook network uses Keras' default "valid" convolutions and a
    ``Flatten`` of a fixed length of 200. skdl's defaults use "same"
    convolutions and global max-pooling instead, so that sequences of any
    length (also shorter than the receptive field) get features and
    variable-length batches work; ``padding="valid"``,
    ``global_pooling="flatten"`` and ``SequenceTokenizer(max_len=200)`` give
    the textbook's form.

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
        **BaseNeuralNetwork._parameter_constraints,
        **_SequenceCNNMixin._sequence_constraints,
        "class_weight": [dict, StrOptions({"balanced"}), None],
    }

    def __init__(
        self,
        *,
        embedding_dim=16,
        pretrained_embeddings=None,
        freeze_embeddings=False,
        conv_filters=(16, 16, 16),
        kernel_sizes=(5, 3, 3),
        strides=1,
        dilations=1,
        padding="same",
        pooling="max",
        pool_sizes=(4, 2, 2),
        global_pooling="max",
        hidden_layer_sizes=(256, 64),
        activation="relu",
        dense_activation=("relu", "tanh"),
        dropout=0.0,
        spatial_dropout=0.0,
        batch_norm=False,
        residual=False,
        l1=0.0,
        l2=0.0,
        regularize_bias=False,
        class_weight=None,
        max_epochs=20,
        batch_size="auto",
        lr=1e-3,
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
        self.embedding_dim = embedding_dim
        self.pretrained_embeddings = pretrained_embeddings
        self.freeze_embeddings = freeze_embeddings
        self.conv_filters = conv_filters
        self.kernel_sizes = kernel_sizes
        self.strides = strides
        self.dilations = dilations
        self.padding = padding
        self.pooling = pooling
        self.pool_sizes = pool_sizes
        self.global_pooling = global_pooling
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.dense_activation = dense_activation
        self.dropout = dropout
        self.spatial_dropout = spatial_dropout
        self.batch_norm = batch_norm
        self.residual = residual
        self.l1 = l1
        self.l2 = l2
        self.regularize_bias = regularize_bias
        self.class_weight = class_weight
        self.max_epochs = max_epochs
        self.batch_size = batch_size
        self.lr = lr
        self.optimizer = optimizer
        self.optimizer_params = optimizer_params
        self.weight_decay = weight_decay
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.callbacks = callbacks
        self.device = device
        self.precision = precision
        self.n_threads = n_threads
        self.random_state = random_state
        self.verbose = verbose
        self.warm_start = warm_start
        self.module = module
        self.module_params = module_params


@Substitution(
    architecture=_ARCHITECTURE_DOC,
    training=TRAINING_PARAMETERS,
    module=_MODULE_DOC,
    sequence=_SEQUENCE_ATTRIBUTES,
    fitted=FITTED_ATTRIBUTES,
    input=_INPUT_DOC,
)
class SequenceCNNRegressor(NeuralRegressorMixin, _SequenceCNNMixin, BaseNeuralNetwork):
    """1-D convolutional network regressor for sequences (PyTorch via skorch).

    The network of :class:`SequenceCNNClassifier` with a regression output;
    predictions have the shape of the ``y`` seen in fit.

    {input}

    Parameters
    ----------
    {architecture}

    loss : {"squared_error", "absolute_error", "huber"}, default="squared_error"
        Training loss; "mse" and "mae" are accepted as aliases.

    {training}

    {module}

    Attributes
    ----------
    n_outputs_ : int
        Number of regression targets.

    {sequence}

    {fitted}

    See Also
    --------
    SequenceCNNClassifier : The same network for classification.
    skdl.preprocessing.SequenceTokenizer : Strings to token ids.

    Notes
    -----
    Targets are not scaled for you; for targets far from unit scale wrap the
    estimator in ``sklearn.compose.TransformedTargetRegressor``.

    Examples
    --------
    >>> import numpy as np
    >>> from skdl import SequenceCNNRegressor
    >>> rng = np.random.RandomState(0)
    >>> X = rng.normal(size=(200, 30)).astype(np.float32)  # 200 series, length 30
    >>> y = X.max(axis=1)
    >>> reg = SequenceCNNRegressor(batch_size=20, max_epochs=30, lr=3e-3,
    ...                            random_state=0)
    >>> reg.fit(X, y).score(X, y) > 0.9
    True
    """

    _parameter_constraints = {
        **BaseNeuralNetwork._parameter_constraints,
        **_SequenceCNNMixin._sequence_constraints,
        "loss": [StrOptions(set(NeuralRegressorMixin._LOSSES))],
    }

    def __init__(
        self,
        *,
        embedding_dim=16,
        pretrained_embeddings=None,
        freeze_embeddings=False,
        conv_filters=(16, 16, 16),
        kernel_sizes=(5, 3, 3),
        strides=1,
        dilations=1,
        padding="same",
        pooling="max",
        pool_sizes=(4, 2, 2),
        global_pooling="max",
        hidden_layer_sizes=(256, 64),
        activation="relu",
        dense_activation=("relu", "tanh"),
        dropout=0.0,
        spatial_dropout=0.0,
        batch_norm=False,
        residual=False,
        l1=0.0,
        l2=0.0,
        regularize_bias=False,
        loss="squared_error",
        max_epochs=20,
        batch_size="auto",
        lr=1e-3,
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
        self.embedding_dim = embedding_dim
        self.pretrained_embeddings = pretrained_embeddings
        self.freeze_embeddings = freeze_embeddings
        self.conv_filters = conv_filters
        self.kernel_sizes = kernel_sizes
        self.strides = strides
        self.dilations = dilations
        self.padding = padding
        self.pooling = pooling
        self.pool_sizes = pool_sizes
        self.global_pooling = global_pooling
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.dense_activation = dense_activation
        self.dropout = dropout
        self.spatial_dropout = spatial_dropout
        self.batch_norm = batch_norm
        self.residual = residual
        self.l1 = l1
        self.l2 = l2
        self.regularize_bias = regularize_bias
        self.loss = loss
        self.max_epochs = max_epochs
        self.batch_size = batch_size
        self.lr = lr
        self.optimizer = optimizer
        self.optimizer_params = optimizer_params
        self.weight_decay = weight_decay
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.callbacks = callbacks
        self.device = device
        self.precision = precision
        self.n_threads = n_threads
        self.random_state = random_state
        self.verbose = verbose
        self.warm_start = warm_start
        self.module = module
        self.module_params = module_params
