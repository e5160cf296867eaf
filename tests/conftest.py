"""What the test files share: tiny data makers and small, fast estimators.

Test modules import these names directly (``from conftest import fast``);
pytest puts this folder on ``sys.path`` when it loads this file.
"""

import subprocess
import sys

import numpy as np
import torch

# skdl first: skorch imports torch_geometric when it is installed, whose
# import raises a DeprecationWarning (torch.jit.script) that this suite turns
# into an error; skdl imports PyG with exactly that warning ignored
# (skdl/_optional.py), so skorch then finds it imported.
import skdl  # noqa: F401

# isort: split
from skorch.callbacks import Callback

# The smallest sequence network, for tests about plumbing rather than learning.
TINY_CNN = dict(
    conv_filters=(8,),
    kernel_sizes=3,
    pool_sizes=2,
    hidden_layer_sizes=(8,),
    # The convolutional part alone: tests of the wide branch and the length
    # feature turn them on themselves.
    linear_ngrams=0,
    ngram_features=0,
    end_features=0,
    linear_positions=False,
    length_feature=False,
    dropout=0.0,
    max_epochs=2,
    random_state=0,
)
# A small table network's training settings.
TINY_DENSE = dict(max_epochs=3, random_state=0)
# Sequence networks in the small configuration sklearn's checks run on (the
# default one is sized for proteins of hundreds of residues and makes the
# checks slow, not different). lr=1e-2: sklearn's accuracy checks train on a
# few hundred rows, where 20 epochs at the default 1e-3 are too few steps.
SMALL_CNN = dict(
    conv_filters=(8, 8), kernel_sizes=3, pool_sizes=2, hidden_layer_sizes=(32, 16)
)


# The smallest recurrent network, likewise.
TINY_RNN = dict(
    hidden_size=8,
    hidden_layer_sizes=(8,),
    linear_ngrams=0,
    ngram_features=0,
    linear_positions=False,
    length_feature=False,
    dropout=0.0,
    max_epochs=2,
    random_state=0,
)
# Recurrent networks in sklearn's checks: small, as SMALL_CNN.
SMALL_RNN = dict(hidden_size=8, hidden_layer_sizes=(16,))
# The smallest transformer, and the one sklearn's checks run.
TINY_TRANSFORMER = {
    **{k: v for k, v in TINY_RNN.items() if k != "hidden_size"},
    **dict(d_model=8, embedding_dim=8, n_heads=2, n_layers=1, dim_feedforward=16),
}
# The smallest image CNN, and the one sklearn's checks run (two small blocks).
TINY_IMAGE_CNN = dict(
    conv_filters=(4,), hidden_layer_sizes=(8,), max_epochs=3, random_state=0
)
SMALL_IMAGE_CNN = dict(conv_filters=(8, 8), hidden_layer_sizes=(16,))
# A small graph network (message passing and head 16 wide).
SMALL_GRAPH = dict(hidden_size=16, hidden_layer_sizes=(16,))
TINY_GRAPH = dict(SMALL_GRAPH, n_layers=2, max_epochs=2, random_state=0)
SMALL_TRANSFORMER = dict(
    d_model=16, embedding_dim=16, n_heads=2, n_layers=1, dim_feedforward=32,
    hidden_layer_sizes=(16,),
)  # fmt: skip


def fast(cls, **params):
    """``cls`` in its tiny configuration (by family), seeded, with
    ``params`` on top."""
    from skdl.networks import GraphModule, ImageCNNModule, RNNModule, TransformerModule

    tiny = {
        GraphModule: TINY_GRAPH,
        RNNModule: TINY_RNN,
        TransformerModule: TINY_TRANSFORMER,
        ImageCNNModule: TINY_IMAGE_CNN,
    }.get(cls._module_class, TINY_CNN if cls._input_kind == "sequence" else TINY_DENSE)
    return cls(**{**tiny, **params})


def token_ids(n=60, length=12, low=2, high=8, seed=0):
    """Token ids ``low..high-1`` post-padded with 0 after a random length of
    3..length; returns the id matrix."""
    rng = np.random.RandomState(seed)
    X = rng.randint(low, high, size=(n, length))
    X[np.arange(length) >= rng.randint(3, length + 1, size=n)[:, None]] = 0
    return X


