"""Loaders for real data installed with packages, and ``make_*`` generators."""

from ._generators import make_sequence_classification, make_sequence_regression
from ._sequences import (
    load_dna_binding,
    load_esol,
    load_rotten_tomatoes,
    load_solpro,
)

__all__ = [
    "load_dna_binding",
    "load_esol",
    "load_rotten_tomatoes",
    "load_solpro",
    "make_sequence_classification",
    "make_sequence_regression",
]
