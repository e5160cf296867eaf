"""The training defaults chosen on the defaults benchmark (issue 9), from the
user's side: target and input scaling, the learning-rate schedule, batch size
and epochs by data size, the linear n-gram branch and the length feature."""

import inspect

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from sklearn.base import clone
from sklearn.datasets import make_regression
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from skorch.callbacks import Callback, LRScheduler
from torch import nn

from skdl import (
    DenseClassifier,
    DenseRegressor,
    RNNClassifier,
    RNNRegressor,
    SequenceCNNClassifier,
    SequenceCNNRegressor,
    TransformerClassifier,
    TransformerRegressor,
)
from skdl.callbacks import LRSchedule
from skdl.datasets import make_sequence_classification
from skdl.networks import SequenceCNNModule, SequenceEmbedding
from skdl.networks._sequence import (
    EndCounts,
    NgramCounts,
    NgramLinear,
    PositionLinear,
    auto_end_features,
    auto_ngram_features,
    auto_ngrams,
    log_length,
)
from skdl.networks._sequence_cnn import (
    auto_conv_filters,
    auto_pool_sizes,
    auto_spatial_dropout,
)
from skdl.preprocessing import SequenceTokenizer

from conftest import TINY_CNN, fast

X, y = make_regression(200, 5, noise=1.0, random_state=0)
X_table, y_table = X[:60], (y[:60] > np.median(y[:60])).astype(int)


class RecordLR(Callback):
    """Records the optimizer's learning rate at every training batch."""

    def initialize(self):
        self.lrs = []
        return self

    def on_batch_end(self, net, training=False, **kwargs):
        if training:
            self.lrs.append(net.optimizer_.param_groups[0]["lr"])


def recorded(est):
    return np.array(dict(est.net_.callbacks_)["RecordLR"].lrs)


# ------------------------------------------------------------ target scaling
def test_regressor_defaults_work_on_targets_far_from_unit_scale():
    # The report: R^2 0.12 (std 190 targets) before normalize_y.
    Xr, yr = make_regression(400, 10, noise=1.0, random_state=0)
    assert yr.std() > 100
    model = make_pipeline(StandardScaler(), DenseRegressor(random_state=0))
    assert cross_val_score(model, Xr, yr, cv=3).mean() > 0.9


def test_normalize_y_predicts_in_y_units_whatever_the_scale():
    a = fast(DenseRegressor, max_epochs=20).fit(X, y)
    b = fast(DenseRegressor, max_epochs=20).fit(X, y * 1000 + 5000)
    np.testing.assert_allclose(b.predict(X), a.predict(X) * 1000 + 5000, rtol=1e-4)
    assert b.y_mean_ == pytest.approx([np.mean(y * 1000 + 5000)])
    assert b.y_scale_ == pytest.approx([np.std(y * 1000)])
    # The losses are in standardised units: a first epoch's MSE of order 1.
    assert b.history_[0]["train_loss"] < 10


def test_normalize_y_false_trains_on_y_as_given():
    est = fast(DenseRegressor, normalize_y=False).fit(X, y * 1000)
    assert est.y_mean_.tolist() == [0.0] and est.y_scale_.tolist() == [1.0]
    assert est.history_[0]["train_loss"] > 1e4


def test_target_scaling_is_per_output_weighted_and_kept_by_partial_fit():
    Y = np.column_stack([y, 100 * y + 7])
    w = np.r_[np.zeros(50), np.ones(150)]
    est = fast(DenseRegressor).fit(X, Y, sample_weight=w)
    np.testing.assert_allclose(est.y_mean_, Y[50:].mean(0))
    np.testing.assert_allclose(est.y_scale_, Y[50:].std(0))
    mean = est.y_mean_.copy()
    est.partial_fit(X[:20], Y[:20])  # continued: the first fit's scaling stays
    np.testing.assert_array_equal(est.y_mean_, mean)
    assert est.predict(X).shape == (200, 2)


def test_a_constant_target_is_not_divided_by_zero():
    est = fast(DenseRegressor).fit(X, np.full(len(X), 3.0))
    assert est.y_scale_.tolist() == [1.0]
    np.testing.assert_allclose(est.predict(X), 3.0, atol=0.5)


# ---------------------------------------------------------------- schedules
def test_schedule_shapes():
    one = LRSchedule("onecycle", 101)
    assert one.factor(0) == pytest.approx(1 / 25)
    assert one.factor(30) == pytest.approx(1.0)
    assert one.factor(100) == pytest.approx(1e-4)
    cos = LRSchedule("cosine", 100)
    assert cos.factor(0) == pytest.approx(1 / 5) and cos.factor(99) == pytest.approx(0)
    assert max(cos.factor(s) for s in range(100)) == pytest.approx(1.0, abs=1e-3)
    assert LRSchedule("constant", 10).factor(7) == 1.0


def test_fit_follows_the_schedule_and_partial_fit_the_constant_rate():
    est = fast(DenseRegressor, lr=1e-2, batch_size=50, max_epochs=5)
    est.set_params(callbacks=[RecordLR()]).fit(X, y)
    lrs = recorded(est)
    assert len(lrs) == 5 * 4  # epochs x batches: the schedule's length
    schedule = LRSchedule("onecycle", len(lrs))
    np.testing.assert_allclose(lrs, [1e-2 * schedule.factor(s) for s in range(20)])
    est.partial_fit(X, y)  # after a scheduled fit: back at lr, and constant
    assert np.all(recorded(est)[-4:] == 1e-2)
    warm = est.set_params(warm_start=True).fit(X, y)  # the schedule again
    np.testing.assert_allclose(recorded(warm)[-20:], lrs)


def test_constant_schedule_leaves_a_users_scheduler_alone():
    sched = LRScheduler("StepLR", step_size=1, gamma=0.5)
    with pytest.raises(ValueError, match="lr_schedule='constant'"):
        fast(DenseRegressor, callbacks=[sched]).fit(X, y)
    est = fast(DenseRegressor, callbacks=[sched], lr_schedule="constant").fit(X, y)
    assert est.net_.optimizer_.param_groups[0]["lr"] == pytest.approx(1e-3 / 8)


