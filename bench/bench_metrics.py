"""GET /metrics latency with 100,000 logged predictions (target: under 100 ms).

Creates a scratch Postgres database from 3_db/init.sql (dropped at the end), loads the
bundled MSFT history, a champion trained on ten years of it and 100,000 prediction rows
(2,000 forecast days x horizons 1..5 x 10 repeated requests, so the latest-request rule has
work to do), then times GET /metrics (200 requests) and GET /metrics/history (20) over
HTTP against the service under uvicorn in its own process. The same data in a SQLite file
(the embedded default) is timed too.
Latency sources are switched off (PROMETHEUS_URL and ESTIMATOR_URL empty): this measures
the database and the computation; Prometheus adds three local HTTP queries.

Run: `python bench/bench_metrics.py` (BENCH_POSTGRES_URL or TEST_POSTGRES_URL picks the
server; default postgresql+psycopg://postgres@127.0.0.1:5432/postgres).
"""

import datetime as dt
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

import httpx
import numpy as np
import pandas as pd
from sqlalchemy import Engine, create_engine, insert, text
from sqlalchemy.engine import make_url

REPO_ROOT = Path(__file__).resolve().parents[1]
SAMPLE = REPO_ROOT / "2_load_data/load_data/data/msft_daily.csv.gz"
INIT_SQL = REPO_ROOT / "3_db/init.sql"
ADMIN_URL = os.environ.get(
    "BENCH_POSTGRES_URL",
    os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"),
)
FORECAST_DAYS = 2_000
HORIZONS = 5
REPEATS = 10  # requests per (as_of, horizon): 2,000 x 5 x 10 = 100,000 rows
WARM_UP = 5
TARGET_MS = 100.0


def load_fixture(engine: Engine) -> int:
    """Prices, one champion and 100,000 predictions; returns the number of predictions."""
    from stock_db import models, predictions, prices

    frame = pd.read_csv(SAMPLE, parse_dates=["date"])
    frame["date"] = frame["date"].dt.date
    days = list(frame["date"])
    closes = frame["close"].to_numpy()
    now = dt.datetime.now(dt.UTC)
    price_rows = cast(
        list[dict[str, Any]],
        frame.assign(ticker="MSFT", source="sample", loaded_at=now).to_dict("records"),
    )
    first = len(days) - FORECAST_DAYS - HORIZONS
    champion = {
        "ticker": "MSFT",
        "name": "lstm-MSFT",
        "version": 1,
        "run_id": "bench",
        "status": "champion",
        "trained_at": now,
        "train_start": days[first - 2520],
        "train_end": days[first - 1],
        "metrics": {"horizons": {"1": {"lstm": {"mae": 1.0}, "naive": {"mae": 1.0}}}},
        "promoted_at": now,
    }
    rng = np.random.default_rng(0)
    rows: list[dict[str, Any]] = []
    for index in range(first, first + FORECAST_DAYS):
        for horizon in range(1, HORIZONS + 1):
            for repeat in range(REPEATS):
                predicted = float(closes[index] * (1 + rng.normal(0, 0.01)))
                rows.append(
                    {
                        "ticker": "MSFT",
                        "model_version": 1,
                        "requested_at": now
                        - dt.timedelta(days=FORECAST_DAYS - index + first)
                        + dt.timedelta(seconds=repeat),
                        "as_of": days[index],
                        "target_date": days[index + horizon],
                        "horizon": horizon,
                        "predicted": predicted,
                        "lower": predicted * 0.98,
                        "upper": predicted * 1.02,
                        "latency_seconds": 0.0004,
                    }
                )
    with engine.begin() as connection:
        connection.execute(insert(prices), price_rows)
        connection.execute(insert(models), champion)
        for start in range(0, len(rows), 20_000):
            connection.execute(insert(predictions), rows[start : start + 20_000])
    return len(rows)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(database_url: str) -> Iterator[str]:
    """The metrics service under uvicorn in its own process (as deployed); yields its URL."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "PROMETHEUS_URL": "",
        "ESTIMATOR_URL": "",
        "OMP_NUM_THREADS": "1",
    }
    command = [sys.executable, "-m", "uvicorn", "--factory", "metrics_service.main:create_app"]
    command += ["--port", str(port)]
    process = subprocess.Popen([*command, "--log-level", "warning"], env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{url}/health").status_code == 200:
                    break
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    raise
            time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def time_requests(url: str, params: dict[str, Any], requests: int) -> dict[str, float]:
    with httpx.Client(timeout=30) as client:
        for _ in range(WARM_UP):
            client.get(url, params=params).raise_for_status()
        samples = []
        for _ in range(requests):
            started = time.perf_counter()
            client.get(url, params=params).raise_for_status()
            samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return {
        "mean_ms": statistics.fmean(samples),
        "p50_ms": samples[len(samples) // 2],
        "p95_ms": samples[int(len(samples) * 0.95)],
    }


def index_used(engine: Engine) -> str:
    """Which index Postgres picks for the window query (EXPLAIN of the real statement)."""
    from sqlalchemy.dialects import postgresql

    from metrics_service.adapters.database import window_start_query

    statement = window_start_query("MSFT", 1, 1, 60).compile(
        dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}
    )
    with engine.connect() as connection:
        plan = "\n".join(connection.execute(text(f"EXPLAIN {statement}")).scalars())
    if "ix_predictions_ticker_target" in plan:
        return "ix_predictions_ticker_target"
    return f"no index!\n{plan}"


def measure(database_url: str) -> dict[str, dict[str, float]]:
    results = {}
    with serving(database_url) as base:
        results["GET /metrics"] = time_requests(f"{base}/metrics", {"ticker": "MSFT"}, 200)
        results["GET /metrics/history (180 days)"] = time_requests(
            f"{base}/metrics/history", {"ticker": "MSFT"}, 20
        )
    return results


def print_table(backend: str, results: dict[str, dict[str, float]]) -> None:
    for name, figures in results.items():
        verdict = ""
        if name == "GET /metrics":
            verdict = "  OK (< 100 ms)" if figures["p95_ms"] < TARGET_MS else "  OVER TARGET"
        print(
            f"{backend:<9} {name:<34} mean {figures['mean_ms']:7.1f} ms  "
            f"p50 {figures['p50_ms']:7.1f} ms  p95 {figures['p95_ms']:7.1f} ms{verdict}"
        )


def main() -> int:
    os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
    from stock_db import create_db_engine, ensure_schema

    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"bench_metrics_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    postgres_url = make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    try:
        engine = create_db_engine(postgres_url)
        with engine.begin() as connection:
            connection.exec_driver_sql(INIT_SQL.read_text())
        started = time.perf_counter()
        count = load_fixture(engine)
        with engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))
        print(f"loaded {count:,} predictions in {time.perf_counter() - started:.1f} s")
        print(f"window query uses: {index_used(engine)}")
        engine.dispose()
        print_table("postgres", measure(postgres_url))

        with tempfile.TemporaryDirectory() as scratch:
            sqlite_url = f"sqlite:///{scratch}/bench.db"
            sqlite_engine = create_db_engine(sqlite_url)
            ensure_schema(sqlite_engine)
            load_fixture(sqlite_engine)
            sqlite_engine.dispose()
            print_table("sqlite", measure(sqlite_url))
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
