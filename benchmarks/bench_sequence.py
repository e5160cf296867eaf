"""Epoch time of a sequence CNN on SOLpro: padding strategies, skdl vs a loop.

The protein network of ``SequenceCNNClassifier``'s defaults trains one
epoch on SOLpro proteins four ways, in one process:

* loop, fixed   -- a hand-written PyTorch loop over the ids padded to the
                   longest protein (1,963 residues): randperm + slicing. Its
                   network is the one the estimator builds (same class, same
                   parameters).
* skdl, fixed   -- ``SequenceCNNClassifier`` on the same padded matrix
                   (``SequenceTokenizer(max_len=None)``).
* loop, bucketed -- the hand-written loop with per-batch padding: shuffled
                   rows are sorted by length in chunks of 50 batches, each
                   batch is cut to its own longest protein, batches are
                   visited in random order.
* skdl, bucketed -- ``SequenceCNNClassifier`` on ragged input
                   (``SequenceTokenizer(max_len="ragged")``), which does the
                   same inside skdl.

All use the same module class (``skdl.networks.SequenceCNNModule``), Adam
(lr 1e-3, fused), batch size 64, the same seed and ``--threads`` torch
threads, so the differences are the padding and the wrapper. Each is timed
``--repeats`` times (interleaved; one epoch each, after a warm-up epoch) and
the median is reported. Run it alone: two cores are easily shared into noise.

    python benchmarks/bench_sequence.py              # writes results/sequence.md
    python benchmarks/bench_sequence.py --quick --out /tmp/x.md   # smoke run
"""

import argparse
import datetime
import platform
import statistics
import sys
import time

import numpy as np
import torch
from torch import nn

from skdl import SequenceCNNClassifier
from skdl.datasets import load_solpro
from skdl.networks import SequenceCNNModule
from skdl.preprocessing import SequenceTokenizer

BATCH = 64


def textbook_module(spec):
    """The network SequenceCNNClassifier() builds for these rows (untrained),
    from ``spec``: the arguments it resolved in a one-epoch fit
    (:func:`default_spec`), so the loop below trains exactly the same
    architecture, every "auto" resolved by the estimator's own rules."""
    torch.manual_seed(0)
    return SequenceCNNModule(**spec)


def default_spec(ids, y):
    """The module arguments of SequenceCNNClassifier() fitted on these rows."""
    return SequenceCNNClassifier(max_epochs=1, random_state=0).fit(ids, y)._module_spec_


def loop_epochs(spec, ids, lengths, y, epochs, bucketed):
    """A hand-written training loop; returns seconds per epoch."""
    module = textbook_module(spec)
    opt = torch.optim.Adam(module.parameters(), lr=1e-3, fused=True)
    loss_fn = nn.CrossEntropyLoss()
    X, Y, L = torch.from_numpy(ids), torch.from_numpy(y), torch.from_numpy(lengths)
    n, times = len(X), []
    for _ in range(epochs):
        start = time.perf_counter()
        order = torch.randperm(n)
        if bucketed:
            chunks = torch.split(order, BATCH * 50)
            order = torch.cat([c[torch.argsort(L[c], stable=True)] for c in chunks])
        batches = list(torch.split(order, BATCH))
        if bucketed:
            batches = [batches[i] for i in torch.randperm(len(batches))]
        module.train()
        for idx in batches:
            if bucketed:
                lens = L[idx]
                out = module(X[idx, : int(lens.max())], lengths=lens)
            else:
                out = module(X[idx])
            loss = loss_fn(out, Y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
        times.append(time.perf_counter() - start)
    return times


def skdl_epochs(X, y, epochs, threads):
    """Seconds per epoch of SequenceCNNClassifier (from its history)."""
    est = SequenceCNNClassifier(
        batch_size=BATCH, max_epochs=epochs, n_threads=threads, random_state=0
    )
    est.fit(X, y)
    return [row["dur"] for row in est.history_]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny smoke run")
    parser.add_argument("--n", type=int, default=None, help="proteins (all)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--out", default="benchmarks/results/sequence.md")
    args = parser.parse_args(argv)
    cli = sys.argv[1:] if argv is None else argv
    torch.set_num_threads(args.threads)

    X, y = load_solpro(return_X_y=True)
    n = 200 if args.quick else (args.n or len(X))
    pick = np.random.RandomState(0).permutation(len(X))[:n]
    X, y = X[pick], y[pick]
    fixed = SequenceTokenizer(alphabet="protein").fit_transform(X)
    ragged = SequenceTokenizer(alphabet="protein", max_len="ragged").fit_transform(X)
    lengths = (fixed != 0).sum(1)
    epochs = 2  # a warm-up epoch, then the timed one
    spec = default_spec(fixed, y)
    runs = {
        "loop, fixed": lambda: loop_epochs(spec, fixed, lengths, y, epochs, False),
        "skdl, fixed": lambda: skdl_epochs(fixed, y, epochs, args.threads),
        "loop, bucketed": lambda: loop_epochs(spec, fixed, lengths, y, epochs, True),
        "skdl, bucketed": lambda: skdl_epochs(ragged, y, epochs, args.threads),
    }
    seconds = {name: [] for name in runs}
    for _ in range(1 if args.quick else args.repeats):
        for name, run in runs.items():
            seconds[name].append(run()[-1])
            print(f"{name:16s} {seconds[name][-1]:.2f} s/epoch", file=sys.stderr)
    med = {name: statistics.median(s) for name, s in seconds.items()}

    lines = [
        "# Sequence CNN epoch time on SOLpro",
        "",
        "Command: `" + " ".join(["python benchmarks/bench_sequence.py", *cli]) + "`",
        "",
        f"{datetime.date.today()}, {platform.processor() or platform.machine()}, "
        f"torch {torch.__version__}, {args.threads} torch threads; {n} proteins "
        f"(length {lengths.min()}-{lengths.max()}, median {int(np.median(lengths))}), "
        f"batch {BATCH}, the estimator's default network, median of "
        f"{len(seconds['loop, fixed'])} "
        "epochs (each after a warm-up epoch).",
        "",
        "| method | s/epoch | vs loop, same padding | vs fixed padding |",
        "|---|---|---|---|",
    ]
    for name in runs:
        pad = name.split(", ")[1]
        loop, fixed_same = med[f"loop, {pad}"], med[name.replace("bucketed", "fixed")]
        lines.append(
            f"| {name} | {med[name]:.2f} | {med[name] / loop:.2f}x | "
            f"{med[name] / fixed_same:.2f}x |"
        )
    text = "\n".join(lines) + "\n"
    with open(args.out, "w") as f:
        f.write(text)
    print(text)


if __name__ == "__main__":
    main()
