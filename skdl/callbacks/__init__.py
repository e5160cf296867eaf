"""skorch callbacks owned by skdl."""

from ._training import (
    EarlyStoppingWhenValidated,
    EpochScore,
    LRSchedule,
    NonFiniteLossError,
    StopOnNonFiniteLoss,
)

__all__ = [
    "EarlyStoppingWhenValidated",
    "EpochScore",
    "LRSchedule",
    "NonFiniteLossError",
    "StopOnNonFiniteLoss",
]
