"""A real MLflow store per test: a sqlite file copied from one migrated once per session."""

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from mlflow import MlflowClient


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
