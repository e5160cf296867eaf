"""What a fit shows: nothing, a bar per epoch, or a plain line per epoch."""

import re

import numpy as np
import pytest

from skdl import DenseClassifier, DenseRegressor, SequenceCNNClassifier

from conftest import fast, token_ids

ANSI = re.compile(r"\x1b\[")


@pytest.fixture(scope="module")
def data():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(120, 4))
    return X, (X[:, 0] > 0).astype(int)


def test_silent_by_default(data, capsys):
    DenseClassifier(max_epochs=2, early_stopping=True, random_state=0).fit(*data)
    out, err = capsys.readouterr()
    assert out == "" and err == ""


def test_verbose_2_prints_one_plain_line_per_epoch(data, capsys):
    clf = DenseClassifier(
        max_epochs=3, early_stopping=True, n_iter_no_change=5, random_state=0
    ).fit(*data, sample_weight=None)
    out, err = capsys.readouterr()
    assert out == "" and err == ""  # verbose=0 above; now the same with 2
    clf.set_params(verbose=2).fit(*data)
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert len(lines) == 3 and err == ""
    assert not ANSI.search(out)
    for epoch, (line, row) in enumerate(zip(lines, clf.history_, strict=True), 1):
        assert line.startswith(f"epoch {epoch}/3  train_loss ")
        assert f"train_loss {row['train_loss']:.4f}" in line
        assert f"valid_loss {row['valid_loss']:.4f}" in line
        assert f"valid_acc {row['valid_acc']:.4f}" in line
        assert line.endswith("s")
    # the best validation loss so far is starred
    assert "*" in lines[0]


def test_verbose_1_draws_a_bar_per_epoch_on_stderr(data, capsys):
    X, y = data
    clf = DenseClassifier(max_epochs=2, batch_size=16, verbose=1, random_state=0)
    clf.fit(X, y)
    out, err = capsys.readouterr()
    assert out == ""
    assert not ANSI.search(err)  # not a terminal: no colour codes
    n_batches = -(-len(X) // 16)
    for epoch in (1, 2):
        assert re.search(rf"epoch {epoch}/2: 100%.*{n_batches}/{n_batches}", err)
    final = err.replace("\r", "\n").splitlines()
    assert any(f"train_loss {clf.history_[-1]['train_loss']:.4f}" in s for s in final)


def test_early_stopping_says_when_it_stops(capsys):
    rng = np.random.RandomState(0)
    X = rng.normal(size=(80, 3))
    y = rng.randint(0, 2, size=80)  # noise: validation loss soon stops falling
    clf = DenseClassifier(
        max_epochs=100, early_stopping=True, n_iter_no_change=2, lr=0.05,
        verbose=2, random_state=0,
    ).fit(X, y)  # fmt: skip
    out, _ = capsys.readouterr()
    assert clf.n_iter_ < 100
    assert len([s for s in out.splitlines() if s.startswith("epoch ")]) == clf.n_iter_
    assert "Stopping since valid_loss has not improved" in out


def test_long_predictions_get_a_bar_short_ones_none(capsys):
    X = token_ids(40, 10)
    est = fast(SequenceCNNClassifier, verbose=2).fit(X, np.arange(40) % 2)
    capsys.readouterr()
    est.predict(X)  # one batch
    assert capsys.readouterr().err == ""
    # 4,000 rows in prediction batches of 256: 16 batches, past the threshold
    big = np.tile(X, (100, 1))
    assert -(-len(big) // 256) >= est._PREDICT_BAR_BATCHES
    np.testing.assert_array_equal(est.predict(big), np.tile(est.predict(X), 100))
    err = capsys.readouterr().err
    assert "SequenceCNNClassifier predict" in err and not ANSI.search(err)


def test_regressor_lines_show_r2(capsys):
    rng = np.random.RandomState(0)
    X = rng.normal(size=(60, 3))
    DenseRegressor(max_epochs=2, early_stopping=True, verbose=2, random_state=0).fit(
        X, X.sum(1)
    )
    out, _ = capsys.readouterr()
    assert "valid_r2 " in out.splitlines()[0]


def test_a_verbose_estimator_pickles_and_predicts_alike(data, capsys):
    import pickle

    clf = DenseClassifier(max_epochs=2, verbose=1, random_state=0).fit(*data)
    again = pickle.loads(pickle.dumps(clf))
    np.testing.assert_allclose(again.predict_proba(data[0]), clf.predict_proba(data[0]))
