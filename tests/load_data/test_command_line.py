"""`python -m load_data bootstrap` (load_data/__main__.py): exit status and idempotence."""

import pytest
from sqlalchemy import Engine

from load_data.__main__ import main
from support.yahoo import stored_count


@pytest.fixture
def environment(database_url: str, monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """The command reads its settings from the environment: the test database, the sample."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("PRICE_SOURCE", "sample")
    monkeypatch.setenv("TICKERS", "MSFT")
    return monkeypatch


def test_command_line_bootstrap_is_idempotent(
    environment: pytest.MonkeyPatch, engine: Engine
) -> None:
    assert main(["bootstrap", "--wait-seconds", "5"]) == 0
    assert main(["bootstrap", "--wait-seconds", "5"]) == 0
    assert stored_count(engine, "sample") == 7983


def test_a_ticker_left_without_rows_exits_1(
    environment: pytest.MonkeyPatch, engine: Engine
) -> None:
    environment.setenv("TICKERS", "MSFT,AAPL")  # the sample has no AAPL
    assert main(["bootstrap", "--wait-seconds", "5"]) == 1
    assert stored_count(engine, "sample") == 7983  # MSFT was still loaded