# ------------------------------------------------------ steps by data size
@pytest.mark.parametrize(
    "n, batch", [(10, 10), (100, 16), (1000, 16), (2000, 32), (5000, 128), (10**5, 128)]
)
def test_auto_batch_size_follows_the_data_size(n, batch):
    assert DenseClassifier()._resolve_batch_size(n) == batch


def test_auto_epochs_give_small_data_enough_steps():
    Xs, ys = X[:100], (y[:100] > 0).astype(int)
    est = DenseClassifier(hidden_layer_sizes=(8,), random_state=0).fit(Xs, ys)
    # 100 rows in batches of 16: 7 steps an epoch; 1,000 steps need 143.
    assert est.net_.batch_size == 16 and est.n_iter_ == 143
    big = DenseClassifier()._resolve_epochs(20000, 128)  # 157 steps an epoch
    assert big == 50  # the dense family's minimum
    assert SequenceCNNClassifier()._resolve_epochs(20000, 128) == 20
    assert DenseClassifier(max_epochs=4)._resolve_epochs(10, 10) == 4


def test_token_classifiers_train_their_epochs_without_the_step_minimum():
    # 60 sequences in batches of 16: 4 steps an epoch. The classifier on
    # token ids (raw strings through the tokenizer, as a user writes it)
    # trains 20 epochs; float series and the regressor on the same strings
    # keep the 1,000-step minimum (250 epochs).
    Xs = make_sequence_classification(60, alphabet="dna", random_state=0)[0]
    ys = np.arange(60) % 2
    small = dict(TINY_CNN, max_epochs="auto")

    def pipe(estimator):
        return make_pipeline(SequenceTokenizer(alphabet="dna"), estimator)

    clf = pipe(SequenceCNNClassifier(**small)).fit(Xs, ys)[-1]
    assert clf.net_.batch_size == 16 and clf.n_iter_ == 20
    series = np.random.default_rng(0).normal(size=(60, 12)).astype(np.float32)
    assert SequenceCNNClassifier(**small).fit(series, ys).n_iter_ == 250
    reg = pipe(SequenceCNNRegressor(**small)).fit(Xs, ys.astype(float))[-1]
    assert reg.n_iter_ == 250
    # Asked before fit, the classifier cannot know its input yet; after
    # fit it plans as fit did.
    assert clf._planned_epochs(60) == 20
    assert clone(clf)._planned_epochs(60) == 250


# --------------------------------------------------------- the wide branch
def test_ngram_linear_is_a_linear_model_on_ngram_counts():
    lin = NgramLinear(vocab_size=5, n_outputs=1, ngrams=2, gain=2.0)
    with torch.no_grad():
        lin.tables[0].weight.copy_(torch.arange(5.0)[:, None])  # id -> id
        lin.tables[1].weight.copy_(torch.arange(25.0)[:, None])  # (a, b) -> 5a + b
    x = torch.tensor([[2, 3, 2, 0, 0]])
    out = lin(x, torch.tensor([3]))
    unigrams = (2 + 3 + 2) / np.sqrt(3)
    bigrams = ((5 * 2 + 3) + (5 * 3 + 2)) / np.sqrt(2)
    assert out.item() == pytest.approx(2.0 * (unigrams + bigrams))
    # Padding is never counted, so more of it changes nothing.
    longer = torch.tensor([[2, 3, 2, 0, 0, 0, 0, 0]])
    assert lin(longer, torch.tensor([3])).item() == pytest.approx(out.item())


def test_auto_ngrams_by_alphabet_size():
    # SequenceTokenizer's vocab_size_: DNA 7, RNA 7, protein 27.
    assert [auto_ngrams(v) for v in (7, 16, 17, 27, 20000)] == [3, 3, 2, 2, 2]
    net = SequenceCNNModule(n_outputs=2, vocab_size=27)
    assert net.linear.ngrams == 2 and net.linear.hashed == [False, False]
    words = SequenceCNNModule(n_outputs=2, vocab_size=20000)
    assert words.linear.hashed == [False, True]


def test_ngram_linear_hashes_long_vocabularies_into_its_buckets():
    lin = NgramLinear(vocab_size=20000, n_outputs=2, ngrams=3, buckets=1024)
    assert lin.sizes == [1024, 1024, 1024] and all(lin.hashed)
    x = torch.randint(2, 20000, (4, 30))
    assert lin(x, torch.full((4,), 30)).shape == (4, 2)
    assert lin(x[:, :1], torch.ones(4, dtype=torch.long)).shape == (4, 2)


def test_the_default_network_adds_the_linear_branch_to_the_deep_output():
    net = SequenceCNNModule(n_outputs=2, vocab_size=6).eval()
    x = torch.tensor([[2, 3, 4, 5, 0], [3, 3, 0, 0, 0]])
    deep = net(x)
    with torch.no_grad():
        net.linear.tables[0].weight[3] = torch.tensor([1.0, -1.0])
    shift = net(x) - deep  # token 3: once in row 0 (of 4), twice in row 1 (of 2)
    expected = torch.tensor([[0.5, -0.5], [2**0.5, -(2**0.5)]])
    torch.testing.assert_close(shift, 10.0 * expected)
    assert SequenceCNNModule(n_outputs=2, n_channels=3).linear is None  # values


def test_ngram_counts_are_kmer_counts_over_the_root_of_the_length():
    bag = NgramCounts(vocab_size=5, ngrams=2, gain=1.0)
    assert bag.out_features == 5 + 25 and bag.hashed == [False, False]
    x = torch.tensor([[1, 2, 1, 2, 0, 0], [3, 0, 0, 0, 0, 0]])
    out = bag(x, torch.tensor([4, 1]))
    expected = torch.zeros(2, 30)
    expected[0, [1, 2]] = 2 / 2.0  # unigrams 1 and 2, twice each, over sqrt(4)
    expected[0, 5 + 5 * 1 + 2] = 2 / 2.0  # bigram (1, 2), twice
    expected[0, 5 + 5 * 2 + 1] = 1 / 2.0  # bigram (2, 1), once
    expected[1, 3] = 1.0  # one token, no bigram
    torch.testing.assert_close(out, expected)
    # Padding is never counted.
    torch.testing.assert_close(bag(F.pad(x, (0, 3)), torch.tensor([4, 1])), out)
    # The default gain of 10 scales them all.
    torch.testing.assert_close(NgramCounts(5, 2)(x, torch.tensor([4, 1])), 10 * out)


