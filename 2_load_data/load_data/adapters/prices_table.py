"""The prices table: bulk upsert of a price frame with exact counts, and the read queries.

All SQL of the service lives here.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Engine, Insert, func, select, text
from sqlalchemy.dialects import postgresql, sqlite

from load_data.domain.price_rows import PRICE_COLUMNS, diff_prices
from stock_db import copy_rows, prices

WRITE_COLUMNS = ["ticker", *PRICE_COLUMNS, "source", "loaded_at"]
# Postgres types of WRITE_COLUMNS, for binary COPY (8x faster here than text COPY).
WRITE_PG_TYPES = [
    "varchar",
    "date",
    "float8",
    "float8",
    "float8",
    "float8",
    "int8",
    "varchar",
    "timestamptz",
]
UPDATED_COLUMNS = [*PRICE_COLUMNS[1:], "source", "loaded_at"]


@dataclass(frozen=True)
class StoreCounts:
    inserted: int
    updated: int


@dataclass(frozen=True)
class DailyPrice:
    date: date
    open: float
    high: float
    low: float
    close: float
    volume: int


@dataclass(frozen=True)
class TickerCoverage:
    ticker: str
    first_date: date
    last_date: date
    rows: int
    sources: list[str]


@contextmanager
def write_transaction(engine: Engine, ticker: str) -> Iterator[Connection]:
    """A transaction that holds the ticker's write lock from the first read on, so the
    counts computed from what is stored stay true until commit."""
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Serialises concurrent loads of one ticker; released at commit or rollback.
            connection.execute(
                text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": f"prices:{ticker}"}
            )
        elif connection.dialect.name == "sqlite":
            # pysqlite would start the transaction only at the first write, after our read;
            # BEGIN IMMEDIATE takes SQLite's writer lock now (other writers wait, busy_timeout).
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        yield connection


def _upsert_statement(connection: Connection) -> Insert:
    """INSERT ... ON CONFLICT (ticker, date) DO UPDATE, in the connection's dialect."""
    dialect = connection.dialect.name
    statement: postgresql.Insert | sqlite.Insert
    if dialect == "postgresql":
        statement = postgresql.insert(prices)
    elif dialect == "sqlite":
        statement = sqlite.insert(prices)
    else:
        raise NotImplementedError(f"no upsert for the {dialect} dialect")
    changes = {name: statement.excluded[name] for name in UPDATED_COLUMNS}
    return statement.on_conflict_do_update(index_elements=["ticker", "date"], set_=changes)


def stored_rows(connection: Connection, ticker: str, first: date, last: date) -> pd.DataFrame:
    """The stored rows of `ticker` from `first` to `last` (PRICE_COLUMNS plus `source`)."""
    query = select(*(prices.c[name] for name in [*PRICE_COLUMNS, "source"])).where(
        prices.c.ticker == ticker, prices.c.date.between(first, last)
    )
    # Plain tuples: pandas inspects Row objects one attribute at a time, 10x slower.
    rows = [tuple(row) for row in connection.execute(query)]
    return pd.DataFrame.from_records(rows, columns=[*PRICE_COLUMNS, "source"])


def _row_tuples(frame: pd.DataFrame, ticker: str, source: str) -> list[tuple[Any, ...]]:
    """Rows in WRITE_COLUMNS order as plain Python values, stamped with the load time."""
    count = len(frame)
    return list(
        zip(
            [ticker] * count,
            frame["date"].dt.date.tolist(),
            frame["open"].tolist(),
            frame["high"].tolist(),
            frame["low"].tolist(),
            frame["close"].tolist(),
            frame["volume"].tolist(),
            [source] * count,
            [datetime.now(UTC)] * count,
            strict=True,
        )
    )


def _write_rows(connection: Connection, rows: list[tuple[Any, ...]]) -> None:
    if connection.dialect.name == "postgresql":
        _copy_upsert(connection, rows)
        return
    records = [dict(zip(WRITE_COLUMNS, row, strict=True)) for row in rows]
    connection.execute(_upsert_statement(connection), records)


