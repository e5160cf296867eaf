"""SequenceTokenizer: tokens, ids, padding, vocabulary, errors and sklearn API."""

import pickle
import warnings

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_array_equal
from sklearn.base import clone
from sklearn.compose import ColumnTransformer
from sklearn.exceptions import NotFittedError, SkipTestWarning
from sklearn.pipeline import make_pipeline
from sklearn.utils import estimator_checks
from sklearn.utils.estimator_checks import parametrize_with_checks

from skdl.preprocessing import SequenceTokenizer

SMILES = ["CC(=O)Cl", "c1ccccc1[NH3+]", "C%12CC%12"]
PROTEINS = ["MKTAYIAK", "MVLSPADKTN", "GAV"]


def ragged(tokenizer, X):
    return [row.tolist() for row in tokenizer.fit_transform(X)]


def tokens_of(tokenizer, X):
    """The tokens of each sequence, read back through vocabulary_."""
    X_ids = tokenizer.fit_transform(X)
    names = {i: t for t, i in tokenizer.vocabulary_.items()}
    return [[names.get(i, "<unk>") for i in row] for row in X_ids]


# ------------------------------------------------------------------ alphabets
def test_dna_ids_padding_and_case():
    tok = SequenceTokenizer(alphabet="dna")
    X_ids = tok.fit_transform(["ACGT", "acg"])
    assert_array_equal(X_ids, [[2, 3, 4, 5], [2, 3, 4, 0]])
    assert X_ids.dtype == np.int32
    assert tok.vocabulary_ == {"A": 2, "C": 3, "G": 4, "T": 5}
    assert tok.vocab_size_ == 7  # pad, unknown, A C G T N: fixed by the alphabet
    assert tok.max_len_ == 4
    assert (tok.pad_id, tok.unknown_id) == (0, 1)


def test_biological_vocabulary_follows_alphabet_order():
    tok = SequenceTokenizer().fit(["YWVXA", "OUZB"])
    assert list(tok.vocabulary_) == ["A", "V", "W", "Y", "X", "B", "Z", "U", "O"]
    # Each residue's id is its place in the alphabet, whatever the data.
    assert list(tok.vocabulary_.values()) == [2, 19, 20, 21, 22, 23, 24, 25, 26]
    assert tok.vocab_size_ == 27
    rna = SequenceTokenizer(alphabet="rna").fit(["NUGCA"])
    assert rna.vocabulary_ == {"A": 2, "C": 3, "G": 4, "U": 5, "N": 6}


def test_protein_unknown_residue_maps_to_one():
    tok = SequenceTokenizer(max_len="ragged")
    assert ragged(tok, ["MKJ", "KM*"]) == [[12, 10, 1], [10, 12, 1]]
    assert tok.vocabulary_ == {"K": 10, "M": 12}  # unknowns never enter it


def test_smiles_tokens():
    tok = SequenceTokenizer(alphabet="smiles", max_len="ragged")
    assert tokens_of(tok, SMILES) == [
        ["C", "C", "(", "=", "O", ")", "Cl"],
        ["c", "1", "c", "c", "c", "c", "c", "1", "[NH3+]"],
        ["C", "%12", "C", "C", "%12"],
    ]
    assert list(tok.vocabulary_) == [
        "%12",
        "(",
        ")",
        "1",
        "=",
        "C",
        "Cl",
        "O",
        "[NH3+]",
        "c",
    ]


def test_smiles_bromine_and_unmatched_character():
    tok = SequenceTokenizer(alphabet="smiles", max_len="ragged")
    assert tokens_of(tok, ["BrCBr", "CXC"]) == [
        ["Br", "C", "Br"],
        ["C", "<unk>", "C"],
    ]
    assert "X" not in tok.vocabulary_


def test_text_words_and_punctuation_lower_cased():
    tok = SequenceTokenizer(alphabet="text", max_len="ragged")
    assert tokens_of(tok, ["Hello, World!", "the  world"]) == [
        ["hello", ",", "world", "!"],
        ["the", "world"],
    ]
    assert tok.vocabulary_ == {"!": 2, ",": 3, "hello": 4, "the": 5, "world": 6}


def test_char_alphabet_keeps_case_and_non_ascii():
    tok = SequenceTokenizer(alphabet="char", max_len="ragged")
    assert tokens_of(tok, ["aBé", "a a"]) == [["a", "B", "é"], ["a", " ", "a"]]
    assert list(tok.vocabulary_) == [" ", "B", "a", "é"]


