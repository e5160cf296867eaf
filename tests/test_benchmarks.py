"""The benchmark scripts still run (a tiny smoke run; timings are not checked)."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_bench_dense_quick(tmp_path):
    out = tmp_path / "dense.md"
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "bench_dense.py"),
            "--quick",
            "--out",
            str(out),
        ],
        check=True,
        timeout=300,
        capture_output=True,
    )
    table = out.read_text()
    for method in ("floor", "skorch", "skdl", "sklearn"):
        assert f"| {method} |" in table


def test_bench_sequence_quick(tmp_path):
    out = tmp_path / "sequence.md"
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "bench_sequence.py"),
            "--quick",
            "--out",
            str(out),
        ],
        check=True,
        timeout=300,
        capture_output=True,
    )
    table = out.read_text()
    for method in ("loop, fixed", "skdl, fixed", "loop, bucketed", "skdl, bucketed"):
        assert f"| {method} |" in table


def test_bench_search_quick(tmp_path):
    pytest.importorskip("optuna")
    out = tmp_path / "search.md"
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "bench_search.py"),
            "--quick",
            "--out",
            str(out),
        ],
        check=True,
        timeout=300,
        capture_output=True,
    )
    table = out.read_text()
    for method in ("GridSearchCV", "optuna, no pruning", "optuna, median pruning"):
        assert f"| {method} |" in table
