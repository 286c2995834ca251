"""Fixtures for the model package: the bundled MSFT sample, a tiny config, a temp MLflow store."""

import os
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from mlflow import MlflowClient
from sqlalchemy import Engine, delete, insert

from nn_estimator.config import TrainConfig
from stock_db import create_db_engine, metadata, prices

os.environ.setdefault("OMP_NUM_THREADS", "1")

SAMPLE = Path(__file__).resolve().parents[2] / "2_load_data/load_data/data/msft_daily.csv.gz"
SAMPLE_ROWS = 1000  # the newest rows: enough for tiny models, quick to insert

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


@pytest.fixture(scope="session")
def sample_frame() -> pd.DataFrame:
    frame = pd.read_csv(SAMPLE, parse_dates=["date"])
    frame["date"] = frame["date"].dt.date
    return frame


@pytest.fixture(scope="session")
def sample_closes(sample_frame: pd.DataFrame) -> np.ndarray:
    return sample_frame["close"].to_numpy(dtype=np.float64)


def insert_prices(engine: Engine, frame: pd.DataFrame, ticker: str = "MSFT") -> None:
    rows = frame.assign(ticker=ticker, source="sample", loaded_at=datetime.now(UTC))
    with engine.begin() as connection:
        connection.execute(insert(prices), rows.to_dict("records"))  # type: ignore[arg-type]


@pytest.fixture
def loaded_engine(engine: Engine, sample_frame: pd.DataFrame) -> Engine:
    """The shared test database (sqlite and postgres) holding the newest sample rows."""
    insert_prices(engine, sample_frame.tail(SAMPLE_ROWS))
    return engine


@pytest.fixture
def loaded_sqlite_engine(sqlite_url: str, sample_frame: pd.DataFrame) -> Iterator[Engine]:
    """Like loaded_engine, SQLite only: for pipeline tests whose database part is already
    covered on both backends (each training costs seconds)."""
    engine = create_db_engine(sqlite_url)
    with engine.begin() as connection:
        for table in reversed(metadata.sorted_tables):
            connection.execute(delete(table))
    insert_prices(engine, sample_frame.tail(SAMPLE_ROWS))
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def empty_mlflow_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An MLflow sqlite store with its schema migrated once (takes seconds); tests copy it."""
    path = tmp_path_factory.mktemp("mlflow-template") / "mlflow.db"
    MlflowClient(f"sqlite:///{path}").search_experiments()
    return path


@pytest.fixture
def tracking_uri(tmp_path: Path, empty_mlflow_store: Path) -> Iterator[str]:
    store = tmp_path / "mlflow"
    store.mkdir()
    shutil.copy(empty_mlflow_store, store / "mlflow.db")
    yield f"sqlite:///{store / 'mlflow.db'}"


@pytest.fixture(scope="session")
def tiny() -> TrainConfig:
    return TINY
