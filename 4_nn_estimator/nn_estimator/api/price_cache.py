"""Daily closes per ticker, held in memory so /predict never queries the database. A cheap
max(date)/count(*) probe tells when the database has newer (or corrected) rows."""

import datetime as dt
import logging

from sqlalchemy import Engine, func, select

from nn_estimator.data import CloseSeries, load_closes
from nn_estimator.errors import UnknownTickerError
from stock_db import prices

log = logging.getLogger(__name__)


def last_date(series: CloseSeries) -> dt.date:
    day: dt.date = series.dates[-1].item()
    return day


class PriceCache:
    def __init__(self, engine: Engine, tickers: list[str]) -> None:
        self._engine = engine
        self._tickers = list(tickers)
        # Replaced as a whole (one reference assignment), so readers never see a half update.
        self._series: dict[str, CloseSeries] = {}
        self._signatures: dict[str, tuple[dt.date | None, int]] = {}

    def get(self, ticker: str) -> CloseSeries | None:
        return self._series.get(ticker)

    def refresh(self) -> list[str]:
        """Reload the tickers whose rows changed since the last look; returns their names.
        Blocking (database I/O): call it from a worker thread."""
        changed = []
        for ticker in self._tickers:
            signature = self._probe(ticker)
            if signature == self._signatures.get(ticker):
                continue
            try:
                series: CloseSeries | None = load_closes(self._engine, ticker)
            except UnknownTickerError:
                series = None
            self._series = {k: v for k, v in self._series.items() if k != ticker}
            if series is not None:
                self._series = {**self._series, ticker: series}
            self._signatures[ticker] = signature
            changed.append(ticker)
            if series is None:
                log.warning("no prices for %s in the database yet", ticker)
            else:
                log.info(
                    "prices for %s: %d closes %s..%s",
                    ticker,
                    len(series),
                    series.dates[0],
                    series.dates[-1],
                )
        return changed

    def _probe(self, ticker: str) -> tuple[dt.date | None, int]:
        query = select(func.max(prices.c.date), func.count()).where(prices.c.ticker == ticker)
        with self._engine.connect() as connection:
            last, count = connection.execute(query).one()
        return last, int(count)
