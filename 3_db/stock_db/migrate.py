"""Schema migrations: the Alembic environment in stock_db/migrations, driven from code.

`upgrade(engine)` brings any database to the newest revision (every service runs it at start-up
through `ensure_schema`); `postgres_sql()` is the same migrations as one Postgres script, which
is what 3_db/init.sql holds.

    python -m stock_db.migrate                         # upgrade the database at DATABASE_URL
    python -m stock_db.migrate --sql > 3_db/init.sql   # regenerate init.sql (repository root)
"""

import argparse
import io
import logging
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, inspect, text

from stock_db.engine import DEFAULT_DATABASE_URL, create_db_engine
from stock_db.logs import configure_logging

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Databases made before migrations existed (the hand-written init.sql, or create_all on SQLite)
# hold exactly these tables at revision BASELINE_REVISION, without an alembic_version table.
BASELINE_REVISION = "0001"
BASELINE_TABLES = frozenset({"prices", "models", "predictions", "pipeline_runs"})
# Postgres advisory lock taken around an upgrade, so services starting together migrate one at
# a time; any constant works as long as every service uses the same one ("stock_db" in ASCII).
ADVISORY_LOCK_KEY = 0x73746F636B5F6462
POSTGRES_OFFLINE_URL = "postgresql+psycopg://"
# Alembic's `context` and `op` are module-level proxies to the command running now, so two
# commands in one process must not overlap, whatever the database's own locks do.
_ALEMBIC_COMMANDS = threading.Lock()

INIT_SQL_HEADER = """\
-- GENERATED from the Alembic migrations in 3_db/stock_db/migrations: do not edit by hand.
-- Regenerate from the repository root with: python -m stock_db.migrate --sql > 3_db/init.sql
-- (tests/stock_db/test_migrations.py fails while this file differs from the generated SQL).
-- Compose mounts it into the Postgres image's /docker-entrypoint-initdb.d; it records its
-- revision in alembic_version, so the services' ensure_schema finds the database up to date.

"""


def alembic_config(url: str | None = None) -> Config:
    """An Alembic config for the packaged migrations, without any alembic.ini. The database is
    `url`, else DATABASE_URL, else the suite's default SQLite file."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    database_url = url or os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    # Config values go through ConfigParser interpolation: a '%' in a password must be doubled.
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(engine: Engine) -> None:
    """Migrate the database behind `engine` to the newest revision; a no-op when it is there.

    A database that has the suite's tables but no alembic_version predates migrations: it is
    stamped at the baseline revision first, so its tables and rows are kept. Concurrent callers
    (several services starting at once, or threads) take turns: see `_exclusive`."""
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with _ALEMBIC_COMMANDS, engine.connect() as connection, _exclusive(connection):
        config.attributes["connection"] = connection
        if _predates_migrations(connection):
            log.info(
                "database has the suite's tables but no alembic_version: stamping %s",
                BASELINE_REVISION,
            )
            command.stamp(config, BASELINE_REVISION)
        command.upgrade(config, "head")


def postgres_sql() -> str:
    """Every migration as one Postgres script (Alembic's offline `upgrade head --sql`), with the
    header 3_db/init.sql carries. Needs no database."""
    buffer = io.StringIO()
    config = alembic_config(POSTGRES_OFFLINE_URL)
    config.output_buffer = buffer
    with _ALEMBIC_COMMANDS:
        command.upgrade(config, "head", sql=True)
    # SQLAlchemy's DDL leaves a blank after each column's comma; editors strip trailing blanks.
    lines = [line.rstrip() for line in buffer.getvalue().strip().splitlines()]
    return INIT_SQL_HEADER + "\n".join(lines) + "\n"


@contextmanager
def _exclusive(connection: Connection) -> Iterator[None]:
    """One transaction that no other upgrade runs alongside. Postgres: a session advisory lock,
    held until the transaction has committed or rolled back. SQLite: BEGIN IMMEDIATE takes the
    file's write lock up front, so a second upgrader waits (busy_timeout) and then finds the
    schema current, instead of both creating the same tables."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": ADVISORY_LOCK_KEY})
        connection.commit()
        try:
            with connection.begin():
                yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": ADVISORY_LOCK_KEY})
            connection.commit()
    else:
        with connection.begin():
            if connection.dialect.name == "sqlite":
                # pysqlite begins no transaction of its own before DDL or this statement, and
                # sees this one as open, so everything below runs inside it until the commit.
                connection.exec_driver_sql("BEGIN IMMEDIATE")
            yield


def _predates_migrations(connection: Connection) -> bool:
    tables = set(inspect(connection).get_table_names())
    if "alembic_version" in tables or not tables & BASELINE_TABLES:
        return False
    missing = BASELINE_TABLES - tables
    if missing:
        raise RuntimeError(
            f"the database has some of the suite's tables but not {sorted(missing)}, and no "
            "alembic_version table: it is neither empty nor a complete pre-migration schema, "
            "so it is left alone"
        )
    return True


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m stock_db.migrate",
        description="Upgrade the database at DATABASE_URL to the newest schema revision.",
    )
    parser.add_argument(
        "--sql",
        action="store_true",
        help="print the Postgres schema script (the contents of 3_db/init.sql) instead",
    )
    args = parser.parse_args(argv)
    if args.sql:
        sys.stdout.write(postgres_sql())
        return

    configure_logging(logging.INFO, "stock_db", "alembic")
    engine = create_db_engine(os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL)
    try:
        upgrade(engine)
    finally:
        engine.dispose()


if __name__ == "__main__":
    main()
