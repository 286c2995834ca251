"""The migrations in stock_db/migrations build exactly stock_db.tables on both backends, upgrade
databases made before them without losing rows, run safely side by side, and 3_db/init.sql is
their generated Postgres script."""

import logging
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, MetaData, create_engine, insert, inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError

from stock_db import create_db_engine, ensure_schema, metadata
from stock_db.migrate import alembic_config, main, postgres_sql, upgrade
from stock_db.tables import models, pipeline_runs, predictions, prices
from support.database import ADMIN_URL

REPO_ROOT = Path(__file__).resolve().parents[2]
INIT_SQL = REPO_ROOT / "3_db" / "init.sql"
DATA = Path(__file__).resolve().parent / "data"
# The schemas as they were before migrations: the hand-written init.sql on Postgres, and what
# metadata.create_all made of the same tables on SQLite.
OLD_SCHEMA = {"postgres": DATA / "init_v0.sql", "sqlite": DATA / "create_all_v0_sqlite.sql"}
HEAD = ScriptDirectory.from_config(alembic_config()).get_current_head()
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]

NOW = datetime(2024, 3, 1, 21, 0, tzinfo=UTC)


@pytest.fixture
def scratch_postgres(postgres_url: str) -> Iterator[str]:
    """A new, empty Postgres database, dropped afterwards. Depends on `postgres_url` for its
    check that the server answers (a failure under REQUIRE_POSTGRES=1, else a skip)."""
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"suite_migrations_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of a database with no tables at all, once per backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'empty.db'}"
    url: str = request.getfixturevalue("scratch_postgres")
    return url


@pytest.fixture
def empty_engine(empty_url: str) -> Iterator[Engine]:
    engine = create_db_engine(empty_url)
    yield engine
    engine.dispose()


def _backend(engine: Engine) -> str:
    return "postgres" if engine.dialect.name == "postgresql" else "sqlite"


def _revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def _differences(engine: Engine) -> list[Any]:
    with engine.connect() as connection:
        return compare_metadata(MigrationContext.configure(connection), metadata)


def _schema(engine: Engine) -> dict[str, Any]:
    """Everything reflection reports, per table, to compare a schema before and after."""
    inspector = inspect(engine)
    return {
        table: {
            "columns": [
                (column["name"], str(column["type"]), column["nullable"])
                for column in inspector.get_columns(table)
            ],
            "primary_key": inspector.get_pk_constraint(table)["constrained_columns"],
            "checks": sorted(
                (check["name"], check["sqltext"])
                for check in inspector.get_check_constraints(table)
            ),
            "indexes": sorted(
                (index["name"], tuple(index["column_names"]))
                for index in inspector.get_indexes(table)
            ),
        }
        for table in sorted(inspector.get_table_names())
    }


def _create_old_schema(engine: Engine) -> None:
    sql = OLD_SCHEMA[_backend(engine)].read_text()
    if engine.dialect.name == "sqlite":
        raw = engine.raw_connection()
        try:
            raw.driver_connection.executescript(sql)  # type: ignore[union-attr]
        finally:
            raw.close()
    else:
        with engine.begin() as connection:
            connection.exec_driver_sql(sql)


def _model(version: int, status: str) -> dict[str, Any]:
    return {
        "ticker": "AAPL",
        "name": "lstm-AAPL",
        "version": version,
        "run_id": f"run-{version}",
        "status": status,
        "trained_at": NOW,
        "train_start": date(2020, 1, 2),
        "train_end": date(2024, 2, 29),
        "metrics": {"h1": {"mase": 0.9, "rmse": 1.5}},
        "promoted_at": NOW if status == "champion" else None,
    }