def test_explicit_tokens_greedy_longest_match():
    tok = SequenceTokenizer(alphabet=["A", "AB", "C"], max_len="ragged")
    assert tokens_of(tok, ["ABAC", "ABxC", "ab"]) == [
        ["AB", "A", "C"],
        ["AB", "<unk>", "C"],
        ["<unk>", "<unk>"],  # case is preserved for explicit tokens
    ]
    assert tok.vocabulary_ == {"A": 2, "AB": 3, "C": 4}


@pytest.mark.parametrize(
    "case, expected",
    [("auto", [[2, 3]]), ("upper", [[2, 3]]), ("preserve", [[1, 3]])],
)
def test_case(case, expected):
    tok = SequenceTokenizer(alphabet="dna", case=case).fit(["AC"])
    assert_array_equal(tok.transform(["aC"]), expected)


def test_case_lower_for_text_can_be_turned_off():
    tok = SequenceTokenizer(alphabet="text", case="preserve").fit(["Hi hi"])
    assert tok.vocabulary_ == {"Hi": 2, "hi": 3}


# ---------------------------------------------------------------------- k-mers
def test_dna_kmers_in_alphabet_order():
    tok = SequenceTokenizer(alphabet="dna", k=2)
    # A 2-mer's id is 2 + its rank among the 25 DNA 2-mers (AA, AC, ..., NN).
    assert_array_equal(tok.fit_transform(["TACG", "GA"]), [[17, 3, 9], [12, 0, 0]])
    assert tok.vocabulary_ == {"AC": 3, "CG": 9, "GA": 12, "TA": 17}
    assert tok.vocab_size_ == 2 + 5**2


def test_kmers_shorter_sequence_gives_padding_only():
    tok = SequenceTokenizer(alphabet="dna", k=3)
    assert_array_equal(tok.fit_transform(["ACGT", "AC", ""]), [[9, 40], [0, 0], [0, 0]])


def test_kmer_with_unknown_character_is_unknown():
    tok = SequenceTokenizer(alphabet="dna", k=2, max_len="ragged")
    assert ragged(tok, ["ACJGT"]) == [[3, 1, 1, 15]]
    assert tok.vocabulary_ == {"AC": 3, "GT": 15}


def test_text_word_kgrams():
    tok = SequenceTokenizer(alphabet="text", k=2)
    assert_array_equal(tok.fit_transform(["a b c", "b c"]), [[2, 3], [3, 0]])
    assert tok.vocabulary_ == {"a b": 2, "b c": 3}


def test_smiles_kmers_are_token_pairs():
    tok = SequenceTokenizer(alphabet="smiles", k=2).fit(["CCl"])
    assert tok.vocabulary_ == {"CCl": 2}


# ------------------------------------------------------------- max_len / layout
@pytest.mark.parametrize(
    "max_len, expected_len",
    [(None, 4), (2, 2), (6, 6), ("p50", 3), ("p100", 4), ("p10", 2), ("p62.5", 3)],
)
def test_max_len(max_len, expected_len):
    X = ["A", "AC", "ACG", "ACGT"]  # lengths 1..4; p50 = 2.5 -> 3
    tok = SequenceTokenizer(alphabet="dna", max_len=max_len)
    assert tok.fit_transform(X).shape == (4, expected_len)
    assert tok.max_len_ == expected_len


def test_max_len_ragged_keeps_every_token():
    tok = SequenceTokenizer(alphabet="dna", max_len="ragged")
    X_ids = tok.fit_transform(["ACGT", "", "G"])
    assert X_ids.shape == (3,) and X_ids.dtype == object
    assert [row.tolist() for row in X_ids] == [[2, 3, 4, 5], [], [4]]
    assert all(row.dtype == np.int32 for row in X_ids)
    assert tok.max_len_ is None


def test_max_len_ragged_same_lengths_is_still_ragged():
    X_ids = SequenceTokenizer(alphabet="dna", max_len="ragged").fit_transform(
        ["AC", "GT"]
    )
    assert X_ids.shape == (2,)
    assert_array_equal(X_ids[1], [4, 5])


