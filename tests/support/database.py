"""Database fixtures: a fresh database per test session on both backends.

Postgres is this machine's real server (TEST_POSTGRES_URL, default 127.0.0.1:5432 with trust
auth). Where none answers, its tests skip with the reason, unless REQUIRE_POSTGRES=1 (set by
.ci/run), which turns the skip into a failure so CI can never pass without them.
"""

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, delete, text
from sqlalchemy.engine import make_url

from stock_db import create_db_engine, ensure_schema, metadata

REPO_ROOT = Path(__file__).resolve().parents[2]
INIT_SQL = REPO_ROOT / "3_db" / "init.sql"
ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
BACKENDS = ["sqlite", "postgres"]


def apply_init_sql(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.exec_driver_sql(INIT_SQL.read_text())


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """URL of a database created for this session from 3_db/init.sql, dropped afterwards."""
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:
        admin.dispose()
        reason = f"Postgres at {make_url(ADMIN_URL).render_as_string()} is not answering: {error}"
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    name = f"suite_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    engine = create_db_engine(url)
    apply_init_sql(engine)
    engine.dispose()
    try:
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'suite.db'}"
    engine = create_db_engine(url)
    ensure_schema(engine)
    engine.dispose()
    return url


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """The URL of an empty database, once per backend: every table emptied before the test."""
    url: str = request.getfixturevalue(f"{request.param}_url")
    engine = create_db_engine(url)
    with engine.begin() as connection:
        for table in reversed(metadata.sorted_tables):
            connection.execute(delete(table))
    engine.dispose()
    yield url


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = create_db_engine(database_url)
    yield engine
    engine.dispose()
