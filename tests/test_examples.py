"""The example scripts still run (``--quick``: a tiny subset, one or two
epochs, folds in the main process).

Their printed accuracies are reported in README.md / docs, from full runs;
here only the plumbing is checked: the script finishes and prints a score
line for every model it compares.
"""

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

EXAMPLES = {
    "protein_solubility.py": [
        "SequenceCNNClassifier()",
        "composition + physics",
        "average of the two",
    ],
    "dna_binding.py": ["SequenceCNNClassifier", "LogisticRegression"],
    "smiles_solubility.py": ["SequenceCNNRegressor", "Delaney"],
    "sentiment.py": ["SequenceCNNClassifier", "LogisticRegression"],
    "mnist_images.py": [
        "ImageCNNClassifier() on the 8x8",
        "course network",
        "StandardScaler + MLPClassifier",
    ],
    "molecules_graph.py": ["GraphRegressor", "Morgan FP", "Delaney"],
    "course_solubility_dense.py": ["course network", "LinearRegression", "Delaney"],
    "course_regularization.py": ["no regularisation", "dropout 0.5", "L2 1e-3"],
    "sequence_families.py": [
        "RNNClassifier",
        "TransformerClassifier",
        "LogisticRegression",
        "HistGradientBoosting",
    ],
}


# What a score line holds: a mean and std, or (one split) a test accuracy.
MEAN_STD = r"\d\.\d{3} \+/- \d\.\d{3}"
NUMBERS = {"course_regularization.py": r"test accuracy \d\.\d{3}"}


@pytest.mark.slow
@pytest.mark.parametrize("script", sorted(EXAMPLES))
def test_example_quick_run(script):
    done = subprocess.run(
        [sys.executable, str(ROOT / "examples" / script), "--quick"],
        check=True,
        timeout=300,
        capture_output=True,
        text=True,
    )
    for model in EXAMPLES[script]:
        line = next((ln for ln in done.stdout.splitlines() if model in ln), None)
        assert line is not None, f"{script} printed no line for {model}"
        assert re.search(NUMBERS.get(script, MEAN_STD), line), line
