"""Fixtures for the metrics service tests: explicit settings (Prometheus and the estimator on
closed ports unless overridden) and a started TestClient on them."""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from metrics_service.config import Settings
from metrics_service.main import create_app
from support.network import closed_url


@pytest.fixture
def make_settings() -> Callable[..., Settings]:
    """Settings that never wait for the database; latency sources refuse at once."""

    def build(**overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "prometheus_url": closed_url(),
            "estimator_url": closed_url(),
            "database_wait_seconds": 0,
        }
        return Settings(**(values | overrides))

    return build


@pytest.fixture
def make_client(
    database_url: str, make_settings: Callable[..., Settings]
) -> Iterator[Callable[..., TestClient]]:
    """Builds a started TestClient on the test database (both backends)."""
    clients: list[TestClient] = []

    def build(**overrides: Any) -> TestClient:
        client = TestClient(create_app(make_settings(database_url=database_url, **overrides)))
        client.__enter__()
        clients.append(client)
        return client

    yield build
    for client in clients:
        client.__exit__(None, None, None)
