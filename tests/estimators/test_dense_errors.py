"""Bad input gets a clear sklearn-style error that names the estimator."""

import numpy as np
import pytest
from sklearn.exceptions import DataConversionWarning, NotFittedError

from skdl import DenseClassifier, DenseRegressor

from conftest import fast, table

X, y_cls, y_reg = table()


@pytest.mark.parametrize("cls,y", [(DenseClassifier, y_cls), (DenseRegressor, y_reg)])
@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_non_finite_X(cls, y, bad):
    Xb = X.copy()
    Xb[3, 1] = bad
    with pytest.raises(
        ValueError, match=f"Input X contains|{cls.__name__}: Input X"
    ) as err:
        fast(cls).fit(Xb, y)
    assert cls.__name__ in str(err.value)


def test_non_finite_y_regressor():
    yb = y_reg.copy()
    yb[0] = np.nan
    with pytest.raises(ValueError, match="Input y contains NaN"):
        fast(DenseRegressor).fit(X, yb)


def test_nan_label_classifier():
    yb = y_cls.astype(float)
    yb[0] = np.nan
    with pytest.raises(ValueError, match="Input y contains NaN"):
        fast(DenseClassifier).fit(X, yb)


@pytest.mark.parametrize("cls,y", [(DenseClassifier, y_cls), (DenseRegressor, y_reg)])
def test_wrong_number_of_features(cls, y):
    est = fast(cls).fit(X, y)
    with pytest.raises(ValueError, match=f"X has 3 features, but {cls.__name__}"):
        est.predict(X[:, :3])


@pytest.mark.parametrize("cls", [DenseClassifier, DenseRegressor])
def test_empty_X(cls):
    with pytest.raises(ValueError, match=f"0 sample.*{cls.__name__}"):
        fast(cls).fit(np.empty((0, 4)), np.empty(0))


def test_one_sample_with_batch_norm():
    with pytest.raises(
        ValueError, match="DenseRegressor has batch normalisation.*got 1"
    ):
        fast(DenseRegressor, batch_norm=True).fit(X[:1], y_reg[:1])


def test_batch_norm_never_trains_on_a_single_sample_batch():
    # 41 samples with batch_size 10 leave a last batch of 1: it is merged.
    X41, y41 = np.vstack([X, X[:1]]), np.append(y_reg, y_reg[0])
    est = fast(DenseRegressor, batch_norm=True, batch_size=10).fit(X41, y41)
    assert est.history_[-1]["train_batch_count"] == 4


def test_single_class():
    with pytest.raises(ValueError, match="at least 2 classes.*only one class: 1"):
        fast(DenseClassifier).fit(X, np.ones(len(X), dtype=int))


def test_continuous_y_for_classifier():
    with pytest.raises(
        ValueError, match="Unknown label type: 'continuous'.*DenseRegressor"
    ):
        fast(DenseClassifier).fit(X, y_reg)


def test_labels_one_to_k_and_strings_round_trip():
    y = y_cls + 1 + (X[:, 1] > 0)  # labels 1, 2, 3
    est = fast(DenseClassifier, max_epochs=20, lr=1e-2).fit(X, y)
    assert est.classes_.tolist() == [1, 2, 3]
    assert set(est.predict(X)) <= {1, 2, 3}
    names = np.array(["low", "mid", "high"])[y - 1]
    est = fast(DenseClassifier, max_epochs=20, lr=1e-2).fit(X, names)
    assert set(est.predict(X)) <= {"low", "mid", "high"}


def test_column_y_classifier_warns_and_works():
    with pytest.warns(DataConversionWarning):
        est = fast(DenseClassifier).fit(X, y_cls.reshape(-1, 1))
    assert est.predict(X).shape == (len(X),)


def test_column_y_regressor_keeps_shape():
    est = fast(DenseRegressor).fit(X, y_reg.reshape(-1, 1))
    assert est.predict(X).shape == (len(X), 1)
    assert fast(DenseRegressor).fit(X, y_reg).predict(X).shape == (len(X),)


def test_object_X_with_strings():
    Xo = X.astype(object)
    Xo[0, 0] = "abc"
    with pytest.raises(ValueError, match="DenseClassifier needs numeric X.*Pipeline"):
        fast(DenseClassifier).fit(Xo, y_cls)


def test_object_X_with_numbers_is_cast():
    est = fast(DenseClassifier).fit(X.astype(object), y_cls)
    assert est.predict(X.astype(object)).shape == (len(X),)


