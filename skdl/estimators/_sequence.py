"""Input of sequence estimators, shared by every sequence family.

Convolutional, recurrent and attention estimators take the same X (token
ids, padded or ragged; float series; optional side features) and share the
embedding front end's parameters. This mixin validates X, records what
prediction must match, checks X at predict against it, and turns the
embedding parameters into the module's arguments.
"""

import inspect
from numbers import Integral, Real

import numpy as np
import torch

from ..networks import ACTIVATIONS
from ..networks._sequence import SequenceEmbedding, auto_end_features, length_mask
from ..utils._compat import Interval, StrOptions, _check_feature_names
from ..utils._data import ArrayDataset
from ..utils._docstring import module_parameters
from ..utils._sequence_input import check_sequences
from ._base import NO_Y, standard_scale

SEQUENCE_CONSTRAINTS = {
    "embedding_dim": [Interval(Integral, 1, None, closed="left"), None],
    "pretrained_embeddings": ["array-like", None],
    "freeze_embeddings": ["boolean"],
    "side_features": [Interval(Integral, 0, None, closed="left")],
}

# Standardising float input (skdl.networks.SequenceEmbedding.standardize);
# families whose module takes input_shift / input_scale add it. A family
# written without it feeds float input as given.
NORMALIZE_CONSTRAINTS = {"normalize_input": ["boolean", StrOptions({"series"})]}

# Parameters of the wide branch and length feature beside a deep sequence
# network (skdl.networks.NgramLinear, log_length); families whose module
# takes linear_ngrams / ngram_features / length_feature add these.
WIDE_CONSTRAINTS = {
    "linear_ngrams": [Interval(Integral, 0, 5, closed="both"), StrOptions({"auto"})],
    "ngram_features": [Interval(Integral, 0, 5, closed="both"), StrOptions({"auto"})],
    "end_features": [Interval(Integral, 0, None, closed="left"), StrOptions({"auto"})],
    "length_feature": ["boolean"],
    "linear_positions": ["boolean", StrOptions({"auto"})],
}

# A stem that shortens the input before a costly encoder
# (skdl.networks.PatchStem): the transformer's and the recurrent networks'.
PATCH_CONSTRAINTS = {
    "patch_size": [Interval(Integral, 1, None, closed="left"), StrOptions({"auto"})],
    "patch_kernel": [
        Interval(Integral, 1, None, closed="left"),
        None,
        StrOptions({"auto"}),
    ],
}

# The dense head every sequence family ends with (skdl.networks.DenseModule
# behind skdl.networks.SequenceNetwork).
HEAD_CONSTRAINTS = {
    "hidden_layer_sizes": ["array-like"],
    "dense_activation": [StrOptions(set(ACTIVATIONS)), "array-like"],
    "dropout": [Interval(Real, 0, 1, closed="left")],
}

# Per-layer parameters of that head (BaseNeuralNetwork._per_layer).
HEAD_PER_LAYER = {"hidden_layer_sizes": ("dense_activation",)}

# Gradient clipping, for the families whose training it steadies (recurrent
# and attention networks).
CLIP_CONSTRAINTS = {"clip_grad_norm": [Interval(Real, 0, None, closed="neither"), None]}

INPUT_DOC = """
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
      different lengths;
    - with ``side_features=k``, a 2-D array whose last ``k`` columns are
      per-sample numeric features (e.g. a ``ColumnTransformer`` joining a
      ``SequenceTokenizer`` and a ``StandardScaler``) and whose other
      columns are token ids.

    Integer dtype means token ids, floating dtype means values; a float
    array that looks like token ids gets an ``InputKindWarning``. Padding is
    masked in every layer, so appending padding to a sequence does not
    change its prediction, and pre- and post-padding give the same result.
""".strip("\n").lstrip()

EMBEDDING_DOC = """
    embedding_dim : int or None, default={default}
        Width of the learned token embedding. None feeds one-hot channels
        (one per token id except padding) straight into the network. Not
        used for float input.

    pretrained_embeddings : array-like of shape (vocab_size, dim), default={default}
        Initial embedding weights, row ``i`` for token id ``i`` (row 0,
        padding, is never used). Token ids in X must be below ``vocab_size``.
        The ids of the named alphabets of ``SequenceTokenizer`` do not depend
        on the data, so rows stay aligned across folds.

    freeze_embeddings : bool, default={default}
        Keep the embedding weights fixed during training.

    side_features : int, default={default}
        Number of trailing columns of a 2-D X that are per-sample numeric
        features rather than token ids (e.g. measured properties next to a
        sequence). They are joined to the pooled sequence features before the
        dense head. The other columns must hold token ids (whole numbers
        >= 0; float columns from a ``ColumnTransformer`` are cast back).
""".strip("\n").lstrip()

