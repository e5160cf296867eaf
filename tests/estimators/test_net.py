"""SkdlNet against the installed skorch: the private members it relies on."""

import pytest
import skorch

from skdl.estimators._net import SKORCH_PRIVATE_API, SkdlNet


@pytest.mark.parametrize("name", SKORCH_PRIVATE_API)
def test_skorch_still_has_the_private_members_skdl_uses(name):
    # A skorch release that renames one of these must fail here, by name,
    # not deep inside a training loop.
    assert hasattr(skorch.NeuralNet, name), (
        f"skorch {skorch.__version__} has no NeuralNet.{name}; update "
        "skdl/estimators/_net.py"
    )


def test_skdl_net_uses_no_other_private_skorch_member():
    import ast
    import inspect

    import skdl.estimators._net as net_module

    tree = ast.parse(inspect.getsource(net_module))
    used = {
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and node.attr.startswith("_")
        and not node.attr.startswith("__")
        and isinstance(node.value, ast.Name)
        and node.value.id in ("self", "super")
    }
    own = {n for n in vars(SkdlNet) if n.startswith("_")} | {
        "_penalised",
        "_grad_listeners",
    }
    skorch_private = {n for n in used - own if hasattr(skorch.NeuralNet, n)}
    assert skorch_private <= set(SKORCH_PRIVATE_API), skorch_private - set(
        SKORCH_PRIVATE_API
    )
