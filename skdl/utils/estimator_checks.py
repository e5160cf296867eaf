"""skdl's own estimator checks, beyond scikit-learn's.

Each check has scikit-learn's shape, ``check_x(name, estimator)``, builds its
own tiny data and raises ``AssertionError`` when the estimator misbehaves.
``yield_skdl_checks`` lists the ones that apply to an estimator, so a test
suite runs them all with::

    @pytest.mark.parametrize("check", yield_skdl_checks(est))
    def test_skdl_checks(check):
        check(type(est).__name__, est)

They cover what scikit-learn's checks do not: string labels, pickling into a
fresh Python process, bitwise reproducibility without touching global random
state, ``partial_fit`` as exactly one epoch, pandas input, rebuilding the
network after ``set_params``, the documented fitted attributes, a custom
``module=``, the module protocol (a batch of one, deep copies, predicting
changes nothing), a failed refit leaving the estimator unfitted, and
sample-weight equivalence at float32 precision.

The data each check builds depend on the estimator's input kind
(``input_kind(est)``: "table", "sequence", ...), declared by its family. For
sequence estimators the data are token ids with padding, and two more checks
cover masking: appended or leading padding does not change a prediction, and
variable-length (ragged) input gives the same predictions as padded input.
For image estimators the data are flat rows of small square images (which
they read as square images), so the table checks apply to them unchanged.
For graph estimators the data are SMILES strings of small molecules (so
RDKit is needed), and the module check also predicts a graph without nodes.
A new input kind adds its data maker to ``_DATA`` and its user module to
``_USER_MODULES``; a new estimator of a known kind needs nothing here.
"""

import copy
import os
import pickle
import re
import subprocess
import sys
import tempfile
import textwrap
import warnings

import numpy as np
import torch
from sklearn.base import clone, is_classifier
from sklearn.exceptions import NotFittedError
from skorch.callbacks import Callback

__all__ = [
    "check_custom_module",
    "check_failed_fit_leaves_estimator_unfitted",
    "check_module_protocol",
    "check_padding_invariance",
    "check_variable_length_input",
    "check_documented_attributes_exist",
    "check_pandas_input",
    "check_partial_fit_is_one_epoch",
    "check_pickle_fresh_process",
    "check_sample_weight_equivalence_float32",
    "check_seeded_reproducibility",
    "check_set_params_refit_rebuilds",
    "check_string_labels",
    "input_kind",
    "yield_skdl_checks",
]


def input_kind(estimator):
    """The kind of X an skdl estimator takes: "table", "sequence", "image" or
    "graph" (its family's ``_input_kind``)."""
    kind = getattr(type(estimator), "_input_kind", None)
    if kind is None:
        raise TypeError(
            f"{type(estimator).__name__} declares no input kind; skdl's checks "
            "are for skdl estimators (subclasses of BaseNeuralNetwork)."
        )
    return kind


def _takes_sequences(estimator):
    return input_kind(estimator) == "sequence"


def _takes_graphs(estimator):
    return input_kind(estimator) == "graph"


def _token_data(estimator, n=60, length=12, seed=0):
    """Token ids 2..11 with 0-padding after a random length of 4..length."""
    rng = np.random.RandomState(seed)
    X = rng.randint(2, 12, size=(n, length))
    X[np.arange(length) >= rng.randint(4, length + 1, size=n)[:, None]] = 0
    has2, has3 = (X == 2).any(1), (X == 3).any(1)
    if is_classifier(estimator):
        return X, np.array(["ant", "bee", "cat"])[has2.astype(int) + has3]
    return X, has2 - 2.0 * has3 + 0.1 * rng.normal(size=n)


def _ragged(X):
    """Rows of a post-padded id matrix as an object array of unpadded rows."""
    out = np.empty(len(X), dtype=object)
    out[:] = [row[row != 0] for row in X]
    return out


def _table_data(estimator, n=60, n_features=5, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(n, n_features))
    if is_classifier(estimator):
        codes = (X[:, 0] > 0).astype(int) + (X[:, 1] > 0.5)
        return X, np.array(["ant", "bee", "cat"])[codes]
    return X, X[:, 0] - 2 * X[:, 1] + 0.1 * rng.normal(size=n)


