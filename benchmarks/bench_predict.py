"""What the prediction padding costs, and how much of it the guarantee needs.

skdl promises that a sample's prediction does not depend, to the last bit, on
what else is predicted with it. float32 matrix kernels round differently for
some row counts, so the last (short) prediction batch is padded with rows of
zeros. This script measures, for the default networks and for networks about
100 times larger:

* the guarantee -- a probe sample is predicted at every position of batches
  of 1 to 300 rows (and 512, 1000) of other samples; a batch "differs" when
  the probe's output is not bitwise equal to its output in a full 256-row
  batch. Three rules: no padding, padding to a multiple of 16 rows (skdl's
  rule on the CPU), padding to a fixed 256 rows (the previous rule, and the
  rule on GPUs);
* the cost -- the time ``est.predict`` takes for 1, 10 and 1,000 samples under
  each rule, measured side by side in one process (median of repeats).

    python benchmarks/bench_predict.py                # writes results/predict.md
    python benchmarks/bench_predict.py --quick --out /tmp/x.md
"""

import statistics
import time

import numpy as np
from _common import arguments, environment, table, write_table

from skdl import DenseClassifier, SequenceCNNClassifier
from skdl.estimators import _net

SKDL_MULTIPLE = _net.PREDICT_ROW_MULTIPLE
# rule -> the row multiple the last prediction batch is padded to (1 pads
# nothing; 256, the prediction batch size, is the fixed count used on GPUs)
RULES = {
    "none": 1,
    "multiple of 4": 4,
    "multiple of 8": 8,
    f"multiple of {SKDL_MULTIPLE} (skdl, CPU)": SKDL_MULTIPLE,
    "fixed 256 (before; skdl, GPU)": 256,
}


def n_params(est):
    return sum(p.numel() for p in est.net_.module_.parameters())


def models(quick):
    rng = np.random.RandomState(0)
    n = 300 if quick else 2000
    table = rng.normal(size=(n, 50)).astype(np.float32)
    y = (table[:, 0] > 0).astype(int)
    ids = rng.randint(2, 27, size=(n, 120))
    ids[np.arange(120) >= rng.randint(20, 121, size=n)[:, None]] = 0
    counts = (ids == 5).sum(1)
    y_ids = counts > np.median(counts)
    big_cnn = dict(
        conv_filters=(256, 256, 256), kernel_sizes=9, hidden_layer_sizes=(1024, 512)
    )
    return [
        ("dense, default", DenseClassifier(), table, y),
        ("dense, 100x", DenseClassifier(hidden_layer_sizes=(700, 700)), table, y),
        ("sequence CNN, default", SequenceCNNClassifier(), ids, y_ids),
        ("sequence CNN, ~100x", SequenceCNNClassifier(**big_cnn), ids, y_ids),
    ]


def differing_batches(est, X, sizes, n_positions):
    """How many (batch size, position) placements of a probe sample give an
    output that is not bitwise its output in a full 256-row batch."""
    probe, others = X[:1], X[1:]
    full = np.concatenate([probe, others[:255]])
    reference = est.predict_proba(full)[0]
    bad = total = 0
    for m in sizes:
        positions = sorted({*range(0, m, max(1, m // n_positions)), m - 1})
        for p in positions:
            batch = np.concatenate([others[:p], probe, others[p : m - 1]])
            total += 1
            bad += not np.array_equal(est.predict_proba(batch)[p], reference)
    return bad, total


def predict_seconds(est, X, n, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        est.predict_proba(X[:n])
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv=None):
    parser = arguments(__doc__, "predict.md", repeats=20)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args(argv)
    repeats = 3 if args.quick else args.repeats
    if args.quick:
        sizes = {"small": [1, 2, 3, 5, 17], "large": [1, 3, 17]}
    else:
        edges = [63, 64, 65, 100, 127, 128, 129, 200, 255, 256, 257, 300, 512, 1000]
        sizes = {"small": [*range(1, 41), *edges], "large": [*range(1, 18), *edges]}
    counts = (1, 10) if args.quick else (1, 10, 1000)

    guarantee, cost = [], []
    for title, est, X, y in models(args.quick):
        est.set_params(max_epochs=1, random_state=0, n_threads=args.threads)
        est.fit(X, y)
        size = f"{n_params(est):,}"
        large = "100x" in title
        for rule, multiple in RULES.items():
            _net.PREDICT_ROW_MULTIPLE = multiple
            bad, total = differing_batches(
                est, X, sizes["large" if large else "small"], 4 if large else 16
            )
            guarantee.append((title, size, rule, bad, total))
            seconds = [predict_seconds(est, X, n, repeats) for n in counts]
            cost.append((title, rule, seconds))
            print(
                f"{title:24s} {rule:30s} differing {bad:4d}/{total}  "
                + "  ".join(
                    f"{n}: {s * 1e3:8.2f} ms"
                    for n, s in zip(counts, seconds, strict=True)
                ),
                flush=True,
            )

    quick = " --quick" if args.quick else ""
    lines = [
        "# Prediction padding: what the bitwise guarantee needs, and what it costs",
        "",
        f"Command: `python benchmarks/bench_predict.py{quick} --repeats {repeats} "
        f"--threads {args.threads}`  ",
        f"{environment(args.threads)}.",
        "",
        "Guarantee: a probe sample placed at up to 16 positions (5 for the large "
        f"networks) of batches of {len(sizes['small'])} sizes "
        f"({len(sizes['large'])} for the large networks), 1 to "
        f"{max(sizes['small'])} rows; a placement differs when the probe's "
        "probabilities are not bitwise equal to those from a full 256-row batch. "
        "Sequences: token ids of length 120 (20 to 120 real positions).",
        "",
    ]
    lines += table(
        ["network", "parameters", "padding rule", "differing placements"],
        [
            [t, size, rule, f"{bad} / {total}"]
            for t, size, rule, bad, total in guarantee
        ],
        right={"parameters", "differing placements"},
    )
    lines += [
        "",
        "Cost: median seconds of `predict_proba` over "
        f"{repeats} repeats, and the ratio to no padding.",
        "",
    ]
    base = {title: s for title, rule, s in cost if rule == "none"}
    sample_columns = [f"{n} sample(s)" for n in counts]
    lines += table(
        ["network", "padding rule", *sample_columns],
        [
            [title, rule]
            + [
                f"{s * 1e3:.2f} ms (x{s / b:.1f})"
                for s, b in zip(seconds, base[title], strict=True)
            ]
            for title, rule, seconds in cost
        ],
        right=set(sample_columns),
    )
    _net.PREDICT_ROW_MULTIPLE = SKDL_MULTIPLE
    write_table(args.out, lines)


if __name__ == "__main__":
    main()
