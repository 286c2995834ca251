"""A Postgres that keeps connections open but never answers (black-holed) is an error within
seconds on every path: a new connection, a pooled one, a statement, a COPY."""

import time
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from stock_db import copy_rows, create_db_engine
from support.proxy import PausableProxy, pausable_proxy

BOUND_SECONDS = 12  # connect 3 s + ping 2 s, or a statement's 6 s, with room for a busy machine


@pytest.fixture
def proxied(postgres_url: str) -> Iterator[tuple[PausableProxy, Engine]]:
    url = make_url(postgres_url)
    with pausable_proxy(url.host or "127.0.0.1", url.port or 5432) as proxy:
        engine = create_db_engine(
            url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        )
        with engine.connect() as connection:  # a pooled connection that answered once
            assert connection.execute(text("SELECT 1")).scalar() == 1
        yield proxy, engine
        proxy.resume()
        engine.dispose()


def elapsed_until_error(action: object) -> float:
    started = time.monotonic()
    with pytest.raises(OperationalError):
        action()  # type: ignore[operator]
    return time.monotonic() - started


def test_a_pooled_connection_to_a_black_hole_fails_fast(
    proxied: tuple[PausableProxy, Engine],
) -> None:
    proxy, engine = proxied
    proxy.pause()

    def query() -> None:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    assert elapsed_until_error(query) < BOUND_SECONDS


def test_a_statement_on_a_server_that_stops_answering_fails_fast(
    proxied: tuple[PausableProxy, Engine],
) -> None:
    proxy, engine = proxied

    def query() -> None:
        with engine.connect() as connection:
            proxy.pause()  # after the checkout's ping: the statement itself waits
            connection.execute(text("SELECT 1"))

    assert elapsed_until_error(query) < BOUND_SECONDS


def test_a_copy_on_a_server_that_stops_answering_fails_fast(
    proxied: tuple[PausableProxy, Engine],
) -> None:
    proxy, engine = proxied

    def copy() -> None:
        with engine.begin() as connection:
            connection.exec_driver_sql("CREATE TEMPORARY TABLE t (x float8)")
            proxy.pause()
            copy_rows(connection, "t", ["x"], ["float8"], ([float(i)] for i in range(10)))

    assert elapsed_until_error(copy) < BOUND_SECONDS


def test_the_engine_recovers_when_the_server_answers_again(
    proxied: tuple[PausableProxy, Engine],
) -> None:
    proxy, engine = proxied
    proxy.pause()
    with pytest.raises(OperationalError), engine.connect() as connection:
        connection.execute(text("SELECT 1"))
    proxy.resume()
    with engine.connect() as connection:
        assert connection.execute(text("SELECT 2")).scalar() == 2


def test_a_checked_out_connection_is_idle(postgres_url: str) -> None:
    """The checkout ping leaves no transaction open: AUTOCOMMIT (ANALYZE, VACUUM) still works."""
    engine = create_db_engine(postgres_url)
    try:
        for _ in range(2):  # a new connection, then the pooled one
            with engine.connect() as connection:
                autocommit = connection.execution_options(isolation_level="AUTOCOMMIT")
                assert autocommit.execute(text("SELECT 1")).scalar() == 1
    finally:
        engine.dispose()
