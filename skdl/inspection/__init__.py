"""Looking at fitted estimators: training curves (needs matplotlib)."""

from ._history import TrainingHistoryDisplay

__all__ = ["TrainingHistoryDisplay"]
