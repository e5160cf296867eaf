"""2-D convolutional networks over images and other grids (maps,
spectrograms, distance or contact matrices)."""

import math
from numbers import Real

import torch
import torch.nn.functional as F
from torch import nn

from ._activations import make_activation
from ._dense import DenseModule, per_layer, positive_ints

AUGMENTATIONS = {
    "shift": 0.0,
    "hflip": False,
    "vflip": False,
    "rotation": 0.0,
    "noise": 0.0,
}


def check_augment(augment):
    """``augment`` (None or a dict of :data:`AUGMENTATIONS` keys) as a full
    dict of settings, or a ValueError saying what is wrong."""
    if augment is None:
        return dict(AUGMENTATIONS)
    if not isinstance(augment, dict):
        raise ValueError(f"augment must be None or a dict; got {augment!r}.")
    unknown = sorted(set(augment) - set(AUGMENTATIONS))
    if unknown:
        raise ValueError(
            f"augment has unknown keys {unknown}; it takes {list(AUGMENTATIONS)}."
        )
    out = {**AUGMENTATIONS, **augment}
    for key in ("hflip", "vflip"):
        if not isinstance(out[key], bool):
            raise ValueError(f"augment[{key!r}] must be True or False.")
    limits = {"shift": (0, 1), "rotation": (0, 180), "noise": (0, math.inf)}
    for key, (low, high) in limits.items():
        value = out[key]
        if isinstance(value, bool) or not isinstance(value, Real):
            raise ValueError(f"augment[{key!r}] must be a number; got {value!r}.")
        if not low <= value <= high:
            raise ValueError(
                f"augment[{key!r}] must be in [{low}, {high}]; got {value!r}."
            )
    return out


class ImageAugment(nn.Module):
    """Random shifts, flips, rotations and Gaussian noise on a batch of
    images ``(n, channels, height, width)``, drawn per image, in training
    mode only (in eval mode, at validation and prediction, it returns its
    input unchanged).

    Shifts, flips and rotations are one affine map per image, applied with
    ``torch.nn.functional.grid_sample`` (bilinear, zeros outside the image),
    on the batch's device, from torch's random generator.

    Parameters
    ----------
    shift : float, default=0.0
        Largest translation, as a fraction of the height (vertical) and width
        (horizontal); drawn uniformly in ``[-shift, shift]`` per axis.
    hflip, vflip : bool, default=False
        Mirror left-right (top-bottom) with probability 1/2.
    rotation : float, default=0.0
        Largest rotation in degrees, drawn uniformly in
        ``[-rotation, rotation]``.
    noise : float, default=0.0
        Standard deviation of Gaussian noise added to every value.
    """

    def __init__(self, shift=0.0, hflip=False, vflip=False, rotation=0.0, noise=0.0):
        super().__init__()
        self.shift = float(shift)
        self.hflip = bool(hflip)
        self.vflip = bool(vflip)
        self.rotation = float(rotation)
        self.noise = float(noise)

    @property
    def geometric(self):
        return bool(self.shift or self.rotation or self.hflip or self.vflip)

    def forward(self, x):
        if not self.training or len(x) == 0:
            return x
        if self.geometric:
            x = self._affine(x)
        if self.noise:
            x = x + self.noise * torch.randn_like(x)
        return x

    def _affine(self, x):
        n, device = len(x), x.device
        ones = torch.ones(n, device=device)

        def sign(flip):
            if not flip:
                return ones
            return torch.where(torch.rand(n, device=device) < 0.5, -ones, ones)

        angle = (torch.rand(n, device=device) * 2 - 1) * math.radians(self.rotation)
        cos, sin = torch.cos(angle), torch.sin(angle)
        sx, sy = sign(self.hflip), sign(self.vflip)
        # Grid coordinates run over [-1, 1]: a shift of a fraction f of the
        # image is 2 f in them.
        shift = (torch.rand(2, n, device=device) * 2 - 1) * 2 * self.shift
        theta = torch.stack(
            [
                torch.stack([cos * sx, -sin * sy, shift[0]], 1),
                torch.stack([sin * sx, cos * sy, shift[1]], 1),
            ],
            1,
        ).to(x.dtype)
        grid = F.affine_grid(theta, list(x.shape), align_corners=False)
        return F.grid_sample(x, grid, mode="bilinear", align_corners=False)


