"""Daily closes per ticker, held in memory so /predict never queries the database. A cheap
max(date)/count(*) probe tells when the database has newer (or corrected) rows."""

import datetime as dt
import logging
import threading

from sqlalchemy import Engine, func, select

from nn_estimator.adapters.prices import load_closes
from nn_estimator.domain.series import CloseSeries
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
        # The date of each series' newest close as a Python date, for a request to compare its
        # day against in ~0.1 us (numpy's datetime64 -> date conversion costs ten times more).
        self._newest: dict[str, dt.date] = {}
        self._signatures: dict[str, tuple[dt.date | None, int]] = {}
        # The periodic refresh and a request's catch-up (refresh_ticker) run in different
        # worker threads: one at a time, so neither undoes the other's update.
        self._lock = threading.Lock()

    def get(self, ticker: str) -> CloseSeries | None:
        return self._series.get(ticker)

    def newest(self, ticker: str) -> dt.date | None:
        """The date of the newest cached close of `ticker` (None: no closes cached)."""
        return self._newest.get(ticker)

    def refresh(self) -> list[str]:
        """Reload the tickers whose rows changed since the last look; returns their names.
        Blocking (database I/O): call it from a worker thread."""
        return [ticker for ticker in self._tickers if self.refresh_ticker(ticker)]

    def refresh_ticker(self, ticker: str) -> bool:
        """Reload one ticker if its rows changed since the last look (one max(date)/count
        probe otherwise); whether it was reloaded. Blocking: call it from a worker thread."""
        with self._lock:
            signature = self._probe(ticker)
            if signature == self._signatures.get(ticker):
                return False
            try:
                series: CloseSeries | None = load_closes(self._engine, ticker)
            except UnknownTickerError:
                series = None
            # The series first: a reader pairing a new series with the old newest date at worst
            # asks the database once more.
            self._series = {k: v for k, v in self._series.items() if k != ticker}
            newest = {k: v for k, v in self._newest.items() if k != ticker}
            if series is not None:
                self._series = {**self._series, ticker: series}
                newest[ticker] = last_date(series)
            self._newest = newest
            self._signatures[ticker] = signature
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
            return True

    def _probe(self, ticker: str) -> tuple[dt.date | None, int]:
        query = select(func.max(prices.c.date), func.count()).where(prices.c.ticker == ticker)
        with self._engine.connect() as connection:
            last, count = connection.execute(query).one()
        return last, int(count)
