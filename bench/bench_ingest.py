"""Ingestion benchmark: rows/s of upserting the full bundled MSFT history (7,983 rows).

Compares the service's bulk path (load_data.adapters.prices_table.store_prices: read what is
stored, diff, write only new/changed rows; Postgres via COPY + INSERT ... SELECT ... ON CONFLICT)
with what a user might write instead: one INSERT ... ON CONFLICT per row, SQLAlchemy
executemany of the same upsert, and pandas.to_sql. "cold" = empty table, "repeated" = every
row already stored and unchanged. Postgres runs in a scratch database created and dropped
here (BENCH_POSTGRES_URL or TEST_POSTGRES_URL, default this machine's server); SQLite in a
temporary file. Median of several runs; timings vary from machine to machine.

    python bench/bench_ingest.py
"""

import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Engine, Insert, create_engine, delete, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url

from load_data.adapters.prices_table import store_prices
from load_data.adapters.sources import SampleSource
from load_data.domain.price_rows import clean_prices
from stock_db import create_db_engine, ensure_schema, prices

REPO_ROOT = Path(__file__).resolve().parents[1]
ADMIN_URL = os.environ.get(
    "BENCH_POSTGRES_URL",
    os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"),
)
TICKER = "MSFT"
RUNS = 5
Upsert = Callable[[Engine, pd.DataFrame], object]


def full_history() -> pd.DataFrame:
    start, end = date(1986, 1, 1), date(2017, 11, 10)
    return clean_prices(SampleSource().fetch(TICKER, start, end), start, end).frame


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    now = pd.Timestamp.now(tz="UTC").to_pydatetime()
    records = frame.assign(date=frame["date"].dt.date, ticker=TICKER, source="bench")
    records["loaded_at"] = now
    return [{str(key): value for key, value in row.items()} for row in records.to_dict("records")]


def _upsert_statement(engine: Engine) -> Insert:
    statement: postgresql.Insert | sqlite.Insert = (
        postgresql.insert(prices) if engine.dialect.name == "postgresql" else sqlite.insert(prices)
    )
    columns = ["open", "high", "low", "close", "volume", "source", "loaded_at"]
    return statement.on_conflict_do_update(
        index_elements=["ticker", "date"], set_={c: statement.excluded[c] for c in columns}
    )


def bulk_service_path(engine: Engine, frame: pd.DataFrame) -> object:
    return store_prices(engine, TICKER, frame, "bench")


def row_by_row(engine: Engine, frame: pd.DataFrame) -> object:
    statement = _upsert_statement(engine)
    with engine.begin() as connection:
        for record in _records(frame):
            connection.execute(statement, record)
    return None


def sqlalchemy_executemany(engine: Engine, frame: pd.DataFrame) -> object:
    with engine.begin() as connection:
        connection.execute(_upsert_statement(engine), _records(frame))
    return None


def pandas_to_sql(engine: Engine, frame: pd.DataFrame) -> object:
    table = pd.DataFrame(_records(frame))
    table.to_sql("prices", engine, if_exists="append", index=False, method="multi", chunksize=1000)
    return None


def _empty(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(delete(prices))


def _rate(engine: Engine, upsert: Upsert, frame: pd.DataFrame, cold: bool, runs: int) -> str:
    rates = []
    for _ in range(runs):
        _empty(engine)
        if not cold:
            bulk_service_path(engine, frame)
        began = time.perf_counter()
        try:
            upsert(engine, frame)
        except Exception as error:  # pandas.to_sql cannot upsert: a repeat hits the key
            return f"fails ({type(error).__name__})"
        rates.append(len(frame) / (time.perf_counter() - began))
    return f"{statistics.median(rates):,.0f}"


def measure(engine: Engine, backend: str, frame: pd.DataFrame) -> list[tuple[str, ...]]:
    methods: list[tuple[str, Upsert, int]] = [
        (
            "bulk (service: diff + COPY/upsert)"
            if backend == "postgres"
            else "bulk (service: diff + executemany upsert)",
            bulk_service_path,
            RUNS,
        ),
        ("SQLAlchemy executemany upsert", sqlalchemy_executemany, RUNS),
        ("row by row INSERT ... ON CONFLICT", row_by_row, 1),
        ("pandas.to_sql (insert only)", pandas_to_sql, 3),
    ]
    bulk_service_path(engine, frame.iloc[:10])  # warm the pool and statement caches
    return [
        (
            backend,
            name,
            _rate(engine, upsert, frame, cold=True, runs=runs),
            _rate(engine, upsert, frame, cold=False, runs=runs),
        )
        for name, upsert, runs in methods
    ]


def run_postgres(frame: pd.DataFrame) -> list[tuple[str, ...]]:
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"bench_ingest_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:
        print(f"Postgres at {make_url(ADMIN_URL).render_as_string()} unavailable: {error}")
        return []
    url = make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    engine = create_db_engine(url)
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql((REPO_ROOT / "3_db" / "init.sql").read_text())
        return measure(engine, "postgres", frame)
    finally:
        engine.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def run_sqlite(frame: pd.DataFrame) -> list[tuple[str, ...]]:
    with tempfile.TemporaryDirectory() as folder:
        engine = create_db_engine(f"sqlite:///{folder}/bench.db")
        try:
            ensure_schema(engine)
            return measure(engine, "sqlite", frame)
        finally:
            engine.dispose()


def main() -> list[tuple[str, ...]]:
    frame = full_history()
    rows = run_postgres(frame) + run_sqlite(frame)
    print(f"Upsert of the full MSFT sample ({len(frame):,} rows), rows/s, median of runs\n")
    print("| backend | method | cold (empty table) | repeated (all rows present) |")
    print("|---|---|---:|---:|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    return rows


if __name__ == "__main__":
    main()
