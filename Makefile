# Each target sets up .venv by itself on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DIR ?= demo-output

.PHONY: all install demo test test-fast lint bench mutation coverage w3c clean

all: test

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/ecvet demo --out $(DEMO_DIR)

# The whole suite, slow tests included (well under 15 minutes on 2 cores), after the lint.
test: lint
	$(BIN)/python -m pytest -n 2 -q -m "not flood"
	$(BIN)/python -m pytest -q -m flood

# Bugs lint (ruff), the types (mypy, configured in pyproject.toml) and the layer contracts (import-linter,
# see README "Design").
lint: $(STAMP)
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/mypy
	$(BIN)/lint-imports

# Inner loop: everything but the slow tests.
test-fast: $(STAMP)
	$(BIN)/python -m pytest -n 2 -q -m "not slow"

bench: $(STAMP)
	$(BIN)/python bench/run.py
	$(BIN)/python bench/bench_fast.py
	$(BIN)/python bench/bench_qr_sizes.py

# The four W3C VC test suites, offline, against `ecvet serve` with examples/serve-interop.toml (needs node
# and npm; not part of `make test`). SUITES_DIR defaults to ../shared/w3c-suites; see scripts/w3c/run.sh.
w3c: $(STAMP)
	scripts/w3c/run.sh $(W3C_SUITES)

# Branch coverage of the fast suite, one row per package (not part of `make test`; see scripts/coverage.py).
coverage: $(STAMP)
	$(BIN)/python scripts/coverage.py

# Mutation testing of the modules that decide verdicts (not part of `make test`: it takes a while).
mutation: $(STAMP)
	$(BIN)/python scripts/mutation.py

clean:
	rm -rf $(VENV) $(DEMO_DIR) .pytest_cache build dist mutants
