"""POST /load against the real database on both backends."""

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, update

from stock_db import prices
from support.yahoo import (
    ClientFactory,
    FakeDownload,
    load_body,
    sample_rows,
    stored_count,
    yahoo_frame_dated,
)

SAMPLE_TRADING_DAYS_2010_2017 = 1980  # rows of the sample from 2010-01-04 to 2017-11-10


def test_sample_load_inserts_the_trading_days_and_a_repeat_inserts_nothing(
    client: TestClient, engine: Engine
) -> None:
    first = client.post("/load", json=load_body(ticker="msft"))
    assert first.status_code == 200, first.text
    assert first.json() == {
        "ticker": "MSFT",
        "source": "sample",
        "start_date": "2010-01-01",
        "end_date": "2017-11-10",
        "fetched": SAMPLE_TRADING_DAYS_2010_2017,
        "inserted": SAMPLE_TRADING_DAYS_2010_2017,
        "updated": 0,
        "rejected": 0,
        "first_date": "2010-01-04",
        "last_date": "2017-11-10",
        "rebased": False,
        "rebased_rows": 0,
    }
    assert len(sample_rows("2010-01-01", "2017-11-10")) == SAMPLE_TRADING_DAYS_2010_2017
    again = client.post("/load", json=load_body())
    assert again.status_code == 200
    assert (again.json()["inserted"], again.json()["updated"]) == (0, 0)
    assert stored_count(engine) == SAMPLE_TRADING_DAYS_2010_2017


def test_changed_rows_count_as_updated_and_are_restored(client: TestClient, engine: Engine) -> None:
    client.post("/load", json=load_body(start="2017-01-01"))
    with engine.begin() as connection:  # rows of another source (the same source: a re-base)
        connection.execute(
            update(prices)
            .where(prices.c.date >= pd.Timestamp("2017-11-01").date())
            .values(close=1.0, source="csv:old.csv")
        )
    body = client.post("/load", json=load_body(start="2016-12-01")).json()
    # 2016-12 is new (21 trading days), the eight days of 2017-11 were altered.
    assert (body["inserted"], body["updated"]) == (21, 8)
    closes = client.get("/prices", params={"ticker": "MSFT", "start_date": "2017-11-10"}).json()
    assert closes["prices"][0]["close"] == 83.87


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        (load_body(ticker="ms ft"), "ticker", "not a ticker"),
        (load_body(ticker="TOOLONGTICKER12345"), "ticker", "not a ticker"),
        (load_body(ticker=42), "ticker", "string"),
        (load_body(start="20100101"), "start_date", "ISO date"),
        (load_body(start=1700000000), "start_date", "ISO date"),
        (load_body(end="2017-13-01"), "end_date", "calendar date"),
        (load_body(start="2017-11-10", end="2010-01-01"), "start_date", "after end_date"),
        (load_body(start="2999-01-01", end="2999-02-01"), "start_date", "future"),
        (load_body(start="1900-01-01"), "end_date", "50 years"),
        (load_body(ticker="AAPL"), "ticker", "only has MSFT"),
        (load_body(source="csv:/etc/passwd"), "source", "not available"),
        (load_body(colour="blue"), "colour", "Extra inputs"),
        ({"ticker": "MSFT", "start_date": "2010-01-01"}, "end_date", "Field required"),
    ],
)
def test_bad_requests_get_422_naming_the_field(
    client: TestClient, engine: Engine, body: dict[str, Any], field: str, words: str
) -> None:
    response = client.post("/load", json=body)
    assert response.status_code == 422, response.text
    errors = response.json()["detail"]
    assert any(error["loc"][-1] == field and words in error["msg"] for error in errors), errors
    assert stored_count(engine) == 0