def _image_data(estimator, n=60, side=6, seed=0):
    """Flat rows of ``side`` x ``side`` noise images with a bright 2x2 square
    in one of three corners: the corner is the class (classifiers); the
    corner plus the square's brightness is the target (regressors)."""
    rng = np.random.RandomState(seed)
    X = 0.2 * rng.rand(n, side, side)
    where = rng.randint(0, 3, size=n)
    brightness = rng.uniform(0.5, 1.0, size=n)
    if is_classifier(estimator):
        brightness[:] = 1.0
    corners = [(0, 0), (0, side - 2), (side - 2, 0)]
    for i, k in enumerate(where):
        r, c = corners[k]
        X[i, r : r + 2, c : c + 2] += brightness[i]
    X = X.reshape(n, -1)
    if is_classifier(estimator):
        return X, np.array(["ant", "bee", "cat"])[where]
    return X, where + brightness + 0.05 * rng.normal(size=n)


def _graph_data(estimator, n=60, seed=0):
    """SMILES of chains of 3..8 heavy atoms (C, N, O): whether a chain holds
    N and O is the class; N count minus twice the O count the target. A str
    array (not object), so that it saves with ``np.save`` like the others."""
    rng = np.random.RandomState(seed)
    atoms = np.array(["C", "C", "C", "N", "O"])
    X = np.array(["".join(rng.choice(atoms, rng.randint(3, 9))) for _ in range(n)])
    n_n = np.array([s.count("N") for s in X])
    n_o = np.array([s.count("O") for s in X])
    if is_classifier(estimator):
        return X, np.array(["ant", "bee", "cat"])[(n_n > 0).astype(int) + (n_o > 0)]
    return X, n_n - 2.0 * n_o + 0.1 * rng.normal(size=n)


# Tiny learnable data per input kind: ``maker(estimator, n=..., seed=...)``.
_DATA = {
    "table": _table_data,
    "sequence": _token_data,
    "image": _image_data,
    "graph": _graph_data,
}


def _data(estimator, n=60, seed=0):
    kind = input_kind(estimator)
    if kind not in _DATA:
        raise NotImplementedError(
            f"skdl's estimator checks have no data maker for input kind {kind!r} "
            "yet; add one to skdl.utils.estimator_checks._DATA."
        )
    return _DATA[kind](estimator, n=n, seed=seed)


def _fast(estimator, **params):
    """A clone trained 3 epochs with seed 0, with those of ``params`` that
    the estimator has (e.g. dropout, when it has dropout)."""
    known = set(estimator.get_params())
    if getattr(estimator, "module", None) is not None:  # ignored by a user module
        known -= set(estimator._architecture_names())
    params = {k: v for k, v in params.items() if k in known}
    return clone(estimator).set_params(**{"max_epochs": 3, "random_state": 0, **params})


class _StopAfter(Callback):
    """Ends training after ``n`` epochs (as skorch's EarlyStopping does)."""

    def __init__(self, n):
        self.n = n

    def on_epoch_end(self, net, **kwargs):
        if len(net.history) >= self.n:
            raise KeyboardInterrupt


def _outputs(estimator, X):
    if is_classifier(estimator):
        return estimator.predict_proba(X)
    return estimator.predict(X)


def check_string_labels(name, estimator):
    """Classifiers learn string labels and give them back from predict."""
    X, y = _data(estimator)
    est = _fast(estimator, max_epochs=30, lr=1e-2).fit(X, y)
    assert est.classes_.tolist() == ["ant", "bee", "cat"], est.classes_
    pred = est.predict(X)
    assert pred.dtype == y.dtype and set(pred) <= set(y), pred
    assert est.score(X, y) > 0.8, f"{name} accuracy {est.score(X, y)}"
    np.testing.assert_allclose(est.predict_proba(X).sum(1), 1.0, rtol=1e-12)


def check_pickle_fresh_process(name, estimator):
    """A pickled fitted estimator predicts the same in a new Python process."""
    X, y = _data(estimator)
    # Early stopping adds skdl's own callbacks to the net: they must pickle too.
    est = _fast(estimator, early_stopping=True).fit(X, y)
    method = "predict_proba" if is_classifier(est) else "predict"
    with tempfile.TemporaryDirectory() as tmp:
        paths = {k: os.path.join(tmp, k) for k in ("est.pkl", "X.npy", "out.npy")}
        with open(paths["est.pkl"], "wb") as f:
            pickle.dump(est, f)
        np.save(paths["X.npy"], X)
        code = textwrap.dedent(
            f"""
            import pickle, numpy as np
            with open({paths["est.pkl"]!r}, "rb") as f:
                est = pickle.load(f)
            X = np.load({paths["X.npy"]!r})
            np.save({paths["out.npy"]!r}, est.{method}(X))
            """
        )
        # A new interpreter with this one's import path, so that a user's
        # module class defined in their own (test) module unpickles there.
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
        subprocess.run([sys.executable, "-c", code], check=True, timeout=300, env=env)
        np.testing.assert_array_equal(np.load(paths["out.npy"]), _outputs(est, X))


