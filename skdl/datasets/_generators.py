"""Random sequence data sets with a known answer, for tests and documentation.

A sequence is a random string over an alphabet with motifs planted at random
positions. Labels follow exactly from the motifs (before ``noise``), so a test
can check what a model should learn, and the data take milliseconds to make.
"""

from numbers import Integral, Real

import numpy as np
from sklearn.utils import check_random_state, check_scalar

ALPHABETS = {
    "dna": "ACGT",
    "protein": "ACDEFGHIKLMNPQRSTVWY",  # the 20 standard amino acids
}

_RANDOM_MOTIF_LENGTH = 6
_MAX_TRIES = 1000  # redraws of one sequence that shows a motif it must not


def _check_scalar(caller, value, name, target_type, **bounds):
    """sklearn's check_scalar, with the function's name in the message."""
    try:
        check_scalar(value, name, target_type, **bounds)
    except (TypeError, ValueError) as exc:
        raise type(exc)(f"{caller}: {exc}") from None


def _check_common(caller, n_samples, alphabet, min_length, max_length):
    _check_scalar(caller, n_samples, "n_samples", Integral, min_val=1)
    if alphabet not in ALPHABETS:
        raise ValueError(
            f"{caller}: alphabet must be one of {sorted(ALPHABETS)}; got {alphabet!r}."
        )
    _check_scalar(caller, min_length, "min_length", Integral, min_val=1)
    _check_scalar(caller, max_length, "max_length", Integral, min_val=min_length)
    return ALPHABETS[alphabet]


def _check_motif(caller, motif, letters, min_length):
    if not isinstance(motif, str) or not motif:
        raise TypeError(f"{caller}: a motif must be a non-empty str; got {motif!r}.")
    unknown = sorted(set(motif) - set(letters))
    if unknown:
        raise ValueError(
            f"{caller}: motif {motif!r} has letters {unknown} outside the "
            f"alphabet {letters!r}."
        )
    if len(motif) > min_length:
        raise ValueError(
            f"{caller}: motif {motif!r} is longer than min_length={min_length}; "
            "use a shorter motif or a larger min_length."
        )


def _random_motifs(caller, n, length, letters, rng, taken):
    """n random motifs of the given length, distinct from each other and taken."""
    if len(letters) ** length < n + len(taken):
        raise ValueError(
            f"{caller}: there are not {n + len(taken)} distinct motifs of length "
            f"{length} over {letters!r}; use longer motifs."
        )
    motifs = []
    while len(motifs) < n:
        motif = _background(length, letters, rng)
        if motif not in taken and motif not in motifs:
            motifs.append(motif)
    return motifs


def _background(length, letters, rng):
    """A uniformly random string of the given length over letters."""
    return "".join([letters[i] for i in rng.randint(len(letters), size=length)])


def _plant(length, motif, n_copies, letters, rng):
    """A random sequence of the given length with n_copies of motif planted.

    The copies do not overlap: a background of ``length - n_copies * len(motif)``
    letters is drawn, and the copies are inserted at sorted random cut points.
    """
    background = _background(length - n_copies * len(motif), letters, rng)
    cuts = np.sort(rng.randint(len(background) + 1, size=n_copies))
    pieces, start = [], 0
    for cut in cuts:
        pieces += [background[start:cut], motif]
        start = cut
    pieces.append(background[start:])
    return "".join(pieces)