def test_admin_token_is_required_when_set(make_client: ClientFactory, engine: Engine) -> None:
    client = make_client(admin_token="s3cret")
    missing = client.post("/load", json=load_body())
    assert missing.status_code == 401
    assert missing.headers["WWW-Authenticate"] == "Bearer"
    wrong = client.post("/load", json=load_body(), headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 403
    assert stored_count(engine) == 0
    right = client.post("/load", json=load_body(), headers={"Authorization": "Bearer s3cret"})
    assert right.status_code == 200
    assert client.get("/tickers").status_code == 200  # reading stays open


def test_request_source_overrides_the_setting(make_client: ClientFactory) -> None:
    client = make_client(price_source="yahoo")  # no fake download: Yahoo must not be called
    body = client.post("/load", json=load_body(start="2017-11-01", source="sample")).json()
    assert (body["source"], body["inserted"]) == ("sample", 8)


def _write_csv(path: Path, start: str, end: str) -> None:
    rows = sample_rows(start, end)
    rows["date"] = rows["date"].dt.strftime("%Y-%m-%d")
    rows.to_csv(path, index=False)


def test_csv_source_picks_up_a_file_that_grows(make_client: ClientFactory, tmp_path: Path) -> None:
    path = tmp_path / "msft.csv"
    _write_csv(path, "2017-10-01", "2017-10-31")
    client = make_client(price_source=f"csv:{path}")
    body = client.post("/load", json=load_body(start="2017-10-01")).json()
    assert (body["source"], body["inserted"], body["last_date"]) == (
        "csv:msft.csv",
        22,
        "2017-10-31",
    )
    _write_csv(path, "2017-10-01", "2017-11-10")  # the file grows by eight trading days
    body = client.post("/load", json=load_body(start="2017-10-01")).json()
    assert (body["inserted"], body["updated"], body["last_date"]) == (8, 0, "2017-11-10")


def test_rows_breaking_checks_are_rejected_not_fatal(
    make_client: ClientFactory, tmp_path: Path, engine: Engine
) -> None:
    path = tmp_path / "dirty.csv"
    path.write_text(
        "date,open,high,low,close,volume\n"
        "2017-11-06,84.2,84.7,83.8,84.47,19852151\n"
        "2017-11-07,84.77,84.9,85.0,84.27,17927878\n"  # high below low
        "2017-11-08,84.14,84.61,83.83,,18029584\n"  # close missing
        "2017-11-09,84.11,84.27,82.9,84.09,21175384\n"
    )
    client = make_client(price_source=f"csv:{path}")
    body = client.post("/load", json=load_body(start="2017-11-01")).json()
    assert (body["fetched"], body["inserted"], body["rejected"]) == (4, 2, 2)
    assert stored_count(engine) == 2


def test_unreadable_csv_is_a_502_and_writes_nothing(
    make_client: ClientFactory, tmp_path: Path, engine: Engine
) -> None:
    client = make_client(price_source=f"csv:{tmp_path / 'missing.csv'}")
    response = client.post("/load", json=load_body())
    assert response.status_code == 502
    assert "missing.csv" in response.json()["detail"]
    assert stored_count(engine) == 0


def test_prices_the_model_cannot_use_are_rejected_never_served_as_null(
    make_client: ClientFactory, tmp_path: Path, engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "hostile.csv"
    path.write_text(
        "date,open,high,low,close,volume\n"
        "2017-11-06,84.2,84.7,83.8,84.47,19852151\n"
        "2017-11-07,84.77,inf,83.8,84.27,17927878\n"  # infinite
        "2017-11-08,84.14,84.61,83.83,1e308,18029584\n"  # inf in float32
        "2017-11-09,1e-50,84.27,1e-50,84.09,21175384\n"  # 0 in float32
        "2017-11-10,83.79,84.1,83.23,83.87,19396301\n"
    )
    client = make_client(price_source=f"csv:{path}")
    body = client.post("/load", json=load_body(start="2017-11-01")).json()
    assert (body["fetched"], body["inserted"], body["rejected"]) == (5, 2, 3)
    assert "non-finite price" in caplog.text and "price outside float32 range" in caplog.text
    prices = client.get("/prices", params={"ticker": "MSFT"}).json()["prices"]
    assert [row["date"] for row in prices] == ["2017-11-06", "2017-11-10"]
    assert stored_count(engine) == 2


def test_future_dated_rows_are_rejected(
    make_client: ClientFactory, tmp_path: Path, engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "future.csv"
    path.write_text(
        "date,open,high,low,close,volume\n"
        "2017-11-10,83.79,84.1,83.23,83.87,19396301\n"
        "2040-01-02,84.2,84.7,83.8,84.47,19852151\n"
    )
    client = make_client(price_source=f"csv:{path}")
    body = client.post("/load", json=load_body(start="2017-11-01", end="2040-12-31")).json()
    assert (body["fetched"], body["inserted"], body["rejected"]) == (2, 1, 1)
    assert body["last_date"] == "2017-11-10"
    assert "session not completed" in caplog.text
    assert stored_count(engine) == 1


# Friday 2024-11-29, a half day: NYSE closes at 13:00 New York time (18:00 UTC).
HALF_DAY_NOON = datetime(2024, 11, 29, 17, 0, tzinfo=UTC)
HALF_DAY_CLOSED = datetime(2024, 11, 29, 18, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("now", "inserted", "rejected", "last_date"),
    [
        (HALF_DAY_NOON, 2, 1, "2024-11-27"),  # the 11-29 bar is an intraday price
        (HALF_DAY_CLOSED, 3, 0, "2024-11-29"),
    ],
)
def test_a_session_that_has_not_closed_is_not_stored(
    make_client: ClientFactory,
    engine: Engine,
    now: datetime,
    inserted: int,
    rejected: int,
    last_date: str,
) -> None:
    bars = yahoo_frame_dated("2024-11-26", "2024-11-27", "2024-11-29")
    client = make_client(price_source="yahoo", yahoo=FakeDownload(bars), clock=lambda: now)
    body = client.post("/load", json=load_body(start="2024-11-25", end="2024-11-29")).json()
    assert (body["inserted"], body["rejected"], body["last_date"]) == (
        inserted,
        rejected,
        last_date,
    )
    assert stored_count(engine) == inserted
