"""Strings (proteins, DNA, SMILES, text) to padded integer token ids.

The work runs on one flat array for the whole batch, never per sequence:
strings -> token codes (a byte lookup for one-character alphabets, a regular
expression otherwise) -> k-mer keys (integers) -> ids through
``vocabulary_`` -> a padded 2-D array or a ragged 1-D array of arrays.
"""

import math
import re
from itertools import chain
from numbers import Integral

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from ..utils._compat import Interval, StrOptions, _fit_context

# The 20 standard amino acids, then the ambiguous X, B, Z and the rare U, O.
_PROTEIN = "ACDEFGHIKLMNPQRSTVWY" + "XBZUO"
_BIOLOGICAL = {"protein": _PROTEIN, "dna": "ACGTN", "rna": "ACGUN"}

# Schwaller et al. (2019), "Molecular Transformer", ACS Cent. Sci. 5, 1572:
# bracket atoms, two-letter Br/Cl, %nn ring closures, then one character each.
# (Their pattern is one capturing group; here it is bare, to be wrapped.)
_SMILES_PATTERN = (
    r"\[[^\]]+]|Br?|Cl?|N|O|S|P|F|I|b|c|n|o|s|p|\(|\)|\.|=|#|-|\+|\\|\/|:|~|@|"
    r"\?|>|\*|\$|\%[0-9]{2}|[0-9]"
)
_TEXT_PATTERN = r"\w+|[^\w\s]"

_UNK = "<unk>"
_DIRECT_LOOKUP_LIMIT = 1 << 22  # keys below this are counted in a plain array
_KEY_LIMIT = 1 << 62
_QUANTILE = re.compile(r"p(\d+(?:\.\d*)?)")


def _ranges(counts):
    """``0..c-1`` for every ``c`` in ``counts``, concatenated."""
    return np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)


def _unique(keys):
    """Distinct keys (sorted), an index of one occurrence of each, and inverse.

    Small non-negative keys, the common case, are handled in linear time with
    a lookup array instead of a sort.
    """
    if keys.size and keys.max() < _DIRECT_LOOKUP_LIMIT:
        where = np.full(int(keys.max()) + 1, -1, dtype=np.int64)
        where[keys] = np.arange(keys.size)  # any occurrence will do
        uniq = np.flatnonzero(where >= 0)
        slot = np.zeros(where.size, dtype=np.int64)
        slot[uniq] = np.arange(uniq.size)
        return uniq, where[uniq], slot[keys]
    return np.unique(keys, return_index=True, return_inverse=True)


class _Tokens:
    """Token codes of a whole batch, flat, with the strings they stand for.

    ``codes`` indexes ``table``; ``known[code]`` is False for characters the
    alphabet does not cover. ``lengths`` splits ``codes`` into sequences.
    """

    def __init__(self, codes, lengths, table, known):
        self.codes = np.asarray(codes, dtype=np.int64)
        self.lengths = np.asarray(lengths, dtype=np.int64)
        self.table = table
        self.known = np.asarray(known, dtype=bool)


def _char_tokens(seqs, alphabet=None):
    """One token per character, through a lookup on the code points."""
    lengths = np.fromiter(map(len, seqs), dtype=np.int64, count=len(seqs))
    joined = "".join(seqs)
    if joined.isascii():
        points = np.frombuffer(joined.encode("ascii"), dtype=np.uint8)
    else:
        data = joined.encode("utf-32-le", "surrogatepass")
        points = np.frombuffer(data, dtype=np.uint32)
    if alphabet is None:  # every character is a token
        uniq, _, codes = _unique(points.astype(np.int64))
        table = [chr(p) for p in uniq]
        return _Tokens(codes, lengths, table, np.ones(len(table), dtype=bool))
    lookup = np.full(129, -1, dtype=np.int64)
    lookup[[ord(c) for c in alphabet]] = np.arange(len(alphabet))
    codes = lookup[np.minimum(points, 128)]
    outside = codes < 0
    table = list(alphabet)
    if outside.any():  # rare: give each stray character its own code
        strays = np.unique(points[outside])
        codes[outside] = len(alphabet) + np.searchsorted(strays, points[outside])
        table += [chr(p) for p in strays]
    known = np.arange(len(table)) < len(alphabet)
    return _Tokens(codes, lengths, table, known)


