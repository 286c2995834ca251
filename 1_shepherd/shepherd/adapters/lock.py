"""One cycle per ticker at a time, across threads and processes (two shepherds, or system cron
beside the scheduler): a lock that is tried, never waited for; the loser reports "locked".

- Postgres: a session-level advisory lock, `pg_try_advisory_lock(hashtext('shepherd'),
  hashtext(ticker))` (the two-key form: a key space apart from 2_load_data's one-key locks), on
  a dedicated connection held, idle outside any transaction, for the whole cycle. A process
  that dies closes its connection, and the server releases the lock.
- SQLite: `flock` on a file beside the database file (`<db>.shepherd-<TICKER>.lock`). flock
  belongs to the open file, so two threads of one process exclude each other too, and the
  operating system releases it when the process dies. The files stay (removing a lock file
  while another process opens it would let two holders in).
"""

import fcntl
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

LOCK_SPACE = "shepherd"


@contextmanager
def ticker_lock(engine: Engine, ticker: str) -> Iterator[bool]:
    """Yields True while this caller holds `ticker`'s cycle lock, False when another does."""
    dialect = engine.dialect.name
    if dialect == "postgresql":
        with _advisory_lock(engine, ticker) as held:
            yield held
    elif dialect == "sqlite":
        with _file_lock(lock_path(engine, ticker)) as held:
            yield held
    else:
        raise NotImplementedError(f"no cycle lock for the {dialect} dialect")


@contextmanager
def _advisory_lock(engine: Engine, ticker: str) -> Iterator[bool]:
    connection = engine.connect()
    keys = {"space": LOCK_SPACE, "ticker": ticker}
    held = False
    try:
        held = bool(
            connection.scalar(
                text("SELECT pg_try_advisory_lock(hashtext(:space), hashtext(:ticker))"), keys
            )
        )
        # A session-level lock outlives the transaction: end it, so the connection waits
        # idle (not "idle in transaction") while the cycle runs.
        connection.commit()
        yield held
    finally:
        try:
            if held:
                connection.execute(
                    text("SELECT pg_advisory_unlock(hashtext(:space), hashtext(:ticker))"), keys
                )
                connection.commit()
        except Exception:
            # Whatever happened, the lock must not go back to the pool held: closing the
            # session releases it.
            connection.invalidate()
        finally:
            connection.close()


def lock_path(engine: Engine, ticker: str) -> Path:
    database = make_url(str(engine.url)).database
    if database and database != ":memory:" and not database.startswith("file:"):
        return Path(f"{database}.{LOCK_SPACE}-{ticker}.lock")
    # An in-memory database lives in one process: a per-user temporary file is enough.
    return Path(tempfile.gettempdir()) / f"{LOCK_SPACE}-memory-{ticker}.lock"


@contextmanager
def _file_lock(path: Path) -> Iterator[bool]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
