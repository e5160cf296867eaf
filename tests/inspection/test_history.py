"""TrainingHistoryDisplay: the curves drawn are the history's numbers."""

import matplotlib

matplotlib.use("Agg")  # no display: render off-screen

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from sklearn.exceptions import NotFittedError  # noqa: E402
from sklearn.model_selection import GridSearchCV  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

from skdl import DenseClassifier, DenseRegressor  # noqa: E402
from skdl.inspection import TrainingHistoryDisplay  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def data():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(200, 5))
    return X, (X[:, 0] + 0.5 * X[:, 1] > 0).astype(int)


def _early_stopped(X, y):
    return DenseClassifier(
        hidden_layer_sizes=(16,),
        early_stopping=True,
        n_iter_no_change=2,
        max_epochs=40,
        lr=3e-2,
        random_state=0,
    ).fit(X, y)


def test_lines_hold_the_history_and_the_best_epoch(data):
    clf = _early_stopped(*data)
    display = TrainingHistoryDisplay.from_estimator(clf)
    epochs = [row["epoch"] for row in clf.history_]
    for column in ("train_loss", "valid_loss"):
        x, y = display.lines_[column].get_data()
        np.testing.assert_array_equal(x, epochs)
        np.testing.assert_allclose(y, [row[column] for row in clf.history_])
    # early stopping ran: the restored epoch is marked
    assert clf.best_epoch_ < clf.n_iter_
    assert display.best_line_.get_xdata()[0] == clf.best_epoch_
    assert display.ax_.get_xlabel() == "epoch"
    assert display.figure_ is display.ax_.figure
    assert display.ax_.get_title() == "DenseClassifier"
    legend = [t.get_text() for t in display.ax_.get_legend().get_texts()]
    assert legend == ["train loss", "valid loss", f"best epoch ({clf.best_epoch_})"]


def test_metrics_on_a_given_axes_and_no_refit(data):
    clf = _early_stopped(*data)
    weights = [p.detach().clone() for p in clf.net_.module_.parameters()]
    _, ax = plt.subplots()
    display = TrainingHistoryDisplay.from_estimator(
        clf, metrics=("acc",), ax=ax, color="k"
    )
    assert display.ax_ is ax and list(display.lines_) == ["valid_acc"]
    assert display.lines_["valid_acc"].get_color() == "k"
    for before, now in zip(weights, clf.net_.module_.parameters(), strict=True):
        assert (before == now).all()


def test_pipelines_and_searches_draw_their_fitted_network(data):
    X, y = data
    pipe = make_pipeline(StandardScaler(), DenseClassifier(max_epochs=3)).fit(X, y)
    display = TrainingHistoryDisplay.from_estimator(pipe)
    assert len(display.lines_["train_loss"].get_xdata()) == 3
    assert display.best_line_ is None  # no early stopping: nothing to mark
    assert "valid_loss" not in display.lines_
    search = GridSearchCV(
        DenseClassifier(random_state=0), {"max_epochs": [2, 4]}, cv=2
    ).fit(X, y)
    shown = TrainingHistoryDisplay.from_estimator(search)
    n = search.best_params_["max_epochs"]
    assert len(shown.lines_["train_loss"].get_xdata()) == n


def test_regressor_losses_say_their_scale(data):
    X, _ = data
    reg = DenseRegressor(max_epochs=2, random_state=0).fit(X, 100 * X[:, 0])
    display = TrainingHistoryDisplay.from_estimator(reg)
    assert display.ax_.get_ylabel() == "loss (on standardised y)"


def test_clear_errors(data):
    with pytest.raises(NotFittedError):
        TrainingHistoryDisplay.from_estimator(DenseClassifier())
    with pytest.raises(TypeError, match="StandardScaler has no training history"):
        TrainingHistoryDisplay.from_estimator(StandardScaler().fit(data[0]))
    clf = DenseClassifier(max_epochs=2).fit(*data)
    with pytest.raises(ValueError, match="no 'valid_acc' column.*early_stopping"):
        TrainingHistoryDisplay.from_estimator(clf, metrics=("valid_acc",))


def test_from_a_history_list():
    history = [{"epoch": 1, "train_loss": 0.9}, {"epoch": 2, "train_loss": 0.5}]
    display = TrainingHistoryDisplay(history=history, estimator_name="mine").plot()
    np.testing.assert_allclose(display.lines_["train_loss"].get_ydata(), [0.9, 0.5])
    assert display.ax_.get_title() == "mine"
