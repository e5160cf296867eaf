"""Fully connected networks as sklearn classifiers and regressors."""

from numbers import Integral, Real

from ..networks import ACTIVATIONS, DenseModule
from ..utils._compat import Interval, StrOptions
from ..utils._docstring import (
    DENSE_MODULE,
    FITTED_ATTRIBUTES,
    TABULAR_FEATURES,
    TRAINING_PARAMETERS,
    Substitution,
)
from ._base import (
    BaseNeuralNetwork,
    NeuralClassifierMixin,
    NeuralRegressorMixin,
    _warn_if_unused_architecture,
)

_ARCHITECTURE = (
    "hidden_layer_sizes",
    "activation",
    "dropout",
    "batch_norm",
    "residual",
    "activity_l1",
    "activity_l2",
)


class _DenseMixin:
    """Architecture parameters and module building shared by both tasks."""

    _dense_constraints = {
        "hidden_layer_sizes": ["array-like"],
        "activation": [StrOptions(set(ACTIVATIONS))],
        "dropout": [Interval(Real, 0, 1, closed="left")],
        "batch_norm": ["boolean"],
        "residual": ["boolean"],
        "l1": [Interval(Real, 0, None, closed="left")],
        "l2": [Interval(Real, 0, None, closed="left")],
        "regularize_bias": ["boolean"],
        "activity_l1": [Interval(Real, 0, None, closed="left")],
        "activity_l2": [Interval(Real, 0, None, closed="left")],
    }

    def _build_module(self, n_outputs, n_features):
        if self.module is not None:
            _warn_if_unused_architecture(self, _ARCHITECTURE)
            return self._custom_module(n_features=n_features, n_outputs=n_outputs)
        sizes = list(self.hidden_layer_sizes)
        if not all(isinstance(s, Integral) and s > 0 for s in sizes):
            raise ValueError(
                f"{type(self).__name__}: hidden_layer_sizes must be positive "
                f"integers; got {self.hidden_layer_sizes!r}."
            )
        return DenseModule(
            n_features=n_features,
            n_outputs=n_outputs,
            hidden_layer_sizes=sizes,
            activation=self.activation,
            dropout=self.dropout,
            batch_norm=self.batch_norm,
            residual=self.residual,
            activity_l1=self.activity_l1,
            activity_l2=self.activity_l2,
        )

    def default_search_space(self):
        """The space :class:`skdl.search.OptunaSearchCV` searches by default.

        Returns
        -------
        space : callable
            ``space(trial) -> dict`` of parameters of this estimator, drawn
            with ``trial.suggest_*``; see ``skdl.search._spaces.dense_space`` for
            the ranges.
        """
        from ..search._spaces import dense_space

        return dense_space

    def _penalties(self):
        return dict(l1=self.l1, l2=self.l2, regularize_bias=self.regularize_bias)


_ARCHITECTURE_DOC = """
    hidden_layer_sizes : array-like of int, default=(100,)
        Width of each hidden layer. ``()`` gives a linear model.

    activation : str, default="relu"
        Hidden activation: "relu", "leaky_relu", "elu", "selu", "gelu",
        "silu", "tanh", "sigmoid", "softplus" or "identity".

    dropout : float, default=0.0
        Dropout probability after each hidden activation.

    batch_norm : bool, default=False
        Batch normalisation before each hidden activation. A last training
        batch of one sample is merged into the previous batch.

    residual : bool, default=False
        Residual connections ``x + f(x)`` around each hidden layer; a learned
        linear projection replaces ``x`` where the widths differ.

    l1 : float, default=0.0
        L1 penalty ``l1 * sum|w|`` on the kernels (weights of linear
        layers), added to the training loss.

    l2 : float, default=0.0
        L2 penalty ``l2 * sum w**2`` on the kernels.

    regularize_bias : bool, default=False
        Also apply ``l1`` and ``l2`` to biases.

    activity_l1 : float, default=0.0
        L1 penalty on the hidden layers' outputs (summed over units,
        averaged over the batch).

    activity_l2 : float, default=0.0
        L2 penalty on the hidden layers' outputs.
""".strip("\n").lstrip()


