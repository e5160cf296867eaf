"""The benchmark scripts still run (a tiny smoke run; timings are not checked)."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# script -> the rows its table must have
BENCHMARKS = {
    "bench_dense.py": ["floor", "skorch", "skdl", "sklearn"],
    "bench_sequence.py": [
        "loop, fixed",
        "skdl, fixed",
        "loop, bucketed",
        "skdl, bucketed",
    ],
    "bench_head_activation.py": ["SOLpro (protein)", "ESOL (SMILES)"],
    "bench_predict.py": [
        "dense, default | 5,302 | none",
        "sequence CNN, ~100x | multiple of 16 (skdl, CPU)",
    ],
    "bench_search.py": [
        "GridSearchCV",
        "optuna, no pruning",
        "optuna, median pruning",
    ],
}


@pytest.mark.parametrize("script", sorted(BENCHMARKS))
def test_benchmark_quick_run(script, tmp_path):
    if script == "bench_search.py":
        pytest.importorskip("optuna")
    out = tmp_path / "table.md"
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / script),
            "--quick",
            "--out",
            str(out),
        ],
        check=True,
        timeout=300,
        capture_output=True,
    )
    table = out.read_text()
    for row in BENCHMARKS[script]:
        assert f"| {row} |" in table