NORMALIZE_DOC = """
    normalize_input : bool or "series", default={default}
        Float input (series) only. True standardises each channel with its
        mean and standard deviation over the real positions of the training
        series (weighted as training weighs them: ``sample_weight``,
        ``class_weight``; without the early-stopping hold-out; the first
        call of ``partial_fit``) before the network reads it, as a
        ``StandardScaler`` would, which cannot take 3-D or ragged X.
        "series" (``SequenceCNNClassifier``'s default) does that and then
        standardises each series by its own mean and standard deviation per
        channel over its real positions (a z-normalisation, as the UCR
        archive's series come), and gives the dense head those two
        statistics per channel (the mean and the log of the standard
        deviation, in the training set's units) and summaries of the
        standardised series (its 0, 10, 25, 50, 75, 90 and 100% quantiles
        and its mean absolute step, what a gradient boosting on series
        summaries reads), each also encoded piecewise linearly between
        eight knots at its quantiles over the training series (so that
        the dense layers can cut it where trees would). The level and
        amplitude still count but no longer dwarf the shape: on series
        whose amplitudes span orders of magnitude (PLAID's appliance
        currents) the whole-set scaling alone left most series near zero,
        and the network underfitted them. The RNN and
        transformer classifiers keep True (with "series" they lost on the
        defaults benchmark's series sets), and so do the regressors (their
        targets often scale with the amplitude, and no series regression set
        has measured "series"). The statistics are buffers of the network,
        so predictions, saved models and exported graphs take raw values
        too. False feeds the values as given, and so does a custom
        ``module``. Token ids are never rescaled.
""".strip("\n").lstrip()

WIDE_DOC = """
    linear_ngrams : int or "auto", default={default}
        Add a linear model on the counts of the token 1- to
        ``linear_ngrams``-grams of each sequence (divided by the square root
        of their number) to the network's output, trained with it (the
        "wide" branch of wide-and-deep models, a fastText-style bag of
        n-grams): the network starts from what a logistic regression on
        k-mer counts learns and adds what only the deep layers see. "auto"
        is 3 for alphabets of at most 16 token ids (DNA, RNA) and 2
        otherwise (proteins, SMILES, words; the bigrams of vocabularies over
        512 tokens are hashed into 2**18 rows). 0 turns it off. Token input only.

    ngram_features : int or "auto", default={default}
        Give the dense head the counts of the token 1- to
        ``ngram_features``-grams of each sequence (divided by the square
        root of its length, times 10), beside the pooled convolution
        features, so that the head learns a nonlinear model of k-mer
        composition, as a perceptron on dipeptide counts would. "auto" is 2
        for alphabets of 17 to 64 token ids (proteins, SMILES) and 0
        otherwise (DNA, where it hurt on the defaults benchmark, and word
        vocabularies, where the counts would have too many columns).
        Orders of more than 4,096 columns are hashed into 4,096. Token input
        only.

    end_features : int or "auto", default={default}
        Give the dense head the token counts of the first and of the last
        ``end_features`` tokens of each sequence (the composition of its two
        ends, divided by the square root of the window, times 10), which
        global pooling and whole-sequence counts do not show: in proteins the
        ends hold signal and transit peptides, tags and charged tails. "auto"
        is 25 where the head gets n-gram counts (alphabets of 17 to 64 token
        ids, ``ngram_features`` not 0) and the median sequence in fit has at
        least 100 tokens (proteins; not SMILES, whose strings are shorter
        and whose ends mean little), 0 otherwise. 0 turns it off. Token
        input only.

    length_feature : bool, default={default}
        Give the dense head (and the linear branch) each sequence's length,
        as ``(log1p(length) - 5) / 1.5`` (a fixed transform, not fitted to
        the data). Masked pooling hides the length, which matters for some
        tasks (protein solubility); for fixed-length input it is a constant
        and does nothing.

    linear_positions : bool or "auto", default={default}
        Add a linear model on the flattened input to the network's output:
        one weight per position and token id (logistic regression on the
        one-hot encoding) or per position and channel (on the raw values of
        a series), trained with it, for signals at fixed positions, which
        global pooling discards. "auto" turns it on for float input (time
        series) when every sequence in fit has the same length and the model
        has at most 2**16 weights per output; it is off for token ids, where
        it made DNA results depend on the seed. True turns it on for any
        input (e.g. aligned promoter sequences). Positions past the fit
        length get no weight.
""".strip("\n").lstrip()

