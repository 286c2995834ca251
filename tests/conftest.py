"""Fixtures every test folder shares live in tests/support/ (one place each); this file
registers them. MLflow's telemetry look-up is off: this machine and CI have no internet."""

import os

os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
os.environ.setdefault("DO_NOT_TRACK", "true")

pytest_plugins = ["support.database", "support.sample", "support.mlflow_store"]
