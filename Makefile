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

.PHONY: venv demo test test-fast bench lint clean

venv: $(STAMP)

$(STAMP): pyproject.toml Makefile
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q $(FIND_LINKS) "$(TORCH_PIN)"
	$(PY) -m pip install -q $(FIND_LINKS) -e ".[test,dev]" "$(TORCH_PIN)"
	touch $(STAMP)

demo: venv
	$(PY) examples/demo.py

test: venv
	$(PY) -m pytest -q

# Skip the slow accuracy checks.
test-fast: venv
	$(PY) -m pytest -q -m "not slow"

bench: venv
	$(PY) benchmarks/bench_dense.py

lint: venv
	$(VENV)/bin/ruff check skdl tests examples benchmarks
	$(VENV)/bin/ruff format --check skdl tests examples benchmarks

clean:
	rm -rf $(VENV) .pytest_cache
