# The project's vocabulary. A newcomer needs only `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed

.PHONY: run test browser pdf-libraries lint typecheck schema bench bench-peers audit reconcile serve-prod clean

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(INSTALLED)

## Serve GraphQL on http://127.0.0.1:8000/graphql (embedded PostgreSQL unless DATABASE_URL is set).
run: $(INSTALLED)
	$(PY) server.py

## The whole suite against real PostgreSQL (embedded unless TEST_DATABASE_URL is set) and a real
## browser (Debian's chromium), then lint and types. A worker per core, at most four (each has its
## own embedded server and template database); a test module stays on one worker, so its
## module-wide fixtures are built once. TEST_WORKERS=0 runs it in this process.
TEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 1); [ $$n -gt 4 ] && n=4; echo $$n)
test: $(INSTALLED) browser pdf-libraries
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile
	$(MAKE) --no-print-directory lint typecheck

## Debian's chromium for the browser tests (tests/web/), installed when missing.
browser:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || { \
	  command -v apt-get >/dev/null 2>&1 || { echo "The browser tests need Chromium: install your system's chromium package."; exit 1; }; \
	  sudo=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  echo "Installing Debian's chromium for the browser tests..."; \
	  $$sudo apt-get install -y -qq chromium >/dev/null 2>&1 || \
	    { $$sudo apt-get update -qq >/dev/null && $$sudo apt-get install -y -qq chromium >/dev/null; } || \
	    { echo "Could not install chromium: run 'sudo apt-get install chromium', then make test again."; exit 1; }; \
	}

## HarfBuzz's subsetting library, with which WeasyPrint embeds only the glyphs a PDF uses (without
## it, it warns, and the suite treats warnings as errors); Debian's chromium brings it too.
pdf-libraries:
	@ldconfig -p 2>/dev/null | grep -q libharfbuzz-subset || { \
	  command -v apt-get >/dev/null 2>&1 || { echo "The PDF documents need HarfBuzz's subset library (libharfbuzz-subset)."; exit 1; }; \
	  sudo=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  echo "Installing Debian's libharfbuzz-subset0 for the PDF documents..."; \
	  $$sudo apt-get install -y -qq libharfbuzz-subset0 >/dev/null 2>&1 || \
	    { $$sudo apt-get update -qq >/dev/null && $$sudo apt-get install -y -qq libharfbuzz-subset0 >/dev/null; } || \
	    { echo "Could not install it: run 'sudo apt-get install libharfbuzz-subset0', then make test again."; exit 1; }; \
	}

lint: $(INSTALLED)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(INSTALLED)
	$(VENV)/bin/mypy

## Benchmarks (medians and ratios; results in bench/results/).
bench: $(INSTALLED)
	$(PY) -m bench.authorisation
	$(PY) -m bench.run
	$(PY) -m bench.pages
	$(PY) -m bench.documents
	$(PY) -m bench.lkjip_jobs
	$(PY) -m bench.read_shapes
	$(PY) -m bench.evaluation
	$(PY) -m bench.planning
	$(PY) -m bench.monev
	$(PY) -m bench.individual
	$(PY) -m bench.workbook
	$(PY) -m bench.overload

## Kinerja beside PostGraphile 4.14.1 (npm, installed under .data/peers) on the bench database;
## needs Node.js and npm, not part of make test. Results: bench/results/peers.md.
bench-peers: $(INSTALLED)
	$(PY) -m bench.peers

## The GraphQL-over-HTTP audit of the graphql-http npm package against a real server (needs Node.js and npm).
audit: $(INSTALLED)
	$(PY) -m bench.audit

## Compare the rollup aggregates with a recomputation from base tables (FIX=1 rebuilds them);
## DATABASE_URL, or the embedded database `make run` serves.
reconcile: $(INSTALLED)
	$(PY) -m store.reconcile $(if $(FIX),--fix)

## Production: DATABASE_URL and KINERJA_SECRET required; migrates (as DATABASE_OWNER_URL when set), then WORKERS processes (default 2).
serve-prod: $(INSTALLED)
	@test -n "$$DATABASE_URL" -a -n "$$KINERJA_SECRET" || { echo "serve-prod needs DATABASE_URL and KINERJA_SECRET (README.md)."; exit 2; }
	$(PY) -c "import os; from store import migrate; migrate.upgrade(os.environ.get('DATABASE_OWNER_URL') or os.environ['DATABASE_URL'])"
	$(VENV)/bin/uvicorn --factory server:production_app --host $${HOST:-0.0.0.0} --port $${PORT:-8000} \
		--workers $${WORKERS:-2} --no-access-log

## Rewrite schema.graphql from the code (a test fails while they differ).
schema: $(INSTALLED)
	$(PY) -m api.export > schema.graphql

clean:
	rm -rf $(VENV) .data .pytest_cache .mypy_cache .ruff_cache
