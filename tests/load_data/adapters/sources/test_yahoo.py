"""The Yahoo source: how yfinance's failures are classified, its frames converted, and the
whole source through POST /load with only `yfinance.download` replaced."""

import logging
from typing import Any

import pandas as pd
import pytest
import yfinance
from sqlalchemy import Engine
from yfinance.exceptions import YFRateLimitError

from load_data.adapters.sources.yahoo import classify_yahoo_failure, yahoo_frame_to_prices
from support.yahoo import (
    DELISTED,
    DNS_FAILURE,
    ClientFactory,
    FakeDownload,
    empty_yahoo_frame,
    load_body,
    sample_rows,
    yahoo_frame,
)


class _HistoryOnly:
    """Replaces yfinance's Ticker so that yf.download's own reshaping code runs on a frame
    shaped like Ticker.history's daily output (tz-aware midnight index, auto-adjusted)."""

    def __init__(self, ticker: str, *args: Any, **kwargs: Any) -> None:
        self._price_history = None

    def history(self, **kwargs: Any) -> pd.DataFrame:
        rows = sample_rows("2017-11-01", "2017-11-10")
        index = pd.DatetimeIndex(
            rows["date"].to_numpy().astype("datetime64[s]"), name="Date"
        ).tz_localize("America/New_York")
        return pd.DataFrame(
            {
                "Open": rows["open"].to_numpy("float64"),
                "High": rows["high"].to_numpy("float64"),
                "Low": rows["low"].to_numpy("float64"),
                "Close": rows["close"].to_numpy("float64"),
                "Volume": rows["volume"].to_numpy("int64"),
            },
            index=index,
        )


def test_yahoo_frames_match_real_download(monkeypatch: pytest.MonkeyPatch) -> None:
    """Our test frames equal what yfinance 1.7's download makes of Ticker.history's output."""
    monkeypatch.setattr(yfinance.multi, "Ticker", _HistoryOnly)
    real = yfinance.download(
        "MSFT",
        start="2017-11-01",
        end="2017-11-11",
        auto_adjust=True,
        multi_level_index=False,
        progress=False,
        interval="1d",
        threads=False,
    )
    pd.testing.assert_frame_equal(real, yahoo_frame("2017-11-01", "2017-11-10"))
    assert list(real.columns) == ["Close", "High", "Low", "Open", "Volume"]
    assert real.index.name == "Date" and real.index.tz is None


@pytest.mark.parametrize(
    ("messages", "kind"),
    [
        (
            ["['MSFT']: YFRateLimitError('Too Many Requests. Rate limited. Try after a while.')"],
            "rate_limited",
        ),
        (
            ["['ZZZZ']: YFTzMissingError('$ZZZZ: possibly delisted; no timezone found')"],
            "unknown_ticker",
        ),
        (
            ["['ZZZZ']: YFPricesMissingError('$ZZZZ: possibly delisted; no price data found')"],
            "unknown_ticker",
        ),
        (
            ["['MSFT']: DNSError('Failed to perform, curl: (6) Could not resolve host')"],
            "unreachable",
        ),
        ([], "unreachable"),
        # offline: the first attempt fails on DNS, the retry blames the ticker's time zone
        (
            [
                "['MSFT']: DNSError('Could not resolve host')",
                "['MSFT']: possibly delisted; no timezone found",
            ],
            "unreachable",
        ),
    ],
)
def test_yahoo_failures_are_classified(messages: list[str], kind: str) -> None:
    assert classify_yahoo_failure(messages) == kind


def test_yahoo_frame_becomes_a_price_frame() -> None:
    prices = yahoo_frame_to_prices(yahoo_frame("2017-11-08", "2017-11-10"))
    assert list(prices.columns) == ["date", "open", "high", "low", "close", "volume"]
    assert prices["date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2017-11-08",
        "2017-11-09",
        "2017-11-10",
    ]
    assert prices.iloc[-1][["open", "close"]].tolist() == [83.79, 83.87]


