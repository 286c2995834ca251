"""A store holding a real tiny model trained by the model package (registered in a temp sqlite
MLflow store), and the api on TestClient or on a real uvicorn."""

import datetime as dt
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import uvicorn
from fastapi.testclient import TestClient
from prometheus_client import CollectorRegistry
from sqlalchemy import Engine, insert, select, update

from estimator_api.config import Settings
from estimator_api.main import create_app
from nn_estimator.adapters.registry import model_name
from nn_estimator.adapters.tracking import set_champion
from nn_estimator.config import TrainConfig
from nn_estimator.usecases.train import train_and_register
from stock_db import create_db_engine, ensure_schema, models
from support.network import free_port
from support.sample import TICKER, insert_prices

SAMPLE_ROWS = 600  # newest sample rows: enough windows for a tiny model, quick to insert

# Seconds per training on 2 cores: hidden 8, one layer, two epochs, short windows.
TINY = TrainConfig(
    input_length=20,
    max_horizon=5,
    hidden_size=8,
    num_layers=1,
    max_epochs=2,
    patience=2,
    batch_size=128,
    eval_days=60,
    val_days=60,
    max_train_days=400,
    fine_tune_epochs=1,
    fine_tune_days=200,
)


@dataclass
class Store:
    """A database with prices plus an MLflow store whose `champion` is a real trained model."""

    database_url: str
    tracking_uri: str
    engine: Engine
    config: TrainConfig
    first_version: int
    promoted: bool = False  # by the gate (so the models table names a champion), not forced

    def settings(self, **overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "database_url": self.database_url,
            "mlflow_tracking_uri": self.tracking_uri,
            "tickers": [TICKER],
            "reload_poll_seconds": 0,  # tests trigger reloads themselves unless they test the poll
            "price_refresh_seconds": 0,
            "prediction_flush_seconds": 0.1,
        }
        return Settings(**{**values, **overrides})

    def train(self) -> int:
        """Train and register one more version; returns it (the alias is not moved here)."""
        return train_and_register(TICKER, self.engine, self.tracking_uri, self.config).version

    def set_champion(self, version: int) -> None:
        set_champion(self.tracking_uri, model_name(TICKER), version)


def record_champion(engine: Engine, version: int, run_id: str | None = None) -> None:
    """Write what the gate writes when it promotes `version`: the previous champion becomes
    `retired`, this version `champion` with a promotion time (a row is added, with `run_id`,
    for a version the trainer never recorded). The api serves only such versions, and
    build_store forces the alias onto a first model the gate may have rejected."""
    name = model_name(TICKER)
    now = dt.datetime.now(dt.UTC)
    with engine.begin() as connection:
        connection.execute(
            update(models)
            .where(models.c.name == name, models.c.status == "champion")
            .values(status="retired")
        )
        exists = connection.execute(
            select(models.c.version).where(models.c.name == name, models.c.version == version)
        ).first()
        if exists is None:
            assert run_id is not None, "a new row needs the version's run id"
            connection.execute(
                insert(models).values(
                    ticker=TICKER,
                    name=name,
                    version=version,
                    run_id=run_id,
                    status="champion",
                    trained_at=now,
                    train_start=dt.date(2015, 1, 2),
                    train_end=dt.date(2016, 1, 4),
                    metrics={},
                    promoted_at=now,
                )
            )
        else:
            connection.execute(
                update(models)
                .where(models.c.name == name, models.c.version == version)
                .values(status="champion", promoted_at=now)
            )


def build_store(root: Path, frame: pd.DataFrame, config: TrainConfig) -> Store:
    root.mkdir(parents=True, exist_ok=True)
    database_url = f"sqlite:///{root / 'suite.db'}"
    engine = create_db_engine(database_url)
    ensure_schema(engine)
    insert_prices(engine, frame.tail(SAMPLE_ROWS))
    store = Store(database_url, f"sqlite:///{root / 'mlflow.db'}", engine, config, 0)
    outcome = train_and_register(TICKER, engine, store.tracking_uri, config)
    if not outcome.promoted:
        # The gate judges skill; these tests need a served model whatever a 2-epoch model scores.
        store.set_champion(outcome.version)
        record_champion(engine, outcome.version)  # as the gate would have: the api checks it
    store.first_version = outcome.version
    store.promoted = outcome.promoted
    return store


@contextmanager
def app_client(settings: Settings) -> Iterator[TestClient]:
    """The app with a fresh metrics registry; leaving the block runs the shutdown."""
    with TestClient(create_app(settings, registry=CollectorRegistry())) as client:
        yield client


@contextmanager
def running_server(settings: Settings) -> Iterator[str]:
    """The app on a real uvicorn (same stack as production) in a thread; yields its base URL."""
    port = free_port()
    app = create_app(settings, registry=CollectorRegistry())
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
