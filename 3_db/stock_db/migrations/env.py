"""Alembic environment for the suite's database, run by every alembic command.

The connection comes from `config.attributes["connection"]` when stock_db.migrate.upgrade (or
any caller) shares one; otherwise one is opened to the config's `sqlalchemy.url`, or DATABASE_URL
when that is unset (the alembic CLI with 3_db/alembic.ini). SQLite migrations render and run in
batch mode (copy and move), since SQLite cannot ALTER constraints.
"""

import os
from logging.config import fileConfig

from alembic import context
from sqlalchemy import Connection, pool
from sqlalchemy.engine import make_url

from stock_db.engine import DEFAULT_DATABASE_URL, create_db_engine
from stock_db.tables import metadata

config = context.config

# Only the CLI (alembic -c 3_db/alembic.ini ...) configures logging; services calling
# stock_db.migrate keep their own.
if config.config_file_name is not None:
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def _url() -> str:
    return (
        config.get_main_option("sqlalchemy.url")
        or os.environ.get("DATABASE_URL")
        or DEFAULT_DATABASE_URL
    )


def run_migrations_offline() -> None:
    """Write the SQL instead of running it (`alembic upgrade head --sql`)."""
    url = _url()
    context.configure(
        url=url,
        target_metadata=metadata,
        literal_binds=True,
        render_as_batch=make_url(url).get_backend_name() == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


def _run_on(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    shared: Connection | None = config.attributes.get("connection")
    if shared is not None:
        _run_on(shared)
        return
    engine = create_db_engine(_url(), poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            _run_on(connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
