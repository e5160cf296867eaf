"""The contract between skdl's estimators and the torch modules they train.

A module that an skdl estimator builds (its default network, or the user's
``module=``) follows these rules:

Construction
    The estimator calls ``module(n_outputs=..., **sizes, **architecture)``.
    ``sizes`` are read from the data in ``fit`` (``n_features`` for tables;
    ``vocab_size`` for token ids or ``n_channels`` for float sequences, and
    ``n_side_features`` when there are per-sample side features;
    ``n_node_features`` and ``n_edge_features`` for graphs);
    ``architecture`` are the estimator's hyperparameters of the same names.

Call
    ``forward(x)`` for tables: ``x`` is a float32 tensor ``(n, n_features)``.
    ``forward(x, lengths=None, side=None)`` for sequences: ``x`` holds
    left-aligned rows (token ids ``(n, length)`` with 0 as padding, or values
    ``(n, length, channels)``); ``lengths`` ``(n,)`` gives each row's real
    length when the batch was padded to its longest row (variable-length
    input); ``side`` ``(n, n_side_features)`` holds per-sample features, and
    is passed only when the estimator has some.
    ``forward(x, edge_index, edge_attr, batch, num_graphs)`` for graphs, in
    torch-geometric's layout: ``x`` the node features of all graphs of the
    batch stacked, ``edge_index`` ``(2, n_edges)`` into those rows,
    ``edge_attr`` ``(n_edges, n_edge_features)`` (0 wide without edge
    features), ``batch`` the graph of each node, and ``num_graphs`` an int
    (graphs without nodes exist, so it cannot be read from ``batch``); one
    output row per graph.

Return
    Logits (raw predictions for regressors) of shape ``(n, n_outputs)``; or,
    during training, the pair ``(logits, penalty)`` where ``penalty`` is a
    scalar tensor added to the loss (an activity regulariser). A module
    never stores tensors of a forward pass on itself: a fitted estimator can
    be deep-copied, and predicting does not change the module.

Robustness
    A batch of one sample, and rows of length zero (empty sequences, also a
    whole batch of them; graphs without nodes), give finite outputs of the
    right shape.
"""

import torch
from torch import nn


def split_output(out):
    """``(logits, penalty or None)`` from what a module's forward returned."""
    if isinstance(out, tuple):
        logits, penalty = out
        return logits, penalty
    return out, None


def penalised_parameters(module, include_bias=False):
    """The trainable parameters that ``l1`` / ``l2`` penalise.

    Every weight matrix or kernel (a trainable parameter with two or more
    dimensions: linear, convolution, recurrent and attention weights)
    except embedding tables, which are lookup rows rather than kernels. With
    ``include_bias``, also the one-dimensional parameters: biases and the
    scales and shifts of normalisation layers.
    """
    embeddings = {id(m.weight) for m in module.modules() if isinstance(m, nn.Embedding)}
    chosen = []
    for p in module.parameters():
        if not p.requires_grad or id(p) in embeddings:
            continue
        if p.ndim >= 2 or include_bias:
            chosen.append(p)
    return chosen


def weight_penalty(module, l1=0.0, l2=0.0, include_bias=False, parameters=None):
    """``l1 * sum|w| + l2 * sum w**2`` over :func:`penalised_parameters`.

    Keras' convention (sums, not means). ``parameters`` may hold the list
    from :func:`penalised_parameters`, computed once, to save the walk over
    the module at every batch.
    """
    if parameters is None:
        parameters = penalised_parameters(module, include_bias)
    total = torch.zeros(())
    for p in parameters:
        if l1:
            total = total + l1 * p.abs().sum()
        if l2:
            total = total + l2 * p.pow(2).sum()
    return total