def test_integer_and_float64_X_are_cast():
    est = fast(DenseClassifier).fit(np.round(X * 10).astype(np.int64), y_cls)
    assert est.predict_proba(X.astype(np.int32)).dtype == np.float64


def test_values_beyond_float32_range():
    Xb = X.copy()
    Xb[0, 0] = 1e300
    with pytest.raises(ValueError, match="float32.*StandardScaler"):
        fast(DenseRegressor).fit(Xb, y_reg)


@pytest.mark.parametrize("method", ["predict", "predict_proba"])
def test_predict_before_fit(method):
    with pytest.raises(NotFittedError, match="DenseClassifier"):
        getattr(DenseClassifier(), method)(X)


@pytest.mark.parametrize(
    "param,value,match",
    [
        ("optimizer", "adagrad", "'optimizer' parameter of DenseClassifier"),
        ("activation", "swishy", "'activation' parameter of DenseClassifier"),
        ("dropout", 1.5, "'dropout' parameter of DenseClassifier"),
        ("batch_size", 0, "'batch_size' parameter of DenseClassifier"),
        ("precision", "fp8", "'precision' parameter of DenseClassifier"),
    ],
)
def test_bad_parameters(param, value, match):
    with pytest.raises(ValueError, match=match):
        fast(DenseClassifier, **{param: value}).fit(X, y_cls)


def test_bad_hidden_layer_sizes():
    with pytest.raises(ValueError, match="hidden_layer_sizes must be positive"):
        fast(DenseClassifier, hidden_layer_sizes=(10, 0)).fit(X, y_cls)


def test_diverging_training_raises_instead_of_returning_nan():
    # SGD at lr=1e6 on unscaled targets overflows within a few steps.
    with pytest.raises(
        ValueError, match=r"DenseRegressor stopped: the training loss became (nan|inf)"
    ):
        fast(DenseRegressor, optimizer="sgd", lr=1e6, max_epochs=20).fit(X, y_reg * 1e3)


def test_failed_fit_leaves_estimator_unfitted():
    est = fast(DenseRegressor).fit(X, y_reg)
    with pytest.raises(ValueError, match="stopped"):
        est.set_params(optimizer="sgd", lr=1e6, max_epochs=20).fit(X, y_reg * 1e3)
    with pytest.raises(NotFittedError):
        est.predict(X)


def test_diverging_partial_fit_leaves_estimator_unfitted():
    est = DenseRegressor(optimizer="sgd", lr=1e-3, random_state=0).partial_fit(X, y_reg)
    est.set_params(lr=1e6)
    with pytest.raises(ValueError, match="stopped"):
        for _ in range(20):
            est.partial_fit(X, y_reg * 1e3)
    with pytest.raises(NotFittedError):
        est.predict(X)


def test_unseen_label_in_partial_fit():
    est = DenseClassifier(random_state=0).partial_fit(X, y_cls)
    with pytest.raises(ValueError, match=r"labels \[2\] that are not in classes_"):
        est.partial_fit(X, y_cls + 1)


def test_cuda_requested_without_gpu():
    import torch

    if torch.cuda.is_available():
        pytest.skip("a GPU is present")
    with pytest.raises(
        ValueError, match="DenseClassifier: device='cuda' was requested, but torch"
    ):
        fast(DenseClassifier, device="cuda").fit(X, y_cls)


def test_early_stopping_needs_enough_samples():
    with pytest.raises(ValueError, match="early stopping needs at least one training"):
        fast(DenseRegressor, early_stopping=True).fit(X[:1], y_reg[:1])


def test_module_params_must_not_hold_data_sizes():
    from skdl.networks import DenseModule

    est = fast(DenseRegressor, module=DenseModule, module_params={"n_features": 3})
    with pytest.raises(
        ValueError, match=r"module_params must not contain \['n_features'\]"
    ):
        est.fit(X, y_reg)


def test_module_instance_instead_of_class():
    from skdl.networks import DenseModule

    est = fast(DenseRegressor, module=DenseModule(n_features=4, n_outputs=1))
    with pytest.raises(ValueError, match="module must be a class.*module=DenseModule"):
        est.fit(X, y_reg)


def test_class_weight_with_multilabel_y():
    Y = np.column_stack([y_cls, 1 - y_cls, y_cls])
    with pytest.raises(
        ValueError, match="class_weight is not supported for multilabel"
    ):
        fast(DenseClassifier, class_weight="balanced").fit(X, Y)
