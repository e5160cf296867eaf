"""``results/defaults.md`` from the rows ``bench_defaults.py`` logged."""

import json
import os
from collections import defaultdict

import numpy as np
from _common import environment, table, write_table
from _datasets import BLEND_SUFFIX, FAMILIES, SETS

NOW, BEFORE = "default", "before"

# What each variant was, in the order they were run (issue 9). "cand2" is
# cand1 with the linear branch's counts / sqrt(n) and gain 10, trigrams,
# dense dropout 0.3; "D" is the final default (auto n-grams, dropout 0.5).
VARIANTS = {
    "cand1": "normalize_y, steps by data size, one-cycle, padded ids batched by "
    "length, linear 1-3-gram branch (frequencies, no gain), length feature",
    "cand2-gain10": "cand1, branch on counts / sqrt(n) with gain 10",
    "cand2+dropout0.3": "cand2, dense dropout 0.3",
    "cand2+lr3e-3": "cand2 with lr=3e-3",
    "maxmean": "cand2+dropout0.3 with global max+mean pooling",
    "maxmean+conv64x9": "maxmean with one 64x9 convolution, dense (64,)",
    "ngrams2": "cand2+dropout0.3 with bigrams",
    "dropout0.5+spatial0.2": "cand2 with dense dropout 0.5, channel dropout 0.2",
    "ngrams2+dropout0.5+spatial0.2": "the two above together",
    "ngrams2+dropout0.5": "bigrams, dense dropout 0.5",
    "dropout0.5": "trigrams, dense dropout 0.5 (D on DNA)",
    "ngrams3+dropout0.5": "D with protein trigrams",
    "bag": "D with the token 1-2-gram counts / sqrt(length) as inputs of the "
    "dense head (ngram_features=2; gain 1, before the gain was added)",
    "bag+dropout": "bag with the head's dropout 0.5 also on those counts "
    "(a code change, not a parameter)",
    "bag+es": "bag with early_stopping=True",
    "bag+es+60ep": "bag+es with max_epochs=60",
    "bag+es+dropout0": "bag+es with dropout=0",
    "bag+es-linear": "bag+es without the linear branch (linear_ngrams=0)",
    "bag-gain10": "bag with the counts times 10 (the default but for DNA: "
    '"auto" then also gave DNA 1-4-gram counts)',
    "filters32": "the default with conv_filters=(32, 32, 32) (since step 8 "
    'the default for DNA and RNA, conv_filters="auto"; not for the others: '
    "see benchmarks/README.md, steps 7-8)",
    "positions": "the step-8 default with a linear model on positions for "
    "fixed-length input, tokens and series (a code change at the time; since "
    "step 9 the default for float series only: one weight per position, sum "
    "over the root of the length, times 10)",
    "positions-flat": "positions without the division by the root of the "
    "length (a code change, not a parameter; not adopted)",
    "unigrams": "the default with a linear branch on 1-grams only "
    "(linear_ngrams=1; not adopted)",
    "trigrams": "the default with a linear branch on 1-3-grams "
    "(linear_ngrams=3; not adopted)",
    "words1": "the default with word counts in the head (ngram_features=1: "
    "20,079 words hashed into 4,096 columns)",
    "batch64": "the default with batch_size=64 on the sets under 2,000 rows "
    "(the 1,000-step minimum then adds epochs: no faster; not adopted)",
    "steps300": "the default with max_epochs set per set for about 300 "
    "optimizer steps instead of at least 1,000 (GunPoint 30, ItalyPower 6, "
    "FreeSolv 10, ESOL 6, diabetes 14, breast cancer 11, digits 7 epochs), "
    "to see what the 3x cost bound would cost (not adopted)",
    "spatial0.2": "the default with channel dropout 0.2 after each convolution "
    '(spatial_dropout=0.2); since step 25 what spatial_dropout="auto" gives '
    "word vocabularies (more than 64 token ids), not the others",
    "spatial0": "the default before step 25 (no channel dropout for words); "
    "its rows were the default's rows until then",
    "default-timing": "the default, rerun in step 26 beside the variants below "
    "for their fit times (seed 0, same run)",
    "parallel359": "the step-25 default with parallel convolutions of widths 3, "
    "5 and 9 in the first block (kernel_sizes=((3, 5, 9), 3, 3), conv_filters "
    "filters each: DeepSol's and Kim's first layer; not adopted, step 26)",
    "parallel359-16": "parallel359 on DNA with 16 filters per width in the "
    "first block (conv_filters=(16, 32, 32)), to make it cheaper (not adopted)",
    "wide64": "the step-25 default with a first block of 64 filters "
    "(conv_filters=(64, 16, 16); (64, 32, 32) on DNA; not adopted, step 26)",
    "dilations124": "the step-25 default with dilations (1, 2, 4) (not "
    "adopted, step 26)",
    "maxmean-now": "the step-25 default with global max+mean pooling "
    '(global_pooling="max_mean"; not adopted, step 26)',
    "pool1": "the step-28 default without pooling between the convolution "
    'blocks (pool_sizes=1); since step 29 what pool_sizes="auto" gives data '
    "whose median sequence is under 64 tokens or steps, not longer data",
    "default-timing-29": "the step-28 default, rerun in step 29 beside pool1 "
    "(same day and machine) for its fit times",
    "series": 'the step-29 default with normalize_input="series": each float '
    "series standardised by its own per-channel mean and std, which the head "
    "gets as features; since step 31 the CNN classifier's default",
    "steps4000": "the step-31 default with max_epochs set per set for about "
    "4,000 optimizer steps (PLAID 75, ItalyPower 73, GunPoint 300, the cap); "
    "not adopted (3-4x the fit time, one set gains)",
    "lr3e-3": "the default of d4e31d3 with lr=3e-3 (the one-cycle schedule's "
    'peak) on the series choose sets; since a703136 what lr="auto", the CNN '
    "classifier's default, gives float series (step 31)",
    "lr1e-2": "the default of d4e31d3 with lr=1e-2 on the series choose sets; "
    "not adopted",
    "series+lp": "series with linear_positions=True (on for series of unequal "
    'length too, which "auto" leaves off); not adopted',
    "quantiles": "the step-31 default whose dense head also reads each "
    "standardised series' 0/10/25/50/75/90/100% quantiles and mean absolute "
    "step (a frozen copy with the change behind an environment variable)",
    "drop0.0": "the step-31 default with dropout=0 in the dense head; since "
    'step 32 what dropout="auto" gives float series',
    "drop0.2": "the step-31 default with dropout=0.2; not adopted",
    "quantiles+drop0": "quantiles with dropout=0; the CNN classifier's default "
    "on float series from e37bd2e to edb92ea (step 32)",
    "ple": "quantiles+drop0 with each series summary also encoded piecewise "
    "linearly between 8 knots at its quantiles over the training series "
    "(np.quantile's linear interpolation; the choose-set rows before "
    "adoption)",
    "ple-linear": "ple as adopted in edb92ea (knots by linear interpolation, "
    "unweighted); since 32b537b the knots are weighted inverse-CDF quantiles, "
    "the default",
    "ple4": "ple with 4 knots; not adopted",
    "thresholds+drop0": "quantiles+drop0 with the minimum, maximum and the "
    "fractions of values below -1.5, -1, -0.5, 0, 0.5, 1 and 1.5 in place of "
    "the quantiles (f0ca9fe, a third of the quantiles' cost per batch); "
    "reverted (PLAID lower on every seed)",
    "drop0+steps2000": "drop0.0 with at least 2,000 optimizer steps (1,000 by "
    "default); not adopted (2x the fit time, GunPoint lower)",
    "drop0+steps3000": "drop0.0 with at least 3,000 optimizer steps; not adopted",
    "quantiles+drop0+steps2000": "quantiles+drop0 with at least 2,000 "
    "optimizer steps; not adopted (1.8x the fit time, within one std)",
    "drop0+maxmean": 'drop0.0 with global_pooling="max_mean"; not adopted',
    "quantiles+drop0+maxmean": 'quantiles+drop0 with global_pooling="max_mean"; '
    "not adopted",
    "quantiles+drop0+k955": "quantiles+drop0 with kernel_sizes=(9, 5, 5); not adopted",
    "quantiles+drop0+dense256": "quantiles+drop0 with hidden_layer_sizes=(256,); "
    "not adopted",
}


