"""Whole cycles against the real services on loopback, on both backends: 2_load_data reading a
CSV that grows as time moves forward, the estimator api, and training in a real child process
(`python -m nn_estimator train --json`, tiny settings); 5_metrics is a closed port (drift
unknown). Time travels through an injected clock; run-once runs as two real processes."""

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any, cast

import httpx
import numpy as np
import pandas as pd
import pytest
import uvicorn
from fastapi import FastAPI
from sqlalchemy import Engine

from shepherd.adapters import runs_table
from shepherd.adapters.calendar import ExchangeCalendar
from shepherd.adapters.clock import system_clock
from shepherd.adapters.models_table import current_champion
from shepherd.config import Settings
from shepherd.domain.outcome import Outcome
from shepherd.main import build_shepherd
from shepherd.usecases.cycle import Shepherd, Trigger, run_cycle
from support.network import closed_url, free_port
from support.sample import TICKER

# Seconds per training: the tiny model of support/trained.py, as CLI options; a wide gate
# margin so that a first model is promoted whatever two epochs learn.
TINY_ARGS = "--epochs 2 --window 20 --hidden 8 --eval-days 60 --val-days 60 --margin 1.0"
REFUSE = " --margin -0.99"  # MASE <= 1% of naive's: no candidate passes
HISTORY_ROWS = 600
D0, D1, D2 = date(2017, 9, 29), date(2017, 10, 13), date(2017, 10, 27)  # 10 sessions apart


def cli_has_json() -> bool:
    done = subprocess.run(
        [sys.executable, "-m", "nn_estimator", "train", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    return "--json" in done.stdout


pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not cli_has_json(),
        reason="`python -m nn_estimator train` has no --json flag yet (the shepherd reads its "
        "one JSON result line)",
    ),
]


