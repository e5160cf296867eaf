"""Docstring blocks written once and filled into every estimator.

:func:`document` is the class decorator each public estimator uses. It
writes the Parameters and Attributes sections into the class docstring from
the family's blocks and those shared by every estimator (training parameters,
task parameters and attributes, fitted attributes). Every
``default={default}`` in a parameter line is then replaced by that
parameter's default in the class's own ``__init__`` signature, so a shared
block can never state another class's default (``tests/test_docstrings.py``
checks every documented default against the signature with numpydoc).
"""

import inspect
import re
import textwrap

_DEFAULT = "{default}"
_PARAM_LINE = re.compile(r"^(\s*)(\w+) : (.*)$")


def _block(text, indent=4):
    return textwrap.indent(textwrap.dedent(text).strip("\n"), " " * indent).lstrip()


def format_default(value):
    """A default as the docs write it: ``"relu"``, ``(100,)``, ``None``, ``0.001``."""
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, type):
        module = value.__module__.replace("numpy", "np")
        return f"{module}.{value.__qualname__}"
    return repr(value)


def fill_defaults(doc, cls):
    """Replace each ``{default}`` in a ``name : type, default={default}`` line
    of ``doc`` with ``cls.__init__``'s default for ``name``."""
    signature = inspect.signature(cls.__init__).parameters
    lines = doc.split("\n")
    for i, line in enumerate(lines):
        if _DEFAULT not in line:
            continue
        match = _PARAM_LINE.match(line)
        if match is None or match[2] not in signature:
            raise ValueError(
                f"{cls.__name__}'s docstring has {_DEFAULT} in a line that does not "
                f"document one of its parameters: {line.strip()!r}"
            )
        default = signature[match[2]].default
        lines[i] = line.replace(_DEFAULT, format_default(default))
    return "\n".join(lines)


_SECTIONS = """{input}

    Parameters
    ----------
    {architecture}

    {task}

    {training}

    {module}

    Attributes
    ----------
    {task_attributes}

    {attributes}

    {fitted}

    """


def document(*, input="", architecture="", module="", attributes=""):
    """Class decorator for estimators: writes the Parameters and Attributes
    sections (and the description of the input before them) into the class
    docstring, just before its "See Also" section.

    The class's own docstring holds only what is its own: the summary, See
    Also, Notes and Examples. The sections are made of the family's blocks
    (``input``, ``architecture``, ``module``, ``attributes``) and the shared
    ones (training parameters, task parameters and attributes, fitted
    attributes), chosen for the class's task; then every ``{default}`` is
    filled from the class's signature.
    """

    def decorate(cls):
        from sklearn.base import ClassifierMixin

        classifier = issubclass(cls, ClassifierMixin)
        blocks = {
            "input": input,
            "architecture": architecture,
            "task": CLASSIFIER_PARAMETERS if classifier else REGRESSOR_PARAMETERS,
            "training": TRAINING_PARAMETERS,
            "module": module,
            "task_attributes": (
                CLASSIFIER_ATTRIBUTES if classifier else REGRESSOR_ATTRIBUTES
            ),
            "attributes": attributes,
            "fitted": FITTED_ATTRIBUTES,
        }
        sections = _SECTIONS
        for name, block in blocks.items():
            field = "{" + name + "}"
            if block:
                sections = sections.replace(field, block)
            else:  # an empty block leaves no blank paragraph behind
                sections = sections.replace(field + "\n\n    ", "")
        doc = cls.__doc__
        if "    See Also\n" not in doc:
            raise ValueError(f"{cls.__name__}'s docstring needs a See Also section.")
        doc = doc.replace("    See Also\n", "    " + sections + "See Also\n", 1)
        doc = doc.replace("{auto_epochs_note}", getattr(cls, "_auto_epochs_note", ""))
        doc = doc.replace("{auto_lr_note}", getattr(cls, "_auto_lr_note", ""))
        doc = doc.replace("{min_epochs}", str(getattr(cls, "_min_epochs", 20)))
        cls.__doc__ = fill_defaults(doc, cls)
        return cls

    return decorate