def _copy_upsert(connection: Connection, rows: list[tuple[Any, ...]]) -> None:
    """Postgres: binary COPY into a temporary table, then one INSERT ... SELECT ... ON CONFLICT.

    psycopg runs an executemany as one statement per row (under 20,000 rows/s here); COPY
    streams the rows (bench/bench_ingest.py has the figures). Same transaction, same checks.
    """
    columns = ", ".join(WRITE_COLUMNS)
    updates = ", ".join(f"{name} = EXCLUDED.{name}" for name in UPDATED_COLUMNS)
    connection.exec_driver_sql(
        "CREATE TEMPORARY TABLE IF NOT EXISTS prices_incoming "
        "(LIKE prices INCLUDING DEFAULTS) ON COMMIT DELETE ROWS"
    )
    copy_rows(connection, "prices_incoming", WRITE_COLUMNS, WRITE_PG_TYPES, rows)
    connection.exec_driver_sql(
        f"INSERT INTO prices ({columns}) SELECT {columns} FROM prices_incoming "
        f"ON CONFLICT (ticker, date) DO UPDATE SET {updates}"
    )


def stored_rows_of(connection: Connection, ticker: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The stored rows of `ticker` over the date span of a price frame."""
    if frame.empty:
        return pd.DataFrame(columns=[*PRICE_COLUMNS, "source"])
    first, last = frame["date"].min().date(), frame["date"].max().date()
    return stored_rows(connection, ticker, first, last)


def write_prices(
    connection: Connection, ticker: str, frame: pd.DataFrame, stored: pd.DataFrame, source: str
) -> StoreCounts:
    """Write the rows of a cleaned price frame that are new or differ from `stored` (the
    stored rows of its dates), inside the caller's write_transaction."""
    diff = diff_prices(frame, stored, source)
    to_write = pd.concat([diff.new, diff.changed], ignore_index=True)
    if not to_write.empty:
        _write_rows(connection, _row_tuples(to_write, ticker, source))
    return StoreCounts(inserted=len(diff.new), updated=len(diff.changed))


def store_prices(engine: Engine, ticker: str, frame: pd.DataFrame, source: str) -> StoreCounts:
    """Upsert a cleaned price frame in one transaction: all rows or none.

    Reads the stored rows of the frame's date span, writes only new and changed rows
    (ON CONFLICT DO UPDATE), and reports exactly how many were inserted and updated; a
    repeated load writes nothing and reports 0 and 0.
    """
    if frame.empty:
        return StoreCounts(inserted=0, updated=0)
    with write_transaction(engine, ticker) as connection:
        return write_prices(
            connection, ticker, frame, stored_rows_of(connection, ticker, frame), source
        )


def read_prices(
    engine: Engine, ticker: str, start: date | None, end: date | None
) -> list[DailyPrice]:
    """The stored rows of `ticker` between the optional bounds (inclusive), oldest first."""
    query = select(*(prices.c[name] for name in PRICE_COLUMNS)).where(prices.c.ticker == ticker)
    if start is not None:
        query = query.where(prices.c.date >= start)
    if end is not None:
        query = query.where(prices.c.date <= end)
    with engine.connect() as connection:
        return [DailyPrice(*row) for row in connection.execute(query.order_by(prices.c.date))]


def price_sources(engine: Engine, ticker: str, start: date | None, end: date | None) -> list[str]:
    query = select(prices.c.source).distinct().where(prices.c.ticker == ticker)
    if start is not None:
        query = query.where(prices.c.date >= start)
    if end is not None:
        query = query.where(prices.c.date <= end)
    with engine.connect() as connection:
        return sorted(connection.scalars(query))


def coverage(engine: Engine) -> list[TickerCoverage]:
    spans = select(
        prices.c.ticker,
        func.min(prices.c.date),
        func.max(prices.c.date),
        func.count(),
    ).group_by(prices.c.ticker)
    labels = select(prices.c.ticker, prices.c.source).distinct()
    with engine.connect() as connection:
        sources: dict[str, list[str]] = {}
        for ticker, source in connection.execute(labels):
            sources.setdefault(ticker, []).append(source)
        return [
            TickerCoverage(ticker, first, last, rows, sorted(sources.get(ticker, [])))
            for ticker, first, last, rows in connection.execute(spans.order_by(prices.c.ticker))
        ]


def has_prices(engine: Engine, ticker: str) -> bool:
    with engine.connect() as connection:
        query = select(prices.c.date).where(prices.c.ticker == ticker).limit(1)
        return connection.execute(query).first() is not None
