"""The cycle lock on both backends: tried, never waited for; released at the end of the block,
and by the operating system (SQLite) or the server (Postgres) when the holder dies."""

import subprocess
import sys
import threading
from pathlib import Path

from sqlalchemy import Engine, text

from shepherd.adapters.lock import lock_path, ticker_lock
from stock_db import create_db_engine
from support.network import wait_for


def test_a_second_holder_is_refused_until_the_first_lets_go(engine: Engine) -> None:
    with ticker_lock(engine, "MSFT") as first:
        assert first
        with ticker_lock(engine, "MSFT") as second:
            assert not second
        with ticker_lock(engine, "AAPL") as other_ticker:
            assert other_ticker
    with ticker_lock(engine, "MSFT") as again:
        assert again


def test_the_lock_works_on_an_engine_already_used(engine: Engine) -> None:
    """Pooled connections come back pre-pinged (inside a transaction on psycopg): the lock must
    not depend on a fresh one, and must not stay held on the connection it returns."""
    for _ in range(3):
        with engine.begin() as connection:
            connection.execute(text("SELECT 1"))
        with ticker_lock(engine, "MSFT") as held:
            assert held
            with engine.connect() as other:
                other.execute(text("SELECT 1"))
    with ticker_lock(engine, "MSFT") as held:
        assert held


def test_two_threads_one_wins(engine: Engine) -> None:
    results: list[bool] = []
    inside = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with ticker_lock(engine, "MSFT") as held:
            results.append(held)
            inside.set()
            release.wait(timeout=10)

    thread = threading.Thread(target=hold)
    thread.start()
    assert inside.wait(timeout=10)
    with ticker_lock(engine, "MSFT") as held:
        results.append(held)
    release.set()
    thread.join()
    assert results == [True, False]


HOLDER = """
import sys, time
from shepherd.adapters.lock import ticker_lock
from stock_db import create_db_engine
with ticker_lock(create_db_engine(sys.argv[1]), "MSFT") as held:
    print("held" if held else "refused", flush=True)
    time.sleep(60)
"""


def test_a_dead_holder_releases_the_lock(database_url: str) -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", HOLDER, database_url], stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "held"
        engine = create_db_engine(database_url)
        with ticker_lock(engine, "MSFT") as held:
            assert not held
        child.kill()
        child.wait(timeout=10)

        def free() -> bool:
            with ticker_lock(engine, "MSFT") as held:
                return held

        assert wait_for(free, timeout=10)
        engine.dispose()
    finally:
        child.kill()
        child.wait(timeout=10)


def test_the_sqlite_lock_file_lies_beside_the_database(tmp_path: Path) -> None:
    engine = create_db_engine(f"sqlite:///{tmp_path / 'suite.db'}")
    assert lock_path(engine, "MSFT") == tmp_path / "suite.db.shepherd-MSFT.lock"
    memory = create_db_engine("sqlite://")
    assert lock_path(memory, "MSFT").name == "shepherd-memory-MSFT.lock"
