"""A black-holed Postgres (connections stay open, nothing answers): /metrics, /metrics/history
and /health answer 503 within seconds, not hang. The deadlines come from
stock_db.create_db_engine; each request runs in a thread so a hang fails this test instead
of blocking the run."""

import threading
import time
from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from metrics_service.config import Settings
from metrics_service.main import create_app
from support.proxy import PausableProxy, pausable_proxy
from support.rows import insert_model, insert_prices, random_walk, trading_days

ANSWER_WITHIN_SECONDS = 10.0
GIVE_UP_SECONDS = 30.0
PATHS = ["/metrics?ticker=MSFT", "/metrics/history?ticker=MSFT", "/health"]


@pytest.fixture
def proxied(postgres_url: str, database_url: str) -> Iterator[tuple[PausableProxy, str]]:
    if database_url != postgres_url:
        pytest.skip("a black-holed server is a Postgres matter (SQLite has no socket)")
    target = make_url(postgres_url)
    with pausable_proxy(target.host or "127.0.0.1", target.port or 5432) as proxy:
        url = target.set(host="127.0.0.1", port=proxy.port)
        yield proxy, url.render_as_string(hide_password=False)


def timed_get(client: TestClient, path: str) -> tuple[int | None, float]:
    """(status, seconds); status None when no answer came within GIVE_UP_SECONDS."""
    answer: dict[str, int] = {}

    def call() -> None:
        try:
            answer["status"] = client.get(path).status_code
        except Exception:
            answer["status"] = -1

    started = time.monotonic()
    thread = threading.Thread(target=call, daemon=True)
    thread.start()
    thread.join(GIVE_UP_SECONDS)
    return answer.get("status"), time.monotonic() - started


@pytest.mark.slow
def test_black_holed_postgres_is_503_within_seconds(
    engine: Engine,
    proxied: tuple[PausableProxy, str],
    make_settings: Callable[..., Settings],
) -> None:
    days = trading_days("2023-01-02", 60)
    insert_prices(engine, days, random_walk(60, 0.01, seed=1))
    insert_model(engine, 1, days[0], days[40])
    proxy, url = proxied
    client = TestClient(create_app(make_settings(database_url=url)))
    with client:
        for path in PATHS:  # warm the pool: connections open through the proxy
            assert client.get(path).status_code == 200
        proxy.pause()
        try:
            results = {path: timed_get(client, path) for path in PATHS}
        finally:
            proxy.resume()
    slow = {p: r for p, r in results.items() if r[0] != 503 or r[1] > ANSWER_WITHIN_SECONDS}
    assert not slow, f"expected 503 within {ANSWER_WITHIN_SECONDS} s each, got {results}"