FAMILY_MODELS = {
    "CNN": FAMILIES["cnn"],
    "RNN": FAMILIES["rnn"],
    "transformer": FAMILIES["transformer"],
}
# Variants of the recurrent and transformer defaults (issue 10), by tag.
FAMILY_VARIANTS = {
    "stem": "the RNN reading a convolutional stem before the LSTM (patch_kernel=9, "
    "64 filters, ReLU, max-pooled by patch_size=4: DanQ's convolution-then-BiLSTM "
    "design; a quarter of the recurrent steps); since then the default for DNA "
    "and RNA, the transformer's rule",
    "ends25": "the RNN with the token counts of each protein's first and last "
    '25 positions in its head (end_features="auto", the CNN\'s rule of step 27); '
    "since step 29 the RNN's default",
    "series": 'normalize_input="series" (each float series standardised by its '
    "own per-channel mean and std, which the head gets as features; the CNN "
    "classifier's default since step 31); these rows ran from d4e31d3, where it "
    "was every classifier's default; not adopted for the RNN and transformer",
    "ends25+head256": "ends25 with the CNN's dense head (hidden_layer_sizes="
    "(256, 64) instead of (64,)); not adopted",
    "attn0": "the transformer's attention_dropout 0.1 -> 0.0 (attention "
    "weights not dropped, so torch's fused CPU attention kernel runs)",
    "gru": 'the RNN with cell="gru": scores within noise of the LSTM\'s, '
    "and torch's GRU is the slower cell on CPU (one training step of the "
    "default network on 32 series of 150 points, one thread: 0.135 s against "
    "the LSTM's 0.074 s, measured side by side)",
    "patch4": "the transformer reading non-overlapping patches of 4 tokens "
    "(patch_size=4: a strided convolution, attention over a quarter of the "
    "positions); on Oct4/MafK compared with the stem9p4 default adopted after it",
    "stem9p4": "the transformer with a convolutional stem (patch_kernel=9: a "
    "convolution of width 9 over every position, then a max-pool of 4, "
    'patch_size=4); since then the default for DNA and RNA (patch_size="auto", '
    'patch_kernel="auto"), not for larger alphabets; its Oct4/MafK row is the '
    "default's row there",
}

