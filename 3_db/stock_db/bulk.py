"""Bulk writes below SQLAlchemy's statement layer, for the hot paths that measured its per-row
parameter processing (load_data's upsert, the api's prediction log)."""

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError, OperationalError

from stock_db.deadlines import deadline
from stock_db.engine import POSTGRES_STATEMENT_TIMEOUT_SECONDS


def copy_rows(
    connection: Connection,
    table: str,
    columns: Sequence[str],
    pg_types: Sequence[str],
    rows: Iterable[Sequence[Any]],
) -> None:
    """Postgres: one binary COPY of `rows` into `table` inside the connection's transaction
    (the table's checks still apply). The driver's errors are raised as SQLAlchemy's, as the
    statement layer would raise them, so callers handle one family of errors."""
    import psycopg

    statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN (FORMAT BINARY)"
    driver_connection: Any = connection.connection.driver_connection
    try:
        with (
            deadline(driver_connection, POSTGRES_STATEMENT_TIMEOUT_SECONDS + 1),
            driver_connection.cursor() as cursor,
            cursor.copy(statement) as copy,
        ):
            copy.set_types(list(pg_types))
            for row in rows:
                copy.write_row(row)
    except psycopg.OperationalError as error:
        raise OperationalError(statement, None, error) from error
    except psycopg.Error as error:
        raise DBAPIError(statement, None, error) from error
