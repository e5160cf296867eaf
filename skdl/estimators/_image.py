"""2-D convolutional networks over images as sklearn classifiers and regressors."""

import math
import warnings
from numbers import Integral, Real

import numpy as np
import torch
from scipy import sparse

from ..networks import ACTIVATIONS, ImageCNNModule
from ..utils._compat import Interval, StrOptions, validate_data
from ..utils._data import ArrayDataset, as_tensor
from ..utils._docstring import document, module_parameters
from ..utils._validation import as_float32, holds_non_numbers, naming_errors
from ._base import (
    NO_Y,
    BaseNeuralNetwork,
    NeuralClassifierMixin,
    NeuralRegressorMixin,
    training_space,
)
from ._sequence import HEAD_CONSTRAINTS, HEAD_DOC, HEAD_PER_LAYER

_PER_LAYER = [Interval(Integral, 1, None, closed="left"), "array-like"]


def _shape_text(shape):
    return "x".join(map(str, shape))


def channels_last(images):
    """A copy of ``images`` (n, C, H, W) in channels-last memory.

    Strides are set explicitly, since ``Tensor.contiguous(memory_format=
    torch.channels_last)`` leaves a one-channel tensor as it is (both formats
    hold its values in the same order, and only the strides tell torch's
    kernels which layout to use).
    """
    n, c, h, w = images.shape
    out = torch.empty_strided(
        images.shape, (c * h * w, 1, w * c, c), dtype=images.dtype
    )
    return out.copy_(images)


