"""The course's first network: solubility from four descriptors (ESOL).
=======================================================================

The first network of the course material our users learn from is a small
dense regressor: one hidden layer of 32 tanh units reading a few molecular
descriptors and predicting aqueous solubility (log S). Here it is on ESOL
(Delaney, 1,144 molecules) with Delaney's own four descriptors, computed
with RDKit: Crippen logP, molecular weight, rotatable bonds and the
aromatic proportion (aromatic atoms over heavy atoms). Next to it, on the
same 5 folds:

* a linear regression on the same four descriptors (Delaney's equation,
  refitted on each training fold);
* Delaney's published ESOL equation (fitted on all of ESOL and more:
  not a held-out score, the reference for scale).

``DenseRegressor`` standardises y by default and returns log S in its own
units; the pipeline standardises the descriptors.

    pip install rdkit --no-deps aaanalysis==1.1.0   # RDKit; data (make does)
    python examples/course_solubility_dense.py      # under a minute on 2 cores
    python examples/course_solubility_dense.py --quick
"""

import argparse
import time

import numpy as np
from sklearn.linear_model import LinearRegression
from sklearn.metrics import mean_squared_error
from sklearn.model_selection import KFold, cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skdl import DenseRegressor
from skdl.datasets import load_esol


def delaney_descriptors(smiles):
    """(n, 4): logP, molecular weight, rotatable bonds, aromatic proportion."""
    try:
        from rdkit import Chem, RDLogger
        from rdkit.Chem import Crippen, Descriptors, Lipinski
    except ImportError:
        raise SystemExit(
            "This example computes descriptors with RDKit: pip install rdkit"
        ) from None
    RDLogger.DisableLog("rdApp.*")
    rows = []
    for s in smiles:
        mol = Chem.MolFromSmiles(s)
        heavy = mol.GetNumHeavyAtoms()
        aromatic = sum(atom.GetIsAromatic() for atom in mol.GetAtoms())
        rows.append(
            [
                Crippen.MolLogP(mol),
                Descriptors.MolWt(mol),
                Lipinski.NumRotatableBonds(mol),
                aromatic / max(heavy, 1),
            ]
        )
    return np.asarray(rows)


def rmse_per_fold(y, pred, cv, X):
    return np.array(
        [mean_squared_error(y[te], pred[te]) ** 0.5 for _, te in cv.split(X)]
    )


def main(quick=False):
    data = load_esol()
    smiles, y, esol = data.data, data.target, data.esol_predicted
    if quick:
        smiles, y, esol = smiles[::10], y[::10], esol[::10]
    X = delaney_descriptors(smiles)
    cv = KFold(2 if quick else 5, shuffle=True, random_state=0)
    models = {
        "course network (32 tanh)": make_pipeline(
            StandardScaler(),
            DenseRegressor(
                hidden_layer_sizes=(32,),
                activation="tanh",
                max_epochs=2 if quick else "auto",
                random_state=0,
            ),
        ),
        "LinearRegression": make_pipeline(StandardScaler(), LinearRegression()),
    }
    print(f"ESOL: {len(X)} molecules, {cv.get_n_splits()}-fold RMSE (log S)")
    for name, model in models.items():
        start = time.perf_counter()
        pred = cross_val_predict(model, X, y, cv=cv, n_jobs=1 if quick else 2)
        rmse = rmse_per_fold(y, pred, cv, X)
        print(
            f"  {name:26s} {rmse.mean():.3f} +/- {rmse.std():.3f}"
            f"  ({time.perf_counter() - start:.0f} s)"
        )
    ref = rmse_per_fold(y, esol, cv, X)
    print(f"  {'Delaney, published':26s} {ref.mean():.3f} +/- {ref.std():.3f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny smoke run")
    main(**vars(parser.parse_args()))