def test_ngram_counts_hash_orders_beyond_their_column_limit():
    bag = NgramCounts(vocab_size=100, ngrams=2, max_columns=512, gain=1.0)
    assert bag.sizes == [100, 512] and bag.hashed == [False, True]
    x = torch.randint(1, 100, (3, 20))
    out = bag(x, torch.full((3,), 20))
    assert out.shape == (3, 612)
    # Every position is counted once per order, hashed or not.
    torch.testing.assert_close(out[:, :100].sum(1), torch.full((3,), 20 / 20**0.5))
    torch.testing.assert_close(out[:, 100:].sum(1), torch.full((3,), 19 / 20**0.5))


def test_auto_ngram_features_by_alphabet_size():
    # SequenceTokenizer's vocab_size_: DNA 7, protein 27; SMILES 25 to 36 on
    # the benchmark's sets, words in the tens of thousands.
    assert [auto_ngram_features(v) for v in (7, 16, 17, 27, 64, 65, 20000)] == [
        0,
        0,
        2,
        2,
        2,
        0,
        0,
    ]
    net = SequenceCNNModule(n_outputs=2, vocab_size=27, ngram_features="auto")
    assert net.counts.ngrams == 2
    plain = SequenceCNNModule(n_outputs=2, vocab_size=27, ngram_features=0)
    size = lambda m: sum(p.numel() for p in m.head.parameters())  # noqa: E731
    assert size(net) - size(plain) == (27 + 729) * 256  # the first hidden layer
    assert SequenceCNNModule(n_outputs=2, n_channels=3, ngram_features=2).counts is None


def test_end_counts_are_the_composition_of_each_end():
    ends = EndCounts(vocab_size=5, window=2, gain=1.0)
    assert ends.out_features == 10
    x = torch.tensor([[1, 2, 3, 4, 0, 0], [3, 0, 0, 0, 0, 0]])
    out = ends(x, torch.tensor([4, 1]))
    expected = torch.zeros(2, 10)
    expected[0, [1, 2]] = 1 / 2**0.5  # first two tokens, over sqrt(2)
    expected[0, [5 + 3, 5 + 4]] = 1 / 2**0.5  # last two
    expected[1, [3, 5 + 3]] = 1.0  # one token: both ends, over sqrt(1)
    torch.testing.assert_close(out, expected)
    # Padding is never counted, whatever it holds.
    noisy = F.pad(x, (0, 3), value=4)
    torch.testing.assert_close(ends(noisy, torch.tensor([4, 1])), out)
    torch.testing.assert_close(EndCounts(5, 2)(x, torch.tensor([4, 1])), 10 * out)
    with pytest.raises(ValueError, match="window"):
        EndCounts(5, 0)


def test_end_features_reach_the_head_beside_the_counts():
    plain = SequenceCNNModule(n_outputs=2, vocab_size=27)
    net = SequenceCNNModule(n_outputs=2, vocab_size=27, end_features=25)
    assert plain.ends is None and net.ends.window == 25
    size = lambda m: sum(p.numel() for p in m.head.parameters())  # noqa: E731
    assert size(net) - size(plain) == 2 * 27 * 256  # the first hidden layer
    # Two sequences with the same composition and length but different ends
    # get different head inputs (and so, in general, different outputs).
    torch.manual_seed(0)
    net = SequenceCNNModule(n_outputs=2, vocab_size=5, end_features=2).eval()
    a = torch.tensor([[1, 2, 3, 4, 1, 2, 3, 4]])
    b = torch.tensor([[4, 3, 2, 1, 4, 3, 2, 1]])
    assert not torch.allclose(
        net.ends(a, torch.tensor([8])), net.ends(b, torch.tensor([8]))
    )
    assert SequenceCNNModule(n_outputs=2, n_channels=3, end_features=5).ends is None
    with pytest.raises(ValueError, match="'auto' is resolved by the estimators"):
        SequenceCNNModule(n_outputs=2, vocab_size=5, end_features="auto")


def fitted_module(X, rng, **params):
    """The module SequenceCNNClassifier(**params) builds when fitted on X."""
    est = SequenceCNNClassifier(**params).fit(X, rng.randint(0, 2, len(X)))
    for name in est._resolved_in_fit:  # "auto" is resolved in fit only
        assert est.get_params()[name] == params.get(name, "auto"), name
    return est.net_.module_


def test_auto_end_features_for_long_protein_like_sequences_only():
    # The rule: 25 where the head reads n-gram counts and the median length is
    # at least 100; the estimator applies it to its fit data.
    assert auto_end_features(27, [99, 100, 100]) == 25
    assert auto_end_features(27, [99, 99, 100]) == 0
    assert auto_end_features(7, [200] * 3) == 0  # DNA: no counts in the head
    assert auto_end_features(27, [200] * 3, ngram_features=0) == 0
    assert auto_end_features(7, [200] * 3, ngram_features=2) == 25
    rng = np.random.RandomState(0)
    tiny = {**TINY_CNN, "ngram_features": "auto"}
    del tiny["end_features"]

    def window(X, **params):
        ends = fitted_module(X, rng, **{**tiny, **params}).ends
        return ends.window if ends is not None else 0

    # 27 token ids (SequenceTokenizer's protein alphabet), median length 120:
    # the ends are counted; median 99 (SMILES-like lengths): they are not.
    proteins = rng.randint(1, 27, size=(20, 120))
    assert window(proteins) == 25
    short = proteins[:, :99].copy()
    assert window(short) == 0
    ragged = proteins.copy()
    ragged[:11, 60:] = 0  # the median row is 60 long
    assert window(ragged) == 0
    # DNA (no n-gram counts in the head): off; asked for: on.
    assert window(rng.randint(1, 7, size=(20, 200))) == 0
    assert window(rng.randint(1, 7, size=(20, 200)), end_features=10) == 10
    assert window(proteins, ngram_features=0) == 0
    assert window(proteins, end_features=0) == 0
    # Float series have no tokens to count.
    assert window(rng.normal(size=(20, 120, 2)).astype(np.float32)) == 0
    # Predicting sequences shorter than the window works.
    est = SequenceCNNClassifier(**tiny).fit(proteins, rng.randint(0, 2, 20))
    assert est.net_.module_.ends is not None
    assert est.predict_proba([proteins[0, :3], proteins[1]]).shape == (2, 2)


