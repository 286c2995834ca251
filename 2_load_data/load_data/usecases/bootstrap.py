"""First start: make sure every configured ticker has its history in the database.

For each ticker in TICKERS with no stored rows, load 1986-01-01..today from PRICE_SOURCE; when
that is Yahoo and Yahoo fails, say so loudly and fall back to the bundled sample (which only
has MSFT). Tickers that already have rows are left alone, so a second run does nothing.
"""

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine

from load_data.adapters import prices_table
from load_data.adapters.sources import (
    DownloadFunction,
    SampleSource,
    SourceError,
    YahooSource,
    source_for_settings,
)
from load_data.config import Settings
from load_data.usecases.load import HISTORY_START, LoadResult, load_range
from stock_db import create_db_engine, ensure_schema, wait_for_database

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BootstrapOutcome:
    ticker: str
    action: str  # "skipped" (rows exist), "loaded", "loaded-fallback" or "failed"
    result: LoadResult | None = None
    reason: str = ""


def _fallback_banner(ticker: str, error: SourceError) -> None:
    line = "!" * 78
    log.warning(
        "\n%s\n!! Yahoo Finance failed for %s: %s\n!! FALLING BACK to the bundled SAMPLE "
        "(MSFT 1986-03-13..2017-11-10, labelled source='sample').\n!! Prices are NOT current. "
        "Load real data later with POST /load once Yahoo answers.\n%s",
        line,
        ticker,
        error.message,
        line,
    )


def bootstrap_ticker(
    engine: Engine,
    settings: Settings,
    ticker: str,
    now: datetime,
    yahoo_download: DownloadFunction | None = None,
) -> BootstrapOutcome:
    if prices_table.has_prices(engine, ticker):
        log.info("bootstrap %s: rows exist, nothing to do", ticker)
        return BootstrapOutcome(ticker, "skipped")
    source = source_for_settings(settings, yahoo_download, settings.price_source)
    today, calendar = now.date(), settings.exchange_calendar
    try:
        result = load_range(
            engine, source, ticker, HISTORY_START, today, now=now, calendar=calendar
        )
        return BootstrapOutcome(ticker, "loaded", result)
    except SourceError as error:
        if not isinstance(source, YahooSource):
            log.error("bootstrap %s from %s failed: %s", ticker, source.name, error.message)
            return BootstrapOutcome(ticker, "failed", reason=error.message)
        if ticker not in SampleSource.tickers:
            reason = f"Yahoo failed and the sample has no {ticker} (it only has MSFT)"
            log.error("bootstrap %s: %s: %s", ticker, reason, error.message)
            return BootstrapOutcome(ticker, "failed", reason=reason)
        _fallback_banner(ticker, error)
    result = load_range(
        engine, SampleSource(), ticker, HISTORY_START, today, now=now, calendar=calendar
    )
    return BootstrapOutcome(ticker, "loaded-fallback", result, reason="yahoo failed")


def bootstrap(
    settings: Settings,
    now: datetime | None = None,
    yahoo_download: DownloadFunction | None = None,
    wait_seconds: float = 60,
) -> list[BootstrapOutcome]:
    """Wait for the database, ensure the schema, then load each ticker that has no rows.
    `now` (time-zone aware, default the real UTC now) ends the history."""
    engine = create_db_engine(settings.database_url)
    try:
        wait_for_database(engine, timeout_seconds=wait_seconds)
        ensure_schema(engine)
        return [
            bootstrap_ticker(engine, settings, ticker, now or datetime.now(UTC), yahoo_download)
            for ticker in settings.tickers
        ]
    finally:
        engine.dispose()
