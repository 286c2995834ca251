"""Load a range: fetch from a source, clean, upsert, log. Shared by POST /load and the bootstrap.

Only completed sessions are stored (load_data.domain.sessions): the clock and the exchange
calendar say which session closed last. When the fresh rows contradict stored closes of the
same source (a dividend or split re-based the adjusted history, load_data.domain.rebase), the
ticker's whole history is re-loaded from the source in the same transaction.
"""

import logging
import time
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd
from sqlalchemy import Engine

from load_data.adapters import prices_table
from load_data.adapters.exchange_calendar import last_completed_session_at
from load_data.adapters.sources import PriceSource
from load_data.domain.price_rows import CleanedPrices, clean_prices
from load_data.domain.rebase import find_rebase

log = logging.getLogger(__name__)

# The first day a full history is loaded from (MSFT's starts 1986-03-13).
HISTORY_START = date(1986, 1, 1)


@dataclass(frozen=True)
class LoadResult:
    ticker: str
    source: str
    start_date: date
    end_date: date
    fetched: int  # rows the source returned for the range
    inserted: int  # rows that were not stored before
    updated: int  # stored rows whose values or source label changed
    rejected: int  # rows of the range dropped as unfit to store (see clean_prices)
    first_date: date | None  # first and last trading day the source returned (after cleaning)
    last_date: date | None
    elapsed_ms: float
    rebased: bool = False  # the source re-based its history: all of it was re-loaded
    rebased_rows: int = 0  # stored rows the re-base rewrote


def _fetch_clean(
    source: PriceSource, ticker: str, start: date, end: date, last_completed: date | None
) -> tuple[int, CleanedPrices]:
    fetched = source.fetch(ticker, start, end)
    cleaned = clean_prices(fetched, start, end, last_completed)
    if cleaned.rejected:
        log.warning(
            "load %s from %s %s..%s: dropped %d row(s) unfit to store: %s",
            ticker,
            source.name,
            start,
            end,
            cleaned.rejected,
            cleaned.reasons,
        )
    return len(fetched), cleaned


def load_range(
    engine: Engine,
    source: PriceSource,
    ticker: str,
    start: date,
    end: date,
    *,
    now: datetime,
    calendar: str = "XNYS",
) -> LoadResult:
    """Fetch `ticker` from `source` for [start, end] (inclusive) and upsert it atomically.

    `now` (with its time zone) and the exchange `calendar` decide the last completed session;
    later rows are rejected. Source failures (load_data.adapters.sources.SourceError)
    propagate before anything is written; a database failure rolls the whole load back.
    """
    began = time.perf_counter()
    last_completed = last_completed_session_at(calendar, now)
    fetched, cleaned = _fetch_clean(source, ticker, start, end, last_completed)
    frame = cleaned.frame
    rebased_rows = 0
    with prices_table.write_transaction(engine, ticker) as connection:
        stored = prices_table.stored_rows_of(connection, ticker, frame)
        rebase = find_rebase(frame, stored, source.name)
        to_store = frame
        if rebase is not None:
            history_end = max(end, last_completed or end)
            log.warning(
                "load %s from %s: the source re-based its history (%s); re-loading %s..%s",
                ticker,
                source.name,
                rebase.describe(),
                HISTORY_START,
                history_end,
            )
            _, history = _fetch_clean(source, ticker, HISTORY_START, history_end, last_completed)
            to_store = pd.concat([history.frame, frame], ignore_index=True)
            to_store = to_store.drop_duplicates("date", keep="last").sort_values("date")
            stored = prices_table.stored_rows_of(connection, ticker, to_store)
        counts = prices_table.write_prices(connection, ticker, to_store, stored, source.name)
        if rebase is not None:
            rebased_rows = counts.updated
    result = LoadResult(
        ticker=ticker,
        source=source.name,
        start_date=start,
        end_date=end,
        fetched=fetched,
        inserted=counts.inserted,
        updated=counts.updated,
        rejected=cleaned.rejected,
        first_date=frame["date"].iloc[0].date() if len(frame) else None,
        last_date=frame["date"].iloc[-1].date() if len(frame) else None,
        elapsed_ms=round((time.perf_counter() - began) * 1000, 1),
        rebased=rebase is not None,
        rebased_rows=rebased_rows,
    )
    log.info(
        "load ticker=%s source=%s range=%s..%s fetched=%d inserted=%d updated=%d "
        "rejected=%d rebased=%s ms=%.0f",
        ticker,
        source.name,
        start,
        end,
        result.fetched,
        result.inserted,
        result.updated,
        result.rejected,
        result.rebased,
        result.elapsed_ms,
    )
    return result