def test_auto_pool_sizes_pool_long_sequences_only():
    # The rule: by 4, then by 2 per later block, where the median length in
    # fit keeps 4 positions through all of it; no pooling for shorter data.
    assert auto_pool_sizes(3, [63, 64, 200]) == (4, 2, 2)
    assert auto_pool_sizes(3, [20, 63, 200]) == (1, 1, 1)
    assert auto_pool_sizes(2, [32]) == (4, 2)
    assert auto_pool_sizes(4, [127]) == (1, 1, 1, 1)
    assert auto_pool_sizes(4, [128]) == (4, 2, 2, 2)
    assert auto_pool_sizes(0, [500]) == ()
    assert auto_pool_sizes(3, []) == (1, 1, 1)
    rng = np.random.RandomState(0)
    tiny = {**TINY_CNN, "conv_filters": "auto"}
    del tiny["pool_sizes"]

    def pools(X, **params):
        net = fitted_module(X, rng, **{**tiny, **params})
        return tuple(block.pool_size for block in net.blocks)

    proteins = rng.randint(1, 27, size=(20, 64))
    assert pools(proteins) == (4, 2, 2)
    smiles = proteins[:, :40].copy()
    assert pools(smiles) == (1, 1, 1)
    ragged = proteins.copy()
    ragged[:11, 30:] = 0  # the median row is 30 long
    assert pools(ragged) == (1, 1, 1)
    # Float series by their number of steps; the depth the user gave.
    assert pools(rng.normal(size=(20, 64, 2)).astype(np.float32)) == (4, 2, 2)
    assert pools(rng.normal(size=(20, 24)).astype(np.float32)) == (1, 1, 1)
    assert pools(proteins, conv_filters=(8, 8)) == (4, 2)
    assert pools(proteins[:, :31], conv_filters=(8, 8)) == (1, 1)
    assert pools(proteins, pool_sizes=(2, 2, 1)) == (2, 2, 1)  # given: as given
    # Built for the fit data, the network predicts on any length.
    est = SequenceCNNClassifier(**tiny).fit(proteins, rng.randint(0, 2, 20))
    assert est.predict_proba([proteins[0, :3], proteins[1]]).shape == (2, 2)
    with pytest.raises(ValueError, match="'auto' is resolved by the estimators"):
        SequenceCNNModule(n_outputs=2, vocab_size=5, pool_sizes="auto")


def test_auto_conv_filters_by_alphabet_size():
    # DNA and RNA (SequenceTokenizer's vocab_size_ 7) get 32 filters per
    # block; proteins (27), SMILES, words and float series 16.
    assert [auto_conv_filters(v) for v in (7, 16, 17, 27, 20000, None)] == [
        (32, 32, 32),
        (32, 32, 32),
        (16, 16, 16),
        (16, 16, 16),
        (16, 16, 16),
        (16, 16, 16),
    ]
    widths = lambda net: [b.conv.out_channels for b in net.blocks]  # noqa: E731
    assert widths(SequenceCNNModule(n_outputs=2, vocab_size=7)) == [32, 32, 32]
    assert widths(SequenceCNNModule(n_outputs=2, vocab_size=27)) == [16, 16, 16]
    assert widths(SequenceCNNModule(n_outputs=2, n_channels=7)) == [16, 16, 16]
    # The estimator leaves the choice to the module, on its fitted alphabet.
    rng = np.random.RandomState(0)
    for high, width in ((7, 32), (27, 16)):
        X = rng.randint(1, high, size=(40, 10))
        est = SequenceCNNClassifier(max_epochs=1).fit(X, rng.randint(0, 2, 40))
        assert widths(est.net_.module_) == [width] * 3


def test_auto_spatial_dropout_is_on_for_word_vocabularies_only():
    # Words (more than 64 token ids) get channel dropout 0.2; DNA (7),
    # proteins (27), SMILES (up to 64) and float series none.
    assert [auto_spatial_dropout(v) for v in (7, 27, 64, 65, 20000, None)] == [
        0.0,
        0.0,
        0.0,
        0.2,
        0.2,
        0.0,
    ]
    rates = lambda net: [b.dropout.p if b.dropout else 0.0 for b in net.blocks]  # noqa: E731
    assert rates(SequenceCNNModule(n_outputs=2, vocab_size=500)) == [0.2] * 3
    assert rates(SequenceCNNModule(n_outputs=2, vocab_size=27)) == [0.0] * 3
    assert rates(SequenceCNNModule(n_outputs=2, n_channels=500)) == [0.0] * 3
    explicit = SequenceCNNModule(n_outputs=2, vocab_size=27, spatial_dropout=0.1)
    assert rates(explicit) == [0.1] * 3
    # Through the user's path: words from SequenceTokenizer(alphabet="text").
    rng = np.random.RandomState(0)
    words = [f"w{i}" for i in range(100)]
    X = [" ".join(rng.choice(words, 8)) for _ in range(40)]
    pipe = make_pipeline(
        SequenceTokenizer(alphabet="text"), SequenceCNNClassifier(**TINY_CNN)
    ).fit(X, rng.randint(0, 2, 40))
    assert pipe[-1].vocab_size_ > 64
    assert rates(pipe[-1].net_.module_) == [0.2] * len(TINY_CNN["conv_filters"])
    assert pipe[-1].get_params()["spatial_dropout"] == "auto"


