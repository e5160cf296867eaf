"""Cross-validation of an skdl pipeline on a real Dask cluster of worker
processes, through joblib's dask backend (docs/scale_out.md)."""

import os

import pytest
from sklearn.model_selection import cross_validate
from sklearn.pipeline import make_pipeline

from skdl import SequenceCNNClassifier
from skdl.datasets import make_sequence_classification
from skdl.preprocessing import SequenceTokenizer

distributed = pytest.importorskip("distributed")


def test_cross_validate_on_a_local_cluster():
    import joblib

    X, y = make_sequence_classification(90, alphabet="dna", random_state=0)
    pipe = make_pipeline(
        SequenceTokenizer(alphabet="dna"),
        SequenceCNNClassifier(max_epochs=2, random_state=0),
    )
    # The process each fold was scored in (a lambda: dask's cloudpickle
    # sends it by value, so workers need not import this test module).
    scoring = {"acc": "accuracy", "pid": lambda est, X, y: os.getpid()}
    serial = cross_validate(pipe, X, y, cv=3, scoring=scoring)
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        with joblib.parallel_backend("dask"):
            remote = cross_validate(pipe, X, y, cv=3, n_jobs=-1, scoring=scoring)
        workers = set(client.run(os.getpid).values())
    assert len(workers) == 2 and os.getpid() not in workers
    # Every fold ran in a worker process, and the seeds held there.
    assert set(remote["test_pid"]) <= workers
    assert list(remote["test_acc"]) == list(serial["test_acc"])
