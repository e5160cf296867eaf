"""sklearn transformers that turn raw inputs into network inputs."""

from ._molecules import MolecularGraphFeaturizer
from ._tokenizer import SequenceTokenizer

__all__ = ["MolecularGraphFeaturizer", "SequenceTokenizer"]