def test_position_linear_is_a_linear_model_on_the_one_hot_input():
    lin = PositionLinear(max_len=4, n_outputs=1, vocab_size=5, gain=1.0)
    with torch.no_grad():
        lin.table.weight.copy_(torch.arange(20.0)[:, None])  # row = pos * 5 + id
    x = torch.tensor([[2, 3, 1, 0, 0, 0], [4, 4, 4, 4, 4, 4]])
    out = lin(x, torch.tensor([3, 6])).squeeze(1)
    # Row 0: (0*5+2) + (1*5+3) + (2*5+1); row 1 has weights for 4 positions.
    expected = torch.tensor([2.0 + 8 + 11, 4.0 + 9 + 14 + 19]) / 2.0
    torch.testing.assert_close(out, expected)
    # Padding is never read: other values there change nothing.
    noisy = x.clone()
    noisy[0, 3:] = 4
    torch.testing.assert_close(lin(noisy, torch.tensor([3, 6])).squeeze(1), expected)
    # Float input: the flattened (position, channel) values times a weight.
    flat = PositionLinear(max_len=3, n_outputs=2, n_channels=2, gain=1.0)
    with torch.no_grad():
        flat.weight.normal_()
    v = torch.randn(4, 3, 2)
    torch.testing.assert_close(
        flat(v, torch.full((4,), 3)), v.flatten(1) @ flat.weight / 3**0.5
    )
    short = flat(v[:, :2], torch.full((4,), 2))  # missing positions count 0
    torch.testing.assert_close(short, v[:, :2].flatten(1) @ flat.weight[:4] / 3**0.5)
    with pytest.raises(ValueError, match="max_len"):
        SequenceCNNModule(n_outputs=1, vocab_size=5, linear_positions=True)
    with pytest.raises(ValueError, match="'auto' is resolved by the estimators"):
        SequenceCNNModule(n_outputs=1, vocab_size=5, linear_positions="auto")


def test_auto_linear_positions_is_on_for_fixed_length_input_only():
    rng = np.random.RandomState(0)

    def positions(X, **params):
        return fitted_module(X, rng, max_epochs=1, **params).positions

    series = rng.normal(size=(40, 12, 3)).astype(np.float32)
    assert positions(series).max_len == 12  # time series of one length
    uneven = [row[: 6 + i % 2] for i, row in enumerate(series)]
    assert positions(uneven) is None  # two lengths
    assert positions(series, linear_positions=False) is None
    # Token ids: off under "auto" even at one length (DNA seeds suffered),
    # on when asked, also for rows of several lengths.
    fixed = rng.randint(1, 7, size=(40, 10))
    assert positions(fixed) is None
    ragged = fixed.copy()
    ragged[:20, 7:] = 0  # half the rows 7 long
    assert positions(ragged, linear_positions=True).max_len == 10
    # Too many weights: 700 positions x 100 channels > 2**16.
    assert positions(rng.normal(size=(10, 700, 100)).astype(np.float32)) is None
    # Fitted on one length, it predicts sequences of other lengths: positions
    # past the fit length have no weight, missing ones contribute nothing.
    est = SequenceCNNClassifier(max_epochs=1, linear_positions=True)
    est.fit(fixed, rng.randint(0, 2, 40))
    other = [rng.randint(1, 7, size=n) for n in (3, 10, 25)]
    assert est.predict_proba(other).shape == (3, 2)
    np.testing.assert_allclose(
        est.predict_proba(other[1:2]), est.predict_proba(other)[1:2], atol=1e-6
    )


def test_the_length_feature_tells_lengths_apart_that_pooling_hides():
    # Rows of one repeated token pool to the same features at any length
    # (width-1 kernels, no pooling: no border effects).
    kw = dict(
        n_outputs=1,
        vocab_size=4,
        linear_ngrams=0,
        hidden_layer_sizes=(),
        kernel_sizes=1,
        pool_sizes=1,
    )
    x = torch.tensor([[2, 2, 0, 0, 0, 0], [2, 2, 2, 2, 2, 2]])
    blind = SequenceCNNModule(**kw, length_feature=False).eval()
    seeing = SequenceCNNModule(**kw, length_feature=True).eval()
    out = blind(x)
    assert out[0].item() == pytest.approx(out[1].item(), abs=1e-5)
    assert seeing.head.output.in_features == blind.head.output.in_features + 1
    out = seeing(x)
    assert abs(out[0].item() - out[1].item()) > 1e-3
    assert log_length(torch.tensor([150])).item() == pytest.approx(
        (np.log1p(150) - 5) / 1.5,
        abs=1e-6,  # float32
    )


# ------------------------------------------------------- from the user's side
def test_default_cnn_pipeline_on_raw_strings_learns_and_refuses_bad_ngrams():
    from sklearn.base import clone
    from sklearn.utils._param_validation import InvalidParameterError

    from skdl.datasets import make_sequence_classification
    from skdl.preprocessing import SequenceTokenizer

    X, y = make_sequence_classification(300, alphabet="dna", random_state=0)
    pipe = make_pipeline(
        SequenceTokenizer(alphabet="dna"),
        SequenceCNNClassifier(random_state=0),  # every default, 1,000 steps
    )
    pipe.fit(X[:200], y[:200])
    # 200 short synthetic sequences are little data for the default network
    # (measured: 0.72 held out); it must still clearly beat the majority class.
    majority = max(y[200:].mean(), 1 - y[200:].mean())
    assert pipe.score(X[200:], y[200:]) > majority + 0.1
    assert pipe[-1].net_.module_.linear.ngrams == 3  # "auto" on DNA
    assert pipe[-1].net_.module_.counts is None  # no counts in the head for DNA
    bad = clone(pipe).set_params(sequencecnnclassifier__linear_ngrams=7)
    with pytest.raises(InvalidParameterError, match="linear_ngrams"):
        bad.fit(X, y)
    bad = clone(pipe).set_params(sequencecnnclassifier__ngram_features=-1)
    with pytest.raises(InvalidParameterError, match="ngram_features"):
        bad.fit(X, y)


def test_ngram_counts_let_the_head_learn_composition_that_pooling_misses():
    from sklearn.model_selection import train_test_split

    from skdl.preprocessing import SequenceTokenizer

    # The class is whether leucine makes up more than 30% of a protein: no
    # local motif, and max-pooled convolutions see only whether an L occurs.
    rng = np.random.RandomState(0)
    residues = np.array(list("ACDEFGHIKLMNPQRSTVWY"))
    X, y = [], []
    for _ in range(600):
        share = rng.uniform(0.1, 0.5)
        p = np.full(20, (1 - share) / 19)
        p[9] = share  # L
        X.append("".join(rng.choice(residues, rng.randint(30, 120), p=p)))
        y.append(int(share > 0.3))
    X_tr, X_te, y_tr, y_te = train_test_split(
        np.array(X, dtype=object), y, random_state=0
    )
    small = dict(
        conv_filters=(8,), kernel_sizes=3, pool_sizes=2, hidden_layer_sizes=(32,)
    )
    scores = {}
    for counts in (0, "auto"):
        pipe = make_pipeline(
            SequenceTokenizer(alphabet="protein"),
            SequenceCNNClassifier(
                **small,
                linear_ngrams=0,
                ngram_features=counts,
                max_epochs=10,
                random_state=0,
            ),
        )
        scores[counts] = pipe.fit(X_tr, y_tr).score(X_te, y_te)
    assert pipe[-1].net_.module_.counts.ngrams == 2  # "auto" on proteins
    # Measured: 0.57 without the counts, 0.88 with them.
    assert scores["auto"] > 0.8 and scores["auto"] > scores[0] + 0.15