def test_yahoo_load_passes_explicit_arguments_and_stores_rows(
    make_client: ClientFactory,
) -> None:
    fake = FakeDownload(yahoo_frame("2017-11-01", "2017-11-10"))
    client = make_client(price_source="yahoo", yahoo=fake)
    response = client.post("/load", json=load_body(start="2017-11-01", end="2017-11-10"))
    assert response.status_code == 200, response.text
    assert (response.json()["source"], response.json()["inserted"]) == ("yahoo", 8)
    assert fake.calls == [
        {
            "tickers": "MSFT",
            "start": "2017-11-01",
            "end": "2017-11-11",  # yfinance's end is exclusive
            "auto_adjust": True,
            "multi_level_index": False,
            "progress": False,
            "interval": "1d",
            "threads": False,
        }
    ]
    assert client.get("/prices", params={"ticker": "MSFT"}).json()["sources"] == ["yahoo"]


def test_yahoo_retries_then_succeeds(make_client: ClientFactory) -> None:
    fake = FakeDownload(YFRateLimitError(), DNS_FAILURE, yahoo_frame("2017-11-01", "2017-11-10"))
    client = make_client(price_source="yahoo", yahoo=fake, yahoo_attempts=3)
    response = client.post("/load", json=load_body(start="2017-11-01"))
    assert response.status_code == 200
    assert len(fake.calls) == 3


@pytest.mark.parametrize(
    ("failure", "words"),
    [
        (DNS_FAILURE, "unreachable"),  # yfinance 1.7 offline: logged error, empty frame
        ([DNS_FAILURE, DELISTED], "unreachable"),  # offline retry blames the time zone
        (empty_yahoo_frame(), "unreachable"),  # empty frame, nothing logged
        (RuntimeError("connection reset"), "connection reset"),  # an exception escapes
        (YFRateLimitError(), "rate limited"),
    ],
)
def test_yahoo_failures_are_502_pointing_to_the_sample(
    make_client: ClientFactory, engine: Engine, failure: Any, words: str
) -> None:
    fake = FakeDownload(*failure) if isinstance(failure, list) else FakeDownload(failure)
    client = make_client(price_source="yahoo", yahoo=fake, yahoo_attempts=2)
    response = client.post("/load", json=load_body())
    assert response.status_code == 502, response.text
    detail = response.json()["detail"]
    assert words in detail and "PRICE_SOURCE=sample" in detail
    assert len(fake.calls) == 2  # bounded retries
    assert client.get("/tickers").json() == {"tickers": []}  # nothing written


def test_unknown_ticker_on_yahoo_is_404(make_client: ClientFactory) -> None:
    client = make_client(price_source="yahoo", yahoo=FakeDownload(DELISTED), yahoo_attempts=1)
    response = client.post("/load", json=load_body(ticker="zzzz"))
    assert response.status_code == 404
    assert "ZZZZ" in response.json()["detail"] and "delisted" in response.json()["detail"]
    assert client.get("/tickers").json() == {"tickers": []}


def test_yfinance_chatter_stays_off_the_console_one_line_per_attempt(
    make_client: ClientFactory, caplog: pytest.LogCaptureFixture
) -> None:
    """yfinance logs several lines per failed attempt; they are still read to classify the
    failure but do not reach the root handlers: one WARNING line of ours per attempt."""
    caplog.set_level(logging.INFO)
    client = make_client(price_source="yahoo", yahoo=FakeDownload(DNS_FAILURE), yahoo_attempts=3)
    response = client.post("/load", json=load_body())
    assert response.status_code == 502 and "unreachable" in response.json()["detail"]
    assert [r for r in caplog.records if r.name.startswith("yfinance")] == []
    attempts = [r for r in caplog.records if r.name == "load_data.adapters.sources.yahoo"]
    assert [(r.levelname, r.getMessage()[:19]) for r in attempts] == [
        ("WARNING", f"yahoo attempt {n}/3 f") for n in (1, 2, 3)
    ]
    assert logging.getLogger("yfinance").propagate  # restored after the calls