# Early stopping on by default (step 22 of benchmarks/README.md), by tag: run
# on the choose sets, then on the confirm sets for the CNN and dense
# classifiers, and on two series sets for the RNN and transformer; not
# adopted. Its rows have a section of their own, not the choose-set variants'.
STOPPING = {
    "es": "early_stopping=True (a stratified tenth held out, stop after "
    "n_iter_no_change epochs without a better validation loss: 5 for the "
    "sequence families, 10 for the dense and image ones; best epoch restored). "
    "The confirm sets' rows ran from a copy whose classifiers defaulted to "
    'early_stopping="auto", the same as True on these sets (the CNN\'s rows '
    "of the sets steps 29 and 31 changed were rerun with True in step 31)",
    "es10": "es with n_iter_no_change=10 for the sequence CNN",
}
STOPPING_MODELS = [FAMILIES[f] for f in ("cnn", "rnn", "transformer", "image")]


def _mark(now, best):
    d = np.mean(now["scores"]) - np.mean(best["scores"])
    within = abs(d) <= max(np.std(now["scores"]), np.std(best["scores"]))
    return f"{d:+.3f} ({'win' if d > 0 else ('within 1 std' if within else 'LOSS')})"


def _best_baseline(got):
    """The best-scoring baseline row among a set's rows ``got``, or None."""
    base = [r for r in got if r["tag"] == "baseline"]
    return max(base, key=lambda r: np.mean(r["scores"]), default=None)


def _families(rows, by_set):
    """The sequence families side by side at their defaults (seed 0), on the
    sets where the recurrent or transformer estimators ran."""
    body = []
    for s in SETS:
        got = {f: rows.get((s.name, m, NOW, 0)) for f, m in FAMILY_MODELS.items()}
        if not (got["RNN"] or got["transformer"]):
            continue
        best = _best_baseline(by_set.get(s.name, []))
        row = [s.name, s.role, _cell(best) if best else ""]
        for r in got.values():
            row.append(
                _cell(r) + (f", {_mark(r, best)}" if best else "") if r else "not run"
            )
        row.append(
            " / ".join(f"{r['fit_time']:.0f}" if r else "-" for r in got.values())
        )
        row.append(" / ".join(r["date"][5:] if r else "-" for r in got.values()))
        body.append(row)
    if not body:
        return []
    return [
        "",
        "## Sequence families at their defaults",
        "",
        "`RNNClassifier` / `RNNRegressor` and `TransformerClassifier` /",
        "`TransformerRegressor` with their defaults in the same pipelines",
        "(`bench_defaults.py --family rnn`, `--family transformer`), next to",
        "the CNN and the best baseline, on the same folds, seed 0. Their",
        "defaults were set by hand (the CNN's recipe and common practice);",
        "the variants listed below the table were tried on the choose sets and",
        "kept where they scored as well and cost less. *not run*: left out",
        "for time (the transformer's fits on long proteins cost the most;",
        "see the fit column). Fit times are",
        "summed over folds; *run on* gives each row's date (month-day). Rows",
        "of different dates ran at different commits and machine speeds, so",
        "compare times only roughly; `benchmarks/README.md`, steps 11-18,",
        "says which commit and conditions each batch of rows had.",
        "",
        *table(
            ["set", "role", "best baseline", "CNN", "RNN", "transformer",
             "fit s CNN / RNN / transformer", "run on CNN / RNN / transformer"],
            body,
        ),
        *_family_variants(rows),
    ]  # fmt: skip


IMAGE_MODEL = FAMILIES["image"]
# Variants of the image CNNs' defaults (issue 11), by tag.
IMAGE_VARIANTS = {
    "flatten": 'global_pooling="flatten" instead of "avg"',
    "no-bn": "batch_norm=False",
    "conv32-64-128": "a third block, conv_filters=(32, 64, 128)",
    "shift0.1": 'augment={"shift": 0.1}: random shifts of up to 10% per image',
    "shift0.1-rot10": 'augment={"shift": 0.1, "rotation": 10}',
    "bf16": 'precision="bf16-mixed" (bfloat16 autocast; see results/image.md '
    "for its speed)",
}


def _images(rows, by_set):
    """The image CNNs at their defaults next to the dense pipeline and the
    best baseline, and the variants of their defaults tried."""
    body, variants = [], []
    for s in SETS:
        if s.kind != "image":
            continue
        cnn = rows.get((s.name, IMAGE_MODEL, NOW, 0))
        if cnn is None:
            continue
        best = _best_baseline(by_set.get(s.name, []))
        dense = rows.get((s.name, "skdl", NOW, 0))
        body.append([
            s.name, s.role, best["model"] if best else "",
            _cell(best) if best else "", _cell(dense) if dense else "",
            _cell(cnn) + (f", {_mark(cnn, best)}" if best else ""),
            " / ".join(f"{r['fit_time']:.0f}" if r else "-"
                       for r in (best, dense, cnn)),
        ])  # fmt: skip
        for (name, model, tag, seed), r in sorted(rows.items()):
            if name == s.name and model == IMAGE_MODEL and tag != NOW and seed == 0:
                variants.append([
                    tag, s.name, s.role, _cell(cnn), _cell(r),
                    f"{cnn['fit_time']:.0f} / {r['fit_time']:.0f}",
                ])  # fmt: skip
    if not body:
        return []
    lines = [
        "",
        "## Image estimators at their defaults",
        "",
        "`ImageCNNClassifier(random_state=0)` on the pixels as the data",
        "packages give them (`bench_defaults.py --family image`: digits' flat",
        "rows of 0-16, MNIST's uint8 images, which the estimator scales to",
        "[0, 1]), next to the best baseline and the dense pipeline of the",
        "table above, on the same folds. Fit seconds are summed over folds",
        "(baseline / dense / image CNN).",
        "",
        *table(
            ["set", "role", "best baseline", "baseline", "dense (skdl)",
             "image CNN", "fit s baseline / dense / image CNN"],
            body,
        ),
    ]  # fmt: skip
    if variants:
        lines += [
            "",
            "### Variants of the image CNNs' defaults",
            "",
            "Tried on digits (the choose set); none was adopted: their",
            "differences are within one std of the folds. Augmentation by",
            "shifts was then also run on MNIST 5k, once the defaults were",
            "fixed, to see whether it helps there: it does not.",
            "",
            *table(
                ["variant", "set", "role", "default", "variant",
                 "fit s default / variant"],
                variants,
            ),
            "",
            *[f"- `{t}`: {IMAGE_VARIANTS[t]}" for t in sorted({v[0] for v in variants})
              if t in IMAGE_VARIANTS],
        ]  # fmt: skip
    return lines


