"""Real processes for the latency tests: the estimator api (uvicorn subprocess serving a tiny
champion trained by the model package) and the Debian `prometheus` binary scraping it."""

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from support.network import free_port, wait_until
from support.trained import Store

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


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def running_api(store: Store, log_path: Path) -> Iterator[str]:
    """`uvicorn --factory estimator_api.main:create_app` on a free port; yields its base URL once
    ready."""
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
    command = [sys.executable, "-m", "uvicorn", "--factory", "estimator_api.main:create_app"]
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
