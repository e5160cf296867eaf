"""The benchmark scripts still run (a tiny smoke run; timings are not checked)."""

import json
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
    "bench_families.py": [
        "RNNClassifier",
        "TransformerClassifier",
        "50",
        "100",
        "8 | 20",
    ],
    "bench_image.py": ["default", "course MNIST", "bf16", "channels-first"],
    "bench_graph.py": ["pyg loop", "batch loop", "skdl", "GraphRegressor (D-MPNN)"],
    "bench_head_activation.py": ["SOLpro (protein)", "ESOL (SMILES)"],
    "bench_precision.py": [
        "digits 8x8 (5-fold accuracy)",
        "MNIST 5k (4,000/1,000 split, accuracy)",
        "ESOL (5-fold R²)",
    ],
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


def test_defaults_benchmark_quick_run(tmp_path):
    # Sets that need only what `make venv` installs (rdkit, for ESOL's
    # fingerprint baseline, need not be there: skdl only on ESOL).
    log = tmp_path / "rows.jsonl"
    script = str(ROOT / "benchmarks" / "bench_defaults.py")
    for args in (
        ["--sets", "diabetes"],
        ["--sets", "ESOL", "--models", "skdl", "--family", "cnn", "rnn", "transformer"],
        ["--sets", "diabetes", "--models", "skdl", "--blend"],
        [
            "--sets",
            "diabetes",
            "--models",
            "skdl",
            "--blend",
            "stack",
            "--tag",
            "stack",
        ],
        # Small data: two random subsets of 100 of the 200 quick rows.
        ["--sets", "diabetes", "--subsample", "100", "--draws", "2"],
        # A variant of the early-stopping section (step 22).
        [
            "--sets",
            "diabetes",
            "--models",
            "skdl",
            "--tag",
            "es",
            "--params",
            '{"early_stopping": true}',
        ],
    ):
        subprocess.run(
            # One process per run: joblib workers would each import torch,
            # skorch and torch-geometric again, for 200 rows.
            [
                sys.executable,
                script,
                "--quick",
                "--n-jobs",
                "1",
                *args,
                "--log",
                str(log),
            ],
            check=True,
            cwd=ROOT,
            capture_output=True,
        )
    rows = [json.loads(line) for line in log.read_text().splitlines()]
    assert [(r["set"], r["model"]) for r in rows] == [
        ("diabetes", "MLPRegressor"),
        ("diabetes", "Ridge"),
        ("diabetes", "HGB"),
        ("diabetes", "skdl"),
        ("ESOL", "skdl"),
        ("ESOL", "skdl RNN"),
        ("ESOL", "skdl transformer"),
        ("diabetes", "skdl + baseline"),
        ("diabetes", "skdl + baseline"),
        ("diabetes (100)", "MLPRegressor"),
        ("diabetes (100)", "Ridge"),
        ("diabetes (100)", "HGB"),
        ("diabetes (100)", "skdl"),
        ("diabetes", "skdl"),
    ]
    small = rows[-2]
    assert small["n"] == 100 and small["draws"] == 2 and len(small["scores"]) == 4
    blends = [r["combine"] for r in rows if r["model"] == "skdl + baseline"]
    assert blends == ["mean", "stack"]
    assert rows[-1]["tag"] == "es"
    assert rows[-1]["params"]["early_stopping"] is True
    # Two folds per run; the subsets' row holds the folds of both subsets.
    assert all(r["quick"] for r in rows)
    assert [len(r["scores"]) for r in rows] == [2] * 9 + [4] * 4 + [2]
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from _defaults_table import SUBSET_VARIANTS, write

    write(log, tmp_path / "defaults.md", quick=True)
    table = (tmp_path / "defaults.md").read_text()
    assert "| ESOL | smiles | choose |" in table
    assert "| diabetes | table | choose | 200 | 2 | r2 | Ridge |" in table
    # The blend: the CNN default averaged with the kind's baseline (Ridge for
    # table regression), next to that baseline and the network alone.
    blend, stack = [
        ln for ln in table.splitlines() if ln.startswith("| diabetes | choose |")
    ]
    cells = [c.strip() for c in blend.strip("|").split("|")]
    assert cells[2] == "Ridge" and all(cells[3:7]), cells
    # ... and stacked (learned weights), next to the average.
    cells = [c.strip() for c in stack.strip("|").split("|")]
    assert all(cells[2:5]) and cells[4] != "not run", cells
    # Small data: the subsets' scores next to the whole set's.
    (sub,) = [ln for ln in table.splitlines() if "| 100 of 200 |" in ln]
    cells = [c.strip() for c in sub.strip("|").split("|")]
    assert cells[:3] == ["diabetes", "table", "choose"], cells
    assert cells[4:6] == ["2 x 2", "r2"], cells
    assert cells[6] in {"MLPRegressor", "Ridge", "HGB"} and all(cells[7:10]), cells
    # no steps1000 (before step 24) or stacked run here
    assert cells[10:12] == ["", ""] and all(cells[12:14]), cells
    # Early stopping: the variant next to the default it would replace.
    (es,) = [ln for ln in table.splitlines() if ln.startswith("| es | skdl |")]
    cells = [c.strip() for c in es.strip("|").split("|")]
    assert cells[2:4] == ["diabetes", "choose"] and all(cells[4:9]), cells
    # A variant run on the subsets (here a copy of the subsets' row with one
    # fold changed, tagged as the old default) gets the "before step 24"
    # column and a row in the subsets' variants table.
    old = dict(small, tag="steps1000", scores=[0.0, *small["scores"][1:]])
    with log.open("a") as f:
        f.write(json.dumps(old) + "\n")
    write(log, tmp_path / "defaults.md", quick=True)
    table = (tmp_path / "defaults.md").read_text()
    (sub,) = [ln for ln in table.splitlines() if "| 100 of 200 |" in ln]
    cells = [c.strip() for c in sub.strip("|").split("|")]
    mean = sum(old["scores"]) / 4
    assert cells[10].startswith(f"{mean:.3f} ± "), cells
    (tried,) = [ln for ln in table.splitlines() if ln.startswith("| diabetes (100) |")]
    cells = [c.strip() for c in tried.strip("|").split("|")]
    assert cells[1:3] == ["choose", "skdl"], cells
    # Only the steps1000 column (the first variant) has a row here.
    assert list(SUBSET_VARIANTS)[0] == "steps1000"
    assert cells[4].startswith(f"{mean:.3f}"), cells
    assert cells[5:] == [""] * (len(SUBSET_VARIANTS) - 1), cells


def test_flat_lr_of_series_of_unequal_length_pads_at_the_end(monkeypatch):
    # JapaneseVowels' baseline: zero-padded to 29 frames, then flattened
    # frame by frame (the layout a flat LR of equal-length series sees).
    import numpy as np

    monkeypatch.syspath_prepend(str(ROOT / "benchmarks"))
    from _datasets import _padded_flat

    series = np.empty(2, dtype=object)
    series[:] = [np.ones((3, 2), np.float32), 2 * np.ones((29, 2), np.float32)]
    flat = _padded_flat(series)
    assert flat.shape == (2, 58)
    np.testing.assert_array_equal(flat[0], [1.0] * 6 + [0.0] * 52)
    np.testing.assert_array_equal(flat[1], [2.0] * 58)
