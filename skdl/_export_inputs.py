"""Strings to the inputs of a network that ``skdl.export`` wrote.

This file is standalone: it needs Python 3.10+ and numpy, never skdl.
``skdl.export`` copies it beside the exported model, so a deployment
(onnxruntime, ``torch.export.load``) can turn raw strings into the model's
inputs the way the fitted ``SequenceTokenizer`` did::

    import json, numpy as np, onnxruntime as ort
    from skdl_inputs import sequence_inputs

    meta = json.load(open("model.json"))
    session = ort.InferenceSession("model.onnx")
    inputs = sequence_inputs(["MKTAYIAK", "MSEQ"], meta)
    probabilities = session.run(None, inputs)[0]

:func:`sequence_inputs` returns ``{"x": ids, "lengths": lengths}``: token ids
``int64 (n, length)``, left-aligned and padded with 0 to the exported
``length``, and each row's real length ``int64 (n,)``. Rows longer than
``length`` are cut as the tokenizer's ``truncation`` says. Without a
tokenizer in the metadata (a network fitted on ids), pass lists of ids.
"""

import re

import numpy as np


def _split(text, settings):
    """A string -> its tokens, each ``(token, known)``."""
    case = settings["case"]
    if case == "upper":
        text = text.upper()
    elif case == "lower":
        text = text.lower()
    how = settings["split"]
    if how == "chars":
        known = settings["alphabet"]
        return [(c, known is None or c in known) for c in text]
    if settings["catch_all"]:  # every other character is an unknown token
        regex = re.compile(f"({settings['pattern']})|(.)", re.DOTALL)
        return [(m or stray, not stray) for m, stray in regex.findall(text)]
    return [(m, True) for m in re.findall(settings["pattern"], text)]


def token_ids(text, settings):
    """The ids of one string's (k-mer) tokens, before padding or truncation."""
    tokens = _split(text, settings)
    k, join = settings["k"], settings["join"]
    vocabulary, unknown = settings["vocabulary"], settings["unknown_id"]
    ids = []
    for start in range(len(tokens) - k + 1):
        part = tokens[start : start + k]
        if not all(known for _, known in part):
            ids.append(unknown)
            continue
        ids.append(vocabulary.get(join.join(t for t, _ in part), unknown))
    return ids


def sequence_inputs(sequences, metadata):
    """``{"x": ids, "lengths": lengths}`` for a list of strings (or of id
    lists), as the exported network takes them.

    Parameters
    ----------
    sequences : list of str, or list of lists of int
        Raw strings when the metadata holds a tokenizer; token ids otherwise.
    metadata : dict
        The JSON that ``skdl.export`` wrote beside the model.
    """
    length = metadata["length"]
    settings = metadata.get("tokenizer")
    if settings is None and metadata.get("input") != "tokens":
        raise ValueError("this network does not take token sequences.")
    x = np.zeros((len(sequences), length), dtype=np.int64)
    lengths = np.zeros(len(sequences), dtype=np.int64)
    for i, seq in enumerate(sequences):
        if settings is not None:
            if not isinstance(seq, str):
                raise TypeError(f"sequence {i} is not a string: {seq!r}")
            ids = token_ids(seq, settings)
            cut = settings["truncation"]
        else:
            ids = [int(v) for v in seq if int(v) != 0]
            cut = "post"
        if len(ids) > length:
            ids = ids[:length] if cut == "post" else ids[len(ids) - length :]
        x[i, : len(ids)] = ids
        lengths[i] = len(ids)
    return {"x": x, "lengths": lengths}
