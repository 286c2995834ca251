"""Adapter: daily closes of one ticker from the shared `prices` table."""

from dataclasses import dataclass

import numpy as np
from sqlalchemy import Engine, select

from nn_estimator.errors import UnknownTickerError
from stock_db import prices


@dataclass(frozen=True)
class CloseSeries:
    """Closes of one ticker in date order (oldest first)."""

    ticker: str
    dates: np.ndarray  # datetime64[D]
    closes: np.ndarray  # float64

    def __len__(self) -> int:
        return len(self.closes)

    def date_at(self, index: int) -> str:
        return str(self.dates[index])


def load_closes(engine: Engine, ticker: str) -> CloseSeries:
    ticker = ticker.upper()
    query = (
        select(prices.c.date, prices.c.close)
        .where(prices.c.ticker == ticker)
        .order_by(prices.c.date)
    )
    with engine.connect() as connection:
        rows = connection.execute(query).all()
    if not rows:
        raise UnknownTickerError(ticker)
    dates = np.array([row.date for row in rows], dtype="datetime64[D]")
    closes = np.array([row.close for row in rows], dtype=np.float64)
    return CloseSeries(ticker=ticker, dates=dates, closes=closes)
