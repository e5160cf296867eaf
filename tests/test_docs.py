"""The README and user guide stay true: their Python blocks run."""

import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def python_blocks(path):
    return re.findall(r"```python\n(.*?)```", path.read_text(), flags=re.S)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_python_blocks_run(page):
    blocks = python_blocks(page)
    assert blocks, f"{page.name} has no python blocks"
    namespace = {}
    for block in blocks:  # blocks of one page share state, as in a session
        exec(compile(block, str(page), "exec"), namespace)
