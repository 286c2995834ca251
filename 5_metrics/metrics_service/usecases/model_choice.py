"""Which prices and which model version a report is about (shared by /metrics and its history).

- model version: the champion's (models.status = 'champion'); without a champion row, the
  version of the most recent logged prediction;
- a ticker without any row in `prices` is unknown (404).
"""

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection

from metrics_service.adapters import database
from metrics_service.adapters.database import ChampionRow


class UnknownTicker(Exception):
    """The ticker has no rows in `prices`."""


@dataclass(frozen=True)
class ModelChoice:
    version: int | None
    champion: ChampionRow | None


def require_coverage(connection: Connection, ticker: str) -> tuple[dt.date, dt.date]:
    """First and last price date of `ticker`; UnknownTicker when it has no prices."""
    coverage = database.price_coverage(connection, ticker)
    if coverage is None:
        raise UnknownTicker(ticker)
    return coverage


def choose_model(connection: Connection, ticker: str) -> ModelChoice:
    champion = database.champion(connection, ticker)
    if champion is not None:
        return ModelChoice(champion.version, champion)
    return ModelChoice(database.latest_predicted_version(connection, ticker), None)
