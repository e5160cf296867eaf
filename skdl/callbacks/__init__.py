"""skorch callbacks owned by skdl."""

from ._training import (
    EarlyStoppingWhenValidated,
    EpochScore,
    NonFiniteLossError,
    StopOnNonFiniteLoss,
)

__all__ = [
    "EarlyStoppingWhenValidated",
    "EpochScore",
    "NonFiniteLossError",
    "StopOnNonFiniteLoss",
]
