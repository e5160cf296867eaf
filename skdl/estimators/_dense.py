"""Fully connected networks as sklearn classifiers and regressors."""

from numbers import Real

from ..networks import ACTIVATIONS, DenseModule
from ..utils._compat import Interval, StrOptions
from ..utils._docstring import TABULAR_FEATURES, document, module_parameters
from ._base import (
    BaseNeuralNetwork,
    NeuralClassifierMixin,
    NeuralRegressorMixin,
    training_space,
)
from ._table import _TableInput


def dense_space(trial):
    """Learning rate, batch size, weight decay, depth, width, dropout."""
    depth = trial.suggest_int("n_hidden_layers", 1, 3)
    width = trial.suggest_int("width", 16, 512, log=True)
    return {
        **training_space(trial, lr=(1e-4, 1e-1)),
        "hidden_layer_sizes": (width,) * depth,
        "dropout": trial.suggest_float("dropout", 0.0, 0.5),
    }


class _DenseFamily(_TableInput, BaseNeuralNetwork):
    """Fully connected networks on tables: module, constraints, search space."""

    _module_class = DenseModule
    _search_space = staticmethod(dense_space)
    _min_epochs = 50
    _parameter_constraints = {
        **BaseNeuralNetwork._parameter_constraints,
        "hidden_layer_sizes": ["array-like"],
        "activation": [StrOptions(set(ACTIVATIONS))],
        "dropout": [Interval(Real, 0, 1, closed="left")],
        "batch_norm": ["boolean"],
        "residual": ["boolean"],
        "activity_l1": [Interval(Real, 0, None, closed="left")],
        "activity_l2": [Interval(Real, 0, None, closed="left")],
    }


_ARCHITECTURE_DOC = """
    hidden_layer_sizes : array-like of int, default={default}
        Width of each hidden layer. ``()`` gives a linear model.

    activation : str, default={default}
        Hidden activation: "relu", "leaky_relu", "elu", "selu", "gelu",
        "silu", "tanh", "sigmoid", "softplus" or "identity".

    dropout : float, default={default}
        Dropout probability after each hidden activation.

    batch_norm : bool, default={default}
        Batch normalisation before each hidden activation. A last training
        batch of one sample is merged into the previous batch.

    residual : bool, default={default}
        Residual connections ``x + f(x)`` around each hidden layer; a learned
        linear projection replaces ``x`` where the widths differ.

    activity_l1 : float, default={default}
        L1 penalty on the hidden layers' outputs (summed over units,
        averaged over the batch).

    activity_l2 : float, default={default}
        L2 penalty on the hidden layers' outputs.
""".strip("\n").lstrip()

_INPUT_DOC = """X is a 2-D array ``(n_samples, n_features)``: numpy, pandas, lists, or a
    scipy sparse matrix (e.g. from ``CountVectorizer``), which is densified
    one batch at a time, never as a whole."""

_DENSE_DOCS = dict(
    input=_INPUT_DOC,
    architecture=_ARCHITECTURE_DOC,
    module=module_parameters(
        sizes="``n_features``",
        call="``forward(x)`` with ``x`` of shape ``(n_samples, n_features)``",
    ),
    attributes=TABULAR_FEATURES,
)


@document(**_DENSE_DOCS)
class DenseClassifier(NeuralClassifierMixin, _DenseFamily):
    """Fully connected neural network classifier (PyTorch, trained via skorch).

    Binary, multiclass and multilabel targets; labels of any type (ints,
    strings) come back from :meth:`predict` as they went in. The loss is
    cross-entropy, or binary cross-entropy per label for a multilabel
    indicator matrix.

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
        **_DenseFamily._parameter_constraints,
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
        activity_l1=0.0,
        activity_l2=0.0,
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


@document(**_DENSE_DOCS)
class DenseRegressor(NeuralRegressorMixin, _DenseFamily):
    """Fully connected neural network regressor (PyTorch, trained via skorch).

    Single and multi-output regression. Predictions have the shape of the
    ``y`` seen in fit: a 1-D ``y`` gives 1-D predictions.

    See Also
    --------
    DenseClassifier : The same network for classification.
    sklearn.neural_network.MLPRegressor : scikit-learn's numpy MLP.

    Notes
    -----
    The targets are standardised for training (``normalize_y=True``) and
    predictions come back in y's units, so targets of any scale work.

    Examples
    --------
    >>> from sklearn.datasets import load_diabetes
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from skdl import DenseRegressor
    >>> X, y = load_diabetes(return_X_y=True)
    >>> reg = make_pipeline(StandardScaler(), DenseRegressor(random_state=0))
    >>> reg.fit(X, y).score(X, y) > 0.4   # y in its own units (std 77)
    True
    """

    _parameter_constraints = {
        **_DenseFamily._parameter_constraints,
        **NeuralRegressorMixin._regressor_constraints,
    }

    def __init__(
        self,
        *,
        hidden_layer_sizes=(100,),
        activation="relu",
        dropout=0.0,
        batch_norm=False,
        residual=False,
        activity_l1=0.0,
        activity_l2=0.0,
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