def check_seeded_reproducibility(name, estimator):
    """Same seed, same bits; another seed, another model; global RNGs untouched."""
    X, y = _data(estimator)
    torch.manual_seed(123)
    np.random.seed(123)
    torch_state, np_state = torch.get_rng_state(), np.random.get_state()[1].copy()
    a = _fast(estimator, dropout=0.2).fit(X, y)
    assert torch.equal(torch.get_rng_state(), torch_state), "torch RNG moved"
    np.testing.assert_array_equal(np.random.get_state()[1], np_state)
    b = _fast(estimator, dropout=0.2).fit(X, y)
    c = _fast(estimator, dropout=0.2, random_state=1).fit(X, y)
    np.testing.assert_array_equal(_outputs(a, X), _outputs(b, X))
    assert not np.array_equal(_outputs(a, X), _outputs(c, X))


def check_partial_fit_is_one_epoch(name, estimator):
    """Each partial_fit is one epoch at the constant learning rate: k of them
    equal fit(max_epochs=k, lr_schedule="constant") bitwise. And k epochs of
    a planned fit (what a search scores epoch by epoch) equal the first k
    epochs of fit with the estimator's own schedule."""
    X, y = _data(estimator)
    est = _fast(estimator, dropout=0.1)
    for i in range(1, 4):
        est.partial_fit(X, y)
        assert est.n_iter_ == i, (est.n_iter_, i)
    constant = {"lr_schedule": "constant"} if "lr_schedule" in est.get_params() else {}
    full = _fast(estimator, dropout=0.1, max_epochs=3, **constant).fit(X, y)
    np.testing.assert_array_equal(_outputs(est, X), _outputs(full, X))
    if hasattr(estimator, "_fit_next_epoch"):
        stepped = _fast(estimator, dropout=0.1, max_epochs=4)
        for _ in range(2):
            stepped._fit_next_epoch(X, y)
        # Two planned epochs of four against a four-epoch fit stopped after
        # two: the same weights, since both follow the four-epoch schedule.
        stopped = _fast(
            estimator, dropout=0.1, max_epochs=4, callbacks=[("stop", _StopAfter(2))]
        ).fit(X, y)
        np.testing.assert_array_equal(_outputs(stepped, X), _outputs(stopped, X))


def check_pandas_input(name, estimator):
    """DataFrames in, feature names kept and checked, same result as arrays."""
    import pandas as pd

    X, y = _data(estimator)
    df = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    est = _fast(estimator).fit(df, pd.Series(y))
    assert est.feature_names_in_.tolist() == list(df.columns)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        from_array = _outputs(est, X)
    assert any("does not have valid feature names" in str(w.message) for w in caught)
    np.testing.assert_array_equal(_outputs(est, df), from_array)
    try:
        est.predict(df.rename(columns={"f0": "other"}))
    except ValueError as exc:
        assert "feature names" in str(exc), exc
    else:
        raise AssertionError(f"{name} accepted renamed columns")


def check_set_params_refit_rebuilds(name, estimator):
    """fit after set_params builds a new network of the new shape."""
    X, y = _data(estimator)
    est = _fast(estimator, hidden_layer_sizes=(7,)).fit(X, y)

    def widths(est):  # in_features of the network's linear layers, in order
        return [
            m.in_features
            for m in est.net_.module_.modules()
            if isinstance(m, torch.nn.Linear)
        ]

    before = widths(est)
    assert before[-1] == 7, before
    est.set_params(hidden_layer_sizes=(4, 3)).fit(X, y)
    after = widths(est)
    assert after[-2:] == [4, 3] and len(after) == len(before) + 1, (before, after)
    assert est.n_iter_ == 3, "a refit must start over, not continue"