def after_close(day: date) -> datetime:
    """22:00 UTC: after the 16:00 New York close in summer and winter time alike."""
    return datetime.combine(day, time(22, 0), UTC)


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """`app` on a real uvicorn in a thread; yields its base URL."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = datetime.now(UTC).timestamp() + 60
    while not server.started:
        assert thread.is_alive() and datetime.now(UTC).timestamp() < deadline, "no uvicorn"
        threading.Event().wait(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def write_csv(path: Path, frame: pd.DataFrame) -> None:
    columns = ["date", "open", "high", "low", "close", "volume"]
    frame[columns].assign(date=frame["date"].astype(str)).to_csv(path, index=False)


def store_history(engine: Engine, frame: pd.DataFrame) -> None:
    rows = frame.tail(HISTORY_ROWS).assign(
        ticker=TICKER, source="sample", loaded_at=datetime(2024, 1, 1, tzinfo=UTC)
    )
    from stock_db import prices

    with engine.begin() as connection:
        connection.execute(prices.insert(), cast(list[dict[str, Any]], rows.to_dict("records")))


@contextmanager
def suite(database_url: str, tracking_uri: str, csv: Path) -> Iterator[dict[str, str]]:
    """2_load_data on the CSV and the estimator api, both on loopback; yields their URLs."""
    from prometheus_client import CollectorRegistry

    from estimator_api.config import Settings as ApiSettings
    from estimator_api.main import create_app as create_api
    from load_data.config import Settings as LoaderSettings
    from load_data.main import create_app as create_loader

    loader = create_loader(
        LoaderSettings(database_url=database_url, price_source=f"csv:{csv}", tickers=[TICKER])
    )
    api_settings = ApiSettings(
        database_url=database_url,
        mlflow_tracking_uri=tracking_uri,
        tickers=[TICKER],
        reload_poll_seconds=0,  # only the shepherd's POST /admin/reload loads a new version
        price_refresh_seconds=0,
        prediction_flush_seconds=0.1,
    )
    api = create_api(api_settings, registry=CollectorRegistry())
    with serving(loader) as loader_url, serving(api) as api_url:
        yield {"load_data_url": loader_url, "estimator_url": api_url}


def served_version(api_url: str) -> int | None:
    response = httpx.get(f"{api_url}/model", params={"ticker": TICKER}, timeout=10)
    return int(response.json()["version"]) if response.status_code == 200 else None


def shepherd_for(
    engine: Engine, calendar: ExchangeCalendar, settings: Settings, now: datetime
) -> Shepherd:
    return build_shepherd(settings, engine, calendar, clock=lambda: now)


def test_stale_database_to_a_served_new_version_then_a_refusal(
    database_url: str,
    engine: Engine,
    tracking_uri: str,
    sample_frame: pd.DataFrame,
    xnys: ExchangeCalendar,
    tmp_path: Path,
) -> None:
    store_history(engine, sample_frame[sample_frame["date"] <= D0])
    csv = tmp_path / "msft.csv"
    write_csv(csv, sample_frame[sample_frame["date"] <= D1])
    with suite(database_url, tracking_uri, csv) as urls:
        settings = Settings(
            database_url=database_url,
            mlflow_tracking_uri=tracking_uri,
            tickers=[TICKER],
            metrics_url=closed_url(),
            fine_tune_after_sessions=5,
            http_attempts=1,
            shepherd_train_args=TINY_ARGS,
            load_data_url=urls["load_data_url"],
            estimator_url=urls["estimator_url"],
        )
        assert served_version(urls["estimator_url"]) is None  # no model at all yet

        # 1. Ten sessions behind, no champion: load them, train, promote, serve.
        first = run_cycle(
            shepherd_for(engine, xnys, settings, after_close(D1)), TICKER, Trigger.SCHEDULE
        )
        assert (first.outcome, first.rows_loaded, first.model_version) == (
            Outcome.SUCCEEDED,
            10,
            1,
        ), first.reason
        assert "no champion yet" in first.reason
        assert served_version(urls["estimator_url"]) == 1
        row = runs_table.get_run(engine, first.run_id)
        assert row is not None and row.status == "succeeded"
        assert row.detail["action"] == "retrain" and row.detail["gate"]["decision"] == "promote"
        assert "drift unknown" not in first.reason  # not asked without a champion

        # 2. Two weeks later: ten new sessions >= 5 -> fine-tune; promoted or refused, the api
        #    serves whatever the gate decided.
        write_csv(csv, sample_frame[sample_frame["date"] <= D2])
        second = run_cycle(
            shepherd_for(engine, xnys, settings, after_close(D2)), TICKER, Trigger.SCHEDULE
        )
        assert (second.rows_loaded, second.model_version) == (10, 2), second.reason
        assert "fine-tune" in second.reason and "drift unknown" in second.reason
        champion = current_champion(engine, TICKER)
        assert champion is not None
        if champion.version == 2:
            assert second.outcome == Outcome.SUCCEEDED, second.reason
        else:
            assert second.outcome == Outcome.REFUSED, second.reason
        assert served_version(urls["estimator_url"]) == champion.version

        # 3. Forced, with a gate no candidate passes: refused, nothing changes.
        refusing = settings.model_copy(update={"shepherd_train_args": TINY_ARGS + REFUSE})
        third = run_cycle(
            shepherd_for(engine, xnys, refusing, after_close(D2)),
            TICKER,
            Trigger.MANUAL,
            force=True,
        )
        assert (third.outcome, third.status, third.model_version) == (
            Outcome.REFUSED,
            "refused",
            3,
        ), third.reason
        assert third.reason.startswith("refused: the gate kept the champion")
        after = current_champion(engine, TICKER)
        assert after is not None and after.version == champion.version
        assert served_version(urls["estimator_url"]) == champion.version

        # 4. The loader answers but has nothing newer: a failure, and nothing trained.
        later = run_cycle(
            shepherd_for(engine, xnys, settings, after_close(date(2017, 10, 30))),
            TICKER,
            Trigger.SCHEDULE,
        )
        assert later.outcome == Outcome.FAILED
        assert "failed at load" in later.reason and "no rows for the 1 missing" in later.reason
        assert later.model_version is None


def continued_to_today(frame: pd.DataFrame, calendar: ExchangeCalendar) -> pd.DataFrame:
    """The sample, then a random walk over the real sessions up to the last completed one,
    so that a run-once on the wall clock finds a stale database and data to load."""
    last = calendar.sessions.last_completed(system_clock())
    days = calendar.sessions.between(frame["date"].iloc[-1], last)
    rng = np.random.default_rng(7)
    closes = frame["close"].iloc[-1] * np.exp(np.cumsum(rng.normal(0.0003, 0.012, len(days))))
    walk = pd.DataFrame(
        {
            "date": days,
            "open": closes,
            "high": closes * 1.01,
            "low": closes * 0.99,
            "close": closes,
            "volume": 20_000_000,
        }
    )
    return pd.concat([frame, walk], ignore_index=True)


def test_two_concurrent_run_once_one_trains_one_reports_locked(
    database_url: str,
    engine: Engine,
    tracking_uri: str,
    sample_frame: pd.DataFrame,
    xnys: ExchangeCalendar,
    tmp_path: Path,
) -> None:
    store_history(engine, sample_frame)
    csv = tmp_path / "msft.csv"
    write_csv(csv, continued_to_today(sample_frame, xnys))
    with suite(database_url, tracking_uri, csv) as urls:
        env: dict[str, Any] = {
            **os.environ,
            "DATABASE_URL": database_url,
            "MLFLOW_TRACKING_URI": tracking_uri,
            "TICKERS": TICKER,
            "LOAD_DATA_URL": urls["load_data_url"],
            "ESTIMATOR_URL": urls["estimator_url"],
            "METRICS_URL": closed_url(),
            "HTTP_ATTEMPTS": "1",
            "SHEPHERD_TRAIN_ARGS": TINY_ARGS,
        }
        command = [sys.executable, "-m", "shepherd", "run-once", "--ticker", TICKER]
        processes = [
            subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for _ in range(2)
        ]
        outputs = [process.communicate(timeout=600) for process in processes]
        lines = [out.decode().strip() for out, _err in outputs]
        assert [p.returncode for p in processes] == [0, 0], [err[-2000:] for _o, err in outputs]
        assert all(len(line.splitlines()) == 1 for line in lines), lines
        locked = [line for line in lines if ": locked (run " in line]
        trained = [line for line in lines if ": succeeded (run " in line]
        assert (len(locked), len(trained)) == (1, 1), lines
        assert "v1 promoted and served by the api" in trained[0]
        assert served_version(urls["estimator_url"]) == 1
        rows = runs_table.recent_runs(engine, TICKER, 10)
        assert sorted((r.status, r.model_version) for r in rows) == [
            ("locked", None),
            ("succeeded", 1),
        ]
        assert all(r.detail["trigger"] == "cron" for r in rows)