def _regex_tokens(seqs, pattern, catch_all):
    """Tokens found by ``pattern``; with ``catch_all`` every other character
    becomes an unknown token, otherwise it is skipped (whitespace in text)."""
    if catch_all:
        regex = re.compile(f"({pattern})|(.)", re.DOTALL)
        found = [regex.findall(s) for s in seqs]  # (match, stray) pairs
        strays = {stray for pairs in found for _, stray in pairs if stray}
        per_seq = [[m or stray for m, stray in pairs] for pairs in found]
    else:
        regex = re.compile(pattern)
        strays = set()
        per_seq = [regex.findall(s) for s in seqs]
    lengths = np.fromiter(map(len, per_seq), dtype=np.int64, count=len(seqs))
    flat = list(chain.from_iterable(per_seq))
    index = {token: i for i, token in enumerate(dict.fromkeys(flat))}
    codes = np.fromiter(map(index.__getitem__, flat), dtype=np.int64, count=len(flat))
    table = list(index)
    known = [token not in strays for token in table]
    return _Tokens(codes, lengths, table, known)


class _Kmers:
    """Every overlapping k-mer of a batch as an integer key.

    Keys of distinct k-mers differ, and for a biological alphabet their order
    is the lexicographic order of the alphabet.
    """

    def __init__(self, tokens, k):
        self.tokens = tokens
        self.k = k
        self.lengths = np.maximum(tokens.lengths - k + 1, 0)
        offsets = np.cumsum(tokens.lengths) - tokens.lengths
        self.starts = np.repeat(offsets, self.lengths) + _ranges(self.lengths)
        codes, base = tokens.codes, max(len(tokens.table), 1)
        keys = codes[self.starts]
        for j in range(1, k):
            if keys.size and (int(keys.max()) + 1) * base >= _KEY_LIMIT:
                keys = np.unique(keys, return_inverse=True)[1]  # keeps order
            keys = keys * base + codes[self.starts + j]
        self.keys = keys

    def parts(self, start):
        """The k token strings of the k-mer that starts at ``start``."""
        codes = self.tokens.codes[start : start + self.k]
        return [self.tokens.table[c] for c in codes]

    def first_stray(self, start):
        """The first token outside the alphabet in this k-mer, or None."""
        for code in self.tokens.codes[start : start + self.k]:
            if not self.tokens.known[code]:
                return self.tokens.table[code]
        return None


