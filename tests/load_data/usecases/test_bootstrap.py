"""The bootstrap: load missing tickers, fall back to the sample loudly, stay idempotent."""

import logging
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine

from load_data.config import Settings
from load_data.usecases.bootstrap import bootstrap
from support.yahoo import DNS_FAILURE, FakeDownload, settings_for, stored_count, yahoo_frame

NOW = datetime(2024, 11, 20, 22, 0, tzinfo=UTC)


def _settings(database_url: str, **overrides: object) -> Settings:
    """Yahoo first, two attempts: what a bootstrap without the sample tries."""
    values = {"price_source": "yahoo", "tickers": "MSFT", "yahoo_attempts": 2, **overrides}
    return settings_for(database_url, **values)


def test_yahoo_failure_falls_back_to_the_sample_loudly_then_does_nothing(
    database_url: str, engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    settings = _settings(database_url, tickers="msft,AAPL")
    caplog.set_level(logging.INFO)
    outcomes = bootstrap(settings, now=NOW, yahoo_download=FakeDownload(DNS_FAILURE))
    assert [(o.ticker, o.action) for o in outcomes] == [
        ("MSFT", "loaded-fallback"),
        ("AAPL", "failed"),
    ]
    assert "FALLING BACK to the bundled SAMPLE" in caplog.text
    assert stored_count(engine, "sample") == 7983

    never_called = FakeDownload(RuntimeError("must not be called for MSFT"))
    again = bootstrap(settings, now=NOW, yahoo_download=never_called)
    assert [o.action for o in again] == ["skipped", "failed"]
    assert [call["tickers"] for call in never_called.calls] == ["AAPL", "AAPL"]
    assert stored_count(engine, "sample") == 7983


def test_bootstrap_loads_from_yahoo_when_it_answers(database_url: str, engine: Engine) -> None:
    fake = FakeDownload(yahoo_frame("1986-03-13", "2017-11-10"))
    outcomes = bootstrap(_settings(database_url), now=NOW, yahoo_download=fake)
    assert outcomes[0].action == "loaded"
    assert (fake.calls[0]["start"], fake.calls[0]["end"]) == ("1986-01-01", "2024-11-21")
    assert stored_count(engine, "yahoo") == 7983
