"""Docstring blocks written once and substituted into every estimator."""

import textwrap


class Substitution:
    """Decorator that fills ``{name}`` fields of a class docstring.

    Only the named fields are touched; other braces stay as they are, so
    doctest outputs with dicts and sets need no escaping.
    """

    def __init__(self, **blocks):
        self.blocks = blocks

    def __call__(self, obj):
        doc = obj.__doc__ or ""
        for name, block in self.blocks.items():
            doc = doc.replace("{" + name + "}", block)
        obj.__doc__ = doc
        return obj


def _block(text, indent=4):
    return textwrap.indent(textwrap.dedent(text).strip("\n"), " " * indent).lstrip()


TRAINING_PARAMETERS = _block(
    """
    max_epochs : int, default=100
        Number of passes over the training data (epochs). With
        ``early_stopping=True`` training may stop earlier; ``n_iter_`` is the
        number of epochs actually run.

    batch_size : int or "auto", default="auto"
        Number of samples per gradient step. "auto" is ``min(200, n_samples)``,
        as in :class:`~sklearn.neural_network.MLPClassifier`.

    lr : float, default=1e-3
        Learning rate of the optimizer.

    optimizer : {"adam", "adamw", "sgd", "rmsprop"} or torch optimizer class, \
default="adam"
        Optimizer. Adam uses torch's fused kernel where the device supports it.

    optimizer_params : dict, default=None
        Extra keyword arguments for the optimizer, e.g. ``{"momentum": 0.9}``
        for SGD or ``{"betas": (0.9, 0.99)}`` for Adam.

    weight_decay : float, default=0.0
        Weight decay passed to the optimizer (decoupled for "adamw").

    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the training data (stratified for
        classifiers), stop when the validation loss has not improved for
        ``n_iter_no_change`` epochs, and restore the weights of the best epoch.
        Without it no data are held out.

    validation_fraction : float, default=0.1
        Fraction of the training data held out when ``early_stopping=True``.

    n_iter_no_change : int, default=10
        Epochs without improvement of the validation loss before stopping.

    callbacks : list of skorch callbacks, default=None
        Extra skorch callbacks, passed to the skorch net as they are (e.g.
        ``skorch.callbacks.LRScheduler``). Give each a unique name with
        ``("name", callback)`` tuples if you use several of one kind.

    device : {"cpu", "cuda", "auto"} or str, default="cpu"
        Where to train and predict. "auto" picks "cuda" when available.
        ``device_`` holds the device that was used.

    precision : {"float32", "bf16-mixed"}, default="float32"
        "bf16-mixed" runs forward pass and loss under bfloat16 autocast; the
        weights stay float32. It helps on CPUs with AMX/AVX512-BF16 units and
        on recent GPUs; see ``benchmarks/`` for measured speed and accuracy.

    n_threads : int, default=1
        torch intra-op threads used during ``fit`` and ``predict`` (restored
        afterwards). Parallelism across fits comes from ``n_jobs`` in
        cross-validation and search, which scales better on few cores.

    random_state : int, RandomState instance or None, default=None
        Seeds weight initialisation, shuffling, dropout and the validation
        split. Fits with the same int are bitwise identical on CPU, also in
        joblib workers. Global torch and numpy RNG states are left untouched.

    verbose : int, default=0
        0 prints nothing; 1 prints one line per epoch.

    warm_start : bool, default=False
        When True, ``fit`` continues training the network of the previous call
        instead of starting from new weights. A continued fit (``warm_start``
        or ``partial_fit``) keeps the network and the optimizer's state; of
        the parameters, only a changed ``lr`` takes effect.
    """
)

FITTED_ATTRIBUTES = _block(
    """
    net_ : skorch.NeuralNet
        The trained skorch net; its ``module_`` is the torch network.

    history_ : list of dict
        One dict per epoch: ``epoch``, ``train_loss``, ``dur`` and, with early
        stopping, ``valid_loss`` and a validation score. ``pandas.DataFrame(
        est.history_)`` gives a table.

    n_iter_ : int
        Number of epochs trained, counting ``partial_fit`` and warm starts.

    best_epoch_ : int
        The epoch (1-based) whose weights were restored; only set when
        early stopping ran in the last fit.

    device_ : str
        The device the network lives on.
    """
)

DENSE_MODULE = _block(
    """
    module : torch.nn.Module subclass, default=None
        Replaces the default network. It is called as
        ``module(n_features=..., n_outputs=..., **module_params)`` and must
        return logits (or raw predictions for regressors) of shape
        ``(n_samples, n_outputs)``. The architecture hyperparameters above
        are then not used.

    module_params : dict, default=None
        Keyword arguments for ``module``.
"""
)

TABULAR_FEATURES = _block(
    """
    n_features_in_ : int
        Number of features seen during fit.

    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during fit, defined only when X has feature
        names that are all strings (pandas DataFrame).

"""
)
