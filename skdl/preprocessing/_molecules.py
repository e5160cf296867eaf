"""SMILES strings to molecular graphs (atom and bond features), with RDKit."""

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

from .._optional import import_optional
from ..utils._compat import StrOptions, _fit_context

# One-hot choices per atom feature (chemprop's defaults are the model: the
# first 36 elements and iodine, degree, formal charge, chirality, hydrogens,
# hybridisation); every feature also has an "unknown" slot, so that a value
# never seen here (a rare element, a degree of 7) is encoded, not an error.
_ELEMENTS = [*range(1, 37), 53]
_DEGREES = [0, 1, 2, 3, 4, 5]
_CHARGES = [-2, -1, 0, 1, 2]
_CHIRAL_TAGS = [0, 1, 2, 3]  # rdkit.Chem.ChiralType values
_HYDROGENS = [0, 1, 2, 3, 4]
_HYBRIDISATIONS = ["S", "SP", "SP2", "SP2D", "SP3", "SP3D", "SP3D2"]
_BOND_TYPES = ["SINGLE", "DOUBLE", "TRIPLE", "AROMATIC"]
_STEREO = ["STEREONONE", "STEREOANY", "STEREOZ", "STEREOE", "STEREOCIS", "STEREOTRANS"]

ATOM_FEATURES = (
    ("atomic_num", _ELEMENTS),
    ("degree", _DEGREES),
    ("formal_charge", _CHARGES),
    ("chiral_tag", _CHIRAL_TAGS),
    ("num_hs", _HYDROGENS),
    ("hybridization", _HYBRIDISATIONS),
)
BOND_FEATURES = (("bond_type", _BOND_TYPES), ("stereo", _STEREO))

# One-hot widths (+1 for "unknown"), then aromatic and mass / 100 for atoms,
# conjugated and in-ring for bonds.
N_ATOM_FEATURES = sum(len(c) + 1 for _, c in ATOM_FEATURES) + 2
N_BOND_FEATURES = sum(len(c) + 1 for _, c in BOND_FEATURES) + 2


def _one_hot(value, choices, out, start):
    try:
        out[start + choices.index(value)] = 1.0
    except ValueError:
        out[start + len(choices)] = 1.0
    return start + len(choices) + 1


def _atom_features(atom):
    out = np.zeros(N_ATOM_FEATURES, dtype=np.float32)
    values = (
        atom.GetAtomicNum(),
        atom.GetTotalDegree(),
        atom.GetFormalCharge(),
        int(atom.GetChiralTag()),
        atom.GetTotalNumHs(),
        str(atom.GetHybridization()),
    )
    i = 0
    for value, (_, choices) in zip(values, ATOM_FEATURES, strict=True):
        i = _one_hot(value, choices, out, i)
    out[i] = float(atom.GetIsAromatic())
    out[i + 1] = 0.01 * atom.GetMass()
    return out


def _bond_features(bond):
    out = np.zeros(N_BOND_FEATURES, dtype=np.float32)
    i = _one_hot(str(bond.GetBondType()), _BOND_TYPES, out, 0)
    i = _one_hot(str(bond.GetStereo()), _STEREO, out, i)
    out[i] = float(bond.GetIsConjugated())
    out[i + 1] = float(bond.IsInRing())
    return out


def mol_to_graph(mol):
    """``(node_features, edge_index, edge_features)`` of an RDKit molecule.

    Atoms are nodes (hydrogens implicit, counted in ``num_hs``); each bond is
    two directed edges, ``u -> v`` at position ``2k`` and ``v -> u`` at
    ``2k + 1``, with the same features.
    """
    nodes = np.array([_atom_features(a) for a in mol.GetAtoms()], dtype=np.float32)
    nodes = nodes.reshape(-1, N_ATOM_FEATURES)
    n_bonds = mol.GetNumBonds()
    edge_index = np.empty((2, 2 * n_bonds), dtype=np.int64)
    edges = np.empty((2 * n_bonds, N_BOND_FEATURES), dtype=np.float32)
    for k, bond in enumerate(mol.GetBonds()):
        u, v = bond.GetBeginAtomIdx(), bond.GetEndAtomIdx()
        edge_index[:, 2 * k] = u, v
        edge_index[:, 2 * k + 1] = v, u
        edges[2 * k] = edges[2 * k + 1] = _bond_features(bond)
    return nodes, edge_index, edges


def check_smiles_input(X, name):
    """X as a list of str, or a TypeError/ValueError naming ``name``."""
    if isinstance(X, str):
        raise TypeError(
            f"{name} takes a list (or 1-D array) of SMILES strings, one per "
            f"molecule, but got a single string {X[:30]!r}. Wrap it in a list."
        )
    values = np.asarray(X, dtype=object)
    if values.ndim == 2 and values.shape[1] == 1:  # a one-column DataFrame
        values = values[:, 0]
    if values.ndim != 1:
        raise ValueError(
            f"{name} takes a 1-D list of SMILES strings; got an array of shape "
            f"{values.shape}."
        )
    bad = [i for i, v in enumerate(values) if not isinstance(v, str)]
    if bad:
        raise TypeError(
            f"{name} takes SMILES strings, but X[{bad[0]}] is "
            f"{type(values[bad[0]]).__name__} {values[bad[0]]!r}."
        )
    return list(values)


