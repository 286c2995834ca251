"""Measures what one GET /metrics/history costs (not a test): a SQLite file with 9,000
trading days of a random walk (like MSFT's history since 1990), a champion trained on 2,520
of them, one horizon-1 forecast a day after training; the app is called in-process
(TestClient) and its CPU (time.process_time) and wall time printed for a few (range,
drift_window) pairs.

    .venv/bin/python 5_metrics/scripts/history_cost.py
"""

import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient

from metrics_service.config import Settings
from metrics_service.main import create_app
from stock_db import create_db_engine, ensure_schema

# Only after the packages are imported: tests/ has folders named like them.
sys.path.append(str(Path(__file__).resolve().parents[2] / "tests"))
from support.rows import (
    insert_model,
    insert_predictions,
    insert_prices,
    prediction_row,
    random_walk,
    trading_days,
)

TRAIN_DAYS = 2520
TOTAL_DAYS = 9000
TRAIN_START = 4000
CASES = [(180, 60), (731, 60), (731, 250), (731, 500), (731, 5000)]


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.db"
        engine = create_db_engine(url)
        ensure_schema(engine)
        days = trading_days("1990-01-02", TOTAL_DAYS)
        closes = random_walk(TOTAL_DAYS, 0.012, seed=1)
        insert_prices(engine, days, closes)
        insert_model(engine, 1, days[TRAIN_START], days[TRAIN_START + TRAIN_DAYS - 1])
        rows = [
            prediction_row(days[i - 1], days[i], closes[i - 1] * 1.001)
            for i in range(TRAIN_START + TRAIN_DAYS, TOTAL_DAYS)
        ]
        insert_predictions(engine, rows)
        engine.dispose()
        settings = Settings(
            database_url=url, prometheus_url="", estimator_url="", database_wait_seconds=0
        )
        with TestClient(create_app(settings)) as client:
            end = days[-1]
            for range_days, drift_window in CASES:
                params = {
                    "ticker": "MSFT",
                    "start_date": (end - dt.timedelta(days=range_days)).isoformat(),
                    "end_date": end.isoformat(),
                    "drift_window": drift_window,
                }
                cpu, wall = time.process_time(), time.perf_counter()
                response = client.get("/metrics/history", params=params)
                cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
                rows_out = len(response.json().get("drift", [])) if response.is_success else 0
                print(
                    f"range {range_days:4d} days, drift_window {drift_window:5d}: "
                    f"HTTP {response.status_code}, {rows_out:4d} drift rows, "
                    f"CPU {cpu:6.2f} s, wall {wall:6.2f} s"
                )


if __name__ == "__main__":
    main()
