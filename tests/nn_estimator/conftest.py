"""Fixtures for the model package: the newest sample rows in the test database, a tiny config,
a tiny model fitted once per session (no database, no MLflow), and an oracle forecast (a test
double fed the true future closes)."""

from collections.abc import Callable, Iterator

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Engine, delete

from nn_estimator.config import TrainConfig
from nn_estimator.domain.evaluation import Forecast
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


@pytest.fixture(scope="session")
def oracle(recent_closes: np.ndarray) -> Forecast:
    """A walk-forward Forecast over recent_closes that is fed the true next closes: each
    window is found by its closes and answered with the actual closes after it (times
    1 +- 0.1% noise, so its errors are not all zero), band +-1%. What no model can do; what
    the gate must promote."""
    noise = np.random.default_rng(0).normal(0, 0.001, (len(recent_closes), 8))

    def forecast(windows: np.ndarray) -> np.ndarray:
        horizon = 5
        positions = {
            recent_closes[end - windows.shape[1] : end].tobytes(): end - 1
            for end in range(windows.shape[1], len(recent_closes) + 1)
        }
        out = np.empty((len(windows), horizon, 3))
        for row, window in enumerate(windows):
            origin = positions[np.ascontiguousarray(window, dtype=np.float64).tobytes()]
            steps = np.minimum(origin + np.arange(1, horizon + 1), len(recent_closes) - 1)
            point = recent_closes[steps] * (1 + noise[origin, :horizon])
            out[row] = np.stack([point * 0.99, point, point * 1.01], axis=-1)
        return out

    return forecast