@Substitution(
    architecture=_ARCHITECTURE_DOC,
    training=TRAINING_PARAMETERS,
    module=DENSE_MODULE,
    fitted=FITTED_ATTRIBUTES,
    features=TABULAR_FEATURES,
)
class DenseClassifier(NeuralClassifierMixin, _DenseMixin, BaseNeuralNetwork):
    """Fully connected neural network classifier (PyTorch, trained via skorch).

    Binary, multiclass and multilabel targets; labels of any type (ints,
    strings) come back from :meth:`predict` as they went in. The loss is
    cross-entropy, or binary cross-entropy per label for a multilabel
    indicator matrix.

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

    {features}

    {fitted}

    See Also
    --------
    DenseRegressor : The same network for regression.
    sklearn.neural_network.MLPClassifier : scikit-learn's numpy MLP.

    Notes
    -----
    Input is cast to float32. Scale features (e.g. ``StandardScaler``) as for
    any neural network.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from skdl import DenseClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> clf = make_pipeline(StandardScaler(),
    ...                     DenseClassifier(lr=1e-2, max_epochs=50, random_state=0))
    >>> round(clf.fit(X, y).score(X, y), 2)
    0.99
    """

    _parameter_constraints = {
        **BaseNeuralNetwork._parameter_constraints,
        **_DenseMixin._dense_constraints,
        "class_weight": [dict, StrOptions({"balanced"}), None],
    }

    def __init__(
        self,
        *,
        hidden_layer_sizes=(100,),
        activation="relu",
        dropout=0.0,
        batch_norm=False,
        residual=False,
        l1=0.0,
        l2=0.0,
        regularize_bias=False,
        activity_l1=0.0,
        activity_l2=0.0,
        class_weight=None,
        max_epochs=100,
        batch_size="auto",
        lr=1e-3,
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
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.dropout = dropout
        self.batch_norm = batch_norm
        self.residual = residual
        self.l1 = l1
        self.l2 = l2
        self.regularize_bias = regularize_bias
        self.activity_l1 = activity_l1
        self.activity_l2 = activity_l2
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
    module=DENSE_MODULE,
    fitted=FITTED_ATTRIBUTES,
    features=TABULAR_FEATURES,
)
class DenseRegressor(NeuralRegressorMixin, _DenseMixin, BaseNeuralNetwork):
    """Fully connected neural network regressor (PyTorch, trained via skorch).

    Single and multi-output regression. Predictions have the shape of the
    ``y`` seen in fit: a 1-D ``y`` gives 1-D predictions.

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

    {features}

    {fitted}

    See Also
    --------
    DenseClassifier : The same network for classification.
    sklearn.neural_network.MLPRegressor : scikit-learn's numpy MLP.

    Notes
    -----
    The targets are not scaled for you; for targets far from unit scale wrap
    the estimator in ``sklearn.compose.TransformedTargetRegressor``.

    Examples
    --------
    >>> from sklearn.datasets import load_diabetes
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from skdl import DenseRegressor
    >>> X, y = load_diabetes(return_X_y=True)
    >>> reg = make_pipeline(StandardScaler(),
    ...                     DenseRegressor(lr=1e-2, max_epochs=50, random_state=0))
    >>> reg.fit(X, y / y.std()).score(X, y / y.std()) > 0.4
    True
    """

    _parameter_constraints = {
        **BaseNeuralNetwork._parameter_constraints,
        **_DenseMixin._dense_constraints,
        "loss": [StrOptions(set(NeuralRegressorMixin._LOSSES))],
    }

    def __init__(
        self,
        *,
        hidden_layer_sizes=(100,),
        activation="relu",
        dropout=0.0,
        batch_norm=False,
        residual=False,
        l1=0.0,
        l2=0.0,
        regularize_bias=False,
        activity_l1=0.0,
        activity_l2=0.0,
        loss="squared_error",
        max_epochs=100,
        batch_size="auto",
        lr=1e-3,
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
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.dropout = dropout
        self.batch_norm = batch_norm
        self.residual = residual
        self.l1 = l1
        self.l2 = l2
        self.regularize_bias = regularize_bias
        self.activity_l1 = activity_l1
        self.activity_l2 = activity_l2
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
