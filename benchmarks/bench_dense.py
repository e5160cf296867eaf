"""Training speed of skdl against a hand-written loop, skorch and sklearn.

The same network is trained for the same epochs, in one process, four ways:

* floor  -- a hand-written PyTorch loop over tensors made once (randperm +
            slicing each epoch). Nothing can be much faster than this.
* skorch -- ``skorch.NeuralNetRegressor`` with its default data loading
            (per-sample ``Dataset.__getitem__`` + DataLoader collate).
* skdl   -- ``skdl.DenseRegressor``.
* sklearn -- ``sklearn.neural_network.MLPRegressor`` (numpy; time and R2 only).

floor, skorch and skdl use the same optimizer (Adam, lr 1e-3, torch's fused
kernel), one torch thread and one seed, so the differences are the data path
and the wrapper. Each configuration is timed ``--repeats`` times, interleaved,
and the median is reported. Run it alone: two cores are easily shared into
noise.

    python benchmarks/bench_dense.py                # full run, writes results/dense.md
    python benchmarks/bench_dense.py --quick --out /tmp/x.md   # smoke run
"""

import os
import statistics
import time
import warnings

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import sklearn  # noqa: E402
import skorch  # noqa: E402
import torch  # noqa: E402
from _common import arguments, environment, table, write_table  # noqa: E402
from sklearn.datasets import make_friedman1  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.metrics import r2_score  # noqa: E402
from sklearn.neural_network import MLPRegressor  # noqa: E402
from torch import nn  # noqa: E402

from skdl import DenseRegressor  # noqa: E402
from skdl.networks import DenseModule  # noqa: E402

torch.set_num_threads(1)


def make_data(n, n_features, seed=0):
    X, y = make_friedman1(2 * n, n_features=n_features, noise=0.5, random_state=seed)
    X = ((X - X.mean(0)) / X.std(0)).astype(np.float32)
    y = ((y - y.mean()) / y.std()).astype(np.float32)
    return X[:n], y[:n], X[n:], y[n:]


def timed(fit, predict):
    """(fit seconds, predict seconds, predictions as a flat array)."""
    t0 = time.perf_counter()
    fit()
    fit_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    pred = predict()
    return fit_s, time.perf_counter() - t0, np.ravel(pred)


def adam(params):
    return torch.optim.Adam(params, lr=1e-3, fused=True)


def run_floor(cfg, X, y, Xt):
    torch.manual_seed(0)
    module = DenseModule(X.shape[1], 1, cfg["hidden"], cfg["activation"])
    opt = adam(module.parameters())
    loss_fn = nn.MSELoss()
    Xtr, ytr = torch.from_numpy(X), torch.from_numpy(y).unsqueeze(1)
    bs = cfg["batch_size"]
    autocast = cfg.get("precision") == "bf16-mixed"

    def train():
        module.train()
        for _ in range(cfg["epochs"]):
            perm = torch.randperm(len(Xtr))
            for i in range(0, len(Xtr), bs):
                idx = perm[i : i + bs]
                opt.zero_grad()
                with torch.autocast("cpu", dtype=torch.bfloat16, enabled=autocast):
                    out = module(Xtr[idx])
                loss = loss_fn(out.float(), ytr[idx])
                loss.backward()
                opt.step()

    def predict():
        module.eval()
        Xte = torch.from_numpy(Xt)
        with torch.no_grad():
            return torch.cat(
                [module(Xte[i : i + bs]) for i in range(0, len(Xte), bs)]
            ).numpy()

    return timed(train, predict)


def run_skorch(cfg, X, y, Xt):
    net = skorch.NeuralNetRegressor(
        DenseModule,
        module__n_features=X.shape[1],
        module__n_outputs=1,
        module__hidden_layer_sizes=cfg["hidden"],
        module__activation=cfg["activation"],
        optimizer=torch.optim.Adam,
        optimizer__fused=True,
        lr=1e-3,
        max_epochs=cfg["epochs"],
        batch_size=cfg["batch_size"],
        iterator_train__shuffle=True,
        train_split=None,
        verbose=0,
    )
    torch.manual_seed(0)
    return timed(lambda: net.fit(X, y.reshape(-1, 1)), lambda: net.predict(Xt))