def test_all_empty_sequences_give_one_padding_column():
    tok = SequenceTokenizer(alphabet="dna")
    assert_array_equal(tok.fit_transform(["", ""]), [[0], [0]])
    assert tok.vocabulary_ == {} and tok.vocab_size_ == 7


@pytest.mark.parametrize(
    "truncation, padding, expected",
    [
        ("post", "post", [[2, 3, 4], [4, 5, 0]]),
        ("post", "pre", [[2, 3, 4], [0, 4, 5]]),
        ("pre", "post", [[4, 5, 2], [4, 5, 0]]),
        ("pre", "pre", [[4, 5, 2], [0, 4, 5]]),
    ],
)
def test_truncation_and_padding(truncation, padding, expected):
    tok = SequenceTokenizer(
        alphabet="dna", max_len=3, truncation=truncation, padding=padding
    )
    X_ids = tok.fit_transform(["ACGTA", "GT"])
    if truncation == "post":  # "ACG" and "GT" are kept: T is seen
        assert tok.vocabulary_ == {"A": 2, "C": 3, "G": 4, "T": 5}
    else:  # "GTA" and "GT" are kept: C is cut away, so not learned
        assert tok.vocabulary_ == {"A": 2, "G": 4, "T": 5}
    assert_array_equal(X_ids, expected)


def test_vocabulary_is_learned_after_truncation():
    tok = SequenceTokenizer(alphabet="dna", max_len=2)
    X_ids = tok.fit_transform(["ACGT", "CA"])
    assert tok.vocabulary_ == {"A": 2, "C": 3}
    assert set(tok.vocabulary_.values()) <= set(np.unique(X_ids))


def test_int64_dtype():
    tok = SequenceTokenizer(alphabet="dna", dtype=np.int64)
    assert tok.fit_transform(["AC"]).dtype == np.int64
    ragged_tok = SequenceTokenizer(alphabet="dna", dtype="int64", max_len="ragged")
    assert ragged_tok.fit_transform(["AC"])[0].dtype == np.int64


def test_fit_then_transform_equals_fit_transform():
    X = [*PROTEINS, "mkXXJ", ""]
    for params in [{}, {"k": 2, "max_len": "p50", "truncation": "pre"}]:
        a = SequenceTokenizer(**params).fit_transform(X)
        b = SequenceTokenizer(**params).fit(X).transform(X)
        assert_array_equal(a, b)


# -------------------------------------------------------------- handle_unknown
def test_unseen_token_maps_to_one_at_transform():
    tok = SequenceTokenizer(alphabet="dna", max_len=4).fit(["AC"])
    assert_array_equal(tok.transform(["GATN"]), [[1, 2, 1, 1]])


def test_handle_unknown_error_at_transform():
    tok = SequenceTokenizer(handle_unknown="error").fit(["ACDE", "AC"])
    tok.transform(["EDCA"])  # all known: no error
    with pytest.raises(
        ValueError,
        match=(
            r"SequenceTokenizer: unknown token 'K' in sequence 1 \(not in "
            r'vocabulary_\); use handle_unknown="unknown" to map unseen tokens '
            r"to id 1\."
        ),
    ):
        tok.transform(["AC", "AKC"])


def test_handle_unknown_error_outside_alphabet_at_fit():
    tok = SequenceTokenizer(handle_unknown="error")
    with pytest.raises(
        ValueError,
        match=r"unknown token 'J' in sequence 3 \(not in the \"protein\" alphabet\)",
    ):
        tok.fit(["AC", "DE", "", "ACJ"])


def test_handle_unknown_error_smiles_and_explicit_tokens():
    with pytest.raises(ValueError, match=r"token 'X' in sequence 0 .*\"smiles\""):
        SequenceTokenizer(alphabet="smiles", handle_unknown="error").fit(["CXC"])
    with pytest.raises(ValueError, match="token 'x' in sequence 0 .*not covered"):
        SequenceTokenizer(alphabet=["A"], handle_unknown="error").fit(["Ax"])


def test_handle_unknown_error_ignores_truncated_tokens():
    tok = SequenceTokenizer(alphabet="dna", handle_unknown="error", max_len=2)
    assert_array_equal(tok.fit_transform(["ACJ"]), [[2, 3]])
    assert_array_equal(tok.transform(["CAGG"]), [[3, 2]])


