# The project's vocabulary. A newcomer needs only `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed

.PHONY: run test lint typecheck schema check bench clean

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(INSTALLED)

## Serve GraphQL on http://127.0.0.1:8000/graphql (embedded PostgreSQL unless DATABASE_URL is set).
run: $(INSTALLED)
	$(PY) server.py

## The whole suite against real PostgreSQL (embedded unless TEST_DATABASE_URL is set), then lint and types.
test: $(INSTALLED)
	$(PY) -m pytest
	$(MAKE) --no-print-directory lint typecheck

lint: $(INSTALLED)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(INSTALLED)
	$(VENV)/bin/mypy

## Benchmarks (medians and ratios; results in bench/results/).
bench: $(INSTALLED)
	$(PY) -m bench.authorisation

## Rewrite schema.graphql from the code (a test fails while they differ).
schema: $(INSTALLED)
	$(PY) -m schema.export > schema.graphql

clean:
	rm -rf $(VENV) .data .pytest_cache .mypy_cache .ruff_cache