def smiles_to_graphs(smiles, name, on_invalid="raise"):
    """Graphs of ``smiles`` (see :func:`mol_to_graph`), parsed quietly.

    RDKit's parse errors go to its log, which is blocked only while these
    strings are parsed (``rdkit.rdBase.BlockLogs``); the first string that
    does not parse raises a ValueError naming its index, unless
    ``on_invalid="empty"``, which gives it a graph with no atoms.
    """
    Chem = import_optional("rdkit.Chem", f"{name} (SMILES input)")
    from rdkit import rdBase

    graphs = []
    blocker = rdBase.BlockLogs()
    try:
        for i, s in enumerate(smiles):
            mol = Chem.MolFromSmiles(s) if s.strip() else None
            if mol is None:
                if on_invalid == "raise":
                    raise ValueError(
                        f"{name}: X[{i}] = {s!r} is not a valid SMILES string "
                        "(RDKit could not parse it). Fix or drop that row; "
                        "MolecularGraphFeaturizer(on_invalid='empty') gives "
                        "such rows an empty graph instead."
                    )
                graphs.append(
                    (
                        np.zeros((0, N_ATOM_FEATURES), np.float32),
                        np.zeros((2, 0), np.int64),
                        np.zeros((0, N_BOND_FEATURES), np.float32),
                    )
                )
                continue
            graphs.append(mol_to_graph(mol))
    finally:
        del blocker  # logging back as it was
    return graphs


class MolecularGraphFeaturizer(TransformerMixin, BaseEstimator):
    """SMILES strings to molecular graphs with atom and bond features.

    Each molecule becomes a tuple ``(node_features, edge_index,
    edge_features)``: one row of atom features per heavy atom, each bond as
    two directed edges, and one row of bond features per edge. These graphs
    are what :class:`skdl.GraphClassifier` and :class:`skdl.GraphRegressor`
    take; they also featurize SMILES themselves with this class's defaults,
    so the step is only needed to cache featurisation in a Pipeline
    (``memory=``) or to pass ``on_invalid``.

    Atom features (one-hot, each with an "unknown" slot for values not
    listed, so no molecule fails on a rare value): element (H to Kr, and
    I), total degree (0-5), formal charge (-2 to 2), chirality tag, total
    hydrogens (0-4), hybridisation (s, sp, sp2, sp2d, sp3, sp3d, sp3d2);
    then aromaticity and atomic mass / 100. Bond features: bond type
    (single, double, triple, aromatic), stereo (6 RDKit values), conjugated,
    in a ring. This is the kind of featurisation chemprop uses by default.
    Nothing is learned: ``fit`` only validates.

    Needs RDKit (``pip install "skdl[chem]"``). RDKit's parse errors are
    silenced while this transformer parses, and only then.

    Parameters
    ----------
    on_invalid : {"raise", "empty"}, default="raise"
        What a string RDKit cannot parse gives: a ValueError naming its index
        and the string, or a graph with no atoms (the network then sees only
        its biases for that row).

    Attributes
    ----------
    n_node_features_ : int
        Width of the atom features (%d).

    n_edge_features_ : int
        Width of the bond features (%d).

    See Also
    --------
    skdl.GraphRegressor : A message-passing network on these graphs.

    Examples
    --------
    >>> from skdl.preprocessing import MolecularGraphFeaturizer
    >>> nodes, edge_index, edges = MolecularGraphFeaturizer().fit_transform(["CCO"])[0]
    >>> nodes.shape, edge_index.tolist(), edges.shape
    ((3, 72), [[0, 1, 1, 2], [1, 0, 2, 1]], (4, 14))
    """

    _parameter_constraints = {"on_invalid": [StrOptions({"raise", "empty"})]}

    def __init__(self, on_invalid="raise"):
        self.on_invalid = on_invalid

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Check X (strings) and RDKit; nothing is learned.

        Parameters
        ----------
        X : list or array-like of str
            SMILES strings.
        y : None
            Ignored.

        Returns
        -------
        self : object
            The fitted featurizer.
        """
        check_smiles_input(X, type(self).__name__)
        import_optional("rdkit.Chem", type(self).__name__)
        self.n_node_features_ = N_ATOM_FEATURES
        self.n_edge_features_ = N_BOND_FEATURES
        return self

    def transform(self, X):
        """The graph of each SMILES string.

        Parameters
        ----------
        X : list or array-like of str
            SMILES strings.

        Returns
        -------
        graphs : list of tuple
            ``(node_features, edge_index, edge_features)`` per string:
            float32 ``(n_atoms, n_node_features_)``, int64 ``(2, n_edges)``
            and float32 ``(n_edges, n_edge_features_)``.
        """
        name = type(self).__name__
        return smiles_to_graphs(check_smiles_input(X, name), name, self.on_invalid)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        tags.requires_fit = False
        return tags


MolecularGraphFeaturizer.__doc__ = MolecularGraphFeaturizer.__doc__ % (
    N_ATOM_FEATURES,
    N_BOND_FEATURES,
)
