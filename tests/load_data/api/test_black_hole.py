"""A black-holed Postgres (the connection stays open, nothing answers: the kernel still ACKs)
must not hang a request: every endpoint answers 503 within seconds, through client-side
deadlines on every statement and pool checkout (stock_db.create_db_engine)."""

import concurrent.futures
import time
from collections.abc import Callable, Iterator

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import make_url

from load_data.main import create_app
from support.proxy import PausableProxy, pausable_proxy
from support.yahoo import load_body, settings_for

ANSWER_WITHIN_SECONDS = 10  # what a caller may wait for a 503
GIVE_UP_SECONDS = 20  # the test's own bound on a request that hangs


@pytest.fixture
def proxied_postgres(postgres_url: str) -> Iterator[tuple[str, PausableProxy]]:
    url = make_url(postgres_url)
    with pausable_proxy(url.host or "127.0.0.1", url.port or 5432) as proxy:
        yield url.set(host="127.0.0.1", port=proxy.port).render_as_string(False), proxy


REQUESTS: dict[str, Callable[[TestClient], httpx.Response]] = {
    "POST /load": lambda client: client.post("/load", json=load_body(start="2017-11-01")),
    "GET /prices": lambda client: client.get("/prices", params={"ticker": "MSFT"}),
    "GET /tickers": lambda client: client.get("/tickers"),
    "GET /health": lambda client: client.get("/health"),
}


def test_every_endpoint_answers_503_when_postgres_stops_answering(
    proxied_postgres: tuple[str, PausableProxy],
) -> None:
    url, proxy = proxied_postgres
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)
    try:
        with TestClient(create_app(settings_for(url))) as client:
            assert client.get("/tickers").status_code == 200  # warms the pool
            proxy.pause()
            for name, request in REQUESTS.items():
                began = time.monotonic()
                future = pool.submit(request, client)
                try:
                    response = future.result(timeout=GIVE_UP_SECONDS)
                except concurrent.futures.TimeoutError:
                    pytest.fail(f"{name} still had no answer after {GIVE_UP_SECONDS} s")
                took = time.monotonic() - began
                assert response.status_code == 503, (name, response.text)
                assert took < ANSWER_WITHIN_SECONDS, f"{name} took {took:.1f} s"
                if name == "GET /health":
                    assert response.json()["status"] == "degraded"
    finally:
        proxy.close()  # unblocks whatever still waits on the black hole
        pool.shutdown(wait=True, cancel_futures=True)