class _ImageInput:
    """Input hooks for images: flat rows, ``(n, H, W)``, ``(n, H, W, C)`` or,
    with ``channels_first=True``, ``(n, C, H, W)``.

    Every form is brought to one float32 tensor ``(n, C, H, W)`` per fit,
    in channels-last memory format; uint8 pixels are divided by 255.
    ``image_shape_`` is ``(H, W, C)``.
    """

    _input_kind = "image"

    def _validate_input(self, X, y=NO_Y, *, reset):
        name = type(self).__name__
        if not sparse.issparse(X) and holds_non_numbers(X):
            raise ValueError(
                f"{name} needs numeric pixel values, but X holds values that are "
                "not numbers."
            )
        images = None  # (H, W, C) of N-D input
        if not sparse.issparse(X) and not hasattr(X, "iloc"):
            ndim = getattr(X, "ndim", None)
            if ndim is None and isinstance(X, list | tuple):
                try:
                    ndim = np.asarray(X).ndim
                except ValueError:  # ragged nesting: validate_data explains
                    ndim = 2
            if ndim is not None and ndim > 2:
                X, images = self._images_to_rows(np.asarray(X), reset=reset)
        # The order of each row's values: flat rows follow channels_first,
        # N-D images were flattened channels-last.
        rows_channels_first = self.channels_first and images is None
        kwargs = dict(reset=reset, dtype="numeric")
        if y is not NO_Y:
            kwargs.update(y=y, multi_output=True, y_numeric=self._y_numeric)
        with naming_errors(name):
            out = validate_data(self, X, **kwargs)
        X, y = (out, None) if y is NO_Y else out
        if reset:
            self.image_shape_ = images or self._flat_shape(X.shape[1])
        return self._to_tensor_layout(X, rows_channels_first), y

    def _images_to_rows(self, X, *, reset):
        """N-D images as flat rows in channels-last order (whatever
        ``channels_first`` says), and their (H, W, C)."""
        name = type(self).__name__
        if X.ndim not in (3, 4):
            raise ValueError(
                f"{name} takes images as a 2-D X of flat rows, a 3-D X (n, height, "
                f"width) or a 4-D X (n, height, width, channels); got a "
                f"{X.ndim}-D X of shape {X.shape}."
            )
        if X.ndim == 3:
            X = X[..., None]
        elif self.channels_first:
            X = X.transpose(0, 2, 3, 1)
        elif reset and X.shape[3] > 4 and X.shape[1] <= 4:
            warnings.warn(
                f"{name} reads 4-D X as channels-last (n, height, width, "
                f"channels): X of shape {X.shape} is {X.shape[1]}x{X.shape[2]} "
                f"images of {X.shape[3]} channels. If the channels come first, "
                "pass channels_first=True.",
                UserWarning,
                stacklevel=5,
            )
        shape = tuple(int(s) for s in X.shape[1:])
        if reset and self.image_shape is not None:
            given = self._given_shape()
            if given != shape[: len(given)] or (len(given) == 3 and given != shape):
                raise ValueError(
                    f"{name}: image_shape={tuple(self.image_shape)!r}, but X holds "
                    f"images of shape {_shape_text(shape)} (height x width x "
                    "channels). image_shape is only needed for flat rows."
                )
        if not reset and shape != self.image_shape_:
            raise ValueError(
                f"X holds images of shape {_shape_text(shape)} (height x width x "
                f"channels), but {name} was fitted on {_shape_text(self.image_shape_)}."
                " Resize or crop them to the shape seen in fit."
            )
        return X.reshape(len(X), -1), shape

    def _given_shape(self):
        name = type(self).__name__
        shape = tuple(self.image_shape)
        if len(shape) not in (2, 3) or not all(
            isinstance(s, Integral | np.integer) and not isinstance(s, bool) and s > 0
            for s in shape
        ):
            raise ValueError(
                f"{name}: image_shape must be (height, width) or (height, width, "
                f"channels) of positive ints; got {self.image_shape!r}."
            )
        return tuple(int(s) for s in shape)

    def _flat_shape(self, n_features):
        """(H, W, C) of flat rows of ``n_features`` values."""
        name = type(self).__name__
        if self.image_shape is not None:
            shape = self._given_shape()
            if len(shape) == 2:
                shape = (*shape, 1)
            if math.prod(shape) != n_features:
                raise ValueError(
                    f"{name}: image_shape={tuple(self.image_shape)!r} holds "
                    f"{math.prod(shape)} values per image, but X has {n_features} "
                    "features (values per row)."
                )
            return shape
        side = math.isqrt(n_features)
        if side * side == n_features:
            return (side, side, 1)
        warnings.warn(
            f"{name}: X has {n_features} features, not a square number, so each "
            f"row is read as a 1x{n_features} image of one channel. Pass "
            "image_shape=(height, width[, channels]) for other images.",
            UserWarning,
            stacklevel=5,
        )
        return (1, n_features, 1)

    def _to_tensor_layout(self, X, rows_channels_first):
        """Validated flat rows as one float32 tensor (n, C, H, W) in
        channels-last memory (uint8 scaled to [0, 1]).

        Channels-last, because torch's CPU convolutions run faster on it
        (``benchmarks/results/image.md``: channels-first took 1.22x the
        default network's epoch time on MNIST), and batches sliced from it
        keep the format. Rows in channels-last order need no copy for it.
        """
        h, w, c = self.image_shape_
        if X.dtype == np.uint8:
            X = X.astype(np.float32) / np.float32(255)
        else:
            X = as_float32(X, type(self).__name__, "Scale the pixels.")
        if rows_channels_first:
            return channels_last(as_tensor(X.reshape(len(X), c, h, w)))
        return as_tensor(X.reshape(len(X), h, w, c)).permute(0, 3, 1, 2)

    def _summary_input(self):
        h, w, c = self.image_shape_
        image = channels_last(torch.zeros(1, c, h, w))
        return image, f"an image of {h}x{w} pixels, {c} channel{'s' * (c != 1)}"

    def _data_sizes(self, X):
        h, w, c = self.image_shape_
        return {"n_channels": c, "height": h, "width": w}

    def _dataset(self, X, y=None, w=None):
        return ArrayDataset(X, y, w)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        return tags


def image_cnn_space(trial):
    """Learning rate, batch size, weight decay, conv depth / width / kernel,
    global pooling, dense width, dropouts."""
    depth = trial.suggest_int("n_conv_layers", 1, 3)
    filters = trial.suggest_int("conv_filters", 16, 128, log=True)
    return {
        **training_space(trial, lr=(1e-4, 3e-2), batch_sizes=(32, 64, 128)),
        "conv_filters": tuple(filters * 2**i for i in range(depth)),
        "kernel_sizes": trial.suggest_categorical("kernel_sizes", [3, 5]),
        "global_pooling": trial.suggest_categorical(
            "global_pooling", ["avg", "max", "avg_max", "flatten"]
        ),
        "hidden_layer_sizes": (trial.suggest_int("dense_width", 16, 512, log=True),),
        "dropout": trial.suggest_float("dropout", 0.0, 0.5),
        "spatial_dropout": trial.suggest_float("spatial_dropout", 0.0, 0.3),
    }


