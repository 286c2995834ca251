# The suite's two front doors: `make up` runs everything, `make test` checks everything.
# Both install what they need first (`make setup`), so a fresh clone needs nothing else.

VENV   := .venv
PYTHON := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

# MLflow looks up a telemetry host at start; this machine (and many CI runners) has no internet.
export MLFLOW_DISABLE_TELEMETRY := true
export DO_NOT_TRACK := true
# One intra-op thread: the ~0.2 ms forward of the small LSTM gains nothing from more on 2 cores,
# and torch's default OpenMP pool made serving throughput bimodal (150-770 req/s run to run).
export OMP_NUM_THREADS := 1

.PHONY: help setup up test lint typecheck pytest bench compose-check clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

setup: $(STAMP) ## create .venv and install the suite with every extra (torch: the CPU wheel)

$(STAMP): pyproject.toml
	test -x $(PYTHON) || python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip
	# torch first and exactly pinned, so nothing later can resolve a CUDA build.
	$(PYTHON) -m pip install --quiet torch==2.13.0
	$(PYTHON) -m pip install --quiet -e '.[all,dev]'
	touch $(STAMP)

up: setup ## run the whole suite locally on the embedded default (state under var/)
	bash scripts/up.sh

test: setup lint typecheck pytest compose-check ## every check: lint, types, tests, compose schema

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: setup
	$(VENV)/bin/mypy

pytest: setup
	$(PYTHON) -m pytest $(PYTEST_ARGS)

compose-check: setup ## validate docker-compose.yaml against the compose specification
	$(VENV)/bin/check-jsonschema --builtin-schema vendor.compose-spec docker-compose.yaml

bench: setup ## run the benchmarks under bench/ (ONLY="ingest api" for some) and print their tables
	$(PYTHON) bench/run.py $(ONLY)

clean: ## remove local state (var/) but keep .venv
	rm -rf var
