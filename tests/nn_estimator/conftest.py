"""Fixtures for the model package: the newest sample rows in the test database, a tiny config,
and a tiny model fitted once per session (no database, no MLflow)."""

from collections.abc import Callable, Iterator

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Engine, delete

from nn_estimator.config import TrainConfig
from nn_estimator.domain.fitting import FitResult, fit
from nn_estimator.domain.windowing import chronological_split
from stock_db import create_db_engine, metadata
from support.sample import TICKER, insert_prices
from support.trained import TINY

SAMPLE_ROWS = 1000  # the newest rows: enough for tiny models, quick to insert


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
def tiny() -> TrainConfig:
    return TINY


@pytest.fixture(scope="session")
def recent_closes(sample_closes: np.ndarray) -> np.ndarray:
    """The same newest closes the loaded engines hold."""
    return sample_closes[-SAMPLE_ROWS:]


@pytest.fixture(scope="session")
def fit_recent(recent_closes: np.ndarray) -> Callable[[TrainConfig], FitResult]:
    """fit() on recent_closes, split as the pipeline splits them, for any config."""

    def fit_with(config: TrainConfig) -> FitResult:
        return fit(recent_closes, chronological_split(TICKER, len(recent_closes), config), config)

    return fit_with


@pytest.fixture(scope="session")
def tiny_fit(fit_recent: Callable[[TrainConfig], FitResult], tiny: TrainConfig) -> FitResult:
    """The tiny config fitted once per session; tests read it, none changes it."""
    return fit_recent(tiny)