class _ImageCNNFamily(_ImageInput, BaseNeuralNetwork):
    """2-D CNNs on images: module, constraints, search space."""

    _module_class = ImageCNNModule
    _search_space = staticmethod(image_cnn_space)
    _per_layer = {
        "conv_filters": ("kernel_sizes", "strides", "pool_sizes"),
        **HEAD_PER_LAYER,
    }
    _parameter_constraints = {
        **BaseNeuralNetwork._parameter_constraints,
        "image_shape": ["array-like", None],
        "channels_first": ["boolean"],
        "conv_filters": ["array-like"],
        "kernel_sizes": _PER_LAYER,
        "strides": _PER_LAYER,
        "padding": [StrOptions({"same", "valid"})],
        "activation": [StrOptions(set(ACTIVATIONS))],
        "pooling": [StrOptions({"max", "avg"})],
        "pool_sizes": _PER_LAYER,
        "global_pooling": [StrOptions({"avg", "max", "avg_max", "flatten"})],
        **HEAD_CONSTRAINTS,
        "spatial_dropout": [Interval(Real, 0, 1, closed="left")],
        "batch_norm": ["boolean"],
        "residual": ["boolean"],
        "augment": [dict, None],
    }


_INPUT_DOC = """X holds images in one of four forms: flat rows ``(n_samples,
    n_features)`` (as sklearn's digits and OpenML's MNIST arrive; see
    ``image_shape``), ``(n_samples, height, width)`` (one channel),
    ``(n_samples, height, width, channels)`` (channels-last, as image files
    and most course material have them) or, with ``channels_first=True``,
    ``(n_samples, channels, height, width)``. Any grid works: maps,
    spectrograms, distance or contact matrices. uint8 values are divided by
    255 (pixels to [0, 1]); other numbers are taken as given, so scale them
    as for any network. Predict takes images of the shape seen in fit."""

_ARCHITECTURE_DOC = (
    """image_shape : tuple of int or None, default={default}
        ``(height, width)`` or ``(height, width, channels)`` of flat rows
        (each row's values in channels-last order, or channels-first with
        ``channels_first=True``). None reads a row of a square number of
        values as a square image of one channel (64 values: 8x8, 784: 28x28)
        and any other row as a 1 x n_features strip, with a warning. Not
        needed for 3-D or 4-D X.

    channels_first : bool, default={default}
        Whether channels come before height and width: 4-D X is then
        ``(n_samples, channels, height, width)`` and flat rows hold one
        channel after another (as CIFAR's Python batches do).

    conv_filters : array-like of int, default={default}
        Output channels of each convolution block.

    kernel_sizes : int or array-like of int, default={default}
        Kernel size (square) of each convolution; one int for all.

    strides : int or array-like of int, default={default}
        Stride of each convolution.

    padding : {"same", "valid"}, default={default}
        "same" keeps the size for stride 1 (and gives ``ceil(size /
        stride)`` otherwise); "valid" convolves only where the kernel fits.

    activation : str, default={default}
        Activation of the convolution blocks: "relu", "leaky_relu", "elu",
        "selu", "gelu", "silu", "tanh", "sigmoid", "softplus" or "identity".

    pooling : {"max", "avg"}, default={default}
        Pooling after each convolution block.

    pool_sizes : int or array-like of int, default={default}
        Window (and stride) of each block's pooling; 1 means no pooling. A
        map smaller than the window is pooled to one value.

    global_pooling : {"avg", "max", "avg_max", "flatten"}, default={default}
        How the last feature map becomes the dense head's input: each
        channel's mean or maximum over positions, both, or every value
        (Keras' ``Flatten``, which keeps positions).

    """
    + HEAD_DOC
    + """

    spatial_dropout : float, default={default}
        Channel dropout (whole feature maps, ``torch.nn.Dropout2d``) after
        each convolution block.

    batch_norm : bool, default={default}
        Batch normalisation in the convolution blocks and the dense layers.
        A last training batch of one sample is merged into the previous one.

    residual : bool, default={default}
        Residual blocks ``x + f(x)``, with a 1x1 convolution (a projection)
        where the channels or the stride change. Needs ``padding="same"``.

    augment : dict or None, default={default}
        Random changes to each training image, drawn anew every epoch and
        never applied at validation or prediction: ``{"shift": 0.1}`` (up
        to 10% of the height and width), ``"hflip"`` / ``"vflip"`` (True:
        mirror half of the images), ``"rotation"`` (up to this many degrees)
        and ``"noise"`` (standard deviation of added Gaussian noise); keys
        left out are off. Computed on the device as part of the network
        (``skdl.networks.ImageAugment``). Flips suit photographs, not digits
        or letters."""
)

