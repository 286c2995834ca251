"""3_db/init.sql and stock_db.tables must describe the same schema, column by column."""

import pytest
from sqlalchemy import create_engine, inspect

from stock_db import metadata

pytestmark = pytest.mark.postgres


def _type_name(column_type: object) -> str:
    # Compare by the SQL the Postgres dialect would emit, so DOUBLE PRECISION == Double.
    from sqlalchemy.dialects import postgresql

    return column_type.compile(dialect=postgresql.dialect()).upper()  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def reflected(postgres_url: str):
    engine = create_engine(postgres_url)
    yield inspect(engine)
    engine.dispose()


def test_same_tables(reflected) -> None:
    assert set(reflected.get_table_names()) == set(metadata.tables)


@pytest.mark.parametrize("table", sorted(metadata.tables))
def test_columns_agree(reflected, table: str) -> None:
    declared = metadata.tables[table]
    actual = {column["name"]: column for column in reflected.get_columns(table)}
    assert list(actual) == [column.name for column in declared.columns]
    for column in declared.columns:
        found = actual[column.name]
        assert _type_name(found["type"]) == _type_name(column.type), column.name
        assert found["nullable"] == column.nullable, column.name


@pytest.mark.parametrize("table", sorted(metadata.tables))
def test_keys_checks_and_indexes_agree(reflected, table: str) -> None:
    declared = metadata.tables[table]
    primary_key = reflected.get_pk_constraint(table)["constrained_columns"]
    assert primary_key == [column.name for column in declared.primary_key.columns]

    checks = {check["name"] for check in reflected.get_check_constraints(table)}
    declared_checks = {
        constraint.name
        for constraint in declared.constraints
        if constraint.__class__.__name__ == "CheckConstraint"
    }
    assert checks == declared_checks

    indexes = {index["name"]: index["column_names"] for index in reflected.get_indexes(table)}
    declared_indexes = {
        index.name: [column.name for column in index.columns] for index in declared.indexes
    }
    assert indexes == declared_indexes