def _documented_attributes(estimator):
    """Attribute names in the docstring, except those documented as set only
    for another kind of input ("Only for ...")."""
    doc = type(estimator).__doc__
    section = doc.split("Attributes\n    ----------")[1].split("See Also")[0]
    entries = re.findall(
        r"^    (\w+_) :.*\n((?:        .*\n|\n)*)", section, flags=re.M
    )
    return [name for name, text in entries if "Only for" not in text]


def check_documented_attributes_exist(name, estimator):
    """Every attribute in the docstring's Attributes section is set by fit."""
    import pandas as pd

    X, y = _data(estimator)
    required = {"net_", "history_", "n_iter_"}
    if _takes_graphs(estimator):  # molecules and graphs have no columns
        est = _fast(estimator, early_stopping=True).fit(X, y)
    else:
        df = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
        est = _fast(estimator, early_stopping=True).fit(df, y)
        required.add("n_features_in_")
    documented = _documented_attributes(estimator)
    assert required <= set(documented), documented
    missing = [a for a in documented if not hasattr(est, a)]
    assert not missing, f"{name} documents {missing} but does not set them"


class _TinyModule(torch.nn.Module):
    """A user's network: one linear layer, with an extra constructor argument."""

    def __init__(self, n_features, n_outputs, bias=True):
        super().__init__()
        self.linear = torch.nn.Linear(n_features, n_outputs, bias=bias)

    def forward(self, x):
        return self.linear(x)


class _TinySequenceModule(torch.nn.Module):
    """A user's sequence network: mean of token embeddings, then linear."""

    def __init__(self, n_outputs, vocab_size, bias=True):
        super().__init__()
        self.embedding = torch.nn.Embedding(vocab_size, 4, padding_idx=0)
        self.linear = torch.nn.Linear(4, n_outputs, bias=bias)

    def forward(self, x, lengths=None):
        real = (x != 0).unsqueeze(-1)
        mean = (self.embedding(x.long()) * real).sum(1) / real.sum(1).clamp_min(1)
        return self.linear(mean)


class _TinyImageModule(torch.nn.Module):
    """A user's image network: flattened pixels, then linear."""

    def __init__(self, n_outputs, n_channels, height, width, bias=True):
        super().__init__()
        self.linear = torch.nn.Linear(n_channels * height * width, n_outputs, bias=bias)

    def forward(self, x):
        return self.linear(x.flatten(1))


class _TinyGraphModule(torch.nn.Module):
    """A user's graph network: summed node features, then linear."""

    def __init__(self, n_outputs, n_node_features, n_edge_features, bias=True):
        super().__init__()
        self.linear = torch.nn.Linear(n_node_features, n_outputs, bias=bias)

    def forward(self, x, edge_index, edge_attr, batch, num_graphs):
        pooled = x.new_zeros((num_graphs, x.shape[1])).index_add(0, batch, x)
        return self.linear(pooled)


# A user's module per input kind, with a ``linear`` layer and a ``bias`` flag.
_USER_MODULES = {
    "table": _TinyModule,
    "sequence": _TinySequenceModule,
    "image": _TinyImageModule,
    "graph": _TinyGraphModule,
}


def check_custom_module(name, estimator):
    """module= builds the user's network from data sizes and module_params."""
    X, y = _data(estimator)
    sequences = _takes_sequences(estimator)
    module = _USER_MODULES[input_kind(estimator)]
    est = _fast(estimator, module=module, module_params={"bias": False})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        est.fit(X, y)
    # Architecture settings that differ from the defaults are ignored with a
    # custom module, and the user is told so (and nothing else).
    for w in caught:
        assert "ignored with module=" in str(w.message), w.message
    assert isinstance(est.net_.module_, module)
    assert est.net_.module_.linear.bias is None
    if sequences:
        assert est.net_.module_.embedding.num_embeddings == X.max() + 1
    elif _takes_graphs(estimator):
        assert est.net_.module_.linear.in_features == est.n_node_features_
    else:
        assert est.net_.module_.linear.in_features == X.shape[1]
    assert _outputs(est, X).shape[0] == len(X)
    if sequences:  # variable-length batches reach a custom module too
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*ignored with module=")
            est.fit(_ragged(X), y)
        assert _outputs(est, _ragged(X)).shape[0] == len(X)