GRAPH_MODEL = FAMILIES["graph"]
# Variants of the graph estimators' defaults (issue 12), by tag; the default
# (tag "default") is D-MPNN with sum readout, run as "dmpnn-sum" first.
GRAPH_VARIANTS = {
    "dmpnn-sum": "D-MPNN, sum readout: the default, as first run",
    "dmpnn-mean": 'D-MPNN with readout="mean" (chemprop\'s aggregation)',
    "gine-sum": 'GIN with edge features (conv="gine"), sum readout',
}


def _graphs(rows, by_set):
    """The graph estimators at their defaults on the SMILES sets, next to
    Morgan fingerprints + random forest (what a chemist tries first), the
    best baseline and the SMILES CNN; then the variants tried."""
    body, variants = [], []
    for s in SETS:
        if s.kind != "smiles":
            continue
        graph = rows.get((s.name, GRAPH_MODEL, NOW, 0))
        if graph is None:
            continue
        best = _best_baseline(by_set.get(s.name, []))
        morgan = rows.get((s.name, "Morgan FP + RF", "baseline", 0))
        cnn = rows.get((s.name, "skdl", NOW, 0))
        seeds = [rows.get((s.name, GRAPH_MODEL, NOW, k)) for k in range(5)]
        means = [np.mean(r["scores"]) for r in seeds if r]
        body.append([
            s.name, s.role, _cell(morgan) if morgan else "",
            f"{best['model']}: {_cell(best)}" if best else "",
            _cell(cnn) if cnn else "",
            _cell(graph) + (f", {_mark(graph, best)}" if best else ""),
            f"{np.std(means):.3f} ({len(means)})" if len(means) > 1 else "",
            " / ".join(f"{r['fit_time']:.0f}" if r else "-"
                       for r in (morgan, cnn, graph)),
        ])  # fmt: skip
        for (name, model, tag, seed), r in sorted(rows.items()):
            if name == s.name and model == GRAPH_MODEL and tag != NOW and seed == 0:
                variants.append([tag, s.name, s.role, _cell(r), f"{r['fit_time']:.0f}"])
    if not body:
        return []
    return [
        "",
        "## Graph estimators at their defaults",
        "",
        "`GraphRegressor(random_state=0)` on the raw SMILES (featurized",
        "inside the estimator; `bench_defaults.py --family graph`), next to",
        "Morgan fingerprints (radius 2, 2,048 bits) + random forest, the best",
        "baseline and the SMILES CNN pipeline, on the same folds. The seed",
        "column is the std of the fold means over the seeds run (their",
        "count in brackets). Fit seconds are summed over folds (Morgan + RF",
        "/ CNN / graph). The default (D-MPNN, sum readout, 300 wide, 3",
        "steps) was chosen on ESOL and FreeSolv among the variants below;",
        "Huuskonen and ChEMBL confirm.",
        "",
        *table(
            ["set", "role", "Morgan FP + RF", "best baseline", "SMILES CNN",
             "graph (D-MPNN)", "seed std", "fit s RF / CNN / graph"],
            body,
        ),
        "",
        "### Variants of the graph defaults (seed 0)",
        "",
        "These ran while tests shared the machine: compare their scores, not",
        "their fit times.",
        "",
        *table(["variant", "set", "role", "score", "fit s"], variants),
        "",
        *[f"- `{t}`: {GRAPH_VARIANTS[t]}" for t in sorted({v[0] for v in variants})
          if t in GRAPH_VARIANTS],
    ]  # fmt: skip


