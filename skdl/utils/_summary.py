"""A layer-by-layer table of a fitted network (``est.summary()``).

Forward hooks on every submodule record, during one forward pass of a single
sample, the shape each module returns and the parameters it holds. Written
with plain hooks rather than torchinfo, so that the base install needs
nothing more; the table follows Keras' ``model.summary()``: one row per
layer with its output shape for one sample (no batch axis) and its
parameter count, then the totals.
"""

from dataclasses import dataclass, field

import torch


@dataclass
class LayerSummary:
    """One row of a :class:`NetworkSummary`."""

    name: str
    type: str
    output_shape: tuple | None
    n_params: int
    depth: int


@dataclass
class NetworkSummary:
    """The layers and parameter counts of a fitted skdl network.

    Returned by the estimators' ``summary()``; ``print`` it (or let a
    notebook show it) for the table.

    Attributes
    ----------
    title : str
        The estimator and module class.
    input_description : str
        The sample the output shapes are for.
    layers : list of LayerSummary
        Each module that ran, in the order it first ran: ``name`` (its
        attribute path), ``type`` (class name), ``output_shape`` (for one
        sample, without the batch axis; None when it returns no tensor),
        ``n_params`` (its parameters, its submodules' included) and
        ``depth`` (1 for the network's direct children).
    total_params, trainable_params, non_trainable_params : int
        Counted once each, whether or not the layer ran.
    notes : list of str
        Remarks under the table.
    """

    title: str
    input_description: str
    layers: list = field(default_factory=list)
    total_params: int = 0
    trainable_params: int = 0
    non_trainable_params: int = 0
    notes: list = field(default_factory=list)

    def __str__(self):
        rows = [
            (
                "  " * (layer.depth - 1) + f"{layer.name} ({layer.type})",
                "-" if layer.output_shape is None else str(layer.output_shape),
                f"{layer.n_params:,}",
            )
            for layer in self.layers
        ]
        header = ("Layer (type)", "Output shape", "Param #")
        widths = [max(len(r[i]) for r in [header, *rows]) for i in range(3)]

        def line(row):
            name, shape, n = row
            return (
                f"{name:<{widths[0]}}  {shape:<{widths[1]}}  {n:>{widths[2]}}"
            ).rstrip()

        rule = "=" * (sum(widths) + 4)
        out = [self.title, self.input_description, rule, line(header), rule]
        out += [line(r) for r in rows]
        out += [
            rule,
            f"Total params: {self.total_params:,}",
            f"Trainable params: {self.trainable_params:,}",
            f"Non-trainable params: {self.non_trainable_params:,}",
        ]
        out += self.notes
        return "\n".join(out)

    def __repr__(self):
        return str(self)


def _shape(output):
    """The shape of a module's output for one sample (first tensor found)."""
    if isinstance(output, torch.Tensor):
        return tuple(output.shape[1:])
    if isinstance(output, (tuple, list)):
        for item in output:
            shape = _shape(item)
            if shape is not None:
                return shape
    if isinstance(output, dict):
        return _shape(list(output.values()))
    return None


def summarize(module, inputs, *, title, input_description):
    """Run ``module`` once on ``inputs`` (a tensor, or a dict of keyword
    tensors) in eval mode without gradients, and tabulate its layers."""
    calls = {}  # module -> output shape of its first call, in call order
    handles = []

    def pre_hook(mod, args):
        calls.setdefault(mod, None)  # the order in which layers start

    def hook(mod, args, output):
        if calls.get(mod) is None:
            calls[mod] = _shape(output)

    names = {}
    for name, sub in module.named_modules():
        if sub is not module and sub not in names:
            names[sub] = name
            handles.append(sub.register_forward_pre_hook(pre_hook))
            handles.append(sub.register_forward_hook(hook))
    was_training = module.training
    try:
        module.eval()
        with torch.no_grad():
            if isinstance(inputs, dict):
                module(**inputs)
            else:
                module(inputs)
    finally:
        for handle in handles:
            handle.remove()
        module.train(was_training)
    summary = NetworkSummary(title=title, input_description=input_description)
    ran = {names[m] for m in calls}
    for sub, shape in calls.items():
        name = names[sub]
        # Depth counts the ancestors that ran (containers that only hold
        # layers, such as ModuleList, are no rows of their own); a row is
        # named relative to the nearest of them.
        parts = name.split(".")
        ancestors = [".".join(parts[:i]) for i in range(1, len(parts))]
        ran_above = [a for a in ancestors if a in ran]
        summary.layers.append(
            LayerSummary(
                name=name[len(ran_above[-1]) + 1 :] if ran_above else name,
                type=type(sub).__name__,
                output_shape=shape,
                n_params=sum(p.numel() for p in sub.parameters()),
                depth=1 + len(ran_above),
            )
        )
    params = list(module.parameters())
    summary.total_params = sum(p.numel() for p in params)
    summary.trainable_params = sum(p.numel() for p in params if p.requires_grad)
    summary.non_trainable_params = summary.total_params - summary.trainable_params
    return summary
