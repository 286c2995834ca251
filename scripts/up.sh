#!/usr/bin/env bash
# `make up`: the whole suite as local processes on the embedded default (SQLite and a local
# MLflow store under var/). On an empty store it loads the tickers' history and trains a first
# champion; then it starts every service under honcho, prints the URLs once they answer, and
# stops everything it started on Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"
export DATABASE_URL="${DATABASE_URL:-sqlite:///var/suite.db}"
export MLFLOW_TRACKING_URI="${MLFLOW_TRACKING_URI:-sqlite:///var/mlflow.db}"
export TICKERS="${TICKERS:-MSFT}"
mkdir -p var

# A ticker that cannot be loaded or trained (e.g. offline, where the sample has only MSFT) must
# not keep the others down: the services start and report what is missing.
python -m load_data bootstrap ||
  echo "up: WARNING: some tickers have no prices (see above); the suite starts without them."
python -m nn_estimator bootstrap ||
  echo "up: WARNING: some tickers have no champion (see above); the api serves the others" \
    "and picks up a new champion within RELOAD_POLL_SECONDS."

procfile=var/Procfile
cp Procfile "$procfile"
if command -v prometheus >/dev/null 2>&1; then
  export PROMETHEUS_URL="${PROMETHEUS_URL:-http://127.0.0.1:9090}"
  echo "prometheus: prometheus --config.file=4_nn_estimator/prometheus/prometheus.yml" \
    "--storage.tsdb.path=var/prometheus --web.listen-address=127.0.0.1:9090" >>"$procfile"
else
  export PROMETHEUS_URL=""
  echo "up: prometheus is not installed, so it is skipped; 5_metrics reads the api's /metrics" \
    "directly instead (apt-get install prometheus to add it)."
fi

exec honcho start --procfile "$procfile" --app-root "$PWD"
