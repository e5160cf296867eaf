"""Loaders for real data installed with packages, and ``make_*`` generators."""

__all__: list[str] = []