class ImageConvBlock(nn.Module):
    """Conv2d -> (BatchNorm) -> activation -> (+ shortcut) -> (pooling)
    -> (spatial dropout).

    With ``residual=True`` the block adds its input, through a 1x1
    convolution (a projection) where the channels or the stride change.
    """

    def __init__(
        self,
        n_in,
        n_out,
        *,
        kernel_size=3,
        stride=1,
        padding="same",
        activation="relu",
        batch_norm=False,
        residual=False,
        pooling="max",
        pool_size=1,
        spatial_dropout=0.0,
    ):
        super().__init__()
        if padding not in ("same", "valid"):
            raise ValueError(f"padding must be 'same' or 'valid'; got {padding!r}.")
        if pooling not in ("max", "avg"):
            raise ValueError(f"pooling must be 'max' or 'avg'; got {pooling!r}.")
        if residual and padding != "same":
            raise ValueError("residual conv blocks need padding='same'.")
        # "same": size kept for stride 1, ceil(size / stride) otherwise.
        pad = (kernel_size - 1) // 2 if padding == "same" else 0
        self.extra = (kernel_size - 1) % 2 if padding == "same" else 0
        self.conv = nn.Conv2d(
            n_in, n_out, kernel_size, stride=stride, padding=pad, bias=not batch_norm
        )
        self.bn = nn.BatchNorm2d(n_out) if batch_norm else None
        self.activation = make_activation(activation)
        self.shortcut = None
        if residual:
            self.shortcut = (
                nn.Identity()
                if n_in == n_out and stride == 1
                else nn.Conv2d(n_in, n_out, 1, stride=stride, bias=False)
            )
        pool = nn.MaxPool2d if pooling == "max" else nn.AvgPool2d
        # ceil_mode keeps a last, partial window: maps smaller than the
        # window still give one value.
        self.pool = pool(pool_size, ceil_mode=True) if pool_size > 1 else None
        self.dropout = nn.Dropout2d(spatial_dropout) if spatial_dropout else None

    def forward(self, x):
        # An even kernel under "same" padding needs one more row and column
        # (at the end, as Keras and torch's padding="same" do).
        h = self.conv(F.pad(x, (0, self.extra, 0, self.extra)) if self.extra else x)
        if self.bn is not None:
            h = self.bn(h)
        h = self.activation(h)
        if self.shortcut is not None:
            h = h + self.shortcut(x)
        if self.pool is not None:
            h = self.pool(h)
        if self.dropout is not None:
            h = self.dropout(h)
        return h

    def out_size(self, size):
        """Height (or width) after the block, for an input of ``size``."""
        kernel, stride = self.conv.kernel_size[0], self.conv.stride[0]
        pad = 2 * self.conv.padding[0] + self.extra
        size = (size + pad - kernel) // stride + 1
        if self.pool is not None:
            size = -(-size // self.pool.kernel_size)
        return size


class ImageCNNModule(nn.Module):
    """A 2-D convolutional network on images, returning logits.

    Augmentation (training only) -> convolution blocks -> global pooling (or
    flattening) -> a dense head (:class:`skdl.networks.DenseModule`).

    Parameters
    ----------
    n_outputs : int
        Width of the output (classes, labels or regression targets).
    n_channels, height, width : int
        The input's shape: images arrive as ``(n, n_channels, height, width)``.
    conv_filters : sequence of int, default=(32, 64)
        Output channels of each convolution block.
    kernel_sizes, strides, pool_sizes : int or sequence of int
        Per block (one value for all): kernel width, stride, and the window
        (and stride) of the pooling after it (1: no pooling).
    padding : {"same", "valid"}, default="same"
        "same" keeps the size (for stride 1); "valid" convolves where the
        kernel fits.
    activation : str, default="relu"
        Activation of the convolution blocks.
    pooling : {"max", "avg"}, default="max"
        Pooling after each block.
    batch_norm : bool, default=True
        Batch normalisation in the convolution blocks and the dense layers.
    spatial_dropout : float, default=0.0
        Channel dropout (``torch.nn.Dropout2d``) after each block.
    residual : bool, default=False
        Residual blocks (a 1x1 projection where channels or stride change).
    global_pooling : {"avg", "max", "avg_max", "flatten"}, default="avg"
        How the last feature map becomes a vector: the mean or the maximum
        of each channel over positions, both concatenated, or all values
        (Keras' ``Flatten``).
    hidden_layer_sizes : sequence of int, default=(128,)
        Widths of the dense layers.
    dense_activation : str or sequence of str, default="relu"
        Activation of the dense layers.
    dropout : float, default=0.5
        Dropout after each dense hidden layer.
    augment : dict or None, default=None
        Keyword arguments of :class:`ImageAugment` (training only).

    Examples
    --------
    >>> import torch
    >>> from skdl.networks import ImageCNNModule
    >>> net = ImageCNNModule(n_outputs=10, n_channels=1, height=8, width=8)
    >>> net.eval()(torch.zeros(2, 1, 8, 8)).shape
    torch.Size([2, 10])
    """

    def __init__(
        self,
        n_outputs,
        n_channels,
        height,
        width,
        *,
        conv_filters=(32, 64),
        kernel_sizes=3,
        strides=1,
        padding="same",
        activation="relu",
        pooling="max",
        pool_sizes=2,
        batch_norm=True,
        spatial_dropout=0.0,
        residual=False,
        global_pooling="avg",
        hidden_layer_sizes=(128,),
        dense_activation="relu",
        dropout=0.5,
        augment=None,
    ):
        super().__init__()
        filters = positive_ints(conv_filters, "conv_filters")
        n = len(filters)
        kernels = positive_ints(
            per_layer(kernel_sizes, n, "kernel_sizes"), "kernel_sizes"
        )
        strides = positive_ints(per_layer(strides, n, "strides"), "strides")
        pools = positive_ints(per_layer(pool_sizes, n, "pool_sizes"), "pool_sizes")
        if global_pooling not in ("avg", "max", "avg_max", "flatten"):
            raise ValueError(
                "global_pooling must be 'avg', 'max', 'avg_max' or 'flatten'; got "
                f"{global_pooling!r}."
            )
        self.augment = ImageAugment(**check_augment(augment))
        blocks, size = [], (int(height), int(width))
        widths = [int(n_channels), *filters]
        for i in range(n):
            block = ImageConvBlock(
                widths[i],
                widths[i + 1],
                kernel_size=kernels[i],
                stride=strides[i],
                padding=padding,
                activation=activation,
                batch_norm=batch_norm,
                residual=residual,
                pooling=pooling,
                pool_size=pools[i],
                spatial_dropout=spatial_dropout,
            )
            new = tuple(block.out_size(s) for s in size)
            if min(new) < 1:
                raise ValueError(
                    f"the images ({height}x{width}) are too small for conv block "
                    f"{i + 1} (kernel {kernels[i]}, padding={padding!r}): its input "
                    f"is {size[0]}x{size[1]}. Use padding='same', smaller kernels "
                    "or fewer blocks."
                )
            blocks.append(block)
            size = new
        self.blocks = nn.Sequential(*blocks)
        self.global_pooling = global_pooling
        channels = widths[-1]
        features = {
            "avg": channels,
            "max": channels,
            "avg_max": 2 * channels,
            "flatten": channels * size[0] * size[1],
        }[global_pooling]
        self.head = DenseModule(
            features,
            n_outputs,
            hidden_layer_sizes=hidden_layer_sizes,
            activation=dense_activation,
            dropout=dropout,
            batch_norm=batch_norm,
        )

    def features(self, x):
        """The vector the dense head reads, for images ``x``."""
        h = self.blocks(self.augment(x))
        if self.global_pooling == "flatten":
            return h.flatten(1)
        if self.global_pooling == "avg":
            return h.mean((2, 3))
        if self.global_pooling == "max":
            return h.amax((2, 3))
        return torch.cat([h.mean((2, 3)), h.amax((2, 3))], 1)

    def forward(self, x):
        return self.head(self.features(x))
