"""The database down: data routes answer 503 naming it, /health 503 `degraded`."""

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from metrics_service.config import Settings
from metrics_service.main import create_app

UNREACHABLE_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:1/nowhere"


@pytest.mark.parametrize("path", ["/metrics?ticker=MSFT", "/metrics/history?ticker=MSFT"])
def test_database_down_is_503(path: str, make_settings: Callable[..., Settings]) -> None:
    with TestClient(create_app(make_settings(database_url=UNREACHABLE_POSTGRES))) as client:
        response = client.get(path)
        assert response.status_code == 503
        assert response.json()["detail"].startswith("database unavailable: connection failed")
        health = client.get("/health")
    assert health.status_code == 503
    assert health.json() == {"status": "degraded", "database": "unreachable (OperationalError)"}
