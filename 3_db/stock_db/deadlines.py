"""Client-side deadlines for Postgres, so a server that keeps the connection open but never
answers (black-holed: the kernel still ACKs) turns into an error within seconds instead of a
request that hangs for ever.

libpq's connect_timeout bounds connecting and the server's statement_timeout bounds slow
queries on a live server; neither helps once a query waits on a server that does not answer.
So every statement (and the ping at pool checkout) arms a timer; if it fires, the connection's
socket is shut down, the blocked read returns, psycopg raises OperationalError (a 503 in every
service) and the pool throws the connection away."""

import logging
import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.exc import DisconnectionError

log = logging.getLogger(__name__)


def _cut(dbapi_connection: Any, seconds: float) -> None:
    try:
        sock = socket.socket(fileno=os.dup(dbapi_connection.pgconn.socket))
    except Exception:  # closed meanwhile: nothing to cut
        return
    log.error("the database did not answer within %.1f s: connection cut", seconds)
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    finally:
        sock.close()


@contextmanager
def deadline(dbapi_connection: Any, seconds: float) -> Iterator[None]:
    """Cut `dbapi_connection` (psycopg) if the block has not finished after `seconds`."""
    timer = threading.Timer(seconds, _cut, (dbapi_connection, seconds))
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


def install_deadlines(engine: Engine, statement_seconds: float, ping_seconds: float) -> None:
    """Deadlines around every statement of `engine` and around a ping at each pool checkout
    (instead of pool_pre_ping, whose ping cannot be given a deadline)."""

    @event.listens_for(engine, "before_cursor_execute")
    def _arm(connection: Any, *_: Any) -> None:
        timer = threading.Timer(
            statement_seconds, _cut, (connection.connection.dbapi_connection, statement_seconds)
        )
        timer.daemon = True
        timer.start()
        connection.info["deadline"] = timer

    def _disarm(connection: Any) -> None:
        timer = connection.info.pop("deadline", None)
        if timer is not None:
            timer.cancel()

    @event.listens_for(engine, "after_cursor_execute")
    def _done(connection: Any, *_: Any) -> None:
        _disarm(connection)

    @event.listens_for(engine, "handle_error")
    def _failed(context: Any) -> None:
        if context.connection is not None:
            _disarm(context.connection)

    @event.listens_for(engine, "checkout")
    def _ping(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        try:
            with deadline(dbapi_connection, ping_seconds):
                cursor = dbapi_connection.cursor()
                cursor.execute("SELECT 1")
                cursor.close()
                # The ping opened a transaction (psycopg is not in autocommit): end it, so the
                # connection is handed out idle and can still switch isolation level.
                dbapi_connection.rollback()
        except Exception as error:
            # The pool discards this connection and opens a new one (bounded by connect_timeout).
            raise DisconnectionError(f"pooled connection did not answer: {error}") from error