def test_linear_positions_learn_a_signal_at_a_fixed_position():
    from sklearn.model_selection import train_test_split

    from skdl.preprocessing import SequenceTokenizer

    # The class is whether position 12 of a 40-base window holds a G, as in
    # an aligned promoter box: every base occurs everywhere, so neither the
    # max-pooled convolutions nor k-mer counts can tell where.
    rng = np.random.RandomState(0)
    X = np.array(["".join(rng.choice(list("ACGT"), 40)) for _ in range(600)])
    y = np.array([s[12] == "G" for s in X]).astype(int)
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, random_state=0)
    small = dict(
        conv_filters=(8,), kernel_sizes=3, pool_sizes=2, hidden_layer_sizes=(32,)
    )
    scores = {}
    for positions in (False, True):
        pipe = make_pipeline(
            SequenceTokenizer(alphabet="dna"),
            SequenceCNNClassifier(
                **small, linear_positions=positions, max_epochs=35, random_state=0
            ),  # 1,000 steps ("auto" trains 20 epochs on token ids)
        )
        scores[positions] = pipe.fit(X_tr, y_tr).score(X_te, y_te)
    assert pipe[-1].net_.module_.positions.max_len == 40
    # Measured: 0.75 without (the majority class), 0.90 with.
    assert scores[True] > 0.85 and scores[True] > scores[False] + 0.1


# ------------------------------------------------- normalize_input (step 28)
def _series_in_odd_units(rng, n=40):
    """Ragged 3-channel series whose channels sit far from unit scale."""
    units, offsets = np.array([100.0, 1.0, 0.01]), np.array([5.0, 0.0, -3.0])
    return [
        (rng.normal(size=(k, 3)) * units + offsets).astype(np.float32)
        for k in rng.randint(5, 12, size=n)
    ]


