"""`python -m load_data bootstrap`: load missing tickers, fall back loudly, stay idempotent."""

import logging
from datetime import date

import pytest
from sqlalchemy import Engine, func, select

from load_data.__main__ import main
from load_data.bootstrap import bootstrap
from load_data.config import Settings
from stock_db import prices
from support.yahoo import DNS_FAILURE, FakeDownload, yahoo_frame

TODAY = date(2024, 11, 20)


def _settings(database_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "database_url": database_url,
        "price_source": "yahoo",
        "tickers": "MSFT",
        "admin_token": None,
        "yahoo_attempts": 2,
        "yahoo_backoff_seconds": 0,
        **overrides,
    }
    return Settings(**values)  # type: ignore[arg-type]


def _rows(engine: Engine, source: str) -> int:
    with engine.connect() as connection:
        query = select(func.count()).select_from(prices).where(prices.c.source == source)
        return int(connection.scalar(query) or 0)


def test_yahoo_failure_falls_back_to_the_sample_loudly_then_does_nothing(
    database_url: str, engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    settings = _settings(database_url, tickers="msft,AAPL")
    caplog.set_level(logging.INFO)
    outcomes = bootstrap(settings, today=TODAY, yahoo_download=FakeDownload(DNS_FAILURE))
    assert [(o.ticker, o.action) for o in outcomes] == [
        ("MSFT", "loaded-fallback"),
        ("AAPL", "failed"),
    ]
    assert "FALLING BACK to the bundled SAMPLE" in caplog.text
    assert _rows(engine, "sample") == 7983

    never_called = FakeDownload(RuntimeError("must not be called for MSFT"))
    again = bootstrap(settings, today=TODAY, yahoo_download=never_called)
    assert [o.action for o in again] == ["skipped", "failed"]
    assert [call["tickers"] for call in never_called.calls] == ["AAPL", "AAPL"]
    assert _rows(engine, "sample") == 7983


def test_bootstrap_loads_from_yahoo_when_it_answers(database_url: str, engine: Engine) -> None:
    fake = FakeDownload(yahoo_frame("1986-03-13", "2017-11-10"))
    outcomes = bootstrap(_settings(database_url), today=TODAY, yahoo_download=fake)
    assert outcomes[0].action == "loaded"
    assert (fake.calls[0]["start"], fake.calls[0]["end"]) == ("1986-01-01", "2024-11-21")
    assert _rows(engine, "yahoo") == 7983


def test_command_line_bootstrap_is_idempotent(
    database_url: str, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("PRICE_SOURCE", "sample")
    monkeypatch.setenv("TICKERS", "MSFT")
    assert main(["bootstrap", "--wait-seconds", "5"]) == 0
    assert main(["bootstrap", "--wait-seconds", "5"]) == 0
    assert _rows(engine, "sample") == 7983


def test_command_line_help_explains_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["bootstrap", "--help"])
    out = capsys.readouterr().out
    assert "PRICE_SOURCE" in out and "fall back" in out and "Idempotent" in out
