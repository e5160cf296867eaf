"""The README and user guide stay true: their Python blocks run."""

import pathlib
import re
import sys
import types

import pytest

try:  # joblib >= 1.6 uses the cloudpickle package; older ones vendor it
    import cloudpickle
except ImportError:
    from joblib.externals import cloudpickle

ROOT = pathlib.Path(__file__).resolve().parents[1]
# docs/index.md is the site's table of contents: no code.
PAGES = [
    ROOT / "README.md",
    *sorted(p for p in (ROOT / "docs").glob("*.md") if p.name != "index.md"),
]


def python_blocks(path):
    return re.findall(r"```python\n(.*?)```", path.read_text(), flags=re.S)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_python_blocks_run(page):
    blocks = python_blocks(page)
    assert blocks, f"{page.name} has no python blocks"
    # Blocks of one page share state, as in a session, in a module of their
    # own, so that classes defined on a page pickle (as in a user's script);
    # joblib's workers, which cannot import it, get its functions by value.
    name = f"docs_{page.stem}"
    module = sys.modules[name] = types.ModuleType(name)
    cloudpickle.register_pickle_by_value(module)
    try:
        for block in blocks:
            exec(compile(block, str(page), "exec"), module.__dict__)
    finally:
        cloudpickle.unregister_pickle_by_value(module)
        del sys.modules[name]
