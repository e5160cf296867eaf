"""DenseClassifier and DenseRegressor: training features on tiny data."""

import numpy as np
import pytest
import torch
from sklearn.datasets import make_classification, make_multilabel_classification
from sklearn.utils._param_validation import InvalidParameterError
from skorch.callbacks import Callback, LRScheduler

from skdl import DenseClassifier, DenseRegressor
from skdl.networks import DenseModule

from conftest import Spy, fast

rng = np.random.RandomState(0)
X = rng.normal(size=(80, 5))
y_cls = (X[:, 0] + X[:, 1] > 0).astype(int)
y_reg = X[:, 0] - 2 * X[:, 1] + 0.05 * rng.normal(size=80)


def test_learns_a_simple_problem():
    clf = fast(DenseClassifier, max_epochs=40, lr=1e-2).fit(X, y_cls)
    assert clf.score(X, y_cls) > 0.9
    reg = fast(DenseRegressor, max_epochs=60, lr=1e-2).fit(X, y_reg)
    assert reg.score(X, y_reg) > 0.9


def test_history_and_n_iter():
    est = fast(DenseRegressor).fit(X, y_reg)
    assert est.n_iter_ == 3 and len(est.history_) == 3
    assert [row["epoch"] for row in est.history_] == [1, 2, 3]
    assert all(np.isfinite(row["train_loss"]) for row in est.history_)
    assert "batches" not in est.history_[0]
    assert not hasattr(est, "best_epoch_")


def test_zero_epochs_are_refused():
    # An untrained network would predict from random weights, silently.
    with pytest.raises(InvalidParameterError, match="'max_epochs' parameter"):
        fast(DenseClassifier, max_epochs=0).fit(X, y_cls)


class Snapshots(Callback):
    """Keeps a copy of the weights after every epoch."""

    def initialize(self):
        self.states = []
        return self

    def on_epoch_end(self, net, **kwargs):
        self.states.append({k: v.clone() for k, v in net.module_.state_dict().items()})


@pytest.mark.parametrize(
    "cls,y,score",
    [(DenseClassifier, y_cls, "valid_acc"), (DenseRegressor, y_reg, "valid_r2")],
)
def test_early_stopping_restores_best_epoch(cls, y, score):
    est = cls(
        early_stopping=True,
        n_iter_no_change=3,
        max_epochs=200,
        lr=0.05,
        hidden_layer_sizes=(200, 200),
        random_state=0,
        callbacks=[Snapshots()],
    ).fit(X, y)
    valid = [row["valid_loss"] for row in est.history_]
    assert score in est.history_[-1]
    assert est.best_epoch_ == int(np.argmin(valid)) + 1
    assert est.n_iter_ == est.best_epoch_ + 3 < 200
    best = dict(est.net_.callbacks_)["Snapshots"].states[est.best_epoch_ - 1]
    final = est.net_.module_.state_dict()
    assert all(torch.equal(best[k], final[k]) for k in best)
    after_best = dict(est.net_.callbacks_)["Snapshots"].states[est.best_epoch_]
    assert not all(torch.equal(after_best[k], final[k]) for k in best)


class ValidLabels(Callback):
    """Records the labels of the held-out set the net validates on."""

    def on_epoch_begin(self, net, dataset_valid=None, **kwargs):
        self.labels = dataset_valid.y.numpy().copy()


def test_early_stopping_split_is_stratified_and_seeded():
    def fit():
        return fast(
            DenseClassifier,
            early_stopping=True,
            validation_fraction=0.25,
            callbacks=[ValidLabels()],
        ).fit(X, y_cls)

    a, b = fit(), fit()
    assert a.history_[0]["valid_loss"] == b.history_[0]["valid_loss"]
    assert a.history_[0]["valid_batch_count"] == 1
    held_out = dict(a.net_.callbacks_)["ValidLabels"].labels
    assert len(held_out) == 20  # ceil(0.25 * 80)
    # Stratified: each class keeps its share of the data, to within one sample.
    for code in (0, 1):
        expected = 0.25 * (y_cls == code).sum()
        assert abs((held_out == code).sum() - expected) <= 1


def test_class_weight_balanced_moves_predictions_to_minority():
    Xi, yi = make_classification(300, 5, weights=[0.9, 0.1], random_state=0)
    plain = fast(DenseClassifier, max_epochs=5).fit(Xi, yi)
    balanced = fast(DenseClassifier, max_epochs=5, class_weight="balanced").fit(Xi, yi)
    assert (balanced.predict(Xi) == 1).sum() > (plain.predict(Xi) == 1).sum()