def _family_variants(rows):
    """Each variant of a family's defaults tried, next to the default it was
    compared with. An adopted one (``X``) left that default's rows under the
    tag ``before-X`` and its own are the default's (until a later adoption
    renames them in turn); one not adopted keeps its own tag."""
    families = set(FAMILY_MODELS.values()) - {FAMILY_MODELS["CNN"]}
    tags = {
        (m, t)
        for (_, m, t, _) in rows
        if m in families and t != NOW and t not in STOPPING
    }
    adopted = {
        (m, t.removeprefix("before-")) for m, t in tags if t.startswith("before-")
    }
    # Adoptions in the order they were logged: an adopted variant's own rows
    # are the "before-" rows of the next adoption on that set, if any.
    order = list(dict.fromkeys(
        t.removeprefix("before-") for (_, m, t, _) in rows if t.startswith("before-")
    ))  # fmt: skip

    def after(s, model, tag):
        for later in order[order.index(tag) + 1 :]:
            row = rows.get((s.name, model, "before-" + later, 0))
            if row is not None:
                return row
        return rows.get((s.name, model, NOW, 0))

    body = []
    # An adopted variant may have run only as the new default (its "before-"
    # rows, and none tagged with its own name).
    for model, tag in sorted(tags | adopted):
        if tag.startswith("before-"):
            continue
        kept = (model, tag) in adopted
        for s in SETS:
            if kept:
                old = rows.get((s.name, model, "before-" + tag, 0))
                new = after(s, model, tag)
            else:
                old = rows.get((s.name, model, NOW, 0))
                new = rows.get((s.name, model, tag, 0))
            if old is None or new is None:
                continue
            body.append([
                model.removeprefix("skdl "), tag, "yes" if kept else "no", s.name,
                s.role, _cell(old), _cell(new),
                f"{old['fit_time']:.0f} / {new['fit_time']:.0f}",
            ])  # fmt: skip
    if not body:
        return []
    return [
        "",
        "### Variants of the families' defaults",
        "",
        "Each row: the family's default at the time and the variant, seed 0.",
        "Variants ran on the choose sets first; an adopted one then ran on the",
        "confirm sets too, and its rows are the default's rows above. Fit",
        "seconds are summed over folds; a variant and the default it is",
        "compared with ran on different days, so its times compare roughly.",
        "",
        *table(
            ["family", "variant", "adopted", "set", "role", "default then",
             "variant", "fit s default / variant"],
            body,
        ),
        "",
        *[f"- `{t}`: {FAMILY_VARIANTS[t]}" for t in sorted({b[1] for b in body})
          if t in FAMILY_VARIANTS],
    ]  # fmt: skip


def _early_stopping(rows, by_set):
    """Each model at its default next to the same model with early stopping
    (the ``STOPPING`` tags), seed 0, on every set where both ran."""
    body = []
    for tag in STOPPING:
        for s in SETS:
            best = _best_baseline(by_set[s.name])
            for model in STOPPING_MODELS:
                old, new = (
                    rows.get((s.name, model, NOW, 0)),
                    rows.get((s.name, model, tag, 0)),
                )
                if not (old and new):
                    continue
                body.append([
                    tag, model, s.name, s.role, _cell(old), _cell(new),
                    _versus(new, old), _mark(new, best) if best else "",
                    f"{old['fit_time']:.0f} / {new['fit_time']:.0f}",
                    f"{old['date'][5:]} / {new['date'][5:]}",
                ])  # fmt: skip
    if not body:
        return []
    return [
        "",
        "## Early stopping by default: tried, not adopted",
        "",
        "Each row: a model at its default (early stopping off) and the same",
        "model with early stopping, seed 0; *vs default* compares the two,",
        "*vs best baseline* the variant with the set's best baseline. Fit",
        "seconds are summed over folds; *run on* gives both rows' dates",
        "(month-day), and rows of different dates compare roughly.",
        "`benchmarks/README.md` (step 22) says why it was not adopted.",
        "",
        *table(
            ["variant", "model", "set", "role", "default", "variant score",
             "vs default", "vs best baseline", "fit s default / variant",
             "run on"],
            body,
        ),
        "",
        *[f"- `{t}`: {d}" for t, d in STOPPING.items()],
    ]  # fmt: skip


# Variants of the sequence families' defaults run on the subsets (step 24),
# by tag.
SUBSET_VARIANTS = {
    "steps1000": 'the default before step 24: max_epochs="auto" trained at '
    "least 1,000 optimizer steps for classifiers on token ids too (77 epochs "
    "of 13 steps on 200 rows)",
    "ep20": "the default with max_epochs=20 (about 260 steps on 200 rows); "
    'for the CNN classifier on token ids, what "auto" resolves to since '
    "step 24 (those rows are tagged default); not for regressors or series, "
    "and not adopted for the RNN and transformer",
    "l2e-3": "the default with l2=1e-3 (not adopted)",
    "spatial0": "the default before step 25, without channel dropout for "
    'word vocabularies (spatial_dropout="auto" gives them 0.2 since then)',
}


