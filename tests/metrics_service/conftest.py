"""Fixtures for the metrics service tests: a started TestClient on explicit settings."""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from metrics_service.config import Settings
from metrics_service.main import create_app
from support.network import closed_url


@pytest.fixture
def make_client(database_url: str) -> Iterator[Callable[..., TestClient]]:
    """Builds a started TestClient; Prometheus and the estimator default to closed ports."""
    clients: list[TestClient] = []

    def build(**overrides: Any) -> TestClient:
        values: dict[str, Any] = {
            "database_url": database_url,
            "prometheus_url": closed_url(),
            "estimator_url": closed_url(),
            "database_wait_seconds": 0,
        }
        values.update(overrides)
        client = TestClient(create_app(Settings(**values)))
        client.__enter__()
        clients.append(client)
        return client

    yield build
    for client in clients:
        client.__exit__(None, None, None)
