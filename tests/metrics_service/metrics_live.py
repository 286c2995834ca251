"""Real processes for the latency tests: the estimator api (uvicorn subprocess serving a tiny
champion trained by the model package) and the Debian `prometheus` binary scraping it."""

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

import httpx
import pandas as pd
import pytest
from metrics_helpers import free_port
from sqlalchemy import insert

from stock_db import create_db_engine, ensure_schema, prices

REPO_ROOT = Path(__file__).resolve().parents[2]
SAMPLE = REPO_ROOT / "2_load_data/load_data/data/msft_daily.csv.gz"
SAMPLE_ROWS = 600
PROMETHEUS = (
    os.environ.get("PROMETHEUS_BINARY") or shutil.which("prometheus") or "/usr/bin/prometheus"
)


def require_prometheus() -> str:
    """The binary's path; skip without it unless REQUIRE_PROMETHEUS=1 (CI), then fail."""
    if os.access(PROMETHEUS, os.X_OK):
        return PROMETHEUS
    reason = f"prometheus binary not found ({PROMETHEUS}); apt-get install prometheus"
    if os.environ.get("REQUIRE_PROMETHEUS") == "1":
        pytest.fail(reason)
    pytest.skip(reason)


def wait_until(check: Callable[[], Any], timeout: float, what: str, interval: float = 0.2) -> Any:
    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        try:
            result = check()
            if result:
                return result
        except (httpx.HTTPError, ValueError, KeyError) as error:
            last_error = error
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what} ({last_error})")


@dataclass
class Store:
    database_url: str
    tracking_uri: str
    version: int
    promoted: bool  # by the gate, so the models table has a champion row
    dates: list[Any]


def build_store(root: Path) -> Store:
    """A sqlite database with the newest sample closes and an MLflow store whose champion is a
    real tiny model from the model package's training entry point."""
    from nn_estimator.config import TrainConfig
    from nn_estimator.registry import model_name
    from nn_estimator.tracking import set_champion
    from nn_estimator.training import train_and_register

    frame = pd.read_csv(SAMPLE, parse_dates=["date"]).tail(SAMPLE_ROWS)
    frame["date"] = frame["date"].dt.date
    database_url = f"sqlite:///{root / 'suite.db'}"
    tracking_uri = f"sqlite:///{root / 'mlflow.db'}"
    engine = create_db_engine(database_url)
    ensure_schema(engine)
    with engine.begin() as connection:
        rows = frame.assign(ticker="MSFT", source="sample", loaded_at=datetime.now(UTC))
        connection.execute(insert(prices), cast(list[dict[str, Any]], rows.to_dict("records")))
    tiny = TrainConfig(
        input_length=20, max_horizon=5, hidden_size=8, num_layers=1, max_epochs=2, patience=2,
        batch_size=128, eval_days=60, val_days=60, max_train_days=400,
    )  # fmt: skip
    outcome = train_and_register("MSFT", engine, tracking_uri, tiny)
    if not outcome.promoted:  # these tests need a served model, whatever 2 epochs score
        set_champion(tracking_uri, model_name("MSFT"), outcome.version)
    engine.dispose()
    return Store(database_url, tracking_uri, outcome.version, outcome.promoted, list(frame["date"]))


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def running_api(store: Store, log_path: Path) -> Iterator[str]:
    """`uvicorn nn_estimator.api.main:app` on a free port; yields its base URL once ready."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": store.database_url,
        "MLFLOW_TRACKING_URI": store.tracking_uri,
        "TICKERS": "MSFT",
        "RELOAD_POLL_SECONDS": "0",
        "PRICE_REFRESH_SECONDS": "0",
        "PREDICTION_FLUSH_SECONDS": "0.1",
        "OMP_NUM_THREADS": "1",
        "MLFLOW_DISABLE_TELEMETRY": "true",
        "DO_NOT_TRACK": "true",
    }
    command = [sys.executable, "-m", "uvicorn", "nn_estimator.api.main:app"]
    command += ["--host", "127.0.0.1", "--port", str(port)]
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"

        def ready() -> bool:
            if process.poll() is not None:
                tail = log_path.read_text()[-3000:]
                raise AssertionError(f"api exited ({process.returncode}):\n{tail}")
            return httpx.get(f"{url}/ready").status_code == 200

        try:
            wait_until(ready, timeout=90, what="the api's /ready")
            yield url
        finally:
            _stop(process)


@contextmanager
def running_prometheus(binary: str, target: str, root: Path) -> Iterator[str]:
    """Prometheus scraping `target` (host:port) every second; yields its base URL."""
    port = free_port()
    root.mkdir(parents=True, exist_ok=True)
    config = root / "prometheus.yml"
    config.write_text(
        "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
        "scrape_configs:\n  - job_name: nn_estimator_api\n"
        f"    static_configs:\n      - targets: ['{target}']\n"
    )
    log_path = root / "prometheus.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                binary,
                f"--config.file={config}",
                f"--storage.tsdb.path={root / 'tsdb'}",
                f"--web.listen-address=127.0.0.1:{port}",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            wait_until(
                lambda: httpx.get(f"{url}/-/ready").status_code == 200,
                timeout=30,
                what="prometheus /-/ready",
            )
            yield url
        finally:
            _stop(process)


def prometheus_value(url: str, promql: str) -> float | None:
    body = httpx.get(f"{url}/api/v1/query", params={"query": promql}, timeout=2).json()
    result = body["data"]["result"]
    return float(result[0]["value"][1]) if result else None