def check_padding_invariance(name, estimator):
    """More padding, or padding at the front, changes no prediction.

    Fitted on variable-length input, the estimator takes matrices of any
    width: the same sequences padded to 12 and to 21 positions, at the end or
    at the front, must give the same outputs. A row predicted alone (so that
    it is padded to no other row's length) must give what it gives among
    longer rows: the data path may trim padding per batch, so this is what
    finds a layer that reads padding positions.
    """
    X, y = _data(estimator)
    est = _fast(estimator, dropout=0.1).fit(_ragged(X), y)
    reference = _outputs(est, X)
    longer = np.hstack([X, np.zeros((len(X), 9), dtype=X.dtype)])
    pre = np.zeros_like(longer)
    for i, row in enumerate(X):
        real = row[row != 0]
        pre[i, pre.shape[1] - len(real) :] = real
    for padded in (longer, pre):
        np.testing.assert_allclose(
            _outputs(est, padded), reference, rtol=1e-5, atol=1e-6
        )
    lengths = (X != 0).sum(1)
    for i in np.argsort(lengths, kind="stable")[:5]:  # the shortest rows
        np.testing.assert_allclose(
            _outputs(est, X[i : i + 1]), reference[i : i + 1], rtol=1e-5, atol=1e-6
        )


def check_variable_length_input(name, estimator):
    """Ragged input (a list of id arrays) trains, predicts in the caller's
    order, and matches the padded matrix; float sequences work too."""
    X, y = _data(estimator)
    ragged = _ragged(X)
    est = _fast(estimator).fit(ragged, y)
    reference = _outputs(est, X)
    np.testing.assert_allclose(_outputs(est, ragged), reference, rtol=1e-5, atol=1e-6)
    order = np.random.RandomState(1).permutation(len(X))
    np.testing.assert_allclose(
        _outputs(est, list(ragged[order])), reference[order], rtol=1e-5, atol=1e-6
    )
    # Values of different lengths (e.g. time series), as a list of 2-D arrays.
    rng = np.random.RandomState(0)
    series = [rng.normal(size=(len(row), 2)) for row in ragged]
    est = _fast(estimator).fit(series, y)
    assert _outputs(est, series).shape[0] == len(X)
    assert est.n_channels_ == 2


def check_sample_weight_equivalence_float32(name, estimator):
    """Integer weights equal repeated rows, to float32 precision (rtol 1e-5).

    scikit-learn's own version of this check asks for 1e-7, which float32
    summation order cannot meet. The rounding differences grow with every
    Adam step, faster through message passing and by amounts that depend on
    the CPU (GINE with attention readout: 3e-7 after 10 epochs on one VM,
    1.4e-3 on an Intel Xeon one; a small conv net 3e-4 after 50), so the
    check trains 3 full-batch epochs. On that Xeon every network of
    tests/test_common.py then stays within 2.2e-7, while ignoring the
    weights moves the outputs by 2.7e-2 or more.
    """
    rng = np.random.RandomState(42)
    X = rng.rand(15, 30)
    y = rng.randint(0, 3, size=15)
    if _takes_graphs(estimator):
        X = _data(estimator, n=15, seed=42)[0]
    if not is_classifier(estimator):
        y = y.astype(float)
    sw = rng.randint(0, 5, size=15)
    # Full batches for both ("auto" batch sizes follow the number of rows),
    # and no dropout of any kind (its masks are drawn per row).
    no_dropout = {k: 0.0 for k in estimator.get_params() if k.endswith("dropout")}
    full = dict(batch_size=int(sw.sum()), **no_dropout)  # _fast: 3 epochs
    repeated = _fast(estimator, **full).fit(X.repeat(sw, 0), y.repeat(sw))
    weighted = _fast(estimator, **full).fit(X, y, sample_weight=sw)
    ignored = _fast(estimator, **full).fit(X, y)
    assert not np.allclose(_outputs(ignored, X), _outputs(repeated, X), rtol=1e-3)
    np.testing.assert_allclose(_outputs(weighted, X), _outputs(repeated, X), rtol=1e-5)