def _insert_one_of_each(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(
            insert(prices),
            [
                {
                    "ticker": "AAPL",
                    "date": date(2024, 2, 28 + day),
                    "open": 180.0,
                    "high": 182.5,
                    "low": 179.0,
                    "close": 181.0 + day,
                    "volume": 50_000_000,
                    "source": "test",
                    "loaded_at": NOW,
                }
                for day in range(2)
            ],
        )
        connection.execute(
            insert(models), [_model(1, "retired"), _model(2, "rejected"), _model(3, "champion")]
        )
        connection.execute(
            insert(predictions),
            {
                "ticker": "AAPL",
                "model_version": 3,
                "requested_at": NOW,
                "as_of": date(2024, 2, 29),
                "target_date": date(2024, 3, 1),
                "horizon": 1,
                "predicted": 182.0,
                "lower": 178.0,
                "upper": 186.0,
                "latency_seconds": 0.01,
            },
        )
        connection.execute(
            insert(pipeline_runs),
            {
                "ticker": "AAPL",
                "trigger": "schedule",
                "started_at": NOW,
                "finished_at": NOW,
                "status": "succeeded",
                "reason": None,
                "rows_loaded": 2,
                "model_version": 3,
                "detail": {"promoted": True},
            },
        )


def _columns(engine: Engine) -> dict[str, list[str]]:
    """The columns each table has in the database (an older revision has fewer)."""
    stored = MetaData()
    with engine.connect() as connection:
        stored.reflect(connection, only=[table.name for table in metadata.sorted_tables])
    return {
        name: [column.name for column in table.columns] for name, table in stored.tables.items()
    }


def _rows(engine: Engine, columns: dict[str, list[str]] | None = None) -> dict[str, list[Any]]:
    """Every row of every table in `columns` (default: what the database has now), so rows
    written before a revision can be compared after it on the columns they had."""
    columns = columns or _columns(engine)
    with engine.connect() as connection:
        return {
            table.name: [
                tuple(row)
                for row in connection.execute(
                    select(*(table.c[name] for name in columns[table.name])).order_by(
                        *table.primary_key.columns
                    )
                ).all()
            ]
            for table in metadata.sorted_tables
        }


def _refuses_candidate(engine: Engine) -> bool:
    try:
        with engine.begin() as connection:
            connection.execute(insert(models), _model(99, "candidate"))
    except IntegrityError:
        return True
    return False


# (1) 3_db/init.sql is generated.


def test_init_sql_is_the_generated_postgres_script() -> None:
    assert INIT_SQL.read_text() == postgres_sql(), (
        "3_db/init.sql differs from the SQL the migrations generate; regenerate it from the "
        "repository root with: python -m stock_db.migrate --sql > 3_db/init.sql"
    )


def test_the_command_line_prints_the_same_script(capsys: pytest.CaptureFixture[str]) -> None:
    main(["--sql"])
    assert capsys.readouterr().out == postgres_sql()


@pytest.mark.postgres
def test_a_database_built_from_init_sql_is_at_head_and_matches_the_tables(
    postgres_url: str,
) -> None:
    # postgres_url is the shared session database, built by running 3_db/init.sql as the
    # Postgres image does; ensure_schema must then find nothing to do.
    engine = create_db_engine(postgres_url)
    try:
        assert _revision(engine) == HEAD
        assert _differences(engine) == []
    finally:
        engine.dispose()


# (2) Migrating an empty database gives stock_db.tables, on both backends.


def test_migrating_an_empty_database_gives_the_declared_tables(empty_engine: Engine) -> None:
    upgrade(empty_engine)

    assert _revision(empty_engine) == HEAD
    # Types, nullability, tables, columns, keys and indexes as Alembic's autogenerate compares
    # them: nothing to ignore, on either backend (the variants in tables.py reflect back as
    # themselves: JSONB/JSON, BIGINT identity/INTEGER, DOUBLE PRECISION/DOUBLE).
    assert _differences(empty_engine) == []

    inspector = inspect(empty_engine)
    assert set(inspector.get_table_names()) == {*metadata.tables, "alembic_version"}
    for name, declared in metadata.tables.items():
        # Autogenerate compares neither column order nor CHECK constraints: check those here.
        columns = [column["name"] for column in inspector.get_columns(name)]
        assert columns == [column.name for column in declared.columns], name
        primary_key = inspector.get_pk_constraint(name)
        assert primary_key["constrained_columns"] == [c.name for c in declared.primary_key]
        assert primary_key["name"] == f"pk_{name}"
        checks = {check["name"] for check in inspector.get_check_constraints(name)}
        declared_checks = {
            constraint.name
            for constraint in declared.constraints
            if constraint.__class__.__name__ == "CheckConstraint"
        }
        assert checks == declared_checks, name
        indexes = {index["name"]: index["column_names"] for index in inspector.get_indexes(name)}
        declared_indexes = {
            index.name: [column.name for column in index.columns] for index in declared.indexes
        }
        assert indexes == declared_indexes, name

    assert _refuses_candidate(empty_engine)
    _insert_one_of_each(empty_engine)  # every CHECK admits real rows; ids are generated


# (3) A database from before migrations upgrades in place.


def test_a_database_from_before_migrations_upgrades_keeping_its_rows(
    empty_engine: Engine,
) -> None:
    _create_old_schema(empty_engine)
    _insert_one_of_each(empty_engine)
    old_columns = _columns(empty_engine)
    before = _rows(empty_engine, old_columns)
    assert not _refuses_candidate(empty_engine)  # the old CHECK still allowed it
    with empty_engine.begin() as connection:
        connection.execute(models.delete().where(models.c.status == "candidate"))

    ensure_schema(empty_engine)

    assert _revision(empty_engine) == HEAD
    assert _rows(empty_engine, old_columns) == before
    assert _refuses_candidate(empty_engine)
    assert _differences(empty_engine) == []
    with empty_engine.begin() as connection:  # ids go on from where they were
        connection.execute(insert(models), _model(4, "champion"))
        connection.execute(
            insert(pipeline_runs),
            {"ticker": "AAPL", "trigger": "manual", "started_at": NOW, "status": "running"},
        )
        ids = connection.execute(select(pipeline_runs.c.id).order_by(pipeline_runs.c.id))
        assert [row.id for row in ids] == [1, 2]


def test_a_failing_upgrade_leaves_the_old_database_as_it_was(empty_engine: Engine) -> None:
    # A 'candidate' row, which the new CHECK refuses: the upgrade must fail as a whole, the
    # baseline stamp included, rather than half-migrate.
    _create_old_schema(empty_engine)
    with empty_engine.begin() as connection:
        connection.execute(insert(models), _model(1, "candidate"))
    before = _schema(empty_engine)

    with pytest.raises(IntegrityError):
        upgrade(empty_engine)

    assert _schema(empty_engine) == before  # no alembic_version, the old CHECK, the row
    assert _rows(empty_engine)["models"][0][4] == "candidate"


def test_a_partial_schema_without_alembic_version_is_refused(tmp_path: Path) -> None:
    engine = create_db_engine(f"sqlite:///{tmp_path / 'partial.db'}")
    try:
        prices.create(engine)
        with pytest.raises(RuntimeError, match="neither empty nor a complete"):
            upgrade(engine)
        assert inspect(engine).get_table_names() == ["prices"]
    finally:
        engine.dispose()


# (4) Services starting together.


def test_two_services_upgrading_one_fresh_database_at_once(empty_url: str) -> None:
    engines = [create_db_engine(empty_url) for _ in range(2)]
    try:
        with ThreadPoolExecutor(max_workers=2) as pool:
            for future in [pool.submit(ensure_schema, engine) for engine in engines]:
                future.result()  # raises what the thread raised
        assert _revision(engines[0]) == HEAD
        assert _differences(engines[0]) == []
    finally:
        for engine in engines:
            engine.dispose()


# Each waits on stdin once imported, so the two upgrades start together rather than a second apart.
SERVICE_START_UP = """
import sys
from stock_db.migrate import main
print("ready", flush=True)
sys.stdin.readline()
main([])
"""


def test_two_processes_upgrading_one_fresh_database_at_once(empty_url: str) -> None:
    # Services are separate processes: here only the database's lock (BEGIN IMMEDIATE, the
    # advisory lock) keeps the two upgrades apart.
    environment = {**os.environ, "DATABASE_URL": empty_url}
    services = [
        subprocess.Popen(
            [sys.executable, "-c", SERVICE_START_UP],
            env=environment,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    try:
        for service in services:
            assert service.stdout is not None and service.stdout.readline() == "ready\n"
        for service in services:
            assert service.stdin is not None
            service.stdin.write("go\n")
            service.stdin.flush()
        for service in services:
            _, errors = service.communicate(timeout=120)
            assert service.returncode == 0, errors
    finally:
        for service in services:
            if service.poll() is None:
                service.kill()
                service.wait()
    engine = create_db_engine(empty_url)
    try:
        assert _revision(engine) == HEAD
        assert _differences(engine) == []
    finally:
        engine.dispose()


# (5) Upgrading a database at head does nothing.


def test_upgrading_twice_is_a_no_op(empty_engine: Engine, caplog: pytest.LogCaptureFixture) -> None:
    upgrade(empty_engine)
    _insert_one_of_each(empty_engine)
    schema, rows = _schema(empty_engine), _rows(empty_engine)

    with caplog.at_level(logging.INFO, logger="alembic"):
        upgrade(empty_engine)

    assert not [r for r in caplog.records if r.getMessage().startswith(("Running", "stamp"))]
    assert _revision(empty_engine) == HEAD
    assert _schema(empty_engine) == schema
    assert _rows(empty_engine) == rows
