"""skorch callbacks owned by skdl."""

from ._progress import EpochProgress
from ._training import (
    EarlyStoppingWhenValidated,
    EpochScore,
    LRSchedule,
    NonFiniteLossError,
    StopOnNonFiniteLoss,
)

__all__ = [
    "EarlyStoppingWhenValidated",
    "EpochProgress",
    "EpochScore",
    "LRSchedule",
    "NonFiniteLossError",
    "StopOnNonFiniteLoss",
]