def test_handle_unknown_error_with_min_frequency_raises_at_fit():
    tok = SequenceTokenizer(alphabet="dna", handle_unknown="error", min_frequency=2)
    with pytest.raises(ValueError, match="'G' in sequence 1 .*min_frequency=2"):
        tok.fit(["AAC", "CG"])


# ------------------------------------------------------ min_frequency / max_tokens
def test_min_frequency():
    tok = SequenceTokenizer(alphabet="dna", min_frequency=2)
    assert_array_equal(tok.fit_transform(["AACG", "CT"]), [[2, 2, 3, 1], [3, 1, 0, 0]])
    assert tok.vocabulary_ == {"A": 2, "C": 3}


def test_max_tokens_keeps_most_frequent_ties_by_order():
    tok = SequenceTokenizer(alphabet="dna", max_tokens=2)
    assert tok.fit(["TTTGGCA"]).vocabulary_ == {"G": 4, "T": 5}
    assert tok.fit(["TTGGCCA"]).vocabulary_ == {"C": 3, "G": 4}
    text = SequenceTokenizer(alphabet="text", max_tokens=1).fit(["b a", "a b"])
    assert text.vocabulary_ == {"a": 2}
    assert text.vocab_size_ == 3


# ---------------------------------------------------------- inverse_transform
@pytest.mark.parametrize(
    "params, X",
    [
        ({}, PROTEINS),
        ({"max_len": "ragged"}, PROTEINS),
        ({"k": 3}, PROTEINS),
        ({"alphabet": "smiles", "k": 2, "padding": "pre"}, SMILES),
        ({"alphabet": "smiles", "max_len": "ragged"}, SMILES),
        ({"alphabet": "char", "k": 2}, ["héllo wörld", "ab"]),
        ({"alphabet": ["A", "AB", "C"], "k": 2}, ["ABAC", "CAB"]),
    ],
)
def test_inverse_transform_round_trip(params, X):
    tok = SequenceTokenizer(**params)
    X_back = tok.inverse_transform(tok.fit_transform(X))
    assert X_back.dtype == object and X_back.shape == (len(X),)
    assert X_back.tolist() == X


def test_inverse_transform_text_and_unknown():
    tok = SequenceTokenizer(alphabet="text").fit(["Hello, world", "a b c"])
    X_ids = tok.transform(["hello  world!", ""])
    assert tok.inverse_transform(X_ids).tolist() == ["hello world <unk>", ""]
    kgrams = SequenceTokenizer(alphabet="text", k=2).fit(["a b c d"])
    assert kgrams.inverse_transform(kgrams.transform(["a b c d"])).tolist() == [
        "a b c d"
    ]


def test_inverse_transform_accepts_lists_and_dataframes():
    tok = SequenceTokenizer(alphabet="dna").fit(["ACGT"])
    assert tok.inverse_transform([[4, 2, 1, 5], [3]]).tolist() == ["GA<unk>T", "C"]
    df = pd.DataFrame([[2, 3, 0]], columns=["pos_0", "pos_1", "pos_2"])
    assert tok.inverse_transform(df).tolist() == ["AC"]


@pytest.mark.parametrize(
    "X_ids, match",
    [
        (np.array([2, 3]), "expects a 2-D id array"),
        ([[2, 9]], r"row 0 holds ids outside 0..6"),
        ([[2], [-1]], r"row 1 holds ids outside"),
        ([[2.0, 3.0]], "row 0 of the ids is not a 1-D array of integers"),
    ],
)
def test_inverse_transform_bad_ids(X_ids, match):
    tok = SequenceTokenizer(alphabet="dna").fit(["ACGT"])
    with pytest.raises(ValueError, match=match):
        tok.inverse_transform(X_ids)


# --------------------------------------------------- feature names / set_output
def test_get_feature_names_out():
    tok = SequenceTokenizer(alphabet="dna", max_len=3).fit(["AC"])
    names = tok.get_feature_names_out()
    assert names.dtype == object
    assert names.tolist() == ["pos_0", "pos_1", "pos_2"]


def test_get_feature_names_out_ragged_raises():
    tok = SequenceTokenizer(max_len="ragged").fit(PROTEINS)
    with pytest.raises(ValueError, match='max_len="ragged".*no fixed output columns'):
        tok.get_feature_names_out()


