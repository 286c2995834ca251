"""The prices table, read only: the newest stored close of a ticker."""

from datetime import date

from sqlalchemy import Engine, func, select

from stock_db import prices


def newest_close(engine: Engine, ticker: str) -> date | None:
    with engine.connect() as connection:
        newest: date | None = connection.scalar(
            select(func.max(prices.c.date)).where(prices.c.ticker == ticker)
        )
    return newest