def padded_ids(lengths, width, vocab_size=7, seed=0):
    """A torch batch for module tests: random ids 1..vocab_size-1,
    left-aligned, 0 after each row's length."""
    gen = torch.Generator().manual_seed(seed)
    lengths = torch.as_tensor(lengths)
    x = torch.randint(1, vocab_size, (len(lengths), width), generator=gen)
    return x.masked_fill(torch.arange(width) >= lengths[:, None], 0)


def ragged(X):
    """Rows of a post-padded id matrix as an object array of unpadded rows."""
    out = np.empty(len(X), dtype=object)
    out[:] = [row[row != 0] for row in X]
    return out


def assert_fitted_ignores_padding(est, X, extra=7):
    """A fitted sequence estimator predicts padded ids ``X`` as it predicts
    them ragged, and its module gives the same output with ``extra`` more
    padding columns (for stems and patches: padding that is not a whole
    number of windows)."""
    padded = est.predict_proba(X)
    np.testing.assert_allclose(est.predict_proba(ragged(X)), padded, atol=1e-5)
    module, x = est.net_.module_.eval(), torch.as_tensor(X)
    with torch.no_grad():
        wider = module(torch.nn.functional.pad(x, (0, extra)))
        torch.testing.assert_close(wider, module(x), atol=1e-5, rtol=0)


def no_torch_frames(excinfo):
    """Whether a pytest ``ExceptionInfo``'s traceback passes through no torch
    or skorch code (a data mistake must be refused before any runs)."""
    frames = [str(entry.path) for entry in excinfo.traceback]
    return not any("/torch/" in f or "/skorch/" in f for f in frames)


def table(n=40, n_features=4, seed=0):
    """A small table with a binary and a continuous target: ``X, y_cls, y_reg``."""
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(n, n_features))
    return X, (X[:, 0] > 0).astype(int), X[:, 0] + X[:, 1]


class Spy(Callback):
    """A skorch callback that records, during training, the dtypes that
    linear and convolution layers compute in and the torch thread count.

    skdl deep-copies user callbacks into the net: read the fitted copy with
    ``dict(est.net_.callbacks_)["spy"]``.
    """

    def initialize(self):
        self.dtypes, self.threads, self._hooks = set(), set(), []
        return self

    def on_train_begin(self, net, **kwargs):
        def record(module, args, output):
            self.dtypes.add(output.dtype)

        for m in net.module_.modules():
            if isinstance(m, torch.nn.Linear | torch.nn.Conv1d):
                self._hooks.append(m.register_forward_hook(record))

    def on_epoch_begin(self, net, **kwargs):
        self.threads.add(torch.get_num_threads())

    def on_train_end(self, net, **kwargs):
        for hook in self._hooks:
            hook.remove()
        self._hooks = []


def run_fresh(code):
    """Run ``code`` in a fresh Python process (nothing imported, nothing
    cached); its stdout."""
    done = subprocess.run(
        [sys.executable, "-c", code],
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return done.stdout


def outputs_in_a_fresh_process(model, X, tmp_path, methods=("predict_proba",)):
    """``model`` and ``X`` (an array, list or DataFrame) pickled, loaded in
    a fresh Python process, and ``getattr(model, m)(X)`` for each of
    ``methods`` computed there: the outputs, as arrays (object arrays for
    string labels)."""
    import pickle

    (tmp_path / "model.pkl").write_bytes(pickle.dumps(model))
    (tmp_path / "X.pkl").write_bytes(pickle.dumps(X))
    outs = [tmp_path / f"out_{m}.npy" for m in methods]
    code = (
        "import pickle, numpy as np\n"
        f"model = pickle.loads(open({str(tmp_path / 'model.pkl')!r}, 'rb').read())\n"
        f"X = pickle.loads(open({str(tmp_path / 'X.pkl')!r}, 'rb').read())\n"
    ) + "".join(
        f"np.save({str(out)!r}, np.asarray(model.{m}(X)), allow_pickle=True)\n"
        for m, out in zip(methods, outs, strict=True)
    )
    run_fresh(code)
    return [np.load(out, allow_pickle=True) for out in outs]
