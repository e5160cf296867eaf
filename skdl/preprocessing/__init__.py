"""sklearn transformers that turn raw inputs into network inputs."""

from ._tokenizer import SequenceTokenizer

__all__ = ["SequenceTokenizer"]