@pytest.mark.parametrize(
    "cls", [SequenceCNNClassifier, RNNClassifier, TransformerClassifier]
)
def test_normalize_input_standardises_with_the_training_series(cls):
    rng = np.random.RandomState(0)
    X = _series_in_odd_units(rng)
    X[-1][:, 1] = 0.0  # a value nobody else has does not shrink the scale
    y = np.arange(len(X)) % 2
    w = np.ones(len(X))
    w[:10] = 0.0  # absent rows: not in the statistics
    est = fast(cls, max_epochs=1, random_state=0).fit(X, y, sample_weight=w)
    values = np.concatenate(X[10:]).astype(np.float64)
    embed = est.net_.module_.embed
    assert embed.standardized
    np.testing.assert_allclose(embed.input_shift, values.mean(0), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(embed.input_scale, values.std(0), rtol=1e-5)
    constant = [np.full((4, 3), 2.5, np.float32)] * 6
    embed = fast(cls, max_epochs=1).fit(constant, [0, 1] * 3).net_.module_.embed
    np.testing.assert_allclose(embed.input_shift, [2.5] * 3)
    np.testing.assert_allclose(embed.input_scale, [1.0] * 3)  # not a division by 0


@pytest.mark.parametrize("cls", [SequenceCNNRegressor, RNNRegressor])
def test_predictions_do_not_depend_on_the_units_of_each_channel(cls):
    # What a StandardScaler in front would give: the same model whether a
    # channel is in metres or millimetres, and back in the caller's units.
    rng = np.random.RandomState(1)
    X = _series_in_odd_units(rng)
    y = np.array([x[:, 0].mean() + 50 * x[:, 2].max() for x in X])
    change = np.array([1e-3, 1e3, 1.0], np.float32), np.array([7.0, -2.0, 0.0])
    X2 = [(x * change[0] + change[1]).astype(np.float32) for x in X]
    a = fast(cls, max_epochs=3, random_state=0).fit(X, y).predict(X)
    b = fast(cls, max_epochs=3, random_state=0).fit(X2, y).predict(X2)
    np.testing.assert_allclose(a, b, rtol=1e-3, atol=1e-3 * y.std())
    raw = fast(cls, max_epochs=3, random_state=0, normalize_input=False).fit(X2, y)
    assert not raw.net_.module_.embed.standardized
    assert not np.allclose(raw.predict(X2), b, rtol=1e-2)


# ------------------------------------------ normalize_input="series" (step 31)
def test_normalize_series_standardises_each_series_over_its_real_positions():
    shift, scale = torch.tensor([1.0, -2.0]), torch.tensor([2.0, 0.5])
    embed = SequenceEmbedding(
        n_channels=2, input_shift=shift, input_scale=scale, series_norm=True
    )
    rng = np.random.RandomState(0)
    x = torch.tensor(rng.normal(size=(3, 6, 2)) * [5.0, 0.1] + [3.0, 1.0])
    x = x.float()
    lengths = torch.tensor([6, 4, 2])
    z, stats = embed.normalize_series(embed.standardize(x), lengths)
    quantiles = SequenceEmbedding.SERIES_QUANTILES
    assert stats.shape == (3, 2 * (len(quantiles) + 3))
    for i, k in enumerate(lengths.tolist()):
        real = ((x[i, :k] - shift) / scale).double().numpy()
        got = z[i, :k].double().numpy()
        np.testing.assert_allclose(got.mean(0), [0.0, 0.0], atol=1e-5)
        np.testing.assert_allclose(got.std(0), [1.0, 1.0], rtol=1e-4)
        mine = stats[i].reshape(-1, 2).double().numpy()  # one row per summary
        np.testing.assert_allclose(mine[0], real.mean(0), atol=1e-5)
        np.testing.assert_allclose(mine[1], np.log(real.std(0) + 1e-6), rtol=1e-5)
        # Quantiles of the standardised series by nearest rank, then its
        # mean absolute step (a length-2 series: its min and max, one step).
        ranks = [int(np.round(q * (k - 1))) for q in quantiles]
        np.testing.assert_allclose(mine[2:-1], np.sort(got, 0)[ranks], atol=1e-5)
        steps = np.abs(np.diff(got, axis=0)).mean(0)
        np.testing.assert_allclose(mine[-1], steps, atol=1e-5)
    # Padding does not count, whatever it holds.
    padded = x.clone()
    padded[1, 4:], padded[2, 2:] = 1e3, -7.0
    z2, stats2 = embed.normalize_series(embed.standardize(padded), lengths)
    torch.testing.assert_close(stats2, stats)
    for i, k in enumerate(lengths.tolist()):
        torch.testing.assert_close(z2[i, :k], z[i, :k])
    # A constant series gives zeros, not NaN; off, nothing changes.
    flat, flat_stats = embed.normalize_series(torch.ones(1, 4, 2), torch.tensor([4]))
    assert torch.equal(flat, torch.zeros(1, 4, 2)) and torch.isfinite(flat_stats).all()
    # Empty series (a batch of them, or beside real ones) summarise to
    # zeros, also where the batch is zero positions long.
    _, empty = embed.normalize_series(torch.ones(2, 0, 2), torch.tensor([0, 0]))
    assert empty.shape == (2, 20) and torch.isfinite(empty).all()
    _, mixed = embed.normalize_series(x, torch.tensor([6, 0, 2]))
    row = mixed[1].reshape(-1, 2)
    assert torch.equal(row[0], torch.zeros(2))  # the mean; the log std is -13.8
    assert torch.equal(row[2:], torch.zeros(len(quantiles) + 1, 2))
    off = SequenceEmbedding(n_channels=2)
    assert off.normalize_series(x, lengths) == (x, None)
    assert not SequenceEmbedding(vocab_size=5, series_norm=True).series_norm


def test_series_summaries_are_encoded_piecewise_linearly_between_knots():
    # Step 32: each summary, then one ramp per interval between its knots.
    knots = np.tile([[-1.0, 0.0, 2.0]], (SequenceEmbedding.N_SERIES_STATS, 1))
    embed = SequenceEmbedding(n_channels=1, series_norm=True, series_knots=knots)
    assert embed.series_features == SequenceEmbedding.N_SERIES_STATS * 3
    stats = torch.tensor([[-3.0, -0.5, 1.0, 5.0] + [0.0] * 6])
    encoded = embed.encode_summaries(stats)
    assert encoded.shape == (1, 10 + 10 * 2)
    torch.testing.assert_close(encoded[0, :10], stats[0])
    ramps = encoded[0, 10:].reshape(10, 2)
    # Below the first knot, between knots, past the last: 0..1 by interval.
    torch.testing.assert_close(ramps[0], torch.tensor([0.0, 0.0]))
    torch.testing.assert_close(ramps[1], torch.tensor([0.5, 0.0]))
    torch.testing.assert_close(ramps[2], torch.tensor([1.0, 0.5]))
    torch.testing.assert_close(ramps[3], torch.tensor([1.0, 1.0]))
    # Without knots the summaries pass unchanged; bad knots are refused.
    plain = SequenceEmbedding(n_channels=1, series_norm=True)
    assert plain.encode_summaries(stats) is stats
    with pytest.raises(ValueError, match="one row per series summary"):
        SequenceEmbedding(n_channels=2, series_norm=True, series_knots=knots)
    with pytest.raises(ValueError, match="increasing order"):
        SequenceEmbedding(n_channels=1, series_norm=True, series_knots=-knots)


def test_the_estimator_sets_the_knots_at_the_training_summaries_quantiles():
    rng = np.random.RandomState(0)
    X, y = _shapes_at_any_amplitude(rng, n=40)
    clf = fast(SequenceCNNClassifier, max_epochs=1).fit(X, y)
    embed = clf.net_.module_.embed
    k = SequenceEmbedding.N_SERIES_STATS
    assert embed.series_knots.shape == (k, 8)
    # The summaries of the training series, as the network computes them.
    lengths = torch.tensor([len(x) for x in X])
    padded = torch.zeros(len(X), lengths.max(), 1)
    for i, x in enumerate(X):
        padded[i, : len(x)] = torch.as_tensor(x)
    _, stats = SequenceEmbedding(
        n_channels=1,
        input_shift=embed.input_shift,
        input_scale=embed.input_scale,
        series_norm=True,
    ).normalize_series(embed.standardize(padded), lengths)
    levels = np.linspace(0, 1, 8)
    want = np.quantile(stats.double().numpy(), levels, axis=0, method="inverted_cdf").T
    np.testing.assert_allclose(embed.series_knots.numpy(), want, rtol=1e-5, atol=1e-6)
    # Weighted rows get the knots of the rows repeated (a zero weight drops
    # a row), as the channel statistics do.
    w = np.random.RandomState(1).randint(0, 4, size=len(X))
    weighted = fast(SequenceCNNClassifier, max_epochs=1).fit(X, y, sample_weight=w)
    reps = [x for x, k in zip(X, w, strict=True) for _ in range(k)]
    repeated = fast(SequenceCNNClassifier, max_epochs=1).fit(reps, np.repeat(y, w))
    torch.testing.assert_close(
        weighted.net_.module_.embed.series_knots,
        repeated.net_.module_.embed.series_knots,
    )
    # Continued training keeps them; token ids get none.
    before = embed.series_knots.clone()
    clf.partial_fit(X[:10], y[:10])
    assert torch.equal(clf.net_.module_.embed.series_knots, before)
    ids = rng.randint(1, 6, size=(20, 8))
    cnn = fast(SequenceCNNClassifier, max_epochs=1).fit(ids, np.arange(20) % 2)
    assert cnn.net_.module_.embed.series_knots is None


def _shapes_at_any_amplitude(rng, n=160):
    """Two classes that differ by shape only (one period of a sine against
    three, random phase), each series at an amplitude and offset drawn over
    four orders of magnitude, 30 to 59 steps: PLAID's difficulty in small."""
    X, y = [], []
    for i in range(n):
        t = np.arange(rng.randint(30, 60)) / 10.0 + rng.uniform(0, 6)
        wave = np.sin(t) if i % 2 == 0 else np.sin(3 * t)
        amplitude, offset = 10.0 ** rng.uniform(-2, 2, size=2)
        noise = 0.05 * rng.normal(size=len(t))
        X.append(((wave + noise) * amplitude + offset)[:, None].astype(np.float32))
        y.append(i % 2)
    return X, np.array(y)


def test_the_cnn_classifier_normalises_each_series_by_default():
    assert SequenceCNNClassifier().normalize_input == "series"
    for cls in (
        SequenceCNNRegressor,
        RNNClassifier,
        RNNRegressor,
        TransformerClassifier,
        TransformerRegressor,
    ):
        assert cls().normalize_input is True, cls.__name__
    rng = np.random.RandomState(0)
    X, y = _shapes_at_any_amplitude(rng)
    X_test, y_test = _shapes_at_any_amplitude(rng)
    scores = {}
    for mode in (True, "series"):
        clf = SequenceCNNClassifier(
            max_epochs=20, random_state=0, normalize_input=mode
        ).fit(X, y)
        assert clf.net_.module_.embed.series_norm == (mode == "series")
        scores[mode] = clf.score(X_test, y_test)
    # Measured: 0.631 with the whole-set scaling alone, 1.000 per series
    # (0.606 and 1.000 before step 32 changed dropout and the summaries).
    assert scores["series"] > 0.9 and scores["series"] > scores[True] + 0.15
    # Other families take it too; token ids are never rescaled.
    rnn = fast(RNNClassifier, max_epochs=1, normalize_input="series").fit(X, y)
    assert rnn.net_.module_.embed.series_norm
    ids = np.random.RandomState(0).randint(1, 6, size=(20, 8))
    cnn = fast(SequenceCNNClassifier, max_epochs=1).fit(ids, np.arange(20) % 2)
    assert not cnn.net_.module_.embed.series_norm


def test_series_scaling_needs_a_module_that_takes_it():
    # A family whose module predates series_norm (docs/adding_a_family.md)
    # gets a clear error naming the estimator, not a TypeError from torch.
    class OldModule(SequenceCNNModule):
        def __init__(self, n_outputs, vocab_size=None, n_channels=None, **kwargs):
            kwargs.pop("series_norm", None)
            super().__init__(n_outputs, vocab_size, n_channels, **kwargs)

    full = inspect.signature(SequenceCNNModule.__init__)
    kept = [p for name, p in full.parameters.items() if name != "series_norm"]
    OldModule.__init__.__signature__ = full.replace(parameters=kept)

    class OldFamily(SequenceCNNClassifier):
        _module_class = OldModule

    X, y = _shapes_at_any_amplitude(np.random.RandomState(0), n=20)
    with pytest.raises(ValueError, match="OldFamily: normalize_input='series' needs"):
        fast(OldFamily, max_epochs=1).fit(X, y)
    fast(OldFamily, max_epochs=1, normalize_input=True).fit(X, y)  # as before


def test_the_cnn_classifier_trains_series_at_a_higher_rate_by_default():
    # lr="auto" (step 31): 3e-3 for float series, 1e-3 for token ids and
    # for every other estimator that is given "auto".
    assert SequenceCNNClassifier().lr == "auto"
    assert SequenceCNNRegressor().lr == 1e-3
    rng = np.random.RandomState(0)
    X, y = _shapes_at_any_amplitude(rng, n=40)
    est = fast(SequenceCNNClassifier, max_epochs=1, lr="auto").fit(X, y)
    assert est.net_.lr == 3e-3
    est.partial_fit(X, y)  # a continued fit keeps the resolved rate
    assert est.net_.optimizer_.param_groups[0]["lr"] == pytest.approx(3e-3)
    ids = np.random.RandomState(0).randint(1, 6, size=(20, 8))
    tokens = fast(SequenceCNNClassifier, max_epochs=1, lr="auto")
    assert tokens.fit(ids, np.arange(20) % 2).net_.lr == 1e-3
    dense = fast(DenseClassifier, max_epochs=1, lr="auto").fit(X_table, y_table)
    assert dense.net_.lr == 1e-3
    explicit = fast(SequenceCNNClassifier, max_epochs=1, lr=0.02).fit(X, y)
    assert explicit.net_.lr == 0.02


def test_token_ids_are_never_rescaled():
    X = np.random.RandomState(0).randint(1, 6, size=(20, 8))
    est = fast(SequenceCNNClassifier, max_epochs=1).fit(X, np.arange(20) % 2)
    assert not est.net_.module_.embed.standardized
    assert "input_shift" not in est.net_.module_.state_dict()


def test_the_cnn_classifier_drops_no_dense_units_on_series_by_default():
    # dropout="auto" (step 32): 0 on float series, 0.5 on token ids, which
    # build the network they built before; an explicit rate is kept.
    from sklearn.utils._param_validation import InvalidParameterError

    def rates(est):
        return [
            m.p for m in est.net_.module_.head.modules() if isinstance(m, nn.Dropout)
        ]

    assert SequenceCNNClassifier().dropout == "auto"
    assert SequenceCNNRegressor().dropout == 0.5
    X, y = _shapes_at_any_amplitude(np.random.RandomState(0), n=40)
    series = SequenceCNNClassifier(max_epochs=1, random_state=0).fit(X, y)
    assert rates(series) == [] and series._module_spec_["dropout"] == 0.0
    assert series.get_params()["dropout"] == "auto"  # resolved in fit only
    # Raw strings through the user's pipeline: 0.5, and the same network
    # (the same predictions) as dropout=0.5 given explicitly.
    strings = ["ACGTTATAATGC", "GGCATTGC", "TTATAATCC", "CCGGA"] * 10
    labels = [1, 0, 1, 0] * 10
    auto, half = (
        make_pipeline(
            SequenceTokenizer(alphabet="dna"),
            SequenceCNNClassifier(max_epochs=2, random_state=0, **extra),
        ).fit(strings, labels)
        for extra in ({}, {"dropout": 0.5})
    )
    assert rates(auto[-1]) == [0.5, 0.5]
    np.testing.assert_array_equal(
        auto.predict_proba(strings), half.predict_proba(strings)
    )
    explicit = SequenceCNNClassifier(max_epochs=1, dropout=0.3).fit(X, y)
    assert rates(explicit) == [0.3, 0.3]
    with pytest.raises(InvalidParameterError, match="'dropout' parameter of Seq"):
        SequenceCNNClassifier(dropout="high").fit(X, y)
