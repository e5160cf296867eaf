"""scikit-learn estimators that train PyTorch networks through skorch."""

from ._dense import DenseClassifier, DenseRegressor

__all__ = ["DenseClassifier", "DenseRegressor"]
