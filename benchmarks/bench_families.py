"""Epoch time of the recurrent and transformer estimators against a
hand-written loop, and the transformer's time and memory by length.

Part 1: each family's default network (the arguments the estimator
resolves in fit on these rows, such as the RNN's stem for long proteins,
rebuilt from the same seed) trains one epoch on
``--n`` SOLpro proteins two ways, in one process, interleaved:

* loop -- a hand-written PyTorch loop with the batches skdl makes: shuffled
          rows sorted by length in chunks of 50 batches, each batch cut to
          its own longest protein, batches in random order; Adam (fused),
          gradient clipping at norm 1 (the families' default);
* skdl -- the estimator on ragged input (``SequenceTokenizer(max_len=
          "ragged")``), at batch size 64, the same seed and threads.

Part 2: ``TransformerClassifier()`` (defaults, ``max_len`` raised to the
length) trains two epochs on 64 random protein sequences of exactly 200,
1,000 and 2,000 residues, each in a fresh Python process, which reports
the second epoch's seconds and how far its peak resident memory
(``ru_maxrss``) rose above the memory it held just before the fit.

Part 3: one training step (forward and backward) of the default RNN's
recurrent layers (a bidirectional LSTM, max readout) over a batch of
random rows, two ways, interleaved: through torch's packed sequences
(``pack_padded_sequence``, what skdl did until 2026-12-06) and through
``RNNModule.encode`` (each direction over the padded batch, the backward
one reversed within each row). Lengths are drawn around a median with a
15% spread; the best of 3 steps is kept.

    python benchmarks/bench_families.py            # writes results/families.md
    python benchmarks/bench_families.py --part length --out /tmp/len.md
    python benchmarks/bench_families.py --part packing --threads 1 --out /tmp/p.md
    python benchmarks/bench_families.py --quick --out /tmp/x.md
"""

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time

import numpy as np
import torch
from _common import environment, write_table
from torch import nn

from skdl import RNNClassifier, TransformerClassifier
from skdl.datasets import load_solpro
from skdl.networks import RNNModule
from skdl.preprocessing import SequenceTokenizer

BATCH = 64
FAMILIES = {
    "RNNClassifier": RNNClassifier,
    "TransformerClassifier": TransformerClassifier,
}


def default_module(cls, X, y):
    """The network ``cls()`` builds for these data (untrained): the
    arguments it resolved in a one-epoch fit on the same rows (the RNN's
    stem and the transformer's truncation depend on the lengths), rebuilt
    from the same seed."""
    est = cls(max_epochs=1, random_state=0).fit(X, y)
    torch.manual_seed(0)
    return type(est.net_.module_)(**est._module_spec_)


def loop_epochs(cls, ragged, ids, lengths, y, epochs):
    module = default_module(cls, ragged, y)
    opt = torch.optim.Adam(module.parameters(), lr=1e-3, fused=True)
    loss_fn = nn.CrossEntropyLoss()
    X, Y, L = torch.from_numpy(ids), torch.from_numpy(y), torch.from_numpy(lengths)
    times = []
    for _ in range(epochs):
        start = time.perf_counter()
        order = torch.randperm(len(X))
        chunks = torch.split(order, BATCH * 50)
        order = torch.cat([c[torch.argsort(L[c], stable=True)] for c in chunks])
        batches = list(torch.split(order, BATCH))
        batches = [batches[i] for i in torch.randperm(len(batches))]
        module.train()
        for idx in batches:
            lens = L[idx]
            loss = loss_fn(module(X[idx, : int(lens.max())], lengths=lens), Y[idx])
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(module.parameters(), 1.0)
            opt.step()
        times.append(time.perf_counter() - start)
    return times


def skdl_epochs(cls, X, y, epochs, threads):
    est = cls(batch_size=BATCH, max_epochs=epochs, n_threads=threads, random_state=0)
    est.fit(X, y)
    return [row["dur"] for row in est.history_]


def resident_kib():
    """The process's resident memory now (Linux), else its peak so far."""
    try:
        with open("/proc/self/statm") as f:
            pages = int(f.read().split()[1])
        return pages * resource.getpagesize() // 1024
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def one_length(length, threads, n):
    """Child process: one transformer epoch on sequences of one length."""
    torch.set_num_threads(threads)
    rng = np.random.RandomState(0)
    X = rng.randint(2, 22, size=(n, length))
    y = np.arange(n) % 2
    before = resident_kib()
    est = TransformerClassifier(
        max_len=length, batch_size=32, max_epochs=2, n_threads=threads, random_state=0
    )
    est.fit(X, y)
    seconds = est.history_[-1]["dur"]  # the second epoch: no warm-up in it
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": seconds, "peak_mib": (peak - before) / 1024}))


