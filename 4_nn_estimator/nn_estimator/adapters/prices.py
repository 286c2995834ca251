"""Adapter: daily closes of one ticker from the shared `prices` table."""

import numpy as np
from sqlalchemy import Engine, select

from nn_estimator.domain.series import CloseSeries
from nn_estimator.errors import UnknownTickerError
from stock_db import prices


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
