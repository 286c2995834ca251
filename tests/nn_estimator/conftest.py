"""Fixtures for the model package: the newest sample rows in the test database, a tiny config."""

from collections.abc import Iterator

import pandas as pd
import pytest
from sqlalchemy import Engine, delete

from nn_estimator.config import TrainConfig
from stock_db import create_db_engine, metadata
from support.sample import insert_prices
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