def test_set_output_pandas():
    X = pd.Series(["ACG", "T"], index=[5, 7], name="seq")
    tok = SequenceTokenizer(alphabet="dna").set_output(transform="pandas")
    df = tok.fit_transform(X)
    assert isinstance(df, pd.DataFrame)
    assert df.columns.tolist() == ["pos_0", "pos_1", "pos_2"]
    assert_array_equal(df.to_numpy(), [[2, 3, 4], [5, 0, 0]])
    assert_array_equal(tok.transform(X).to_numpy(), df.to_numpy())


def test_set_output_pandas_ragged_raises_clearly():
    tok = SequenceTokenizer(max_len="ragged").set_output(transform="pandas")
    with pytest.raises(ValueError, match=r"set_output\(transform=\"pandas\"\)"):
        tok.fit_transform(PROTEINS)


# ------------------------------------------------------------------ input forms
@pytest.mark.parametrize(
    "make",
    [
        list,
        tuple,
        np.array,
        lambda X: np.array(X, dtype=object),
        lambda X: np.array(X).reshape(-1, 1),
        pd.Series,
        lambda X: pd.Series(X, dtype="string"),
        lambda X: pd.DataFrame({"seq": X}),
        lambda X: (s for s in X),
        lambda X: [s.encode() for s in X],
        lambda X: np.array([s.encode() for s in X]),
    ],
)
def test_input_containers(make):
    expected = SequenceTokenizer().fit_transform(PROTEINS)
    assert_array_equal(SequenceTokenizer().fit_transform(make(PROTEINS)), expected)


@pytest.mark.parametrize(
    "X, error, match",
    [
        (
            "ACGT",
            ValueError,
            "SequenceTokenizer: Iterable over raw text documents "
            "expected, str object received.*list of sequences",
        ),
        (b"ACGT", ValueError, "SequenceTokenizer: Iterable over raw text.*bytes"),
        (
            ["AC", 5],
            TypeError,
            r"SequenceTokenizer: sequence 1 is int \(5\); "
            "expected str",
        ),
        ([["AC"], ["GT"]], TypeError, r"sequence 0 is list"),
        (
            ["AC", None],
            ValueError,
            r"SequenceTokenizer: sequence 1 is missing "
            r"\(None\); drop or fill missing values",
        ),
        (["AC", "G", np.nan], ValueError, "sequence 2 is missing"),
        (pd.Series(["AC", None], dtype="string"), ValueError, "sequence 1 is missing"),
        ([], ValueError, "SequenceTokenizer: got 0 sequences"),
        (np.array([], dtype=str), ValueError, "got 0 sequences"),
        (
            np.array([["A", "C"]]),
            ValueError,
            r"SequenceTokenizer: expected a 1-D "
            r"collection of sequences \(or a single column\); got an array of shape "
            r"\(1, 2\)",
        ),
        (pd.DataFrame({"a": ["A"], "b": ["C"]}), ValueError, r"shape \(1, 2\)"),
        (5, TypeError, "SequenceTokenizer: expected an iterable of strings; got int"),
    ],
)
def test_bad_input(X, error, match):
    with pytest.raises(error, match=match):
        SequenceTokenizer().fit(X)


def test_bad_input_at_transform():
    tok = SequenceTokenizer().fit(PROTEINS)
    with pytest.raises(ValueError, match="Iterable over raw text documents"):
        tok.transform("MKV")
    with pytest.raises(ValueError, match="sequence 0 is missing"):
        tok.transform([None])


@pytest.mark.parametrize(
    "params, match",
    [
        ({"max_len": "p95x"}, r'max_len must be .*"ragged"; got \'p95x\''),
        ({"max_len": "p0"}, "max_len must be"),
        ({"max_len": "p101"}, "max_len must be"),
        ({"dtype": np.float32}, "dtype must be np.int32 or np.int64"),
        ({"dtype": "nonsense"}, "dtype must be np.int32 or np.int64"),
        ({"alphabet": []}, "a list alphabet must hold non-empty strings"),
        ({"alphabet": ["A", ""]}, "a list alphabet must hold non-empty strings"),
        ({"alphabet": "amino"}, "The 'alphabet' parameter of SequenceTokenizer"),
        ({"k": 0}, "The 'k' parameter of SequenceTokenizer"),
        ({"max_len": 0}, "The 'max_len' parameter of SequenceTokenizer"),
        ({"padding": "left"}, "The 'padding' parameter of SequenceTokenizer"),
    ],
)
def test_bad_parameters(params, match):
    with pytest.raises(ValueError, match=match):
        SequenceTokenizer(**params).fit(PROTEINS)


