"""Load a range: fetch from a source, clean, upsert, log. Shared by POST /load and the bootstrap."""

import logging
import time
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine

from load_data.adapters.prices_table import store_prices
from load_data.adapters.sources import PriceSource
from load_data.domain.price_rows import clean_prices

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LoadResult:
    ticker: str
    source: str
    start_date: date
    end_date: date
    fetched: int  # rows the source returned for the range
    inserted: int  # rows that were not stored before
    updated: int  # stored rows whose values or source label changed
    rejected: int  # rows dropped because they break the table's checks
    first_date: date | None  # first and last trading day the source returned (after cleaning)
    last_date: date | None
    elapsed_ms: float


def load_range(
    engine: Engine, source: PriceSource, ticker: str, start: date, end: date
) -> LoadResult:
    """Fetch `ticker` from `source` for [start, end] (inclusive) and upsert it atomically.

    Source failures (load_data.adapters.sources.SourceError) propagate before anything is
    written; a database failure rolls the whole load back.
    """
    began = time.perf_counter()
    fetched = source.fetch(ticker, start, end)
    cleaned = clean_prices(fetched, start, end)
    if cleaned.rejected:
        log.warning(
            "load %s from %s: dropped %d row(s) that break the table's checks: %s",
            ticker,
            source.name,
            cleaned.rejected,
            cleaned.reasons,
        )
    counts = store_prices(engine, ticker, cleaned.frame, source.name)
    frame = cleaned.frame
    result = LoadResult(
        ticker=ticker,
        source=source.name,
        start_date=start,
        end_date=end,
        fetched=len(fetched),
        inserted=counts.inserted,
        updated=counts.updated,
        rejected=cleaned.rejected,
        first_date=frame["date"].iloc[0].date() if len(frame) else None,
        last_date=frame["date"].iloc[-1].date() if len(frame) else None,
        elapsed_ms=round((time.perf_counter() - began) * 1000, 1),
    )
    log.info(
        "load ticker=%s source=%s range=%s..%s fetched=%d inserted=%d updated=%d "
        "rejected=%d ms=%.0f",
        ticker,
        source.name,
        start,
        end,
        result.fetched,
        result.inserted,
        result.updated,
        result.rejected,
        result.elapsed_ms,
    )
    return result
