"""Solubility from molecular graphs (ESOL / Delaney, 1,144 molecules).
=====================================================================

``GraphRegressor()`` with its defaults takes the SMILES strings as they are:
RDKit turns each into a graph of atoms and bonds inside the estimator, and a
directed message-passing network (chemprop's D-MPNN) predicts log S. Next
to it, on the same 5 held-out folds: what a chemist tries first (Morgan
fingerprints + random forest) and Delaney's own ESOL equation, fitted by its
author on these molecules (its predictions ship with the data).

    pip install "skdl[chem]"                  # RDKit and torch-geometric
    pip install --no-deps chemloader==0.1.4   # the data files (make does this)
    python examples/molecules_graph.py        # about 2 minutes on 2 cores
    python examples/molecules_graph.py --quick
"""

import argparse
import time

import numpy as np
from sklearn.ensemble import RandomForestRegressor
from sklearn.model_selection import KFold, cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from skdl import GraphRegressor
from skdl.datasets import load_esol


def morgan(smiles):
    """Morgan fingerprints (radius 2, 2,048 bits), as numpy rows."""
    from rdkit import Chem
    from rdkit.Chem import rdFingerprintGenerator

    gen = rdFingerprintGenerator.GetMorganGenerator(radius=2, fpSize=2048)
    return np.array([gen.GetFingerprintAsNumPy(Chem.MolFromSmiles(s)) for s in smiles])


def rmse_per_fold(y, pred, cv, X):
    return np.array(
        [np.sqrt(np.mean((y[te] - pred[te]) ** 2)) for _, te in cv.split(X)]
    )


def main(quick=False):
    data = load_esol()
    X, y, esol = data.data, data.target, data.esol_predicted
    params = {}
    if quick:
        X, y, esol, params = X[::10], y[::10], esol[::10], {"max_epochs": 1}
    cv = KFold(2 if quick else 5, shuffle=True, random_state=0)
    models = {
        "GraphRegressor() on SMILES  ": GraphRegressor(random_state=0, **params),
        "Morgan FP + RandomForest    ": make_pipeline(
            FunctionTransformer(morgan), RandomForestRegressor(random_state=0)
        ),
    }
    print(f"ESOL: {len(X)} molecules, {cv.get_n_splits()}-fold RMSE (log S)")
    for name, model in models.items():
        start = time.perf_counter()
        # Two folds at a time; the smoke run in one process (no workers).
        pred = cross_val_predict(model, X, y, cv=cv, n_jobs=1 if quick else 2)
        scores = rmse_per_fold(y, pred, cv, X)
        print(
            f"  {name} {scores.mean():.3f} +/- {scores.std():.3f}"
            f"  ({time.perf_counter() - start:.0f} s)"
        )
    ref = rmse_per_fold(y, esol, cv, X)
    print(f"  Delaney's ESOL equation      {ref.mean():.3f} +/- {ref.std():.3f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny smoke run")
    main(**vars(parser.parse_args()))
