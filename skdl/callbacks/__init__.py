"""skorch callbacks owned by skdl."""

from ._training import EpochScore, NonFiniteLossError, StopOnNonFiniteLoss

__all__ = ["EpochScore", "NonFiniteLossError", "StopOnNonFiniteLoss"]
