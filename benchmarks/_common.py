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