HEAD_DOC = """
    hidden_layer_sizes : array-like of int, default={default}
        Widths of the dense layers after the sequence features (with the
        side features, n-gram counts and length feature beside them).

    dense_activation : str or array-like of str, default={default}
        Activation of the dense layers: one name for every layer, whatever
        the depth, or one name per layer.

    dropout : float, default={default}
        Dropout after each dense hidden layer.
""".strip("\n").lstrip()

# The dropout entry of HEAD_DOC, for a family that documents its own.
HEAD_DROPOUT_DOC = HEAD_DOC[HEAD_DOC.index("    dropout : ") :]

CLIP_DOC = """
    clip_grad_norm : float or None, default={default}
        Rescale the gradients of each batch so that their joint norm is at
        most this (``torch.nn.utils.clip_grad_norm_``, skorch's
        ``GradientNormClipping``); None for no clipping.
""".strip("\n").lstrip()

SEQUENCE_ATTRIBUTES = """
    vocab_size_ : int
        Number of token ids the network embeds (the largest id in fit plus
        one, at least 2; or the rows of ``pretrained_embeddings``). Only for
        token input.

    n_channels_ : int
        Channels per position. Only for float input.

    max_len_ : int
        Length of the longest sequence seen in fit (padding not counted).

    n_features_in_ : int
        Columns of a 2-D X seen in fit (its padded length, plus
        ``side_features``); set for 2-D input. Any length is accepted at
        predict unless the network needs a fixed one.

    feature_names_in_ : ndarray of shape (n_features_in,)
        Column names of a pandas DataFrame X seen in fit.
""".strip("\n").lstrip()


def sequence_docs(architecture):
    """The ``document(...)`` blocks of a sequence family: its architecture
    block with the input, module and attribute blocks every sequence
    family shares."""
    return dict(
        input=INPUT_DOC,
        architecture=architecture,
        module=module_parameters(sizes=SEQUENCE_SIZES, call=SEQUENCE_CALL),
        attributes=SEQUENCE_ATTRIBUTES,
    )


SEQUENCE_CALL = (
    "``forward(x, lengths=None)``, with ``x`` a batch of left-aligned sequences "
    "(token ids with 0 as padding, or values ``(n, length, channels)``) and, "
    "for variable-length input, ``lengths`` the real length of each row (and "
    "``side=`` the side features when ``side_features`` is set)"
)
SEQUENCE_SIZES = (
    "``vocab_size`` (token input) or ``n_channels`` (float input), and "
    "``n_side_features`` when ``side_features`` is set"
)


def weighted_quantiles(values, levels, weights=None):
    """Quantiles ``(len(levels), n_columns)`` of each column of ``values``
    ``(n, n_columns)`` by the inverse of the weighted empirical distribution
    function (``np.quantile(..., method="inverted_cdf")``): at level ``q``
    the smallest value whose rows, with all below it, hold at least ``q``
    of the total weight. A row of weight k counts as k repeated rows, and
    only the weights' ratios matter, so rescaled weights (as training
    rescales them) and repeated rows give the same quantiles. Rows of zero
    weight drop out; all weights zero, or None, count every row once."""
    values = np.asarray(values, dtype=np.float64)
    if weights is None or not float(np.sum(weights)) > 0:
        weights = np.ones(len(values))
    weights = np.asarray(weights, dtype=np.float64)
    values, weights = values[weights > 0], weights[weights > 0]
    order = np.argsort(values, axis=0, kind="stable")
    ranked = np.take_along_axis(values, order, 0)
    reach = np.cumsum(weights[order], axis=0)  # weight up to each sorted row
    total = reach[-1]
    columns = np.arange(values.shape[1])
    # A tolerance of a millionth of the total, so that a level that falls
    # exactly on a row's cumulative weight finds that row whatever the
    # weights' rounding (rescaled float32 weights against repeated rows).
    slack = 1e-6 * total
    first = [(reach >= q * total - slack).argmax(0) for q in levels]
    return np.stack([ranked[rows, columns] for rows in first])