def test_class_weight_dict_uses_original_labels():
    names = np.array(["no", "yes"])[y_cls]
    est = fast(DenseClassifier, class_weight={"no": 1.0, "yes": 5.0}).fit(X, names)
    assert set(est.predict(X)) <= {"no", "yes"}
    with pytest.raises(ValueError, match="not in class_weight|classes"):
        fast(DenseClassifier, class_weight={"maybe": 1.0}).fit(X, names)


def test_sample_weight_zero_drops_samples():
    w = (np.arange(len(X)) % 2).astype(float)
    a = fast(DenseRegressor, batch_size=200).fit(X, y_reg, sample_weight=w)
    b = fast(DenseRegressor, batch_size=200).fit(X[w > 0], y_reg[w > 0])
    np.testing.assert_allclose(a.predict(X), b.predict(X), rtol=1e-4, atol=1e-5)


def test_negative_sample_weight_is_refused():
    with pytest.raises(ValueError, match="[Nn]egative"):
        fast(DenseRegressor).fit(X, y_reg, sample_weight=-np.ones(len(X)))


def test_multilabel_classification():
    Xm, Ym = make_multilabel_classification(100, 6, n_classes=3, random_state=0)
    est = fast(DenseClassifier, max_epochs=30, lr=1e-2).fit(Xm, Ym)
    assert est.classes_.tolist() == [0, 1, 2]
    assert est.predict(Xm).shape == Ym.shape
    proba = est.predict_proba(Xm)
    assert proba.shape == Ym.shape and ((proba >= 0) & (proba <= 1)).all()
    np.testing.assert_array_equal(est.predict(Xm), (proba > 0.5).astype(int))
    assert est.score(Xm, Ym) > 0.4


def test_multioutput_regression():
    Y = np.column_stack([y_reg, -y_reg])
    est = fast(DenseRegressor, max_epochs=40, lr=1e-2).fit(X, Y)
    assert est.n_outputs_ == 2 and est.predict(X).shape == (80, 2)
    assert est.score(X, Y) > 0.8


@pytest.mark.parametrize(
    "loss", ["squared_error", "absolute_error", "huber", "mse", "mae"]
)
def test_regression_losses(loss):
    expected = {
        "squared_error": torch.nn.MSELoss,
        "mse": torch.nn.MSELoss,
        "absolute_error": torch.nn.L1Loss,
        "mae": torch.nn.L1Loss,
        "huber": torch.nn.HuberLoss,
    }[loss]
    est = fast(DenseRegressor, loss=loss).fit(X, y_reg)
    assert isinstance(est.net_.criterion_, torch.nn.Module)
    assert type(est.net_.criterion_) is expected
    assert np.isfinite(est.predict(X)).all()


def test_predict_log_proba_matches_proba():
    est = fast(DenseClassifier).fit(X, y_cls)
    np.testing.assert_allclose(np.exp(est.predict_log_proba(X)), est.predict_proba(X))


@pytest.mark.parametrize(
    "optimizer", ["adam", "adamw", "sgd", "rmsprop", torch.optim.Adagrad]
)
def test_optimizers(optimizer):
    est = fast(DenseRegressor, optimizer=optimizer, weight_decay=1e-4).fit(X, y_reg)
    opt = est.net_.optimizer_
    assert opt.param_groups[0]["weight_decay"] == 1e-4
    expected = {
        "adam": torch.optim.Adam,
        "adamw": torch.optim.AdamW,
        "sgd": torch.optim.SGD,
        "rmsprop": torch.optim.RMSprop,
    }.get(optimizer, optimizer)
    assert type(opt) is expected
    if optimizer in ("adam", "adamw"):
        assert opt.defaults["fused"]


def test_optimizer_params_pass_through():
    est = fast(DenseRegressor, optimizer="sgd", optimizer_params={"momentum": 0.9}).fit(
        X, y_reg
    )
    assert est.net_.optimizer_.param_groups[0]["momentum"] == 0.9


def test_l1_l2_penalties_shrink_kernels():
    plain = fast(DenseRegressor, max_epochs=20).fit(X, y_reg)
    l2 = fast(DenseRegressor, max_epochs=20, l2=0.05).fit(X, y_reg)
    l1 = fast(DenseRegressor, max_epochs=20, l1=0.01).fit(X, y_reg)

    def kernel_norm(est):
        return sum(
            m.weight.abs().sum().item()
            for m in est.net_.module_.modules()
            if isinstance(m, torch.nn.Linear)
        )

    assert kernel_norm(l2) < kernel_norm(plain)
    assert kernel_norm(l1) < kernel_norm(plain)


