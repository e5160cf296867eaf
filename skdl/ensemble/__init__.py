"""Ensembles of skdl estimators (or any estimator with a ``random_state``)."""

from ._seed import SeedEnsembleClassifier, SeedEnsembleRegressor

__all__ = ["SeedEnsembleClassifier", "SeedEnsembleRegressor"]
