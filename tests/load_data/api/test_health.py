"""GET /health: the suite's meaning (liveness plus the database) on both backends, and a
database that does not answer: 503 everywhere, never a 500."""

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from load_data.main import create_app
from support.yahoo import load_body, settings_for


def test_health_reports_the_database(client: TestClient) -> None:
    health = client.get("/health")
    assert health.status_code == 200
    assert health.json() == {
        "status": "ok",
        "database": "ok",
        "price_source": "sample",
    }


@pytest.mark.parametrize("backend", ["postgres", "sqlite"])
def test_database_down_is_degraded_not_500(backend: str, tmp_path: Path) -> None:
    url = {
        "postgres": "postgresql+psycopg://postgres@127.0.0.1:1/nowhere",  # nothing on port 1
        "sqlite": f"sqlite:///{tmp_path}",  # a directory: SQLite cannot open it
    }[backend]
    app = create_app(settings_for(url))
    with TestClient(app) as client:
        health = client.get("/health")
        assert health.status_code == 503
        assert health.json() == {
            "status": "degraded",
            "database": "unreachable (OperationalError)",
            "price_source": "sample",
        }
        load = client.post("/load", json=load_body(start="2017-11-01"))
        assert load.status_code == 503
        assert "nothing was written" in load.json()["detail"]
        assert client.get("/tickers").status_code == 503