class _SequenceInput:
    """Input hooks for sequences (see :data:`INPUT_DOC`)."""

    _input_kind = "sequence"

    def _validate_input(self, X, y=NO_Y, *, reset):
        _check_feature_names(self, X, reset=reset)
        seqs = check_sequences(
            X, type(self).__name__, side_features=self.side_features, warn_kind=reset
        )
        y = self._check_y_for(y, len(seqs), "sequences")
        if reset:
            self._set_input_sizes(seqs)
        else:
            seqs = self._check_like_fit(seqs)
        return seqs, (None if y is NO_Y else y)

    def _set_input_sizes(self, seqs):
        self._kind_ = seqs.kind
        for attr in ("vocab_size_", "n_channels_", "n_features_in_"):
            self.__dict__.pop(attr, None)
        if seqs.table:
            self.n_features_in_ = seqs.length + (
                0 if seqs.side is None else seqs.side.shape[1]
            )
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
        lengths = seqs.real_lengths()
        return int(lengths.max()) if len(lengths) else seqs.length

    def _check_like_fit(self, seqs):
        name = type(self).__name__
        fitted_width = getattr(self, "n_features_in_", None)
        width = seqs.length + (0 if seqs.side is None else seqs.side.shape[1])
        if seqs.table and fitted_width is not None and width != fitted_width:
            raise ValueError(
                f"X has {width} features, but {name} is expecting "
                f"{fitted_width} features as input (the padded length of the 2-D "
                "X seen in fit). Pad or truncate to that length (a "
                "SequenceTokenizer in the same Pipeline does), or pass the "
                "sequences as a list of arrays, which may have any length."
            )
        if seqs.kind != self._kind_:
            fitted = "token ids (integers)" if self._kind_ == "tokens" else "values"
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
        return seqs

    _MAX_POSITION_WEIGHTS = 2**16
    # Architecture parameters whose "auto" the estimator resolves from the fit
    # data (the module cannot: it never sees the whole training set).
    _resolved_in_fit = ("linear_positions", "end_features")

    def _auto_linear_positions(self, seqs):
        """Whether ``linear_positions="auto"`` is on for these fit data:
        values (not token ids), every sequence of one length (at least 2),
        and at most ``_MAX_POSITION_WEIGHTS`` flattened columns. Token ids
        are left out: on Oct4/MafK (200 nt) the branch took seeds 1 and 3
        from 0.964 / 0.963 to 0.948 / 0.902 (benchmarks/README.md, step 9)."""
        if seqs.kind == "tokens":
            return False
        lengths = seqs.real_lengths()
        if len(lengths) == 0 or lengths.min() != lengths.max() or lengths[0] < 2:
            return False
        return int(lengths[0]) * self.n_channels_ <= self._MAX_POSITION_WEIGHTS

    def _data_sizes(self, X):
        sizes = (
            {"vocab_size": self.vocab_size_}
            if X.kind == "tokens"
            else {"n_channels": self.n_channels_}
        )
        if X.side is not None:
            sizes["n_side_features"] = X.side.shape[1]
        return sizes

    def _summary_input(self):
        length = max(self.max_len_, 1)
        if self._kind_ == "tokens":
            x = torch.ones(1, length, dtype=torch.long)  # id 1: any token
            what = f"a sequence of {length} tokens"
        else:
            x = torch.zeros(1, length, self.n_channels_)
            what = f"a series of {length} steps, {self.n_channels_} channel(s)"
        inputs = {"x": x, "lengths": torch.tensor([length])}
        n_side = getattr(self.net_.module_, "n_side_features", 0)
        if n_side:
            inputs["side"] = torch.zeros(1, n_side)
            what += f", and {n_side} side feature(s)"
        return inputs, what + " (the longest in fit)"

    def _dataset(self, X, y=None, w=None):
        lengths = X.lengths
        if lengths is None and X.kind == "tokens":
            # Padded ids are left-aligned: their lengths let batches group
            # rows of similar length and be cut to their own longest row.
            lengths = X.real_lengths()
        return ArrayDataset(X.data, y, w, lengths=lengths, side=X.side)

    def _module_kwargs(self, X, rows=None):
        kwargs = super()._module_kwargs(X, rows)
        if "max_len" in inspect.signature(self._module_class).parameters:
            # The longest sequence in fit: the position branch's (and a
            # flattening head's) length; never an estimator parameter.
            kwargs["max_len"] = self.max_len_
        if kwargs.get("linear_positions") == "auto":
            kwargs["linear_positions"] = self._auto_linear_positions(X)
        if kwargs.get("end_features") == "auto":
            kwargs["end_features"] = (
                auto_end_features(
                    self.vocab_size_, X.real_lengths(), kwargs.get("ngram_features", 0)
                )
                if X.kind == "tokens"
                else 0
            )
        if X.kind == "values" and getattr(self, "normalize_input", False):
            # rows: the training dataset; without it (a module built outside
            # fit, as bench_graph.py does) all of X, as _dataset makes it.
            rows = rows if rows is not None else self._dataset(X)
            kwargs.update(self._channel_statistics(rows))
            if self.normalize_input == "series" and "input_shift" in kwargs:
                module = inspect.signature(self._module_class).parameters
                if "series_norm" not in module:
                    raise ValueError(
                        f"{type(self).__name__}: normalize_input='series' needs a "
                        f"module that takes series_norm, and "
                        f"{self._module_class.__name__} does not; use "
                        "normalize_input=True."
                    )
                kwargs["series_norm"] = True
                if "series_knots" in module:
                    kwargs["series_knots"] = self._series_knots(rows, kwargs)
        embeddings = self.pretrained_embeddings
        if embeddings is not None:
            # The shape is checked by the module (SequenceEmbedding); the
            # width given twice is the estimator's own question.
            embeddings = torch.as_tensor(np.asarray(embeddings, dtype=np.float32))
            width = embeddings.shape[-1] if embeddings.ndim == 2 else None
            if width and self.embedding_dim not in (None, width):
                raise ValueError(
                    f"{type(self).__name__}: embedding_dim={self.embedding_dim} but "
                    f"pretrained_embeddings has {width} columns; set "
                    "embedding_dim=None to take the width from the array."
                )
            kwargs["pretrained_embeddings"] = embeddings
            kwargs["embedding_dim"] = None  # the width is the array's
        return kwargs

    def _channel_statistics(self, rows):
        """Each channel's mean and standard deviation over the real positions
        of the training rows (``rows``, the dataset training reads, each row
        weighted as training weighs it), in float64 a few thousand rows at a
        time: the module's ``input_shift`` / ``input_scale``. Nothing when
        the module does not take them (a family written before they
        existed)."""
        if "input_shift" not in inspect.signature(self._module_class).parameters:
            return {}
        data, lengths, w = rows.X, rows.lengths, rows.sample_weight
        if lengths is None:
            lengths = torch.full((len(data),), data.shape[1])
        if w is not None and not float(w.sum()) > 0:
            w = None  # all weights zero: count every row

        def chunks(size=4096):
            for start in range(0, len(data), size):
                part = data[start : start + size].to(torch.float64)
                mask = length_mask(lengths[start : start + size], data.shape[1])
                mask = mask.to(torch.float64).unsqueeze(-1)
                if w is not None:  # a zero weight: an absent row
                    mask = (
                        mask * w[start : start + size].to(torch.float64)[:, None, None]
                    )
                yield part, mask

        total = count = 0.0
        for part, mask in chunks():
            total = total + (part * mask).sum((0, 1))
            count = count + mask.sum()
        mean = total / max(float(count), 1e-300)
        var = sum(((part - mean) ** 2 * mask).sum((0, 1)) for part, mask in chunks())
        mean, std = mean.numpy(), (var / max(float(count), 1e-300)).sqrt().numpy()
        return {
            "input_shift": mean.astype(np.float32),
            "input_scale": standard_scale(mean, std).astype(np.float32),
        }

    # Knots of each series summary: its 0, 1/7, ..., 7/7 quantiles over the
    # training series (defaults benchmark, step 32).
    _N_SERIES_KNOTS = 8

    def _series_knots(self, rows, kwargs):
        """Quantiles of each per-series summary over the training rows
        (``SequenceEmbedding.normalize_series`` with the channel statistics
        in ``kwargs``, a few thousand rows at a time), each row weighted as
        training weighs it: the module's ``series_knots``."""
        embed = SequenceEmbedding(
            n_channels=self.n_channels_,
            input_shift=kwargs["input_shift"],
            input_scale=kwargs["input_scale"],
            series_norm=True,
        )
        data, lengths, w = rows.X, rows.lengths, rows.sample_weight
        if lengths is None:
            lengths = torch.full((len(data),), data.shape[1])
        parts = []
        with torch.no_grad():
            for start in range(0, len(data), 4096):
                part = embed.standardize(data[start : start + 4096].float())
                parts.append(
                    embed.normalize_series(part, lengths[start : start + 4096])[1]
                )
        stats = torch.cat(parts).double().numpy()
        weights = None if w is None else w.double().numpy()
        levels = np.linspace(0.0, 1.0, self._N_SERIES_KNOTS)
        return weighted_quantiles(stats, levels, weights).T.astype(np.float32)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        return tags
