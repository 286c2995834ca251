"""Fixtures for the api tests: one store with a trained champion per session, one app per
module. The helpers they use live in tests/support/trained.py."""

from collections.abc import Iterator

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from nn_estimator.config import TrainConfig
from support.trained import TINY, Store, app_client, build_store


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