_ATTRIBUTES_DOC = """n_features_in_ : int
        Values per image seen during fit (height x width x channels).

    feature_names_in_ : ndarray of shape (n_features_in,)
        Column names of a pandas DataFrame X seen in fit.

    image_shape_ : tuple of int
        ``(height, width, channels)`` of the images seen in fit."""

_IMAGE_DOCS = dict(
    input=_INPUT_DOC,
    architecture=_ARCHITECTURE_DOC,
    module=module_parameters(
        sizes="``n_channels``, ``height`` and ``width``",
        call="``forward(x)`` with ``x`` of shape ``(n_samples, n_channels, "
        "height, width)``",
    ),
    attributes=_ATTRIBUTES_DOC,
)


@document(**_IMAGE_DOCS)
class ImageCNNClassifier(NeuralClassifierMixin, _ImageCNNFamily):
    """2-D convolutional network classifier for images (PyTorch via skorch).

    Convolution blocks (convolution, batch normalisation, activation,
    pooling), global average pooling and a dense head; optional residual
    blocks and training-time augmentation. Binary, multiclass and
    multilabel targets, labels of any type.

    See Also
    --------
    ImageCNNRegressor : The same network for regression.
    DenseClassifier : A fully connected network on flat rows.

    Notes
    -----
    The course network for MNIST (conv 5x5x32, 2x2 max-pooling, conv 5x5x64,
    2x2 max-pooling, dense 1000, dropout 0.5) is ``conv_filters=(32, 64),
    kernel_sizes=5, global_pooling="flatten", hidden_layer_sizes=(1000,),
    batch_norm=False``; ``examples/mnist_images.py`` runs it.

    Examples
    --------
    >>> from sklearn.datasets import load_digits
    >>> from skdl import ImageCNNClassifier
    >>> X, y = load_digits(return_X_y=True)   # flat rows of 8x8 images
    >>> clf = ImageCNNClassifier(max_epochs=5, random_state=0).fit(X / 16, y)
    >>> clf.image_shape_
    (8, 8, 1)
    >>> clf.score(X / 16, y) > 0.9
    True
    """

    _parameter_constraints = {
        **_ImageCNNFamily._parameter_constraints,
        "class_weight": [dict, StrOptions({"balanced"}), None],
    }

    def __init__(
        self,
        *,
        image_shape=None,
        channels_first=False,
        conv_filters=(32, 64),
        kernel_sizes=3,
        strides=1,
        padding="same",
        activation="relu",
        pooling="max",
        pool_sizes=2,
        global_pooling="avg",
        hidden_layer_sizes=(128,),
        dense_activation="relu",
        dropout=0.5,
        spatial_dropout=0.0,
        batch_norm=True,
        residual=False,
        augment=None,
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
        n_iter_no_change=10,
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


@document(**_IMAGE_DOCS)
class ImageCNNRegressor(NeuralRegressorMixin, _ImageCNNFamily):
    """2-D convolutional network regressor for images (PyTorch via skorch).

    The network of :class:`ImageCNNClassifier` with a regression output;
    single and multi-output targets, standardised for training and
    predicted in their own units.

    See Also
    --------
    ImageCNNClassifier : The same network for classification.
    DenseRegressor : A fully connected network on flat rows.

    Examples
    --------
    >>> import numpy as np
    >>> from skdl import ImageCNNRegressor
    >>> rng = np.random.RandomState(0)
    >>> X = rng.rand(200, 8, 8)
    >>> y = 100 * X[:, :4].mean((1, 2))   # brightness of the top half
    >>> reg = ImageCNNRegressor(max_epochs=20, random_state=0).fit(X, y)
    >>> reg.score(X, y) > 0.5
    True
    """

    _parameter_constraints = {
        **_ImageCNNFamily._parameter_constraints,
        **NeuralRegressorMixin._regressor_constraints,
    }

    def __init__(
        self,
        *,
        image_shape=None,
        channels_first=False,
        conv_filters=(32, 64),
        kernel_sizes=3,
        strides=1,
        padding="same",
        activation="relu",
        pooling="max",
        pool_sizes=2,
        global_pooling="avg",
        hidden_layer_sizes=(128,),
        dense_activation="relu",
        dropout=0.5,
        spatial_dropout=0.0,
        batch_norm=True,
        residual=False,
        augment=None,
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
        n_iter_no_change=10,
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
