"""Loaders for real data installed with packages, and ``make_*`` generators."""

from ._generators import make_sequence_classification, make_sequence_regression
from ._images import load_mnist_5k
from ._sequences import (
    load_dna_binding,
    load_esol,
    load_rotten_tomatoes,
    load_solpro,
)

__all__ = [
    "load_dna_binding",
    "load_esol",
    "load_mnist_5k",
    "load_rotten_tomatoes",
    "load_solpro",
    "make_sequence_classification",
    "make_sequence_regression",
]
