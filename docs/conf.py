"""Sphinx configuration of skdl's documentation site (``make docs``).

The user guide pages are the Markdown files in this folder (read by
myst-parser; the test suite runs their Python blocks), the API reference is
built from the numpydoc docstrings, and the example gallery from
``examples/`` by sphinx-gallery. The examples are rendered, not executed:
they train on real data sets for minutes each (``make demo`` and
``tests/test_examples.py`` run them).
"""

import skdl

project = "skdl"
author = "the skdl developers"
copyright = "2026, the skdl developers"
release = version = skdl.__version__

extensions = [
    "myst_parser",
    "numpydoc",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx_gallery.gen_gallery",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build", "**.ipynb_checkpoints", "auto_examples/*.ipynb"]
templates_path = ["_templates"]

# Markdown: headings get anchors (pages link to sections), ```python blocks
# are highlighted as code.
myst_heading_anchors = 3
myst_enable_extensions = ["colon_fence"]

autosummary_generate = True
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
# Every public class and function in the reference has an Examples section.
numpydoc_validation_checks = {"EX01"}
# (Methods are documented, but need no examples of their own.)
numpydoc_validation_exclude = {r"\.__init__$", r"\.[A-Z]\w*\.\w+$"}

sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"^$",  # render every example; execute none
    "plot_gallery": "False",
    "download_all_examples": False,
    "within_subsection_order": "FileNameSortKey",
}

html_theme = "pydata_sphinx_theme"
html_title = f"skdl {release}"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
}
html_static_path = []
