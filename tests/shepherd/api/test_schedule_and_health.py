"""GET /schedule and GET /health, with the scheduler on and off."""

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient

ClientFactory = Callable[..., TestClient]


def test_schedule_off(make_client: ClientFactory, runner: Any) -> None:
    client = make_client(runner=runner)
    assert client.get("/schedule").json() == {
        "enabled": False,
        "expression": "off",
        "timezone": "America/New_York",
        "misfire_grace_seconds": 0,
        "jobs": [],
    }
    health = client.get("/health")
    assert health.status_code == 200
    assert health.json() == {
        "status": "ok",
        "database": "ok",
        "scheduler": "off",
        "tickers": ["MSFT"],
    }


def test_schedule_on_names_the_next_run_per_job(make_client: ClientFactory, runner: Any) -> None:
    # A clock on a Wednesday noon: no run was missed, so nothing runs at start.
    client = make_client(
        runner=runner,
        shepherd_schedule="0 18 * * mon-fri",
        tickers="MSFT,AAPL",
        clock=lambda: datetime(2024, 11, 27, 17, 0, tzinfo=UTC),
    )
    body = client.get("/schedule").json()
    assert (body["enabled"], body["expression"], body["timezone"]) == (
        True,
        "0 18 * * mon-fri",
        "America/New_York",
    )
    assert [job["id"] for job in body["jobs"]] == ["cycle-MSFT", "cycle-AAPL"]
    for job in body["jobs"]:
        next_run = datetime.fromisoformat(job["next_run_time"])
        assert next_run > datetime.now(UTC)
        assert next_run.astimezone(ZoneInfo("America/New_York")).hour == 18
    assert client.get("/health").json()["scheduler"] == "running"


def test_health_degrades_without_the_database(runner: Any) -> None:
    from shepherd.config import Settings
    from shepherd.main import create_app

    settings = Settings(
        database_url="postgresql+psycopg://nobody@127.0.0.1:1/none", shepherd_schedule="off"
    )
    with TestClient(create_app(settings, runner=runner)) as client:
        response = client.get("/health")
        assert response.status_code == 503
        assert response.json()["status"] == "degraded"
        assert client.get("/runs").status_code == 503