TRAINING_PARAMETERS = _block(
    """
    l1 : float, default={default}
        L1 penalty ``l1 * sum|w|`` on the weights (every weight matrix and
        kernel of the network; not embedding tables), added to the training
        loss.

    l2 : float, default={default}
        L2 penalty ``l2 * sum w**2`` on the same weights.

    regularize_bias : bool, default={default}
        Also apply ``l1`` and ``l2`` to biases and normalisation weights.

    max_epochs : int or "auto", default={default}
        Number of passes over the training data (epochs), at least 1. "auto"
        trains {min_epochs} epochs, or more where that would be fewer than
        1,000 optimizer steps (at most 300 epochs): small data sets lack
        steps, not epochs.{auto_epochs_note} With ``early_stopping=True``
        training may stop earlier; ``n_iter_`` is the number of epochs
        actually run.

    batch_size : int or "auto", default={default}
        Number of samples per gradient step. "auto" is about
        ``n_samples / 50`` rounded to a power of two, within 16..128 (and at
        most ``n_samples``): 16 up to about 1,100 samples, 128 from about
        4,500.

    lr : float or "auto", default={default}
        Learning rate of the optimizer: the peak rate of ``lr_schedule``.
        "auto" is 1e-3.{auto_lr_note}

    lr_schedule : {"onecycle", "cosine", "constant"}, default={default}
        How the learning rate changes over the optimizer steps of a ``fit``.
        "onecycle" rises from ``lr / 25`` to ``lr`` over the first 30% of
        the steps, then falls along a cosine to ``lr / 1e4`` (Smith's
        one-cycle policy, as in fastai's ``fit_one_cycle``); "cosine" warms
        up linearly over the first 5% of the steps, then decays along a
        cosine to 0; "constant" keeps ``lr``. ``partial_fit`` always trains
        at the constant ``lr``; a warm-started ``fit`` runs the schedule
        again.

    optimizer : {"adam", "adamw", "sgd", "rmsprop"} or torch optimizer class, \
default={default}
        Optimizer. Adam uses torch's fused kernel where the device supports it.

    optimizer_params : dict, default={default}
        Extra keyword arguments for the optimizer, e.g. ``{"momentum": 0.9}``
        for SGD or ``{"betas": (0.9, 0.99)}`` for Adam. A name the optimizer
        does not take is refused in ``fit``.

    weight_decay : float, default={default}
        Weight decay passed to the optimizer (decoupled for "adamw").

    early_stopping : bool, default={default}
        Hold out ``validation_fraction`` of the training data (stratified for
        classifiers), stop when the validation loss has not improved for
        ``n_iter_no_change`` epochs, and restore the weights of the best epoch.
        Without it no data are held out.

    validation_fraction : float, default={default}
        Fraction of the training data held out when ``early_stopping=True``.

    n_iter_no_change : int, default={default}
        Epochs without improvement of the validation loss before stopping.

    callbacks : list of skorch callbacks, default={default}
        Extra skorch callbacks, passed to the skorch net as they are (e.g.
        ``skorch.callbacks.LRScheduler``). Give each a unique name with
        ``("name", callback)`` tuples if you use several of one kind.

    device : {"cpu", "cuda", "auto"} or str, default={default}
        Where to train and predict: a torch device name such as "cuda:1".
        "auto" picks "cuda" when available. ``device_`` holds the device
        that was used.

    precision : {"float32", "bf16-mixed"}, default={default}
        "bf16-mixed" runs forward pass and loss under bfloat16 autocast; the
        weights stay float32. It helps on CPUs with AMX/AVX512-BF16 units and
        on recent GPUs; see ``benchmarks/`` for measured speed and accuracy.

    n_threads : int, default={default}
        torch intra-op threads used during ``fit`` and ``predict`` (restored
        afterwards). Parallelism across fits comes from ``n_jobs`` in
        cross-validation and search, which scales better on few cores.

    random_state : int, RandomState instance or None, default={default}
        Seeds weight initialisation, shuffling, dropout and the validation
        split. Fits with the same int are bitwise identical on CPU, also in
        joblib workers. torch's global RNG state is left untouched; so is
        numpy's for an int or a RandomState. With None the seed is drawn from
        numpy's global RNG (scikit-learn's convention), which advances it.

    verbose : int, default={default}
        0 shows nothing. 1 shows a progress bar per epoch (tqdm, on stderr;
        a widget in notebooks with ipywidgets) with the running training
        loss, left on screen with the epoch's losses and validation scores,
        and a bar for predictions of ten batches or more. 2 prints one plain
        line per epoch (no terminal codes, for logs). Early stopping says
        when it stops at either level.

    warm_start : bool, default={default}
        When True, ``fit`` continues training the network of the previous call
        instead of starting from new weights. A continued fit (``warm_start``
        or ``partial_fit``) keeps the network and the optimizer's state; of
        the parameters, only a changed ``lr`` takes effect.
    """
)

CLASSIFIER_PARAMETERS = _block(
    """
    class_weight : dict, "balanced" or None, default={default}
        Weights per class, multiplied into the per-sample loss. "balanced"
        uses ``n_samples / (n_classes * np.bincount(y))``.
    """
)

REGRESSOR_PARAMETERS = _block(
    """
    loss : {"squared_error", "absolute_error", "huber"}, default={default}
        Training loss; "mse" and "mae" are accepted as aliases.

    normalize_y : bool, default={default}
        Standardise each target (subtract its mean, divide by its standard
        deviation, both from the first ``fit``) for training, and return
        predictions in y's own units. The network then learns unit-scale
        targets whatever the units of y; the losses in ``history_`` are in
        the standardised units. False trains on y as given.
    """
)

CLASSIFIER_ATTRIBUTES = _block(
    """
    classes_ : ndarray of shape (n_classes,)
        Class labels (for multilabel y, the label indices ``0..n_labels-1``).
    """
)

REGRESSOR_ATTRIBUTES = _block(
    """
    n_outputs_ : int
        Number of regression targets.

    y_mean_ : ndarray of shape (n_outputs,)
        Mean of each target in the first fit (zeros if
        ``normalize_y=False``).

    y_scale_ : ndarray of shape (n_outputs,)
        Standard deviation of each target in the first fit (1 for a constant
        target; ones if ``normalize_y=False``).
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


def module_parameters(sizes, call):
    """The ``module`` / ``module_params`` block for a family whose modules get
    the data ``sizes`` and are called as ``call``."""
    text = (
        "Replaces the default network. It is called as ``module(n_outputs=..., "
        f"**sizes, **module_params)``, with the data sizes {sizes}, and must "
        "follow the module protocol of ``skdl/networks/_protocol.py``: "
        f"{call}, returning ``(n_samples, n_outputs)`` logits (raw predictions "
        "for regressors), or ``(logits, penalty)`` in training. The "
        "architecture parameters above are then not used."
    )
    description = textwrap.fill(
        text, width=80, initial_indent=" " * 8, subsequent_indent=" " * 8
    )
    return (
        "module : torch.nn.Module subclass, default={default}\n"
        f"{description}\n\n"
        "    module_params : dict, default={default}\n"
        "        Keyword arguments for ``module``."
    )


TABULAR_FEATURES = _block(
    """
    n_features_in_ : int
        Number of features seen during fit.

    feature_names_in_ : ndarray of shape (n_features_in,)
        Names of features seen during fit, defined only when X has feature
        names that are all strings (pandas DataFrame).
    """
)
