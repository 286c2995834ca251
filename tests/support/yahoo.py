"""Helpers for the load_data tests: frames shaped exactly like yfinance 1.7's output, built
from the bundled sample, a fake `yfinance.download` that plays a script, the service's test
settings, request bodies and a count of the stored rows."""

import logging
from collections.abc import Callable
from typing import Any

import pandas as pd
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from load_data.adapters.sources.sample import _sample_history
from load_data.config import Settings
from stock_db import prices

# What the `make_client` fixture returns: builds a TestClient; settings as keywords.
ClientFactory = Callable[..., TestClient]


def sample_rows(start: str, end: str) -> pd.DataFrame:
    history = _sample_history()
    wanted = (history["date"] >= pd.Timestamp(start)) & (history["date"] <= pd.Timestamp(end))
    return history[wanted].reset_index(drop=True)


def yahoo_frame(start: str, end: str) -> pd.DataFrame:
    """What `yf.download("MSFT", ..., auto_adjust=True, multi_level_index=False,
    interval="1d")` returns in yfinance 1.7 under pandas 3: columns Close, High, Low, Open,
    Volume (alphabetical, no 'Adj Close', unnamed column axis), a tz-naive DatetimeIndex named
    'Date' at midnight (datetime64[s]), float64 prices and int64 volume.
    test_yahoo_frames_match_real_download checks this against yfinance's own code."""
    rows = sample_rows(start, end)
    index = pd.DatetimeIndex(rows["date"].to_numpy().astype("datetime64[s]"), name="Date")
    frame = pd.DataFrame(
        {
            "Close": rows["close"].to_numpy("float64"),
            "High": rows["high"].to_numpy("float64"),
            "Low": rows["low"].to_numpy("float64"),
            "Open": rows["open"].to_numpy("float64"),
            "Volume": rows["volume"].to_numpy("int64"),
        },
        index=index,
    )
    return frame


def yahoo_frame_dated(*days: str) -> pd.DataFrame:
    """A yfinance-shaped frame of sample prices (from 2017-11-01 on) re-dated to `days`: bars
    for dates the sample does not cover (a session today, a future date)."""
    frame = yahoo_frame("2017-11-01", "2017-12-31").iloc[: len(days)].copy()
    frame.index = pd.DatetimeIndex(pd.to_datetime(list(days)).astype("datetime64[s]"), name="Date")
    return frame


class YahooHistory:
    """Stands in for `yfinance.download` over the sample's MSFT history: answers the range it is
    asked for (end exclusive, like yfinance), every price multiplied by `scale`. Set `scale`
    between loads to play a dividend or split re-basing Yahoo's adjusted history."""

    def __init__(self, scale: float = 1.0) -> None:
        self.scale = scale
        self.calls: list[tuple[str, str]] = []

    def __call__(self, tickers: str, *, start: str, end: str, **_: Any) -> pd.DataFrame:
        self.calls.append((start, end))
        last = (pd.Timestamp(end) - pd.Timedelta(days=1)).strftime("%Y-%m-%d")
        frame = yahoo_frame(start, last)
        frame[["Close", "High", "Low", "Open"]] *= self.scale
        return frame


def empty_yahoo_frame() -> pd.DataFrame:
    """yf.download's result when the one ticker failed (yfinance's utils.empty_df, reindexed)."""
    return pd.DataFrame(
        columns=["Adj Close", "Close", "High", "Low", "Open", "Volume"],
        index=pd.DatetimeIndex([], dtype="datetime64[s]"),
        dtype="float64",
    )


class YahooLogged:
    """A scripted failure the way yfinance 1.7 reports it: an ERROR line on the `yfinance`
    logger ("['MSFT']: <repr of the exception>") and an empty frame, no exception."""

    def __init__(self, message: str) -> None:
        self.message = message


DNS_FAILURE = YahooLogged(
    "['MSFT']: DNSError('Failed to perform, curl: (6) Could not resolve host: "
    "query2.finance.yahoo.com.')"
)
DELISTED = YahooLogged("['ZZZZ']: YFTzMissingError('$ZZZZ: possibly delisted; no timezone found')")


class FakeDownload:
    """Stands in for `yfinance.download`: plays `script` (frames, exceptions, YahooLogged) in
    order, repeating the last entry, and records every call's arguments."""

    def __init__(self, *script: pd.DataFrame | Exception | YahooLogged) -> None:
        self.script = list(script)
        self.calls: list[dict[str, Any]] = []

    def __call__(self, tickers: str, **kwargs: Any) -> pd.DataFrame:
        self.calls.append({"tickers": tickers, **kwargs})
        step = self.script[min(len(self.calls), len(self.script)) - 1]
        if isinstance(step, Exception):
            raise step
        if isinstance(step, YahooLogged):
            logger = logging.getLogger("yfinance")
            logger.error("\n1 Failed download:")
            logger.error(step.message)
            return empty_yahoo_frame()
        return step.copy()


def load_body(
    ticker: object = "MSFT", start: object = "2010-01-01", end: object = "2017-11-10", **extra: Any
) -> dict[str, Any]:
    return {"ticker": ticker, "start_date": start, "end_date": end, **extra}


def settings_for(database_url: str, **overrides: Any) -> Settings:
    """The service's settings for a test: the bundled sample, no token, Yahoo retried without
    waiting; keywords override."""
    values: dict[str, Any] = {
        "database_url": database_url,
        "price_source": "sample",
        "admin_token": None,
        "yahoo_attempts": 3,
        "yahoo_backoff_seconds": 0,
        **overrides,
    }
    return Settings(**values)


def stored_count(engine: Engine, source: str | None = None) -> int:
    """Rows in `prices`, or only those labelled `source`."""
    query = select(func.count()).select_from(prices)
    if source is not None:
        query = query.where(prices.c.source == source)
    with engine.connect() as connection:
        return int(connection.scalar(query) or 0)
