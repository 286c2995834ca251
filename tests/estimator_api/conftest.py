"""Fixtures for the api tests: one store with a trained champion per session, one app per
module. The helpers they use live in tests/support/trained.py."""

from collections.abc import Callable, Iterator

import pandas as pd
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, insert, select

from nn_estimator.config import TrainConfig
from stock_db import create_db_engine, models, prices
from support.trained import TINY, Store, app_client, build_store, record_champion

RecordChampion = Callable[..., None]


@pytest.fixture(scope="session")
def promote() -> RecordChampion:
    """record_champion, for test modules (they cannot import this file)."""
    return record_champion


def copy_store(store: Store, url: str) -> None:
    """The store's prices and models rows into the database at `url` (emptied first), so the
    api can run on either backend against the store's MLflow registry."""
    engine = create_db_engine(url)
    with store.engine.connect() as source, engine.begin() as target:
        for table in (models, prices):
            target.execute(delete(table))
            rows = [dict(row) for row in source.execute(select(table)).mappings()]
            target.execute(insert(table), rows)
    engine.dispose()


@pytest.fixture(scope="session")
def copy_to() -> Callable[[Store, str], None]:
    """copy_store, for test modules."""
    return copy_store


@pytest.fixture(scope="session")
def api_config() -> TrainConfig:
    return TINY.with_overrides(eval_days=40, val_days=40, max_train_days=300)


@pytest.fixture(scope="session")
def store(
    tmp_path_factory: pytest.TempPathFactory, sample_frame: pd.DataFrame, api_config: TrainConfig
) -> Iterator[Store]:
    """Shared and read-only: tests that move the alias build their own store."""
    built = build_store(tmp_path_factory.mktemp("api-store"), sample_frame, api_config)
    yield built
    built.engine.dispose()


@pytest.fixture(scope="module")
def client(store: Store) -> Iterator[TestClient]:
    with app_client(store.settings()) as client:
        yield client