def test_activity_regularization_reaches_the_loss():
    plain = fast(DenseRegressor).fit(X, y_reg)
    act = fast(DenseRegressor, activity_l2=1.0).fit(X, y_reg)
    # Same seed, same data: the only difference in the first epoch's loss is
    # the activity penalty, which is positive.
    assert act.history_[0]["train_loss"] > plain.history_[0]["train_loss"]


@pytest.mark.parametrize(
    "arch",
    [
        dict(batch_norm=True),
        dict(residual=True),
        dict(dropout=0.3),
        dict(activation="gelu"),
        dict(hidden_layer_sizes=()),
    ],
)
def test_architecture_options(arch):
    est = fast(DenseClassifier, **arch).fit(X, y_cls)
    assert est.predict(X).shape == (80,)


def test_warm_start_continues_training():
    est = fast(DenseRegressor, warm_start=True).fit(X, y_reg)
    first = est.net_.module_.output.weight.detach().clone()
    module = est.net_.module_
    est.fit(X, y_reg)
    assert est.n_iter_ == 6 and est.net_.module_ is module
    assert not torch.equal(first, est.net_.module_.output.weight)
    cold = fast(DenseRegressor).fit(X, y_reg)
    cold.fit(X, y_reg)
    assert cold.n_iter_ == 3


def test_partial_fit_classes_on_first_call():
    est = DenseClassifier(random_state=0)
    est.partial_fit(X[y_cls == 0], y_cls[y_cls == 0], classes=[0, 1])
    est.partial_fit(X, y_cls)
    assert est.classes_.tolist() == [0, 1] and est.n_iter_ == 2


def test_user_callbacks_run_and_are_not_mutated():
    class CountEpochs(Callback):
        def initialize(self):
            self.count = 0
            return self

        def on_epoch_end(self, net, **kwargs):
            self.count += 1

    counter = CountEpochs()
    sched = LRScheduler("StepLR", step_size=1, gamma=0.5)
    est = fast(DenseRegressor, callbacks=[counter, sched], lr_schedule="constant")
    est.fit(X, y_reg)
    net_counter = dict(est.net_.callbacks_)["CountEpochs"]
    assert net_counter.count == 3
    assert not hasattr(counter, "count")  # the parameter itself is untouched
    assert est.net_.optimizer_.param_groups[0]["lr"] == pytest.approx(1e-3 * 0.5**3)


def test_verbose_prints_one_line_per_epoch(capsys):
    fast(DenseRegressor, verbose=2).fit(X, y_reg)
    out = capsys.readouterr().out
    rows = [ln for ln in out.splitlines() if ln.startswith("epoch ")]
    assert len(rows) == 3 and all("train_loss" in ln for ln in rows)
    fast(DenseRegressor, verbose=0).fit(X, y_reg)
    assert capsys.readouterr() == ("", "")


def test_custom_module_warns_that_architecture_params_are_unused():
    # Building and training a custom module is check_custom_module's job.
    from skdl.utils.estimator_checks import _TinyModule

    with pytest.warns(UserWarning, match=r"\['dropout'\] only shape the default"):
        fast(DenseClassifier, module=_TinyModule, dropout=0.5).fit(X, y_cls)


@pytest.mark.parametrize("n_threads", [1, 3])
def test_n_threads_is_applied_and_scoped(n_threads):
    torch.set_num_threads(2)
    try:
        est = fast(DenseRegressor, n_threads=n_threads, callbacks=[("spy", Spy())])
        est.fit(X, y_reg)
        assert dict(est.net_.callbacks_)["spy"].threads == {n_threads}
        est.predict(X)
        assert torch.get_num_threads() == 2
    finally:
        torch.set_num_threads(1)


def test_bf16_mixed_precision_trains():
    est = fast(
        DenseClassifier,
        precision="bf16-mixed",
        max_epochs=40,
        lr=1e-2,
        callbacks=[("spy", Spy())],
    ).fit(X, y_cls)
    assert dict(est.net_.callbacks_)["spy"].dtypes == {torch.bfloat16}  # autocast ran
    assert est.net_.module_.output.weight.dtype == torch.float32  # weights stay
    assert est.predict_proba(X).dtype == np.float64
    assert est.score(X, y_cls) > 0.85
    plain = fast(DenseClassifier, callbacks=[("spy", Spy())]).fit(X, y_cls)
    assert dict(plain.net_.callbacks_)["spy"].dtypes == {torch.float32}