@pytest.mark.parametrize(
    "method, args",
    [
        ("transform", (PROTEINS,)),
        ("inverse_transform", ([[2, 3]],)),
        ("get_feature_names_out", ()),
    ],
)
def test_not_fitted(method, args):
    with pytest.raises(NotFittedError):
        getattr(SequenceTokenizer(), method)(*args)


# ------------------------------------------------------------------ sklearn API
def test_pipeline_and_column_transformer():
    df = pd.DataFrame({"seq": ["ACG", "T", "GG"], "other": [1, 2, 3]})
    by_name = ColumnTransformer([("tok", SequenceTokenizer(alphabet="dna"), "seq")])
    by_list = ColumnTransformer([("tok", SequenceTokenizer(alphabet="dna"), ["seq"])])
    expected = [[2, 3, 4], [5, 0, 0], [4, 4, 0]]
    assert_array_equal(by_name.fit_transform(df), expected)
    assert_array_equal(by_list.fit_transform(df), expected)
    assert by_name.get_feature_names_out().tolist() == [
        "tok__pos_0",
        "tok__pos_1",
        "tok__pos_2",
    ]
    pipe = make_pipeline(SequenceTokenizer(alphabet="dna", max_len=2))
    assert_array_equal(pipe.fit(df["seq"], [0, 1, 0]).transform(["TA"]), [[5, 2]])


def test_pickle_round_trip():
    tok = SequenceTokenizer(alphabet="smiles", k=2).fit(SMILES)
    loaded = pickle.loads(pickle.dumps(tok))
    assert loaded.vocabulary_ == tok.vocabulary_
    assert_array_equal(loaded.transform(SMILES), tok.transform(SMILES))
    assert loaded.inverse_transform(loaded.transform(SMILES)).tolist() == SMILES


def test_clone_is_unfitted_with_same_params():
    tok = SequenceTokenizer(alphabet=["A", "B"], k=2, max_len="p95").fit(["ABAB"])
    cloned = clone(tok)
    assert cloned.get_params() == tok.get_params()
    assert not hasattr(cloned, "vocabulary_")


def test_refit_starts_over_and_fit_returns_self():
    tok = SequenceTokenizer(alphabet="dna")
    assert tok.fit(["AAAA"]) is tok
    params = tok.get_params()
    tok.fit(["CG"])
    assert tok.vocabulary_ == {"C": 3, "G": 4} and tok.max_len_ == 2
    assert tok.get_params() == params  # fit does not change parameters


def test_documented_attributes_exist():
    doc = SequenceTokenizer.__doc__
    section = doc.split("Attributes\n    ----------")[1].split("See Also")[0]
    documented = [
        line.split(" :")[0].strip()
        for line in section.splitlines()
        if line.startswith("    ") and not line.startswith("     ") and " :" in line
    ]
    assert documented == ["vocabulary_", "vocab_size_", "max_len_"]
    tok = SequenceTokenizer().fit(PROTEINS)
    assert all(hasattr(tok, name) for name in documented)


def test_tags():
    tags = SequenceTokenizer().__sklearn_tags__()
    assert tags.input_tags.string and not tags.input_tags.two_d_array
    assert tags.requires_fit


# sklearn runs only check_estimator_cloneable for string-input estimators (and
# says so with a SkipTestWarning, expected here)...
with warnings.catch_warnings():
    warnings.simplefilter("ignore", SkipTestWarning)
    _sklearn_checks = parametrize_with_checks([SequenceTokenizer()])


@_sklearn_checks
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)


# ...so the API checks that need no numeric data are run here by hand; the
# ones that fit numeric data are covered above with strings.
@pytest.mark.parametrize(
    "check_name",
    [
        "check_estimator_tags_renamed",
        "check_valid_tag_types",
        "check_estimator_repr",
        "check_no_attributes_set_in_init",
        "check_do_not_raise_errors_in_init_or_set_params",
        "check_mixin_order",
        "check_get_params_invariance",
        "check_set_params",
        "check_parameters_default_constructible",
        "check_estimators_unfitted",
        "check_n_features_in_after_fitting",
    ],
)
def test_sklearn_api_checks(check_name):
    getattr(estimator_checks, check_name)("SequenceTokenizer", SequenceTokenizer())
