"""sklearn transformers that turn raw inputs into network inputs."""

__all__: list[str] = []
