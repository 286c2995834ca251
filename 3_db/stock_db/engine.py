"""Engine construction for the shared database: Postgres in compose, SQLite embedded."""

import logging
import sqlite3
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from tenacity import before_sleep_log, retry, stop_after_delay, wait_exponential

from stock_db.deadlines import install_deadlines

log = logging.getLogger(__name__)

# Relative to the working directory: `make up` runs from the repository root, so state lands
# under var/ there; compose services always set DATABASE_URL explicitly.
DEFAULT_DATABASE_URL = "sqlite:///var/suite.db"
# A server that is gone, or that keeps connections open but never answers, must turn into a
# quick 503 or "degraded" health, not a request hanging for minutes: connecting, every
# statement (server side, and a client-side deadline for a server that does not answer at all)
# and the ping of a pooled connection are bounded.
POSTGRES_CONNECT_TIMEOUT_SECONDS = 3
POSTGRES_STATEMENT_TIMEOUT_SECONDS = 5
POSTGRES_PING_TIMEOUT_SECONDS = 2
# How long a SQLite connection waits for another's write lock (services share one file).
SQLITE_BUSY_TIMEOUT_SECONDS = 30


def create_db_engine(url: str = DEFAULT_DATABASE_URL, **kwargs: Any) -> Engine:
    """An engine for `url`. Postgres: bounded connect, statements and pool pings (a dead or
    black-holed server is an OperationalError within seconds; see stock_db.deadlines). SQLite:
    the file's folder is created and WAL mode turned on, so that several services can read while
    one writes."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        statement_ms = POSTGRES_STATEMENT_TIMEOUT_SECONDS * 1000
        kwargs.setdefault(
            "connect_args",
            {
                "connect_timeout": POSTGRES_CONNECT_TIMEOUT_SECONDS,
                "options": f"-c statement_timeout={statement_ms}",
            },
        )
        kwargs.setdefault("pool_timeout", POSTGRES_CONNECT_TIMEOUT_SECONDS)
        engine = create_engine(url, **kwargs)
        # One second beyond the server's own limit, so a live server cancels first (cleanly).
        install_deadlines(
            engine, POSTGRES_STATEMENT_TIMEOUT_SECONDS + 1, POSTGRES_PING_TIMEOUT_SECONDS
        )
        return engine

    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS}, **kwargs)

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_SECONDS * 1000}")
        _enable_wal(cursor)
        cursor.close()

    return engine


def _enable_wal(cursor: Any) -> None:
    """Turn WAL on. Two connections converting one new file at once (services starting
    together) get "database is locked" at once, without SQLite's busy wait: retry until the
    busy timeout; once the file is in WAL mode the pragma is a no-op."""
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_SECONDS
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() >= deadline:
                raise
            time.sleep(0.01)


def ensure_schema(engine: Engine) -> None:
    """Bring the database to the newest schema, on SQLite and Postgres alike: runs the Alembic
    migrations (stock_db/migrations) to head. An empty database gets every table; one from an
    older revision is upgraded in place, keeping its rows; one at head is left as it is. Safe to
    call from several services starting at once (see stock_db.migrate.upgrade)."""
    # Imported here: stock_db.migrate imports this module, and `python -m stock_db.migrate` must
    # find it not yet imported by the package.
    from stock_db.migrate import upgrade

    upgrade(engine)


def wait_for_database(engine: Engine, timeout_seconds: float = 60) -> None:
    """Block until the database answers, retrying with backoff; raises after the timeout."""

    @retry(
        stop=stop_after_delay(timeout_seconds),
        wait=wait_exponential(multiplier=0.2, max=5),
        before_sleep=before_sleep_log(log, logging.WARNING),
        reraise=True,
    )
    def ping() -> None:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    ping()