class SequenceTokenizer(TransformerMixin, BaseEstimator):
    """Turn strings (proteins, DNA, RNA, SMILES, text) into integer token ids.

    Each sequence is split into tokens, optionally grouped into overlapping
    k-mers, mapped to ids through a vocabulary learned in :meth:`fit`, and
    padded or truncated to a common length. The result is the input of an
    embedding layer: id 0 is padding, id 1 stands for an unknown token, and
    the learned tokens are 2, 3, ... .

    Parameters
    ----------
    alphabet : {"protein", "dna", "rna", "smiles", "text", "char"} or list of \
str, default="protein"
        How a sequence is split into tokens.

        - "protein": one token per residue from the 20 standard amino acids
          ``ACDEFGHIKLMNPQRSTVWY`` and the ambiguous or rare ``X B Z U O``.
        - "dna": ``ACGT`` and ``N``; "rna": ``ACGU`` and ``N``.
        - "smiles": the regular expression of Schwaller et al. (2019):
          bracket atoms such as ``[NH3+]``, ``Cl``, ``Br`` and two-digit ring
          closures such as ``%12`` are one token each; every other atom, bond
          or ring digit is one character.
        - "text": words and punctuation marks (``\\w+|[^\\w\\s]``);
          whitespace separates tokens and is dropped.
        - "char": every character is a token.
        - a list or tuple of token strings: the longest token that matches at
          each position is taken (greedy); a character that no token covers
          is an unknown token.

        Characters outside "protein", "dna", "rna", a SMILES character the
        pattern does not match, and a character no listed token covers are
        unknown tokens (see ``handle_unknown``).

    k : int, default=1
        Length of the overlapping k-mers that become the output tokens. For
        character alphabets and SMILES a k-mer is its tokens concatenated
        (``"ACG"``); for "text" the words joined with a space. A sequence of
        ``n`` tokens gives ``n - k + 1`` k-mers, or none when ``n < k``.

    case : {"auto", "upper", "lower", "preserve"}, default="auto"
        Case of the sequences before tokenizing. "auto" upper-cases
        "protein", "dna" and "rna" (so soft-masked lower-case DNA is read),
        lower-cases "text", and preserves the case otherwise (in SMILES ``c``
        and ``C`` differ). Listed tokens are matched as given.

    handle_unknown : {"unknown", "error"}, default="unknown"
        What to do with an unknown token: a character outside the alphabet,
        or, in :meth:`transform`, a token or k-mer that is not in
        ``vocabulary_``. "unknown" maps it to id 1; "error" raises a
        ``ValueError`` naming the token and the sequence.

    max_len : int, None, "pNN" or "ragged", default=None
        Length of the output rows, in output tokens (k-mers).

        - None: the longest sequence seen in :meth:`fit`.
        - int: that length.
        - a quantile such as "p95" or "p99.5": that percentile of the lengths
          seen in :meth:`fit`, rounded up, so that a few very long sequences
          do not inflate every row.
        - "ragged": no padding and no truncation; :meth:`transform` returns a
          1-D object array of 1-D id arrays of varying length.

    truncation : {"post", "pre"}, default="post"
        Which end of a sequence longer than ``max_len_`` is cut: "post" keeps
        the beginning, "pre" keeps the end.

    padding : {"post", "pre"}, default="post"
        Where the padding zeros go in a sequence shorter than ``max_len_``.

    min_frequency : int, default=1
        Tokens seen fewer times than this in :meth:`fit` are left out of the
        vocabulary (they become id 1).

    max_tokens : int, default=None
        Keep at most this many tokens, the most frequent ones; ties are
        broken by vocabulary order. None keeps all.

    vocabulary : dict or list of str, default=None
        A fixed vocabulary instead of one learned in :meth:`fit`, as in
        :class:`~sklearn.feature_extraction.text.CountVectorizer`: a dict
        ``{token: id}`` with distinct integer ids >= 2, or a list of tokens,
        which get the ids 2, 3, ... in order. Tokens are the output tokens
        (k-mers when ``k > 1``). Every token the vocabulary lacks is unknown
        (id 1). ``min_frequency`` and ``max_tokens`` are then not used.
        Use it to pin ids across data sets, e.g. so that the rows of
        ``pretrained_embeddings`` match.

    dtype : numpy integer type, default=np.int32
        Type of the ids returned: ``np.int32`` or ``np.int64``.

    Attributes
    ----------
    vocabulary_ : dict
        Mapping from token (or k-mer) to its id; ids start at 2. Unless
        ``vocabulary`` is given, only tokens that appear in the output of
        ``fit_transform`` on the training data are included. For "protein",
        "dna" and "rna" the ids are fixed by the alphabet, whatever the data:
        a token's id is 2 plus its position in the alphabet (a k-mer's, its
        rank in the alphabet's lexicographic order of all k-mers), so the
        same letter has the same id in every fold and every data set.
        Otherwise the learned tokens are sorted and numbered 2, 3, ..., as
        in :class:`~sklearn.feature_extraction.text.CountVectorizer`.

    vocab_size_ : int
        Number of ids the tokenizer can output, padding and unknown included:
        the ``num_embeddings`` of an embedding layer. ``len(vocabulary_) + 2``
        for learned vocabularies; ``2 + len(alphabet) ** k`` for "protein",
        "dna" and "rna" (27 for proteins, 7 for DNA); the largest id plus one
        for a given ``vocabulary``.

    max_len_ : int or None
        Length of the output rows; None when ``max_len="ragged"``.

    See Also
    --------
    sklearn.feature_extraction.text.CountVectorizer : Token counts (bag of
        words) instead of token sequences.
    sklearn.preprocessing.OrdinalEncoder : Integer codes for categorical
        features.

    Notes
    -----
    Ids: 0 is padding (``pad_id``), 1 is unknown (``unknown_id``), the
    vocabulary starts at 2.

    The vocabulary is learned from the tokens as they are output, after
    truncation to ``max_len_``, so every id in ``vocabulary_`` appears in the
    output of ``fit_transform``, and ``fit(X).transform(X)`` equals
    ``fit_transform(X)``. Tokens cut away by truncation are never looked up.
    With ``handle_unknown="error"`` every output token must be known, so a
    token that ``min_frequency`` or ``max_tokens`` leaves out raises in
    :meth:`fit` as well; use ``handle_unknown="unknown"`` with them.

    Input is an iterable of strings: a list, tuple, 1-D array, pandas Series,
    or a single-column 2-D array or DataFrame (as a ``ColumnTransformer``
    passes it). ``bytes`` items are decoded as UTF-8. A bare ``str`` is
    refused, as are missing values (None, NaN): drop or fill them first. An
    empty string, or one shorter than ``k`` tokens, is allowed and gives a
    row of padding only (an empty array with "ragged").

    :meth:`inverse_transform` joins tokens with "" (with " " for "text");
    text therefore comes back normalised (``"hi , there"``).

    Examples
    --------
    >>> from skdl.preprocessing import SequenceTokenizer
    >>> tokenizer = SequenceTokenizer(alphabet="dna")
    >>> tokenizer.fit_transform(["ACGT", "acg"])
    array([[2, 3, 4, 5],
           [2, 3, 4, 0]], dtype=int32)
    >>> tokenizer.vocabulary_
    {'A': 2, 'C': 3, 'G': 4, 'T': 5}
    >>> tokenizer.transform(["GANT"])  # N was not seen in fit: id 1
    array([[4, 2, 1, 5]], dtype=int32)
    >>> tokenizer.inverse_transform([[4, 2, 1, 5]])
    array(['GA<unk>T'], dtype=object)

    SMILES with variable-length output:

    >>> smiles = SequenceTokenizer(alphabet="smiles", max_len="ragged")
    >>> smiles.fit_transform(["CC(=O)Cl", "c1ccccc1"])
    array([array([6, 6, 2, 5, 8, 3, 7], dtype=int32),
           array([9, 4, 9, 9, 9, 9, 9, 4], dtype=int32)], dtype=object)
    >>> sorted(smiles.vocabulary_, key=smiles.vocabulary_.get)
    ['(', ')', '1', '=', 'C', 'Cl', 'O', 'c']
    """

    pad_id = 0
    unknown_id = 1

    _parameter_constraints: dict = {
        "alphabet": [
            StrOptions({"protein", "dna", "rna", "smiles", "text", "char"}),
            list,
            tuple,
        ],
        "k": [Interval(Integral, 1, None, closed="left")],
        "case": [StrOptions({"auto", "upper", "lower", "preserve"})],
        "handle_unknown": [StrOptions({"unknown", "error"})],
        "max_len": [Interval(Integral, 1, None, closed="left"), str, None],
        "truncation": [StrOptions({"post", "pre"})],
        "padding": [StrOptions({"post", "pre"})],
        "min_frequency": [Interval(Integral, 1, None, closed="left")],
        "max_tokens": [Interval(Integral, 1, None, closed="left"), None],
        "vocabulary": [dict, list, tuple, None],
        "dtype": "no_validation",  # checked in fit: np.dtype(...) says more
    }

    def __init__(
        self,
        *,
        alphabet="protein",
        k=1,
        case="auto",
        handle_unknown="unknown",
        max_len=None,
        truncation="post",
        padding="post",
        min_frequency=1,
        max_tokens=None,
        vocabulary=None,
        dtype=np.int32,
    ):
        self.alphabet = alphabet
        self.k = k
        self.case = case
        self.handle_unknown = handle_unknown
        self.max_len = max_len
        self.truncation = truncation
        self.padding = padding
        self.min_frequency = min_frequency
        self.max_tokens = max_tokens
        self.vocabulary = vocabulary
        self.dtype = dtype

    # ------------------------------------------------------------ public API
    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Learn the vocabulary and the output length from sequences.

        Parameters
        ----------
        X : iterable of str
            Sequences: a list, tuple, 1-D array, pandas Series, or a
            single-column 2-D array or DataFrame.

        y : None
            Ignored.

        Returns
        -------
        self : object
            Fitted tokenizer.
        """
        self._fit(X)
        return self

    @_fit_context(prefer_skip_nested_validation=True)
    def fit_transform(self, X, y=None):
        """Learn the vocabulary and return the ids of ``X``, tokenizing once.

        Parameters
        ----------
        X : iterable of str
            Sequences, as in :meth:`fit`.

        y : None
            Ignored.

        Returns
        -------
        X_ids : ndarray of shape (n_samples, max_len) or (n_samples,)
            Token ids, as returned by :meth:`transform`.
        """
        return self._arrange(*self._fit(X))

    def transform(self, X):
        """Return the token ids of sequences, padded and truncated.

        Parameters
        ----------
        X : iterable of str
            Sequences, as in :meth:`fit`.

        Returns
        -------
        X_ids : ndarray of shape (n_samples, max_len) or (n_samples,)
            Token ids of type ``dtype``, padded with 0. With
            ``max_len="ragged"``, a 1-D object array whose items are 1-D id
            arrays of the sequences' own lengths.
        """
        check_is_fitted(self, "vocabulary_")
        kmers = self._kmers(self._validate_sequences(X))
        kept, column = self._layout(kmers)
        ids = self._lookup(kmers, kept, fitting=False)
        return self._arrange(kmers, ids, kept, column)

    def inverse_transform(self, X):
        """Turn ids back into strings.

        Padding is dropped and an unknown id is written ``"<unk>"``. With
        ``k > 1`` the sequence is rebuilt from overlapping k-mers: the first
        k-mer, then the last token of each following one.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_positions) or ragged
            Ids from :meth:`transform`: a 2-D array, or a 1-D object array
            (or list) of 1-D id arrays.

        Returns
        -------
        sequences : ndarray of shape (n_samples,), dtype=object
            The sequences as strings.
        """
        check_is_fitted(self, "vocabulary_")
        rows = self._validate_ids(X)
        heads = {i: t for t, i in self.vocabulary_.items()}  # an id's text first...
        tails = self._last_parts  # ...and after another id
        joiner = self._joiner()
        out = np.empty(len(rows), dtype=object)
        for i, row in enumerate(rows):
            row = row[row != self.pad_id]
            if row.size == 0:
                out[i] = ""
                continue
            parts = [heads.get(row[0], _UNK), *(tails.get(j, _UNK) for j in row[1:])]
            out[i] = joiner.join(parts)
        return out

    def get_feature_names_out(self, input_features=None):
        """Names of the output columns, ``pos_0`` to ``pos_{max_len_ - 1}``.

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            Ignored; the input is one column of sequences.

        Returns
        -------
        feature_names_out : ndarray of str objects
            One name per position of the padded output.
        """
        check_is_fitted(self, "vocabulary_")
        if self.max_len_ is None:
            raise ValueError(
                'SequenceTokenizer: with max_len="ragged" the rows have '
                "different lengths, so there are no fixed output columns to name "
                '(and no DataFrame for set_output(transform="pandas")). Set an '
                'int, None or "pNN" max_len for a 2-D output.'
            )
        return np.asarray([f"pos_{i}" for i in range(self.max_len_)], dtype=object)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        tags.requires_fit = True
        return tags

    # ------------------------------------------------------------ internals
    def _fit(self, X):
        self._check_params()
        kmers = self._kmers(self._validate_sequences(X))
        self.max_len_ = self._fitted_length(kmers.lengths)
        kept, column = self._layout(kmers)
        if self.vocabulary is None:
            self._learn_vocabulary(kmers, kept)
        else:
            self._set_vocabulary()
        return kmers, self._lookup(kmers, kept, fitting=True), kept, column

    def _check_params(self):
        """Checks the constraints cannot express; sklearn's messages for the rest."""
        if isinstance(self.alphabet, (list, tuple)):
            bad = [t for t in self.alphabet if not isinstance(t, str) or not t]
            if bad or not self.alphabet:
                raise ValueError(
                    "SequenceTokenizer: a list alphabet must hold non-empty "
                    f"strings; got {list(self.alphabet)!r}."
                )
        if isinstance(self.max_len, str) and self.max_len != "ragged":
            match = _QUANTILE.fullmatch(self.max_len)
            if match is None or not 0 < float(match[1]) <= 100:
                raise ValueError(
                    "SequenceTokenizer: max_len must be an int >= 1, None, "
                    'a quantile "pQ" with 0 < Q <= 100 (e.g. "p95"), or "ragged"; '
                    f"got {self.max_len!r}."
                )
        try:
            dtype = np.dtype(self.dtype)
        except TypeError:
            dtype = None
        if dtype not in (np.dtype(np.int32), np.dtype(np.int64)):
            raise ValueError(
                "SequenceTokenizer: dtype must be np.int32 or np.int64; "
                f"got {self.dtype!r}."
            )

    def _validate_sequences(self, X):
        """A list of str from any 1-D (or single-column) collection of str."""
        if isinstance(X, (str, bytes)):
            raise ValueError(
                "SequenceTokenizer: Iterable over raw text documents expected, "
                f"{type(X).__name__} object received. Pass a list of sequences, "
                'e.g. ["MKTAYIAK", "MVLSPADK"], not one string.'
            )
        if hasattr(X, "shape") and hasattr(X, "ndim"):  # arrays, Series, frames
            X = np.asarray(X)
            if X.ndim == 2 and X.shape[1] == 1:
                X = X[:, 0]
            elif X.ndim != 1:
                raise ValueError(
                    "SequenceTokenizer: expected a 1-D collection of sequences "
                    f"(or a single column); got an array of shape {X.shape}. "
                    "Select the column of sequences first."
                )
            X = X.tolist()
        try:
            seqs = list(X)
        except TypeError:
            raise TypeError(
                "SequenceTokenizer: expected an iterable of strings; got "
                f"{type(X).__name__}."
            ) from None
        if not seqs:
            raise ValueError(
                "SequenceTokenizer: got 0 sequences; at least one is required."
            )
        for i, item in enumerate(seqs):
            if isinstance(item, str):
                continue
            if isinstance(item, (bytes, bytearray)):
                seqs[i] = bytes(item).decode("utf-8")
            elif _is_missing(item):
                raise ValueError(
                    f"SequenceTokenizer: sequence {i} is missing ({item!r}); "
                    "drop or fill missing values before tokenizing."
                )
            else:
                raise TypeError(
                    f"SequenceTokenizer: sequence {i} is "
                    f"{type(item).__name__} ({item!r}); expected str."
                )
        case = self._resolved_case()
        if case == "upper":
            seqs = [s.upper() for s in seqs]
        elif case == "lower":
            seqs = [s.lower() for s in seqs]
        return seqs

    def _named_alphabet(self):
        """The alphabet's name, or None for a list of tokens."""
        return self.alphabet if isinstance(self.alphabet, str) else None

    def _resolved_case(self):
        """``case`` with "auto" resolved: "upper", "lower" or "preserve"."""
        if self.case != "auto":
            return self.case
        auto = {"text": "lower", **dict.fromkeys(_BIOLOGICAL, "upper")}
        return auto.get(self._named_alphabet(), "preserve")

    def _split_rule(self):
        """How a string is split into tokens, as data (``skdl.export`` writes
        it for deployments): ``{"split": "chars", "alphabet": letters or
        None for every character}``, or ``{"split": "regex", "pattern": ...,
        "catch_all": whether each unmatched character is an unknown token
        (else it is skipped)}``."""
        alphabet = self._named_alphabet()
        if alphabet is None:
            ordered = sorted(set(self.alphabet), key=len, reverse=True)  # longest 1st
            pattern = "|".join(map(re.escape, ordered))
            return {"split": "regex", "pattern": pattern, "catch_all": True}
        if alphabet in _BIOLOGICAL or alphabet == "char":
            return {"split": "chars", "alphabet": _BIOLOGICAL.get(alphabet)}
        if alphabet == "smiles":
            return {"split": "regex", "pattern": _SMILES_PATTERN, "catch_all": True}
        return {"split": "regex", "pattern": _TEXT_PATTERN, "catch_all": False}

    def _tokens(self, seqs):
        rule = self._split_rule()
        if rule["split"] == "chars":
            return _char_tokens(seqs, rule["alphabet"])
        return _regex_tokens(seqs, rule["pattern"], catch_all=rule["catch_all"])

    def _kmers(self, seqs):
        return _Kmers(self._tokens(seqs), self.k)

    def _joiner(self):
        return " " if self.alphabet == "text" else ""

    def _fitted_length(self, lengths):
        if self.max_len == "ragged":
            return None
        if self.max_len is None:
            length = lengths.max()
        elif isinstance(self.max_len, str):
            q = float(_QUANTILE.fullmatch(self.max_len)[1])
            length = math.ceil(np.percentile(lengths, q))
        else:
            length = self.max_len
        return max(int(length), 1)

    def _layout(self, kmers):
        """Mask of the k-mers that reach the output, and the column of each."""
        lengths = kmers.lengths
        position = _ranges(lengths)
        if self.max_len_ is None:
            return np.ones(position.size, dtype=bool), position
        n_out = np.minimum(lengths, self.max_len_)
        cut = np.repeat(lengths - n_out, lengths)  # tokens dropped per sequence
        if self.truncation == "post":
            kept = position < np.repeat(n_out, lengths)
            column = position
        else:
            kept = position >= cut
            column = position - cut
        if self.padding == "pre":
            column = column + np.repeat(self.max_len_ - n_out, lengths)
        return kept, column

    def _learn_vocabulary(self, kmers, kept):
        keys = kmers.keys[kept]
        uniq, first, inverse = _unique(keys)
        counts = np.bincount(inverse, minlength=uniq.size)
        starts = kmers.starts[kept][first]
        joiner = self._joiner()
        biological = self._named_alphabet() in _BIOLOGICAL
        found = {}  # token -> [count, sort key, last part]
        seen = zip(uniq.tolist(), starts.tolist(), counts.tolist(), strict=True)
        for key, start, count in seen:
            if kmers.first_stray(start) is not None:
                continue
            parts = kmers.parts(start)
            token = joiner.join(parts)
            if token in found:  # two splits, one string: count them together
                found[token][0] += count
            else:
                found[token] = [count, key if biological else token, parts[-1]]
        tokens = sorted(found, key=lambda t: found[t][1])
        tokens = [t for t in tokens if found[t][0] >= self.min_frequency]
        if self.max_tokens is not None and len(tokens) > self.max_tokens:
            by_count = sorted(range(len(tokens)), key=lambda i: -found[tokens[i]][0])
            tokens = [tokens[i] for i in sorted(by_count[: self.max_tokens])]
        if biological:  # ids fixed by the alphabet, not by the data
            alphabet = _BIOLOGICAL[self.alphabet]
            position = {c: i for i, c in enumerate(alphabet)}
            size = len(alphabet)
            ids = [2 + _rank(token, position, size) for token in tokens]
            self.vocab_size_ = 2 + size**self.k
        else:
            ids = range(2, len(tokens) + 2)
            self.vocab_size_ = len(tokens) + 2
        self.vocabulary_ = dict(zip(tokens, ids, strict=True))
        self._last_parts = {i: found[t][2] for t, i in self.vocabulary_.items()}

    def _set_vocabulary(self):
        """Take the ``vocabulary`` parameter as the fitted vocabulary."""
        given = self.vocabulary
        if isinstance(given, dict):
            vocabulary = dict(given)
        else:
            vocabulary = {t: i + 2 for i, t in enumerate(given)}
        bad_tokens = [t for t in vocabulary if not isinstance(t, str) or not t]
        ids = list(vocabulary.values())
        bad_ids = [
            i
            for i in ids
            if not isinstance(i, Integral) or isinstance(i, bool) or i < 2
        ]
        if bad_tokens or bad_ids or len(set(ids)) != len(ids) or not vocabulary:
            raise ValueError(
                "SequenceTokenizer: vocabulary must be a non-empty list of distinct "
                "token strings, or a dict of token strings to distinct integer "
                "ids >= 2 (0 is padding, 1 unknown); got "
                f"{_preview(given)}."
            )
        if not isinstance(given, dict) and len(set(given)) != len(given):
            raise ValueError(
                f"SequenceTokenizer: vocabulary lists a token twice: {_preview(given)}."
            )
        self.vocabulary_ = {t: int(i) for t, i in vocabulary.items()}
        self.vocab_size_ = max(self.vocabulary_.values()) + 1
        self._last_parts = {i: self._last_part(t) for t, i in self.vocabulary_.items()}

    def _last_part(self, token):
        """The last token of a k-mer (what it adds after the one before)."""
        if self.k == 1:
            return token
        if self._joiner() == " ":
            return token.split(" ")[-1]
        tokens = self._tokens([token])
        return tokens.table[tokens.codes[-1]] if tokens.codes.size else token

    def _lookup(self, kmers, kept, fitting):
        """Ids of all k-mers; raise on an unknown output token if asked."""
        uniq, first, inverse = _unique(kmers.keys)
        joiner, starts = self._joiner(), kmers.starts[first].tolist()
        ids = np.fromiter(
            (
                self.vocabulary_.get(joiner.join(kmers.parts(s)), self.unknown_id)
                if kmers.first_stray(s) is None
                else self.unknown_id
                for s in starts
            ),
            dtype=np.int64,
            count=len(starts),
        )[inverse]
        if self.handle_unknown == "error":
            unknown = np.flatnonzero(kept & (ids == self.unknown_id))
            if unknown.size:
                self._raise_unknown(kmers, unknown[0], fitting)
        return ids

    def _raise_unknown(self, kmers, at, fitting):
        start = kmers.starts[at]
        sequence = int(np.searchsorted(np.cumsum(kmers.lengths), at, side="right"))
        stray = kmers.first_stray(start)
        if stray is not None:
            token = stray
            if isinstance(self.alphabet, str):
                reason = f'not in the "{self.alphabet}" alphabet'
            else:
                reason = "not covered by the alphabet's tokens"
        else:
            token = self._joiner().join(kmers.parts(start))
            reason = "not in vocabulary_"
            if fitting:
                reason = (
                    f"left out of vocabulary_ by min_frequency={self.min_frequency}"
                    f" / max_tokens={self.max_tokens}"
                )
        raise ValueError(
            f"SequenceTokenizer: unknown token {token!r} in sequence {sequence} "
            f'({reason}); use handle_unknown="unknown" to map unseen tokens '
            "to id 1."
        )

    def _arrange(self, kmers, ids, kept, column):
        """Padded 2-D array, or a ragged object array, of the output ids."""
        dtype = np.dtype(self.dtype)
        n = kmers.lengths.size
        if self.max_len_ is None:
            pieces = np.split(ids.astype(dtype), np.cumsum(kmers.lengths)[:-1])
            out = np.empty(n, dtype=object)
            for i, piece in enumerate(pieces):
                out[i] = piece
            return out
        out = np.zeros((n, self.max_len_), dtype=dtype)
        row = np.repeat(np.arange(n), kmers.lengths)
        out[row[kept], column[kept]] = ids[kept]
        return out

    def _validate_ids(self, X):
        if hasattr(X, "iloc"):
            X = X.to_numpy()
        if isinstance(X, np.ndarray) and X.dtype != object:
            if X.ndim != 2:
                raise ValueError(
                    "SequenceTokenizer: inverse_transform expects a 2-D id array "
                    "or a ragged 1-D array of id arrays; got an array of shape "
                    f"{X.shape}."
                )
            rows = list(X)
        else:
            rows = [np.asarray(r) for r in X]
        for i, r in enumerate(rows):
            if r.ndim != 1 or (r.size and r.dtype.kind not in "iu"):
                raise ValueError(
                    f"SequenceTokenizer: row {i} of the ids is not a 1-D array "
                    f"of integers (dtype {r.dtype}, shape {r.shape})."
                )
            if r.size and (r.min() < 0 or r.max() >= self.vocab_size_):
                raise ValueError(
                    f"SequenceTokenizer: row {i} holds ids outside 0.."
                    f"{self.vocab_size_ - 1}, the ids this tokenizer produces."
                )
        return [r.astype(np.int64) for r in rows]


def _is_missing(item):
    if item is None or type(item).__name__ in ("NAType", "NaTType"):
        return True
    return isinstance(item, (float, np.floating)) and item != item


def _rank(token, position, size):
    """Rank of a k-mer of one-character tokens among all k-mers of an
    alphabet of ``size`` letters, in the alphabet's lexicographic order."""
    rank = 0
    for char in token:
        rank = rank * size + position[char]
    return rank


def _preview(value, n=6):
    items = list(value.items() if isinstance(value, dict) else value)
    more = ", ..." if len(items) > n else ""
    return f"{type(value).__name__} starting {items[:n]!r}{more}"