def check_module_protocol(name, estimator):
    """The fitted network follows skdl's module protocol from a user's side:
    a freshly fitted estimator deep-copies (the module keeps no tensors of a
    forward pass), predicting changes nothing in the module, and it predicts
    a batch of one and, for sequences, empty sequences.

    Examples
    --------
    >>> from skdl import SequenceCNNClassifier
    >>> from skdl.utils.estimator_checks import check_module_protocol
    >>> check_module_protocol("cnn", SequenceCNNClassifier())
    """
    X, y = _data(estimator)
    est = _fast(estimator, dropout=0.1, activity_l1=1e-3).fit(X, y)
    module = est.net_.module_
    twin = copy.deepcopy(est)  # straight after training
    state = {k: v.clone() for k, v in module.state_dict().items()}
    attributes = dict(vars(module))
    tensors = [k for k, v in attributes.items() if isinstance(v, torch.Tensor)]
    assert not tensors, f"{name}'s module keeps tensors of a forward pass: {tensors}"
    one = _outputs(est, X[:1])
    assert one.shape[0] == 1 and np.isfinite(one).all(), one
    if _takes_sequences(estimator):
        empty = np.empty(3, dtype=object)
        empty[:] = [np.zeros(0, dtype=X.dtype)] * 3
        out = _outputs(est, empty)
        assert out.shape[0] == 3 and np.isfinite(out).all(), out
        padded_empty = np.zeros((2, X.shape[1]), dtype=X.dtype)
        assert np.isfinite(_outputs(est, padded_empty)).all()
    if _takes_graphs(estimator):  # a graph without nodes, among others
        nodes = np.zeros((0, est.n_node_features_), np.float32)
        empty = (nodes, np.zeros((2, 0), int), np.zeros((0, est.n_edge_features_)))
        from ..preprocessing import MolecularGraphFeaturizer

        graphs = MolecularGraphFeaturizer().fit_transform(X[:2])
        out = _outputs(est, [empty, *graphs])
        assert out.shape[0] == 3 and np.isfinite(out).all(), out
        np.testing.assert_allclose(out[1:], _outputs(est, X[:2]), rtol=1e-5)
    np.testing.assert_array_equal(_outputs(twin, X), _outputs(est, X))
    for key, value in module.state_dict().items():
        assert torch.equal(value, state[key]), f"predict changed {key}"
    changed = [
        k
        for k in set(vars(module)) | set(attributes)
        if k not in ("training",) and vars(module).get(k) is not attributes.get(k)
    ]
    assert not changed, f"predicting changed {name}'s module attributes {changed}"


def check_failed_fit_leaves_estimator_unfitted(name, estimator):
    """A refit that raises leaves a cleanly unfitted estimator (NotFittedError
    at predict), never a half-changed one."""
    X, y = _data(estimator)
    est = _fast(estimator).fit(X, y)
    if is_classifier(est):
        bad_y = np.full(len(y), y[0])  # one class: refused in fit
    else:
        bad_y = np.full(len(y), np.nan)  # NaN targets: refused in fit
    try:
        est.fit(X, bad_y)
    except ValueError:
        pass
    else:
        raise AssertionError(f"{name} accepted a target it should refuse")
    try:
        est.predict(X)
    except NotFittedError:
        pass
    else:
        raise AssertionError(f"{name} predicts after a failed fit")
    params = set(est.get_params(deep=False))
    left = [k for k in vars(est) if k.endswith("_") and k not in params]
    assert not left, f"{name} keeps fitted attributes {left} after a failed fit"


def yield_skdl_checks(estimator):
    """The skdl checks that apply to ``estimator``.

    Each is called as ``check(name, estimator)`` and raises AssertionError
    when the estimator breaks skdl's contract; run them on your own skdl
    estimator or custom ``module=`` as skdl's test suite does (with
    ``pytest.mark.parametrize``), next to sklearn's
    ``parametrize_with_checks``.

    Examples
    --------
    >>> from skdl import DenseClassifier
    >>> from skdl.utils.estimator_checks import yield_skdl_checks
    >>> [check.__name__ for check in yield_skdl_checks(DenseClassifier())][:2]
    ['check_string_labels', 'check_pickle_fresh_process']
    """
    if is_classifier(estimator):
        yield check_string_labels
    yield check_pickle_fresh_process
    yield check_seeded_reproducibility
    yield check_partial_fit_is_one_epoch
    if not _takes_graphs(estimator):
        yield check_pandas_input
    params = estimator.get_params()
    if "hidden_layer_sizes" in params and params.get("module") is None:
        yield check_set_params_refit_rebuilds
    yield check_documented_attributes_exist
    if "module" in params:
        yield check_custom_module
    yield check_module_protocol
    yield check_failed_fit_leaves_estimator_unfitted
    if _takes_sequences(estimator):
        yield check_padding_invariance
        yield check_variable_length_input
    yield check_sample_weight_equivalence_float32