def _as_strings(values):
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def make_sequence_classification(
    n_samples=200,
    *,
    alphabet="dna",
    min_length=20,
    max_length=60,
    motif="TATAAT",
    n_classes=2,
    noise=0.0,
    random_state=None,
):
    """Generate random sequences whose class is the motif they carry.

    Each sequence is a random string over the alphabet, of a length drawn
    uniformly from ``[min_length, max_length]``. A class-``k`` sequence
    (``k >= 1``) carries motif ``k`` at a random position and none of the other
    motifs; a class-0 sequence carries no motif. Sequences that show a motif
    they must not by chance are redrawn, so the rule is exact. Classes are as
    balanced as ``n_samples`` allows. Then a fraction ``noise`` of the labels
    is changed to another class.

    Parameters
    ----------
    n_samples : int, default=200
        Number of sequences.

    alphabet : {"dna", "protein"}, default="dna"
        "dna" draws from ``ACGT``, "protein" from the 20 standard amino acids
        ``ACDEFGHIKLMNPQRSTVWY``.

    min_length, max_length : int, default=20, 60
        Bounds, both included, of the sequence lengths.

    motif : str, list of str or None, default="TATAAT"
        The motifs of classes 1 to ``n_classes - 1``: a list of that many
        strings, or one string for class 1 (further motifs, if needed, are
        drawn at random with the same length), or None to draw all of them at
        random (length 6). No motif may contain another.

    n_classes : int, default=2
        Number of classes.

    noise : float, default=0.0
        Fraction of labels, in [0, 1], changed to a different class (chosen
        at random) after the sequences are drawn.

    random_state : int, RandomState instance or None, default=None
        Seed for the draws. Pass an int for the same data on every call.

    Returns
    -------
    X : ndarray of shape (n_samples,)
        The sequences, as an object array of ``str``.

    y : ndarray of shape (n_samples,)
        The labels, integers in ``[0, n_classes)``.

    Raises
    ------
    ValueError
        If a motif is longer than ``min_length``, uses letters outside the
        alphabet, contains another motif, or is so short that sequences free
        of it cannot be drawn.

    See Also
    --------
    make_sequence_regression : the target counts a motif.

    Examples
    --------
    >>> from skdl.datasets import make_sequence_classification
    >>> X, y = make_sequence_classification(6, max_length=30, random_state=0)
    >>> X[0]
    'AAGCGTATAATTTGACCCCACATAT'
    >>> y
    array([1, 0, 1, 1, 0, 0])
    >>> ["TATAAT" in x for x in X]
    [True, False, True, True, False, False]
    """
    caller = "make_sequence_classification"
    letters = _check_common(caller, n_samples, alphabet, min_length, max_length)
    _check_scalar(caller, n_classes, "n_classes", Integral, min_val=2)
    _check_scalar(caller, noise, "noise", Real, min_val=0, max_val=1)
    rng = check_random_state(random_state)

    n_motifs = n_classes - 1
    if motif is None:
        motifs = _random_motifs(
            caller, n_motifs, _RANDOM_MOTIF_LENGTH, letters, rng, []
        )
    elif isinstance(motif, str):
        _check_motif(caller, motif, letters, min_length)
        motifs = [motif] + _random_motifs(
            caller, n_motifs - 1, len(motif), letters, rng, [motif]
        )
    else:
        motifs = list(motif)
        if len(motifs) != n_motifs:
            raise ValueError(
                f"{caller}: n_classes={n_classes} needs {n_motifs} motifs "
                f"(one per class after class 0); got {len(motifs)}."
            )
    for m in motifs:
        _check_motif(caller, m, letters, min_length)
    for i, a in enumerate(motifs):
        for b in motifs[i + 1 :]:
            if a in b or b in a:
                raise ValueError(
                    f"{caller}: motifs {a!r} and {b!r} overlap (one contains "
                    "the other), so their classes cannot be told apart."
                )

    y = rng.permutation(np.arange(n_samples) % n_classes).astype(np.int64)
    lengths = rng.randint(min_length, max_length + 1, size=n_samples)
    X = []
    for label, length in zip(y, lengths, strict=True):
        planted = motifs[label - 1] if label else None
        absent = [m for m in motifs if m != planted]
        for _ in range(_MAX_TRIES):
            if planted is None:
                sequence = _background(length, letters, rng)
            else:
                sequence = _plant(length, planted, 1, letters, rng)
            if not any(m in sequence for m in absent):
                break
        else:
            raise ValueError(
                f"{caller}: could not draw a class-{label} sequence of length "
                f"{length} free of the motifs {absent} in {_MAX_TRIES} tries; "
                "use longer motifs or shorter sequences."
            )
        X.append(sequence)

    n_flip = int(round(noise * n_samples))
    flip = rng.choice(n_samples, size=n_flip, replace=False)
    y[flip] = (y[flip] + rng.randint(1, n_classes, size=n_flip)) % n_classes
    return _as_strings(X), y


def make_sequence_regression(
    n_samples=200,
    *,
    alphabet="dna",
    min_length=20,
    max_length=60,
    motif="TATAAT",
    noise=0.1,
    random_state=None,
):
    """Generate random sequences whose target counts a motif.

    Each sequence is a random string over the alphabet, of a length ``L``
    drawn uniformly from ``[min_length, max_length]``, with ``k`` copies of
    the motif planted at random, non-overlapping positions; ``k`` is drawn
    uniformly from ``0`` to ``max(1, L // (2 * len(motif)))``. The target is
    ``sequence.count(motif)`` (which also counts any copy that arose by chance)
    plus Gaussian noise. A one-letter motif such as ``"G"`` makes the target a
    letter count, as GC content is.

    Parameters
    ----------
    n_samples : int, default=200
        Number of sequences.

    alphabet : {"dna", "protein"}, default="dna"
        "dna" draws from ``ACGT``, "protein" from the 20 standard amino acids
        ``ACDEFGHIKLMNPQRSTVWY``.

    min_length, max_length : int, default=20, 60
        Bounds, both included, of the sequence lengths.

    motif : str or None, default="TATAAT"
        The motif to count, or None to draw one at random (length 6).

    noise : float, default=0.1
        Standard deviation of the Gaussian noise added to the target.

    random_state : int, RandomState instance or None, default=None
        Seed for the draws. Pass an int for the same data on every call.

    Returns
    -------
    X : ndarray of shape (n_samples,)
        The sequences, as an object array of ``str``.

    y : ndarray of shape (n_samples,)
        ``X[i].count(motif)`` plus noise (float64).

    See Also
    --------
    make_sequence_classification : the class is the motif a sequence carries.

    Examples
    --------
    >>> from skdl.datasets import make_sequence_regression
    >>> X, y = make_sequence_regression(4, motif="GC", noise=0.0, random_state=0)
    >>> X[0]
    'TCGATGAAAGCGTGCTGACC'
    >>> y
    array([2., 0., 1., 4.])
    """
    caller = "make_sequence_regression"
    letters = _check_common(caller, n_samples, alphabet, min_length, max_length)
    _check_scalar(caller, noise, "noise", Real, min_val=0)
    rng = check_random_state(random_state)
    if motif is None:
        motif = _random_motifs(caller, 1, _RANDOM_MOTIF_LENGTH, letters, rng, [])[0]
    _check_motif(caller, motif, letters, min_length)

    lengths = rng.randint(min_length, max_length + 1, size=n_samples)
    X = []
    for length in lengths:
        n_copies = rng.randint(max(1, length // (2 * len(motif))) + 1)
        X.append(_plant(length, motif, n_copies, letters, rng))
    y = np.array([x.count(motif) for x in X], dtype=np.float64)
    y += noise * rng.standard_normal(n_samples)
    return _as_strings(X), y
