"""`nn_estimator_prediction_queue_rows` tells the truth while the database is unreachable:
the api on Postgres through a proxy that is then paused (a black-holed server), requests
answered meanwhile, /metrics read throughout; nothing is lost once the database is back."""

import time
from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from sqlalchemy.engine import make_url

from stock_db import create_db_engine, predictions
from support.network import wait_until
from support.proxy import PausableProxy, pausable_proxy
from support.trained import Store, app_client


def queue_rows(client: TestClient) -> float:
    for line in client.get("/metrics").text.splitlines():
        if line.startswith("nn_estimator_prediction_queue_rows "):
            return float(line.split()[1])
    raise AssertionError("no nn_estimator_prediction_queue_rows in /metrics")


def counter(client: TestClient, name: str) -> float:
    for line in client.get("/metrics").text.splitlines():
        if line.startswith(f"{name} "):
            return float(line.split()[1])
    return 0.0


@pytest.fixture
def proxied_postgres(
    postgres_url: str, store: Store, copy_to: Callable[[Store, str], None]
) -> Iterator[tuple[str, PausableProxy, Engine]]:
    """(URL through a pausable proxy, the proxy, a direct engine for checking)."""
    copy_to(store, postgres_url)
    url = make_url(postgres_url)
    direct = create_db_engine(postgres_url)
    with pausable_proxy(url.host or "127.0.0.1", url.port or 5432) as proxy:
        proxied = url.set(host="127.0.0.1", port=proxy.port)
        yield proxied.render_as_string(hide_password=False), proxy, direct
        proxy.resume()  # whatever happened, let the app's shutdown reach the database
    direct.dispose()


def stored_rows(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(predictions)).scalar_one())


def test_the_queue_gauge_counts_rows_waiting_out_an_outage(
    store: Store, proxied_postgres: tuple[str, PausableProxy, Engine]
) -> None:
    url, proxy, direct = proxied_postgres
    settings = store.settings(database_url=url, prediction_flush_seconds=0.05)
    before = stored_rows(direct)  # other tests' rows may be there: count from here
    with app_client(settings) as client:
        body = {"ticker": "MSFT", "date": "2017-11-10", "horizon": 5}
        assert client.post("/predict", json=body).status_code == 200
        wait_until(lambda: stored_rows(direct) == before + 5, what="the first rows")
        assert queue_rows(client) == 0

        proxy.pause()
        for _ in range(4):  # answered from memory: no database on the request path
            assert client.post("/predict", json=body).status_code == 200
        # The writer is stuck on the black-holed connection (or times out and puts the rows
        # back, then tries again): at every moment the 20 rows are counted.
        deadline = time.monotonic() + 3
        readings = set()
        while time.monotonic() < deadline:
            readings.add(queue_rows(client))
            time.sleep(0.05)
        assert readings == {20.0}
        assert stored_rows(direct) == before + 5

        proxy.resume()
        wait_until(lambda: stored_rows(direct) == before + 25, timeout=30, what="the queued rows")
        wait_until(lambda: queue_rows(client) == 0, what="the gauge to fall to 0")
        assert counter(client, "nn_estimator_predictions_logged_total") == 25
        assert counter(client, "nn_estimator_predictions_dropped_total") == 0
