"""Every public class documents every parameter, in order, with its true default.

The docstrings are parsed with numpydoc (as Sphinx would) and compared with
``inspect.signature``: a shared block that states another class's default,
a parameter left out, or one documented out of order fails here.
"""

import ast
import inspect

import numpy as np
import pytest

numpydoc = pytest.importorskip("numpydoc.docscrape")

import skdl  # noqa: E402
from skdl.callbacks import EpochProgress  # noqa: E402
from skdl.ensemble import SeedEnsembleClassifier, SeedEnsembleRegressor  # noqa: E402
from skdl.inspection import TrainingHistoryDisplay  # noqa: E402
from skdl.preprocessing import SequenceTokenizer  # noqa: E402
from skdl.search import OptunaSearchCV  # noqa: E402
from skdl.utils._docstring import format_default  # noqa: E402

PUBLIC = [getattr(skdl, name) for name in skdl.__all__ if name[0].isupper()]
PUBLIC += [SequenceTokenizer, OptunaSearchCV, TrainingHistoryDisplay, EpochProgress]
PUBLIC += [SeedEnsembleClassifier, SeedEnsembleRegressor]


def _documented(cls):
    doc = numpydoc.NumpyDocString(inspect.getdoc(cls))
    return [(p.name, p.type) for p in doc["Parameters"]]


def _same_default(text, value):
    try:
        parsed = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text == format_default(value)
    if isinstance(value, np.ndarray):
        return False
    return parsed == value and type(parsed) is type(value)


@pytest.mark.parametrize("cls", PUBLIC, ids=lambda c: c.__name__)
def test_every_parameter_documented_in_order(cls):
    signature = [
        n for n in inspect.signature(cls.__init__).parameters if n not in ("self",)
    ]
    assert [name for name, _ in _documented(cls)] == signature


@pytest.mark.parametrize("cls", PUBLIC, ids=lambda c: c.__name__)
def test_documented_defaults_are_the_signature_defaults(cls):
    signature = inspect.signature(cls.__init__).parameters
    wrong = []
    for name, kind in _documented(cls):
        if "default=" not in kind:
            assert signature[name].default is inspect.Parameter.empty, name
            continue
        text = kind.split("default=", 1)[1].strip()
        if not _same_default(text, signature[name].default):
            wrong.append(
                f"{name}: documented {text}, signature {signature[name].default!r}"
            )
    assert not wrong, wrong


def test_the_two_sequence_cnns_document_their_own_training_defaults():
    # The shared training block once said max_epochs=100 and
    # n_iter_no_change=10 for every class; the sequence CNNs default to 5.
    # The minimum epochs of max_epochs="auto" are the family's own.
    doc = dict(_documented(skdl.SequenceCNNClassifier))
    assert doc["max_epochs"].endswith('default="auto"')
    assert doc["n_iter_no_change"].endswith("default=5")
    cnn = skdl.SequenceCNNClassifier.__doc__
    dense = skdl.DenseClassifier.__doc__
    assert " ".join(cnn.split()).count('"auto" trains 20 epochs') == 1
    assert " ".join(dense.split()).count('"auto" trains 50 epochs') == 1