def _subsamples(rows, by_set):
    """skdl's CNN default and the baselines on random subsets of a few
    hundred rows of each set (``bench_defaults.py --subsample``)."""
    names = {}
    for r in rows.values():
        if r.get("subsample_of"):
            names.setdefault((r["subsample_of"], r["n"]), r["set"])
    body, tried = [], []
    for s in SETS:
        whole = rows.get((s.name, FAMILIES["cnn"], NOW, 0))
        for n in sorted(n for (of, n) in names if of == s.name):
            sub = names[(s.name, n)]
            best = _best_baseline(by_set[sub])
            now = rows.get((sub, FAMILIES["cnn"], NOW, 0))
            stack = rows.get((sub, FAMILIES["cnn"] + BLEND_SUFFIX, "stack", 0))
            if not (best and now):
                continue
            old = rows.get((sub, FAMILIES["cnn"], "steps1000", 0))
            body.append([
                s.name, s.kind, s.role, f"{n} of {whole['n'] if whole else '?'}",
                f"{now['draws']} x {now['folds']}", s.metric, best["model"],
                _cell(best), _cell(now), _mark(now, best),
                _cell(old) if old else "",
                f"{_cell(stack)}: {_mark(stack, best)}" if stack else "",
                _cell(whole) if whole else "", f"{now['fit_time']:.0f}",
            ])  # fmt: skip
            for family in ("cnn", "rnn", "transformer", "graph"):
                model = FAMILIES[family]
                mine = rows.get((sub, model, NOW, 0))
                cells = [rows.get((sub, model, t, 0)) for t in SUBSET_VARIANTS]
                if mine and (family != "cnn" or any(cells)):
                    tried.append([sub, s.role, model, _cell(mine),
                                  *[_cell(r) if r else "" for r in cells]])  # fmt: skip
    if not body:
        return []
    tried_lines = []
    if tried:
        tried_lines = [
            "",
            "The other families' defaults, and variants of the defaults, on the",
            "subsets (choose sets to choose, confirm sets run once after;",
            "`--subsample 250 --tag <variant> --params ...`, and `--family rnn`",
            "/ `transformer` / `graph`):",
            "",
            *table(["subset", "role", "model", "default", *SUBSET_VARIANTS], tried),
            "",
            *[f"- `{t}`: {d}" for t, d in SUBSET_VARIANTS.items()],
        ]
    return [
        "",
        "## Small data: random subsets of each set",
        "",
        "The same models on random subsets of a few hundred rows of each set",
        "(stratified for classifiers; `bench_defaults.py --subsample N`): each",
        "subset is cross-validated on the set's folds, and the scores are the",
        "mean ± std over the folds of all subsets (*subsets x folds*). *skdl on",
        "the whole set* is the main table's score, for comparison. *stacked*",
        "is skdl stacked with the kind's baseline on the same subsets",
        "(`--blend stack`, as in *The CNN averaged with the baseline*), and",
        "its margin over the best baseline. *before step 24* is the CNN",
        "default that trained at least 1,000 steps on token ids too",
        "(`steps1000`). *fit s* sums skdl's fit times over all folds of all",
        "subsets.",
        "",
        *table(
            ["set", "kind", "role", "rows", "subsets x folds", "metric",
             "best baseline", "baseline", "skdl", "skdl − baseline",
             "before step 24", "stacked", "skdl on the whole set", "fit s"],
            body,
        ),
        *tried_lines,
    ]  # fmt: skip


def _ensembles(rows, single):
    """Seed ensembles of the CNN default (``--ensemble N``) next to the single
    seeds' spread (``single``: set -> {seed: CV mean})."""
    runs = defaultdict(dict)
    for (name, model, tag, seed), r in rows.items():
        if model == "skdl" and r.get("ensemble"):
            runs[(name, tag, r["ensemble"])][seed] = r
    if not runs:
        return []
    lines = [
        "",
        "## Seed ensembles",
        "",
        "`SeedEnsembleClassifier(pipeline, n_members=N, random_state=seed)`",
        "around the CNN pipeline at its defaults (`bench_defaults.py",
        "--ensemble N --seeds ...`): each ensemble averages N members whose",
        "seeds it draws from its own `random_state`, so ensembles of",
        "different seeds share no member. *single seeds* repeats the seed",
        "table above; the std columns are the spread of the CV means",
        "across seeds. Fit seconds are summed over folds, the mean over",
        "seeds (single / ensemble); an ensemble is N fits by construction.",
        "*run on* gives the rows' dates (month-day): rows of different dates",
        "ran at different machine speeds and loads, so a ratio of their fit",
        "times is not the cost of averaging (`benchmarks/README.md` says how",
        "each batch ran).",
        "",
    ]
    out = []
    for s in SETS:
        for (name, _tag, n), by_seed in sorted(runs.items()):
            if name != s.name:
                continue
            ens = np.array([np.mean(by_seed[k]["scores"]) for k in sorted(by_seed)])
            one = single.get(name, {})
            ones = np.array([one[k] for k in sorted(one)])
            fit_one = [
                rows[(name, "skdl", NOW, k)]["fit_time"]
                for k in one
                if (name, "skdl", NOW, k) in rows
            ]
            fit_ens = np.mean([r["fit_time"] for r in by_seed.values()])
            dates = [
                sorted({rows[(name, "skdl", NOW, k)]["date"][5:] for k in one
                        if (name, "skdl", NOW, k) in rows}),
                sorted({r["date"][5:] for r in by_seed.values()}),
            ]  # fmt: skip
            out.append(
                [
                    name,
                    s.role,
                    ", ".join(f"{v:.3f}" for v in ones) if len(ones) else "",
                    f"{ones.mean():.3f} ± {ones.std():.3f}" if len(ones) else "",
                    f"{n} ({', '.join(str(k) for k in sorted(by_seed))})",
                    ", ".join(f"{v:.3f}" for v in ens),
                    f"{ens.mean():.3f} ± {ens.std():.3f}",
                    f"{np.mean(fit_one):.0f} / {fit_ens:.0f}" if fit_one else "",
                    " / ".join(", ".join(d) or "-" for d in dates),
                ]
            )
    lines += table(
        ["set", "role", "single seeds", "mean ± std", "members (seeds)",
         "ensembles", "mean ± std", "fit s single / ensemble",
         "run on single / ensemble"],
        out,
    )  # fmt: skip
    return lines


BLEND_MODEL = FAMILIES["cnn"] + BLEND_SUFFIX


