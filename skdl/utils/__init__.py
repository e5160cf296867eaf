"""Validation, seeding, the fast data path and docstring helpers."""

from ._data import ArrayDataset, BatchIterator
from ._summary import LayerSummary, NetworkSummary
from ._torch import resolve_device

__all__ = [
    "ArrayDataset",
    "BatchIterator",
    "LayerSummary",
    "NetworkSummary",
    "resolve_device",
]
