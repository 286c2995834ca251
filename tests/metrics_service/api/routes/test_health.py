"""GET /health with the database answering (down: tests/metrics_service/api/test_errors.py)."""

from collections.abc import Callable

from fastapi.testclient import TestClient


def test_health(make_client: Callable[..., TestClient]) -> None:
    response = make_client().get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