def _versus(row, cnn):
    """``_mark`` against the CNN alone, in words for a comparison of two
    skdl models: better, same (equal to three decimals), within 1 std or
    worse."""
    if not (row and cnn):
        return ""
    d = np.mean(row["scores"]) - np.mean(cnn["scores"])
    if round(d, 3) == 0:
        return f"{d:+.3f} (same)"
    return _mark(row, cnn).replace("LOSS", "worse").replace("win", "better")


def _blends(rows, by_set):
    """The CNN default averaged with its kind's baseline (``--blend``), next
    to both alone and the set's best baseline (seed 0); then, where they
    ran, the two stacked (``--blend stack``)."""
    body, stacked = [], []
    for s in SETS:
        r = rows.get((s.name, BLEND_MODEL, NOW, 0))
        if not r:
            continue
        cnn = rows.get((s.name, "skdl", NOW, 0))
        member = rows.get((s.name, r["blend"], "baseline", 0))
        best = _best_baseline(by_set.get(s.name, []))
        body.append(
            [
                s.name,
                s.role,
                r["blend"],
                _cell(member) if member else "",
                _cell(cnn) if cnn else "",
                _cell(r),
                _mark(r, best) if best else "",
                _versus(r, cnn),
                f"{r['fit_time']:.0f} / {member['fit_time']:.0f}" if member else "",
                r["date"][5:],
            ]
        )
        st = rows.get((s.name, BLEND_MODEL, "stack", 0))
        stacked.append(
            [
                s.name,
                s.role,
                _cell(cnn) if cnn else "",
                _cell(r),
                _cell(st) if st else "not run",
                (_mark(st, best) if st and best else ""),
                _versus(st, cnn),
                f"{st['fit_time']:.0f}" if st else "",
            ]
        )
    if not body:
        return []
    if any(row[4] != "not run" for row in stacked):
        stack_lines = [
            "",
            "Stacked instead of averaged (`--blend stack --tag stack`):",
            "`StackingClassifier` / `StackingRegressor` with scikit-learn's",
            "defaults, a logistic regression or `RidgeCV` fitted to the two",
            "members' 5-fold out-of-fold outputs inside each training fold, so",
            "each fit costs six fits of each member. Run on the smaller sets",
            "only, for time.",
            "",
            *table(
                ["set", "role", "CNN", "average", "stacked",
                 "stacked vs best baseline", "stacked vs CNN", "fit s stacked"],
                [row for row in stacked if row[4] != "not run"],
            ),
        ]  # fmt: skip
    else:
        stack_lines = []
    return [
        "",
        "## The CNN averaged with the baseline",
        "",
        "`VotingClassifier([(\"skdl\", cnn), (\"baseline\", base)],",
        "voting=\"soft\")` (mean class probabilities) or `VotingRegressor`",
        "(mean predictions) of the CNN pipeline at its defaults and one",
        "baseline per kind of data (`bench_defaults.py --blend`): the",
        "baseline that scored best on that kind's choose sets, so not",
        "always the set's best. Equal weights, fixed before the runs (on",
        "SOLpro's folds, a choose set). *vs best baseline* compares the",
        "average with the set's best baseline, *vs CNN* with the CNN alone",
        "(`worse`: below it by more than one std; `same`: equal to three",
        "decimals). Fit seconds are summed",
        "over folds, the average (which fits both) / the baseline alone; the",
        "CNN's own fit time is in the first table, from an earlier day at",
        "another machine speed, so the two are not compared here. *run on* is",
        "the average's date (month-day).",
        "",
        *table(
            ["set", "role", "baseline averaged", "that baseline", "CNN",
             "average", "vs best baseline", "vs CNN", "fit s average / baseline",
             "run on"],
            body,
        ),
        *stack_lines,
    ]  # fmt: skip


def _latest(path, quick=False):
    rows = {}
    with open(path) as f:
        for line in f:
            row = json.loads(line)
            if not row.get("quick") or quick:
                rows[(row["set"], row["model"], row["tag"], row["seed"])] = row
    return rows


def _cell(row):
    s = np.array(row["scores"])
    return f"{s.mean():.3f} ± {s.std():.3f}"


