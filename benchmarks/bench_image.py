"""Epoch time of the image CNNs against a hand-written loop, and what
bfloat16 autocast and the channels-last memory format do on this CPU.

Part 1: ``ImageCNNClassifier``'s default network, and the course's MNIST
network (conv 5x5x32, pool, conv 5x5x64, pool, dense 1000, no batch norm),
each built from the estimator's own parameters, train on ``--n`` MNIST
images (28x28, uint8 from ``skdl.datasets.load_mnist_5k``) two ways, in one
process, interleaved:

* loop -- a hand-written PyTorch loop: a float32 tensor of the images made
          once, in channels-last memory as skdl stores them, shuffled
          batches of 64 sliced from it, Adam (fused), cross-entropy;
* skdl -- the estimator on the same uint8 images at batch size 64, the
          same seed and threads (its one-cycle schedule steps each batch).

Part 2: the same loop with the images in torch's default (contiguous,
channels-first) memory format, and with ``torch.autocast("cpu",
dtype=torch.bfloat16)`` (what ``precision="bf16-mixed"`` does). Each
number is the median of ``--repeats`` epochs, each after a warm-up epoch.

    python benchmarks/bench_image.py             # writes results/image.md
    python benchmarks/bench_image.py --quick --out /tmp/x.md
"""

import argparse
import contextlib
import inspect
import statistics
import sys
import time

import numpy as np
import torch
from _common import environment, write_table
from torch import nn

from skdl import ImageCNNClassifier
from skdl.datasets import load_mnist_5k

BATCH = 64
NETWORKS = {
    "default": {},
    "course MNIST": dict(
        conv_filters=(32, 64),
        kernel_sizes=5,
        global_pooling="flatten",
        hidden_layer_sizes=(1000,),
        batch_norm=False,
    ),
}


def build(params, n_outputs):
    """The network ``ImageCNNClassifier(**params)`` builds for 28x28 images."""
    est = ImageCNNClassifier(**params)
    args = inspect.signature(est._module_class).parameters
    kwargs = {k: v for k, v in est.get_params().items() if k in args}
    torch.manual_seed(0)
    return est._module_class(
        n_outputs=n_outputs, n_channels=1, height=28, width=28, **kwargs
    )


def loop_epochs(params, X, y, epochs, *, bf16=False, channels_last=True):
    """Epoch times of a hand-written loop; ``channels_last`` stores the
    images (not the module) in channels-last memory, as skdl does."""
    module = build(params, int(y.max()) + 1)
    opt = torch.optim.Adam(module.parameters(), lr=1e-3, fused=True)
    loss_fn = nn.CrossEntropyLoss()
    images = torch.from_numpy(X).float().div_(255).unsqueeze(1)
    if channels_last:
        # For one channel the two formats differ only in strides, which is
        # what torch's kernels choose their layout by: set them explicitly.
        n, c, h, w = images.shape
        strides = (c * h * w, 1, w * c, c)
        images = torch.empty_strided(images.shape, strides).copy_(images)
    labels = torch.from_numpy(y)
    times = []
    for _ in range(epochs):
        start = time.perf_counter()
        module.train()
        for idx in torch.split(torch.randperm(len(images)), BATCH):
            autocast = (
                torch.autocast("cpu", dtype=torch.bfloat16)
                if bf16
                else contextlib.nullcontext()
            )
            with autocast:
                out = module(images[idx])
            loss = loss_fn(out.float(), labels[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
        times.append(time.perf_counter() - start)
    return times


def skdl_epochs(params, X, y, epochs, threads):
    est = ImageCNNClassifier(
        **params, batch_size=BATCH, max_epochs=epochs, n_threads=threads,
        random_state=0,
    )  # fmt: skip
    est.fit(X, y)
    return [row["dur"] for row in est.history_]


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true")
    p.add_argument("--n", type=int, default=2000, help="MNIST images")
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--out", default="benchmarks/results/image.md")
    args = p.parse_args(argv)
    cli = sys.argv[1:] if argv is None else argv
    torch.set_num_threads(args.threads)
    n = 64 if args.quick else args.n
    repeats = 1 if args.quick else args.repeats
    images, labels = load_mnist_5k(return_X_y=True)
    pick = np.random.RandomState(0).permutation(len(images))[:n]
    X, y = images[pick].reshape(-1, 28, 28), labels[pick]
    epochs = 2  # a warm-up epoch, then the timed one
    lines = [
        "# Image CNNs: epoch time against a hand-written loop, bf16, channels-last",
        "",
        "Command: `" + " ".join(["python benchmarks/bench_image.py", *cli]) + "`",
        "",
        f"{environment(args.threads)}. {n} MNIST images (28x28), batch {BATCH};",
        f"each figure is the median of {repeats} epochs, each after a warm-up.",
        "",
        "## Against a hand-written loop",
        "",
        "| network | loop s/epoch | skdl s/epoch | skdl / loop |",
        "|---|---:|---:|---:|",
    ]
    variants = []
    for name, params in NETWORKS.items():
        loop, ours = [], []
        timed = {"channels-first": [], "bf16": [], "bf16, channels-first": []}
        for _ in range(repeats):
            loop.append(loop_epochs(params, X, y, epochs)[-1])
            ours.append(skdl_epochs(params, X, y, epochs, args.threads)[-1])
            timed["channels-first"].append(
                loop_epochs(params, X, y, epochs, channels_last=False)[-1]
            )
            timed["bf16"].append(loop_epochs(params, X, y, epochs, bf16=True)[-1])
            timed["bf16, channels-first"].append(
                loop_epochs(params, X, y, epochs, bf16=True, channels_last=False)[-1]
            )
            print(f"{name}: loop {loop[-1]:.2f} s, skdl {ours[-1]:.2f} s",
                  file=sys.stderr)  # fmt: skip
        a, b = statistics.median(loop), statistics.median(ours)
        lines.append(f"| {name} | {a:.2f} | {b:.2f} | {b / a:.2f}x |")
        for variant, values in timed.items():
            c = statistics.median(values)
            variants.append(
                f"| {name} | {variant} | {a:.2f} | {c:.2f} | {c / a:.2f}x |"
            )
    lines += [
        "",
        "## Memory format and bfloat16 autocast (hand-written loop)",
        "",
        "Against the loop above (float32, channels-last images, as skdl",
        "stores them): channels-first images (torch's default layout), and",
        'bfloat16 autocast (`precision="bf16-mixed"`).',
        "",
        "| network | variant | float32, channels-last s/epoch | variant s/epoch "
        "| variant / float32, channels-last |",
        "|---|---|---:|---:|---:|",
        *variants,
    ]
    write_table(args.out, lines)


if __name__ == "__main__":
    main()
