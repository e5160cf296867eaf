"""ImageCNNClassifier / ImageCNNRegressor: input forms, scaling, errors,
augmentation, and the workflows a user runs with them."""

import warnings

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import load_digits
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MinMaxScaler

from skdl import ImageCNNClassifier, ImageCNNRegressor

from conftest import fast


def rgb_images(n=40, h=6, w=5, seed=0):
    """uint8 channels-last images whose class is the brightest channel."""
    rng = np.random.RandomState(seed)
    y = rng.randint(0, 3, size=n)
    X = rng.randint(0, 120, size=(n, h, w, 3)).astype(np.uint8)
    X[np.arange(n), :, :, y] += 120
    return X, y


@pytest.fixture(scope="module")
def rgb():
    return rgb_images()


def outputs(est, X):
    return est.predict_proba(X)


def test_every_input_form_trains_the_same_network(rgb):
    X, y = rgb
    n = len(X)
    forms = {
        "channels-last": (X, {}),
        "channels-first": (X.transpose(0, 3, 1, 2), {"channels_first": True}),
        "flat rows": (X.reshape(n, -1), {"image_shape": (6, 5, 3)}),
        "flat channels-first rows": (
            X.transpose(0, 3, 1, 2).reshape(n, -1),
            {"image_shape": (6, 5, 3), "channels_first": True},
        ),
        "float pixels": (X.astype(np.float64) / 255, {}),
    }
    results = {}
    for name, (data, params) in forms.items():
        est = fast(ImageCNNClassifier, **params).fit(data, y)
        assert est.image_shape_ == (6, 5, 3), name
        assert est.n_features_in_ == 90
        results[name] = outputs(est, data)
    reference = results.pop("channels-last")
    for name, out in results.items():
        np.testing.assert_allclose(out, reference, rtol=1e-5, atol=1e-6, err_msg=name)


def test_grayscale_3d_images_and_square_flat_rows_agree():
    X, y = load_digits(return_X_y=True)
    X, y = X[:120] / 16, y[:120]
    flat = fast(ImageCNNClassifier).fit(X, y)
    cube = fast(ImageCNNClassifier).fit(X.reshape(-1, 8, 8), y)
    assert flat.image_shape_ == cube.image_shape_ == (8, 8, 1)
    np.testing.assert_allclose(
        outputs(flat, X), outputs(cube, X.reshape(-1, 8, 8)), rtol=1e-5, atol=1e-6
    )
    # A model fitted on 3-D images takes their flat rows too, and back.
    np.testing.assert_allclose(outputs(cube, X), outputs(flat, X), rtol=1e-5)


def test_uint8_is_scaled_but_other_integers_are_taken_as_given(rgb):
    X, y = rgb
    as_uint8 = fast(ImageCNNClassifier).fit(X, y)
    as_float = fast(ImageCNNClassifier).fit(X / 255.0, y)
    np.testing.assert_allclose(outputs(as_uint8, X), outputs(as_float, X / 255.0),
                               rtol=1e-5, atol=1e-6)  # fmt: skip
    as_int = fast(ImageCNNClassifier).fit(X.astype(np.int64), y)
    assert not np.allclose(outputs(as_int, X.astype(np.int64)), outputs(as_uint8, X))


def test_predict_refuses_another_image_shape(rgb):
    X, y = rgb
    est = fast(ImageCNNClassifier).fit(X, y)
    with pytest.raises(ValueError, match=r"images of shape 5x6x3 .* fitted on 6x5x3"):
        est.predict(X.transpose(0, 2, 1, 3))
    with pytest.raises(ValueError, match="X has 30 features, but ImageCNNClassifier"):
        est.predict(X[..., 0].reshape(len(X), -1))


@pytest.mark.parametrize(
    "params, X, match",
    [
        ({"image_shape": (8, 8)}, np.zeros((10, 60)), r"holds 64 values per image"),
        ({"image_shape": (8, 0)}, np.zeros((10, 60)), r"positive ints"),
        ({"image_shape": (8,)}, np.zeros((10, 8)), r"\(height, width\)"),
        ({"image_shape": (4, 4)}, np.zeros((10, 5, 5)), r"images of shape 5x5x1"),
        ({}, np.zeros((10, 2, 2, 2, 2)), r"got a 5-D X"),
        ({"augment": {"zoom": 2}}, np.zeros((10, 4, 4)), r"ImageCNNClassifier: .*zoom"),
    ],
)
def test_shape_and_setting_errors_name_the_estimator(params, X, match):
    y = np.arange(len(X)) % 2
    with pytest.raises(ValueError, match=match):
        fast(ImageCNNClassifier, **params).fit(X, y)