def test_prediction_independent_of_batch_composition():
    est = fast(DenseRegressor, batch_size=32).fit(X, y_reg)
    full = est.predict(X)
    one_by_one = np.concatenate([est.predict(X[i : i + 1]) for i in range(len(X))])
    np.testing.assert_array_equal(full, one_by_one)


def test_device_auto_resolves():
    est = fast(DenseRegressor, device="auto").fit(X, y_reg)
    assert est.device_ == ("cuda" if torch.cuda.is_available() else "cpu")


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
@pytest.mark.parametrize("precision", ["float32", "bf16-mixed"])
def test_cuda_fit_predict(precision):
    est = fast(
        DenseClassifier, device="cuda", precision=precision, max_epochs=40, lr=1e-2
    )
    est.fit(X, y_cls)
    assert est.device_ == "cuda"
    assert next(est.net_.module_.parameters()).is_cuda
    assert est.score(X, y_cls) > 0.85
    again = fast(
        DenseClassifier, device="cuda", precision=precision, max_epochs=40, lr=1e-2
    )
    np.testing.assert_allclose(
        again.fit(X, y_cls).predict_proba(X), est.predict_proba(X), atol=1e-5
    )


def test_default_module_is_dense_module():
    est = fast(DenseClassifier).fit(X, y_cls)
    assert isinstance(est.net_.module_, DenseModule)


def test_gradient_callbacks_still_see_gradients():
    from skorch.callbacks import GradientNormClipping

    class RecordGradNorm(Callback):
        def initialize(self):
            self.norms = []
            return self

        def on_grad_computed(self, net, named_parameters, **kwargs):
            grads = [p.grad.norm() for _, p in named_parameters if p.grad is not None]
            self.norms.append(torch.stack(grads).norm().item())

    est = fast(
        DenseRegressor,
        batch_size=20,
        callbacks=[GradientNormClipping(gradient_clip_value=1e-3), RecordGradNorm()],
    ).fit(X, y_reg)
    norms = dict(est.net_.callbacks_)["RecordGradNorm"].norms
    assert len(norms) == 3 * 4  # every batch of every epoch
    assert max(norms) <= 1e-3 * 1.001  # clipping ran before our callback


def test_lbfgs_optimizer_gets_its_closure():
    est = fast(DenseRegressor, optimizer=torch.optim.LBFGS, lr=0.5, batch_size=200)
    est.fit(X, y_reg)
    assert est.score(X, y_reg) > 0.5


def test_python_lists_are_accepted():
    from_lists = fast(DenseClassifier).fit(X.tolist(), y_cls.tolist())
    from_arrays = fast(DenseClassifier).fit(X, y_cls)
    np.testing.assert_array_equal(
        from_lists.predict_proba(X.tolist()), from_arrays.predict_proba(X)
    )


def test_continued_fit_takes_a_new_learning_rate():
    est = fast(DenseRegressor).partial_fit(X, y_reg)
    steps_before = float(est.net_.optimizer_.state_dict()["state"][0]["step"])
    est.set_params(lr=0.5).partial_fit(X, y_reg)
    opt = est.net_.optimizer_
    assert opt.param_groups[0]["lr"] == 0.5
    # Adam's step count continues (one full-batch step per call): not reset.
    assert float(opt.state_dict()["state"][0]["step"]) == steps_before * 2


def test_partial_fit_with_early_stopping_then_validated_warm_start():
    est = DenseClassifier(
        early_stopping=True, n_iter_no_change=2, warm_start=True, random_state=0
    )
    est.partial_fit(X, y_cls)  # holds nothing out, so nothing to stop on
    assert est.n_iter_ == 1 and "valid_loss" not in est.history_[0]
    assert not hasattr(est, "best_epoch_")
    est.set_params(max_epochs=200, lr=0.05).fit(X, y_cls)
    assert "valid_loss" in est.history_[-1]
    assert 2 <= est.best_epoch_ < est.n_iter_ < 201


def test_early_stopping_scores_multilabel_and_multioutput():
    Xm, Ym = make_multilabel_classification(100, 6, n_classes=3, random_state=0)
    clf = fast(DenseClassifier, early_stopping=True, validation_fraction=0.2)
    clf.fit(Xm, Ym)
    assert all(0 <= row["valid_acc"] <= 1 for row in clf.history_)
    Y = np.column_stack([y_reg, -y_reg])
    reg = fast(DenseRegressor, early_stopping=True).fit(X, Y)
    assert all(np.isfinite(row["valid_r2"]) for row in reg.history_)
