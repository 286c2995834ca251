#!/usr/bin/env bash
# `make up`: the whole suite as local processes on the embedded default (SQLite and a local
# MLflow store under var/). On an empty store it loads the tickers' history and trains a first
# champion; then it builds the dashboard when its sources changed, starts every service under
# honcho, prints the URLs once they answer, and stops everything it started on Ctrl-C.
# STATE_DIR (default var) is where the state lives; the browser tests use a fresh temp folder.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"
export STATE_DIR="${STATE_DIR:-var}"
export DATABASE_URL="${DATABASE_URL:-sqlite:///$STATE_DIR/suite.db}"
export MLFLOW_TRACKING_URI="${MLFLOW_TRACKING_URI:-sqlite:///$STATE_DIR/mlflow.db}"
export TICKERS="${TICKERS:-MSFT}"
# Where the dashboard's server side (and the shepherd) find the services.
export LOAD_DATA_URL="${LOAD_DATA_URL:-http://127.0.0.1:8001}"
export ESTIMATOR_URL="${ESTIMATOR_URL:-http://127.0.0.1:8002}"
export METRICS_URL="${METRICS_URL:-http://127.0.0.1:8003}"
export SHEPHERD_URL="${SHEPHERD_URL:-http://127.0.0.1:8004}"
export NEXT_TELEMETRY_DISABLED=1
mkdir -p "$STATE_DIR"

# The dashboard's build runs beside the bootstrap (one is mostly one core of Python, the other
# Node); its output is shown once both are done.
bash scripts/build-dashboard.sh >"$STATE_DIR/dashboard-build.log" 2>&1 &
build_pid=$!

# A ticker that cannot be loaded or trained (e.g. offline, where the sample has only MSFT) must
# not keep the others down: the services start and report what is missing.
python -m load_data bootstrap ||
  echo "up: WARNING: some tickers have no prices (see above); the suite starts without them."
python -m nn_estimator bootstrap ||
  echo "up: WARNING: some tickers have no champion (see above); the api serves the others" \
    "and picks up a new champion within RELOAD_POLL_SECONDS."

procfile="$STATE_DIR/Procfile"
build_ok=0
wait "$build_pid" && build_ok=1
cat "$STATE_DIR/dashboard-build.log"
if [ "$build_ok" = 1 ]; then
  cp Procfile "$procfile"
elif [ "${REQUIRE_DASHBOARD:-0}" = 1 ]; then
  echo "up: the dashboard could not be built (see above)." >&2
  exit 1
else
  export OCTOPUS_SKIPPED=1  # announce.py leaves it out
  grep -v '^octopus:' Procfile >"$procfile"
  echo "up: WARNING: the dashboard could not be built (see above); the suite starts without it."
fi
if command -v prometheus >/dev/null 2>&1; then
  export PROMETHEUS_URL="${PROMETHEUS_URL:-http://127.0.0.1:9090}"
  echo "prometheus: prometheus --config.file=4_nn_estimator/prometheus/prometheus.yml" \
    "--storage.tsdb.path=$STATE_DIR/prometheus --web.listen-address=127.0.0.1:9090" >>"$procfile"
else
  export PROMETHEUS_URL=""
  echo "up: prometheus is not installed, so it is skipped; 5_metrics reads the api's /metrics" \
    "directly instead (apt-get install prometheus to add it)."
fi

exec honcho start --procfile "$procfile" --app-root "$PWD"
