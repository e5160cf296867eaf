"""Helpers the benchmark scripts share (run them as scripts: this folder is
then on ``sys.path``)."""

import argparse
import os
import platform


def cpu_name():
    """The CPU's model name (from /proc/cpuinfo where there is one)."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(ln.split(":", 1)[1].strip() for ln in f if "model name" in ln)
    except (OSError, StopIteration):
        pass
    return cpu


def write_table(path, lines):
    """Write a results table (a list of lines) to ``path`` and say so."""
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    print(f"wrote {path}")


def arguments(doc, results, repeats):
    """The options every benchmark takes: ``--quick``, ``--repeats`` and
    ``--out`` (default ``results/<results>`` beside the scripts)."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny smoke run")
    parser.add_argument("--repeats", type=int, default=repeats)
    parser.add_argument(
        "--out", default=os.path.join(os.path.dirname(__file__), "results", results)
    )
    return parser


def environment(threads=1):
    """The line every results table gives about where it was measured."""
    import datetime
    import sys

    import torch

    return (
        f"Date: {datetime.date.today()}; CPU: {cpu_name()}; {os.cpu_count()} cores, "
        f"{threads} torch thread(s); Python {sys.version.split()[0]}, "
        f"torch {torch.__version__}"
    )


def table(columns, rows, right=()):
    """A markdown table: ``columns`` names, ``rows`` of cells, the columns
    named in ``right`` right-aligned (numbers)."""
    rule = ["---:" if c in right else "---" for c in columns]
    lines = ["| " + " | ".join(columns) + " |", "|" + "|".join(rule) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return lines
