"""The prices table's upsert is all rows or none: when the database fails in the middle of a
load, nothing is kept."""

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from support.yahoo import ClientFactory, load_body, stored_count

# A trading day in the middle of the history: the rows before it are already written by the
# same statement when the database refuses this one.
POISONED_DAY = "2001-06-01"


@pytest.fixture
def poisoned_table(engine: Engine) -> Iterator[None]:
    """A trigger that makes the database itself fail on one row of the load."""
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql(
                "CREATE FUNCTION refuse_poisoned_day() RETURNS trigger AS $$ BEGIN "
                f"IF NEW.date = DATE '{POISONED_DAY}' THEN RAISE EXCEPTION 'poisoned row'; "
                "END IF; RETURN NEW; END $$ LANGUAGE plpgsql"
            )
            connection.exec_driver_sql(
                "CREATE TRIGGER poisoned BEFORE INSERT ON prices "
                "FOR EACH ROW EXECUTE FUNCTION refuse_poisoned_day()"
            )
        else:
            connection.exec_driver_sql(
                "CREATE TRIGGER poisoned BEFORE INSERT ON prices "
                f"WHEN NEW.date = '{POISONED_DAY}' BEGIN SELECT RAISE(ABORT, 'poisoned row'); END"
            )
    yield
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "DROP TRIGGER poisoned"
            + (" ON prices" if connection.dialect.name == "postgresql" else "")
        )
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql("DROP FUNCTION refuse_poisoned_day()")


@pytest.mark.usefixtures("poisoned_table")
def test_a_failure_mid_write_keeps_no_rows(make_client: ClientFactory, engine: Engine) -> None:
    client = make_client()
    assert client.post("/load", json=load_body(start="2017-11-01")).status_code == 200

    response = client.post("/load", json=load_body(start="1986-01-01"))
    assert response.status_code == 503
    assert "nothing was written" in response.json()["detail"]
    assert stored_count(engine) == 8  # only the earlier load's rows
    assert client.get("/tickers").json()["tickers"][0]["first_date"] == "2017-11-01"