def write(log, out, quick=False):
    """The table of ``log``'s latest rows per set, model, tag and seed
    (smoke-run rows only with ``quick``, for the scripts' own test)."""
    rows = _latest(log, quick)
    by_set = defaultdict(list)
    for key, row in rows.items():
        by_set[key[0]].append(row)
    lines = [
        "# Defaults benchmark: skdl's defaults against the baseline a user tries first",
        "",
        "Written by `python benchmarks/bench_defaults.py --table` from the rows in",
        "`results/defaults.jsonl` (each run of the script appends its rows; see the",
        "script's docstring for the commands). Scores are the mean ± std over the",
        "folds of the test-fold accuracy (classifiers) or R² (regressors), on the",
        "same shuffled folds (seed 0) for every model. *skdl* is the pipeline a new",
        "user writes, with every estimator parameter at its default but",
        "`random_state=0`; *before* is the same pipeline with the defaults of the",
        "commit before the defaults changed (38acbe4). *best baseline* is the better",
        "of the set's baselines (for proteins since step 27 of",
        "`benchmarks/README.md`, gradient boosting on composition and",
        "physicochemical summaries, the strongest sequence-only baseline found).",
        "*fit s* sums the folds' fit times (two folds ran at",
        "a time, one torch thread each); rows come from runs on different days of a",
        "shared VM whose speed varied by up to 1.6x, so compare fit times of rows",
        "run together (`date` in `defaults.jsonl`; `benchmarks/README.md` says",
        "which). *role*: `choose` sets were used to choose",
        "the defaults, `confirm` sets were only run once the defaults were fixed",
        "(exceptions: an earlier candidate was run on them too, and the three",
        "sets added in step 28 ran with the defaults before and after that",
        "step's change; see `benchmarks/README.md`). PLAID was added in step 31",
        "as a choose set, to choose how series of unequal amplitude are scaled.",
        "*before* is `not run` for those four (added later) and for the long",
        "protein sets, where the",
        "old default padded every protein to the longest one (up to 1,963",
        "residues, no length bucketing) and one SOLpro fit ran over 20 minutes.",
        "*skdl − baseline* says `win`, `within 1 std` (of either model's folds) or",
        "`LOSS`. The VMs also differed in CPU, and CPUs round floats differently:",
        "the same setting and seed rerun on another CPU moved a score by up to",
        "0.003 (step 26 of `benchmarks/README.md`). Rows record their CPU (`cpu`)",
        "since step 26; the line below names the machine that wrote this table.",
        "",
        environment(threads=1),
        "",
    ]
    cols = [
        "set",
        "kind",
        "role",
        "n",
        "folds",
        "metric",
        "best baseline",
        "baseline",
        "skdl before",
        "skdl",
        "skdl − baseline",
        "fit s before",
        "fit s",
    ]
    body = []
    for s in SETS:
        got = by_set.get(s.name)
        if not got:
            continue
        best = _best_baseline(got)
        now = rows.get((s.name, "skdl", NOW, 0))
        before = rows.get((s.name, "skdl", BEFORE, 0))
        delta = _mark(now, best) if best and now else ""
        body.append(
            [
                s.name,
                s.kind,
                s.role,
                got[0]["n"],
                got[0]["folds"],
                s.metric,
                best["model"] if best else "",
                _cell(best) if best else "",
                _cell(before) if before else "not run",
                _cell(now) if now else "",
                delta,
                f"{before['fit_time']:.0f}" if before else "",
                f"{now['fit_time']:.0f}" if now else "",
            ]
        )
    lines += table(cols, body, right=("n", "folds", "fit s before", "fit s"))
    lines += ["", "## All baselines", ""]
    base_rows = []
    for s in SETS:
        for name in s.baselines:
            r = rows.get((s.name, name, "baseline", 0))
            if r:
                base_rows.append([s.name, name, _cell(r), f"{r['fit_time']:.0f}"])
    lines += table(["set", "baseline", "score", "fit s"], base_rows, right=("fit s",))
    lines += _families(rows, by_set)
    lines += _blends(rows, by_set)
    lines += _images(rows, by_set)
    lines += _graphs(rows, by_set)
    seeds = defaultdict(dict)  # the CNN's, for the ensembles' table
    by_model = defaultdict(dict)  # every default model's
    models = list(FAMILIES.values())
    for (name, model, tag, seed), r in rows.items():
        if model in models and tag == NOW and not r.get("ensemble"):
            by_model[(name, model)][seed] = np.mean(r["scores"])
            if model == "skdl":
                seeds[name][seed] = np.mean(r["scores"])
    multi = {k: v for k, v in by_model.items() if len(v) > 1}
    if multi:
        lines += [
            "",
            "## Seed variance of the defaults",
            "",
            "The CV mean for each `random_state`, and the spread across seeds,",
            "for each model at its defaults (*skdl*: the sequence CNN, or the",
            "dense networks for tables and pixels).",
            "",
        ]
        seed_rows = []
        for s in SETS:
            for model in models:
                v = multi.get((s.name, model))
                if not v:
                    continue
                vals = np.array(list(v.values()))
                seed_rows.append(
                    [
                        s.name,
                        model,
                        ", ".join(str(k) for k in sorted(v)),
                        ", ".join(f"{v[k]:.3f}" for k in sorted(v)),
                        f"{vals.mean():.3f}",
                        f"{vals.std():.3f}",
                    ]
                )
        lines += table(
            ["set", "model", "seeds", "CV mean per seed", "mean", "std"], seed_rows
        )
    lines += _ensembles(rows, seeds)
    lines += _early_stopping(rows, by_set)
    lines += _subsamples(rows, by_set)
    variants = sorted(
        {t for (_, m, t, _), r in rows.items() if m == "skdl" and not r.get("ensemble")}
        - {NOW, BEFORE}
        - set(STOPPING)
    )
    if variants:
        lines += [
            "",
            "## Variants tried while choosing (choose sets only)",
            "",
            "Each variant, described below the table, changes the named settings",
            "from an earlier candidate; the settings are in `defaults.jsonl`.",
            "",
        ]
        names = [s.name for s in SETS if s.role == "choose"]
        var_rows = []
        for tag in variants:
            cells = []
            for n in names:
                r = rows.get((n, "skdl", tag, 0))
                cells.append(f"{np.mean(r['scores']):.3f}" if r else "")
            if any(cells):
                var_rows.append([tag, *cells])
        lines += table(["variant", *names], var_rows)
        lines += ["", "Variants:", ""]
        lines += [f"- `{t}`: {VARIANTS[t]}" for t in variants if t in VARIANTS]
    write_table(out, lines)


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    write(
        os.path.join(here, "results", "defaults.jsonl"),
        os.path.join(here, "results", "defaults.md"),
    )
