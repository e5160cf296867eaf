"""Is one checkout of skdl slower to train than another? (an A/B of code)

Runs the two small workloads of ``bench_dense.py`` (where skdl's per-batch
cost shows most) with the skdl of the checkout given, fitting the hand-written
loop and skdl five times each in one process, and prints the median ratio
skdl / loop. Run it alternately for two checkouts, several times, alone:

    git worktree add /tmp/before <commit>
    for i in 1 2 3; do
        python benchmarks/bench_dense_ab.py /tmp/before
        python benchmarks/bench_dense_ab.py .
    done

Ratios, not seconds, are compared: each is measured side by side with the
loop in its own process, so machine drift cancels.
"""

import os
import statistics
import sys

os.environ.setdefault("OMP_NUM_THREADS", "1")


def main(checkout, repeats=5):
    checkout = os.path.abspath(checkout)
    sys.path[:0] = [checkout, os.path.join(checkout, "benchmarks")]
    import bench_dense

    import skdl

    assert skdl.__file__.startswith(checkout), skdl.__file__
    cells = []
    for title, cfg in bench_dense.workloads(quick=False)[:2]:
        X, y, Xt, _ = bench_dense.make_data(cfg["n"], cfg["n_features"])
        loop, ours = [], []
        for _ in range(repeats):
            loop.append(bench_dense.run_floor(cfg, X, y, Xt)[0])
            ours.append(bench_dense.run_skdl(cfg, X, y, Xt)[0])
        ratio = statistics.median(ours) / statistics.median(loop)
        cells.append(f"{title}: skdl/loop {ratio:.3f}")
    print(checkout, " | ".join(cells), flush=True)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".")
