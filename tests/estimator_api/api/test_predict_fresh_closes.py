"""The api sees new closes at once (issue 12): a by-date request for a day after the newest
cached close asks the database first (at most once a second per ticker, in a worker thread),
so `POST /load` then `POST /predict` for that day answers from the new close. Days the cache
covers pay nothing."""

import datetime as dt
import time
from collections.abc import Callable, Iterator
from typing import Any

import pandas as pd
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.exc import OperationalError

from stock_db import create_db_engine
from support.sample import TICKER, insert_prices
from support.trained import Store, app_client

NEWEST = "2017-11-10"  # the sample's newest close (a Friday)


@pytest.fixture
def client(store: Store, served_database: str) -> Iterator[TestClient]:
    # No periodic refresh: only the request itself can bring the new close in.
    with app_client(store.settings(database_url=served_database)) as client:
        yield client


def count_calls(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The tickers the cache was asked to re-check, in order (the real check still runs)."""
    prices = client.app.state.service.prices  # type: ignore[attr-defined]
    calls: list[str] = []
    real: Callable[[str], bool] = prices.refresh_ticker

    def counted(ticker: str) -> bool:
        calls.append(ticker)
        return real(ticker)

    monkeypatch.setattr(prices, "refresh_ticker", counted)
    return calls


def insert_close(database_url: str, day: dt.date, close: float) -> None:
    frame = pd.DataFrame(
        [{"date": day, "open": close, "high": close, "low": close, "close": close, "volume": 1}]
    )
    engine = create_db_engine(database_url)
    try:
        insert_prices(engine, frame)
    finally:
        engine.dispose()


def predict(client: TestClient, **fields: Any) -> dict[str, Any]:
    response = client.post("/predict", json={"ticker": TICKER, **fields})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_a_close_inserted_straight_into_the_database_is_used_at_once(
    client: TestClient, served_database: str
) -> None:
    assert predict(client, date="2017-11-13")["as_of"] == NEWEST  # nothing newer yet
    time.sleep(1.05)  # past the per-ticker throttle of the check above
    insert_close(served_database, dt.date(2017, 11, 13), 84.5)  # as POST /load would, no refresh
    body = predict(client, date="2017-11-13", horizon=2)
    assert body["as_of"] == "2017-11-13"
    assert [s["date"] for s in body["predictions"]] == ["2017-11-14", "2017-11-15"]
    # The cache holds it now: the default (newest close) sees it too.
    assert predict(client)["as_of"] == "2017-11-13"


def test_days_the_cache_covers_never_ask_the_database(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = count_calls(client, monkeypatch)
    for day in ("2017-11-10", "2017-11-12", "2017-06-01"):  # newest, a Sunday after it, older
        predict(client, date=day)
    predict(client)  # no date: the newest cached close
    predict(client, history=[84.0 + 0.1 * i for i in range(25)])
    assert calls == []


def test_the_check_runs_at_most_once_a_second_per_ticker(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = count_calls(client, monkeypatch)
    for _ in range(20):
        assert predict(client, date="2017-11-20")["as_of"] == NEWEST
    assert calls == [TICKER]
    time.sleep(1.05)
    predict(client, date="2017-11-21")
    assert calls == [TICKER, TICKER]


def test_a_failing_check_answers_from_the_cache(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    prices = client.app.state.service.prices  # type: ignore[attr-defined]

    def unreachable(ticker: str) -> bool:
        raise OperationalError("SELECT max(date)", None, ConnectionError("database down"))

    monkeypatch.setattr(prices, "refresh_ticker", unreachable)
    assert predict(client, date="2017-11-13")["as_of"] == NEWEST
