"""Engine construction for the shared database: Postgres in compose, SQLite embedded."""

import logging
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from tenacity import before_sleep_log, retry, stop_after_delay, wait_exponential

from stock_db.tables import metadata

log = logging.getLogger(__name__)

# Relative to the working directory: `make up` runs from the repository root, so state lands
# under var/ there; compose services always set DATABASE_URL explicitly.
DEFAULT_DATABASE_URL = "sqlite:///var/suite.db"
# A server that is gone must turn into a quick 503 or "degraded" health, not a request hanging
# on connect for the driver's default (minutes).
POSTGRES_CONNECT_TIMEOUT_SECONDS = 5


def create_db_engine(url: str = DEFAULT_DATABASE_URL, **kwargs: Any) -> Engine:
    """An engine for `url`: on Postgres with a short connect timeout; for SQLite the file's
    folder is created and WAL mode turned on so that several services can read while one writes."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        kwargs.setdefault("connect_args", {"connect_timeout": POSTGRES_CONNECT_TIMEOUT_SECONDS})
        return create_engine(url, pool_pre_ping=True, **kwargs)

    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": 30}, **kwargs)

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    return engine


def ensure_schema(engine: Engine) -> None:
    """Create the tables on the embedded SQLite store. Postgres gets its schema from
    3_db/init.sql (mounted into the image), which stays the one source of truth there."""
    if engine.dialect.name == "sqlite":
        metadata.create_all(engine)


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