def run_skdl(cfg, X, y, Xt):
    est = DenseRegressor(
        hidden_layer_sizes=cfg["hidden"],
        activation=cfg["activation"],
        batch_size=cfg["batch_size"],
        max_epochs=cfg["epochs"],
        precision=cfg.get("precision", "float32"),
        random_state=0,
    )
    return timed(lambda: est.fit(X, y), lambda: est.predict(Xt))


def run_sklearn(cfg, X, y, Xt):
    est = MLPRegressor(
        hidden_layer_sizes=cfg["hidden"],
        activation=cfg["activation"],
        batch_size=cfg["batch_size"],
        max_iter=cfg["epochs"],
        learning_rate_init=1e-3,
        tol=0.0,
        n_iter_no_change=10**9,
        random_state=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return timed(lambda: est.fit(X, y), lambda: est.predict(Xt))


RUNNERS = {
    "floor": run_floor,
    "skorch": run_skorch,
    "skdl": run_skdl,
    "sklearn": run_sklearn,
}


def workloads(quick):
    scale = 0.05 if quick else 1.0
    small = dict(n=int(20000 * scale), n_features=20, hidden=(32,), activation="tanh")
    wide = dict(
        n=int(10000 * scale), n_features=784, hidden=(1024, 1024), activation="relu"
    )
    return [
        ("small, batch 16", dict(small, batch_size=16, epochs=2 if quick else 3)),
        ("small, batch 256", dict(small, batch_size=256, epochs=2 if quick else 20)),
        ("wide, batch 256", dict(wide, batch_size=256, epochs=1 if quick else 2)),
        (
            "wide, batch 256, bf16-mixed",
            dict(
                wide, batch_size=256, epochs=1 if quick else 2, precision="bf16-mixed"
            ),
        ),
    ]


def main(argv=None):
    args = arguments(__doc__, "dense.md", repeats=3).parse_args(argv)
    repeats = 1 if args.quick else args.repeats

    rows = []
    for title, cfg in workloads(args.quick):
        X, y, Xt, yt = make_data(cfg["n"], cfg["n_features"])
        # skorch and sklearn have no autocast switch: bf16 is floor vs skdl.
        if cfg.get("precision") == "bf16-mixed":
            methods = ["floor", "skdl"]
        else:
            methods = ["floor", "skorch", "skdl", "sklearn"]
        fits = {m: [] for m in methods}
        preds_t = {m: [] for m in methods}
        r2 = {}
        for _ in range(repeats):  # interleave so drift hits all methods alike
            for m in methods:
                fit_s, pred_s, pred = RUNNERS[m](cfg, X, y, Xt)
                fits[m].append(fit_s)
                preds_t[m].append(pred_s)
                r2[m] = r2_score(yt, pred)
        floor_epoch = statistics.median(fits["floor"]) / cfg["epochs"]
        floor_pred = statistics.median(preds_t["floor"])
        for m in methods:
            epoch_s = statistics.median(fits[m]) / cfg["epochs"]
            pred_s = statistics.median(preds_t[m])
            rows.append(
                (
                    title,
                    m,
                    epoch_s,
                    epoch_s / floor_epoch,
                    pred_s / floor_pred,
                    r2[m],
                )
            )
            print(
                f"{title:30s} {m:8s} epoch {epoch_s:8.4f}s"
                f"  x{epoch_s / floor_epoch:5.2f}"
                f"  predict x{pred_s / floor_pred:5.2f}  R2 {r2[m]:.3f}",
                flush=True,
            )

    lines = [
        "# Dense training speed: skdl vs a hand-written loop, skorch and sklearn",
        "",
        f"Command: `python benchmarks/bench_dense.py{' --quick' if args.quick else ''}"
        f" --repeats {repeats}`  ",
        f"{environment()}, skorch {skorch.__version__}, "
        f"scikit-learn {sklearn.__version__}.",
        "",
        "Epoch time is the median over repeats of fit time / epochs. Ratios are to "
        "the hand-written loop (floor) measured in the same run. Predict ratio is "
        "the time to predict the held-out set (same size as the training set). "
        "R2 is on that held-out set.",
        "",
    ]
    columns = ["workload", "method", "epoch s", "x floor (fit)", "x floor (predict)"]
    lines += table(
        [*columns, "R2"],
        [
            [t, m, f"{e:.4f}", f"{r:.2f}", f"{p:.2f}", f"{s:.3f}"]
            for t, m, e, r, p, s in rows
        ],
        right=set(columns[2:]) | {"R2"},
    )
    write_table(args.out, lines)


if __name__ == "__main__":
    main()
