"""The facts Prometheus alerts on, per ticker the suite keeps (TICKERS), computed at scrape
time from the database: is data drift detected, and how old is the champion's data.

Computed, not remembered: a restarted service reports the same values, and nothing goes stale
between two GET /metrics calls."""

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection

from metrics_service.config import Settings
from metrics_service.usecases.drift_report import data_drift
from metrics_service.usecases.model_choice import UnknownTicker, choose_model, require_coverage
from metrics_service.usecases.training_window import training_window


@dataclass(frozen=True)
class TickerFacts:
    ticker: str
    champion_version: int | None
    champion_train_end: dt.date | None
    drift_detected: bool | None
    drift_p_value: float | None


def ticker_facts(connection: Connection, settings: Settings, ticker: str) -> TickerFacts | None:
    """None for a ticker without prices (nothing to alert on yet)."""
    try:
        _, last_price_date = require_coverage(connection, ticker)
    except UnknownTicker:
        return None
    choice = choose_model(connection, ticker)
    training = training_window(connection, ticker, choice.champion)
    drift = data_drift(
        connection,
        ticker,
        training,
        last_price_date,
        settings.drift_window_days,
        settings.drift_rule(),
    )
    champion = choice.champion
    return TickerFacts(
        ticker=ticker,
        champion_version=champion.version if champion else None,
        champion_train_end=champion.train_end if champion else None,
        drift_detected=drift.drift_detected,
        drift_p_value=drift.p_value,
    )


def all_ticker_facts(connection: Connection, settings: Settings) -> list[TickerFacts]:
    facts = (ticker_facts(connection, settings, t.upper()) for t in settings.tickers)
    return [f for f in facts if f is not None]
