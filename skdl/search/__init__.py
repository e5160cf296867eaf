"""Hyperparameter search with Optuna (optional: ``pip install 'skdl[search]'``).

Importing this module needs no Optuna; fitting a search does, and says how to
install it when it is missing.
"""

from ._optuna import OptunaSearchCV

__all__ = ["OptunaSearchCV"]