def test_non_finite_and_non_numeric_pixels_are_refused():
    X = np.random.RandomState(0).rand(10, 4, 4)
    y = np.arange(10) % 2
    X[3, 1, 1] = np.nan
    nan = "(?s)Input X contains NaN.*ImageCNNClassifier"
    with pytest.raises(ValueError, match=nan):
        fast(ImageCNNClassifier).fit(X, y)
    X[3, 1, 1] = np.inf
    with pytest.raises(ValueError, match="infinity"):
        fast(ImageCNNClassifier).fit(X, y)
    with pytest.raises(ValueError, match="needs numeric pixel values"):
        fast(ImageCNNClassifier).fit(np.array([["a", "b"]] * 10), y)
    with pytest.raises(ValueError, match="beyond its range"):
        fast(ImageCNNRegressor).fit(np.full((10, 4, 4), 1e300), y.astype(float))


def test_warnings_for_guessed_shapes(rgb):
    X, y = rgb
    with pytest.warns(UserWarning, match=r"read as a 1x10 image"):
        fast(ImageCNNClassifier).fit(np.zeros((40, 10)), y)
    channels_first = X.transpose(0, 3, 1, 2)  # (n, 3, 6, 5): 3x6 images of 5?
    with pytest.warns(UserWarning, match="channels_first=True"):
        fast(ImageCNNClassifier).fit(np.repeat(channels_first, 2, axis=3), y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fast(ImageCNNClassifier, channels_first=True).fit(channels_first, y)


def test_augmentation_trains_only_and_never_changes_predictions(rgb):
    X, y = rgb
    aug = {"shift": 0.2, "hflip": True, "vflip": True, "rotation": 15, "noise": 0.05}
    est = fast(ImageCNNClassifier, augment=aug, max_epochs=2).fit(X, y)
    first = outputs(est, X)
    np.testing.assert_array_equal(outputs(est, X), first)  # predict is not random
    plain = fast(ImageCNNClassifier, max_epochs=2).fit(X, y)
    assert not np.allclose(outputs(plain, X), first)  # training saw other images
    again = fast(ImageCNNClassifier, augment=aug, max_epochs=2).fit(X, y)
    np.testing.assert_array_equal(outputs(again, X), first)  # seeded


def test_regressor_predicts_in_the_units_of_y():
    rng = np.random.RandomState(0)
    X = rng.rand(200, 8, 8)
    y = 1000 * X[:, :4].mean((1, 2)) + 50  # the top half's brightness
    reg = ImageCNNRegressor(max_epochs=20, random_state=0).fit(X, y)
    assert reg.score(X, y) > 0.5
    assert abs(reg.predict(X).mean() - y.mean()) < 0.1 * y.std()
    two = ImageCNNRegressor(max_epochs=2, random_state=0).fit(X, np.c_[y, -y])
    assert two.predict(X[:3]).shape == (3, 2)


def test_unfitted_estimator_says_so():
    with pytest.raises(NotFittedError):
        ImageCNNClassifier().predict(np.zeros((2, 4, 4)))


def test_digits_pipeline_cross_validates_and_grid_searches():
    X, y = load_digits(return_X_y=True)
    X, y = X[:300], y[:300]
    pipe = make_pipeline(
        MinMaxScaler(),
        ImageCNNClassifier(conv_filters=(8, 16), max_epochs=30, random_state=0),
    )
    scores = cross_val_score(pipe, X, y, cv=3)
    assert scores.mean() > 0.8, scores
    grid = GridSearchCV(
        clone(pipe),
        {"imagecnnclassifier__global_pooling": ["avg", "flatten"]},
        cv=2,
    ).fit(X, y)
    assert grid.best_params_["imagecnnclassifier__global_pooling"] in ("avg", "flatten")
    assert grid.score(X, y) > 0.8


def test_default_search_space_builds_valid_estimators():
    optuna = pytest.importorskip("optuna")
    X, y = rgb_images(24)
    est = fast(ImageCNNClassifier)
    for seed in range(3):
        trial = optuna.trial.FixedTrial(
            {
                "lr": 1e-3,
                "batch_size": 32,
                "weight_decay": 1e-4,
                "n_conv_layers": 1 + seed,
                "conv_filters": 16,
                "kernel_sizes": 5 if seed else 3,
                "global_pooling": ["avg", "max", "avg_max"][seed],
                "dense_width": 32,
                "dropout": 0.1,
                "spatial_dropout": 0.1,
            }
        )
        params = est.default_search_space()(trial)
        assert params["conv_filters"] == tuple(16 * 2**i for i in range(1 + seed))
        clone(est).set_params(**params, max_epochs=1).fit(X, y)