def against_loop(args):
    """Part 1: each family's default network, one epoch two ways."""
    X, y = load_solpro(return_X_y=True)
    n = 64 if args.quick else args.n
    pick = np.random.RandomState(0).permutation(len(X))[:n]
    X, y = X[pick], y[pick]
    if args.quick:  # a smoke run: short proteins
        X = np.array([s[:60] for s in X], dtype=object)
    fixed = SequenceTokenizer(alphabet="protein").fit_transform(X)
    ragged = SequenceTokenizer(alphabet="protein", max_len="ragged").fit_transform(X)
    lengths = (fixed != 0).sum(1)
    epochs = 2  # a warm-up epoch, then the timed one
    lines = [
        "",
        f"## Against a hand-written loop ({n} SOLpro proteins, length "
        f"{lengths.min()}-{lengths.max()}, median {int(np.median(lengths))}; "
        f"batch {BATCH}, bucketed; median of "
        f"{1 if args.quick else args.repeats} epochs, each after a warm-up)",
        "",
        "| estimator (default network) | loop s/epoch | skdl s/epoch | skdl / loop |",
        "|---|---:|---:|---:|",
    ]
    for name, cls in FAMILIES.items():
        loop, ours = [], []
        for _ in range(1 if args.quick else args.repeats):
            loop.append(loop_epochs(cls, ragged, fixed, lengths, y, epochs)[-1])
            ours.append(skdl_epochs(cls, ragged, y, epochs, args.threads)[-1])
            print(
                f"{name}: loop {loop[-1]:.2f} s, skdl {ours[-1]:.2f} s", file=sys.stderr
            )
        a, b = statistics.median(loop), statistics.median(ours)
        lines.append(f"| {name} | {a:.2f} | {b:.2f} | {b / a:.2f}x |")
    return lines


def by_length(args, n_long):
    """Part 2: the default transformer at each length, a process each."""
    lines = [
        "",
        f"## TransformerClassifier by length ({n_long} random protein sequences "
        "of one length, batch 32, the second of two epochs, a fresh process each)",
        "",
        "| length | s/epoch | peak memory above the memory held before fit (MiB) |",
        "|---:|---:|---:|",
    ]
    for length in args.lengths:
        cmd = [sys.executable, __file__, "--child", str(length), "--threads",
               str(args.threads), "--n-long", str(n_long)]  # fmt: skip
        out = subprocess.run(cmd, capture_output=True, text=True, check=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"length {length}: {r}", file=sys.stderr)
        lines.append(f"| {length} | {r['seconds']:.1f} | {r['peak_mib']:.0f} |")
    return lines


def packed_readout(module, h, lengths):
    """The default RNN's max readout through torch's packed sequences."""
    from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

    packed = pack_padded_sequence(h, lengths, batch_first=True, enforce_sorted=False)
    out, _ = module.rnn(packed)
    out, _ = pad_packed_sequence(out, batch_first=True, total_length=h.shape[1])
    real = torch.arange(h.shape[1]) < lengths[:, None]
    return out.masked_fill(~real[..., None], float("-inf")).amax(1)


def step_seconds(fn, module, h, lengths, repeats=3):
    times = []
    for _ in range(repeats):
        module.zero_grad()
        start = time.perf_counter()
        fn(module, h, lengths).sum().backward()
        times.append(time.perf_counter() - start)
    return min(times)


def against_packing(args):
    """Part 3: the default RNN's recurrence, packed or not, one step."""
    shapes = [(8, 20), (8, 40)] if args.quick else [
        (32, 75), (32, 200), (32, 400), (128, 75), (128, 200), (128, 400)]  # fmt: skip
    lines = [
        "",
        "## The default RNN's recurrence: torch's packed sequences against "
        "`RNNModule.encode` (one training step, best of 3)",
        "",
        "| batch | median length | packed s/step | skdl s/step | packed / skdl |",
        "|---:|---:|---:|---:|---:|",
    ]
    torch.manual_seed(0)
    module = RNNModule(2, vocab_size=22).train()  # proteins: no stem
    module.readout_dropout = None  # the packed readout has none either
    rng = np.random.RandomState(0)
    for batch, median in shapes:
        lengths = np.clip(rng.normal(median, 0.15 * median, batch), 1, None)
        lengths = torch.as_tensor(lengths.astype(int))
        h = torch.randn(batch, int(lengths.max()), module.rnn.input_size)
        a = step_seconds(packed_readout, module, h, lengths)
        b = step_seconds(lambda m, x, n: m.encode(x, n), module, h, lengths)
        print(f"batch {batch}, length {median}: {a:.3f} s, {b:.3f} s", file=sys.stderr)
        lines.append(f"| {batch} | {median} | {a:.3f} | {b:.3f} | {a / b:.1f}x |")
    return lines


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true")
    p.add_argument("--n", type=int, default=600, help="SOLpro proteins")
    parts = ["all", "loop", "length", "packing"]
    p.add_argument("--part", choices=parts, default="all")
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--lengths", type=int, nargs="*", default=[200, 1000, 2000])
    p.add_argument("--out", default="benchmarks/results/families.md")
    p.add_argument("--n-long", type=int, default=64, help="sequences per length")
    p.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    n_long = 16 if args.quick else args.n_long
    if args.quick:
        args.lengths = [50, 100]
    if args.child:
        return one_length(args.child, args.threads, n_long)
    cli = sys.argv[1:] if argv is None else argv
    torch.set_num_threads(args.threads)
    lines = [
        "# Recurrent and transformer estimators: epoch time and memory",
        "",
        "Command: `" + " ".join(["python benchmarks/bench_families.py", *cli]) + "`",
        "",
        f"{environment(args.threads)}.",
    ]
    if args.part in ("all", "loop"):
        lines += against_loop(args)
    if args.part in ("all", "length"):
        lines += by_length(args, n_long)
    if args.part in ("all", "packing"):
        lines += against_packing(args)
    write_table(args.out, lines)


if __name__ == "__main__":
    main()
