"""Reads from the shared database (prices, models, predictions); SQLAlchemy Core, no writes.

Queries filter on (ticker, target_date) / (ticker, date) first so Postgres walks the
indexes ix_predictions_ticker_target and pk_prices instead of scanning 100k+ predictions.

`predictions.as_of_close` (the close at as_of stored with the forecast) is read when the
table has it; until its migration has landed every row reads as NULL (scored as logged).
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Double, Select, and_, func, literal, select
from sqlalchemy.sql.expression import ColumnElement, Join
from sqlalchemy.sql.selectable import NamedFromClause

from metrics_service.domain.quality import MATURED_COLUMNS
from stock_db import models, predictions, prices

AS_OF_CLOSE: ColumnElement[Any] = (
    predictions.c["as_of_close"] if "as_of_close" in predictions.c else literal(None, Double)
)


@dataclass(frozen=True)
class ChampionRow:
    name: str
    version: int
    train_start: dt.date
    train_end: dt.date
    metrics: dict[str, Any]


def price_coverage(connection: Connection, ticker: str) -> tuple[dt.date, dt.date] | None:
    """First and last price date of `ticker`, or None when it has no prices at all."""
    first, last = connection.execute(
        select(func.min(prices.c.date), func.max(prices.c.date)).where(prices.c.ticker == ticker)
    ).one()
    return None if first is None else (first, last)


def champion(connection: Connection, ticker: str) -> ChampionRow | None:
    """The models row with status 'champion' (the most recently promoted if several)."""
    row = connection.execute(
        select(models)
        .where(models.c.ticker == ticker, models.c.status == "champion")
        .order_by(models.c.promoted_at.desc().nulls_last(), models.c.version.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    return ChampionRow(row.name, row.version, row.train_start, row.train_end, row.metrics or {})


def latest_predicted_version(connection: Connection, ticker: str) -> int | None:
    """The model version of the most recent logged prediction of `ticker`."""
    return connection.execute(
        select(predictions.c.model_version)
        .where(predictions.c.ticker == ticker)
        .order_by(predictions.c.requested_at.desc(), predictions.c.id.desc())
        .limit(1)
    ).scalar()


def _matured_join(
    ticker: str, horizon: int, model_version: int, after: dt.date | None = None
) -> tuple[Join, NamedFromClause, NamedFromClause, list[ColumnElement[bool]]]:
    """predictions joined to the actual close on target_date and the naive close on as_of;
    the inner joins keep only matured predictions (the target day has a close). With
    `after`, only forecasts made after it (as_of > after: out of the training sample)."""
    actual = prices.alias("actual")
    naive = prices.alias("naive")
    joined = predictions.join(
        actual,
        and_(actual.c.ticker == predictions.c.ticker, actual.c.date == predictions.c.target_date),
    ).join(naive, and_(naive.c.ticker == predictions.c.ticker, naive.c.date == predictions.c.as_of))
    conditions = [
        predictions.c.ticker == ticker,
        predictions.c.horizon == horizon,
        predictions.c.model_version == model_version,
    ]
    if after is not None:
        conditions.append(predictions.c.as_of > after)
    return joined, actual, naive, conditions


def window_start_query(
    ticker: str,
    horizon: int,
    model_version: int,
    window: int,
    end: dt.date | None = None,
    after: dt.date | None = None,
) -> Select[Any]:
    """The earliest of the last `window` distinct matured target dates (on or before `end`,
    as_of after `after`): a backward walk of ix_predictions_ticker_target that stops after
    `window` dates."""
    joined, _, _, conditions = _matured_join(ticker, horizon, model_version, after)
    if end is not None:
        conditions.append(predictions.c.target_date <= end)
    last_dates = (
        select(predictions.c.target_date)
        .select_from(joined)
        .where(*conditions)
        .distinct()
        .order_by(predictions.c.target_date.desc())
        .limit(window)
        .subquery()
    )
    return select(func.min(last_dates.c.target_date))


def window_start(
    connection: Connection,
    ticker: str,
    horizon: int,
    model_version: int,
    window: int,
    end: dt.date | None = None,
    after: dt.date | None = None,
) -> dt.date | None:
    query = window_start_query(ticker, horizon, model_version, window, end, after)
    return connection.execute(query).scalar()


def in_sample_count(
    connection: Connection,
    ticker: str,
    horizon: int,
    model_version: int,
    train_end: dt.date,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> int:
    """Distinct matured target dates forecast from inside the training window (as_of <=
    train_end), within [start, end] when given."""
    joined, _, _, conditions = _matured_join(ticker, horizon, model_version)
    conditions.append(predictions.c.as_of <= train_end)
    if start is not None:
        conditions.append(predictions.c.target_date >= start)
    if end is not None:
        conditions.append(predictions.c.target_date <= end)
    query = (
        select(func.count(func.distinct(predictions.c.target_date)))
        .select_from(joined)
        .where(*conditions)
    )
    return int(connection.execute(query).scalar() or 0)


def matured_predictions(
    connection: Connection,
    ticker: str,
    horizon: int,
    model_version: int,
    start: dt.date,
    end: dt.date | None = None,
    after: dt.date | None = None,
) -> pd.DataFrame:
    """Every matured prediction with target_date in [start, end] (and as_of after `after`),
    duplicates included, with its actual close and the naive close (the close at as_of)."""
    joined, actual, naive, conditions = _matured_join(ticker, horizon, model_version, after)
    conditions.append(predictions.c.target_date >= start)
    if end is not None:
        conditions.append(predictions.c.target_date <= end)
    query = (
        select(
            predictions.c.id,
            predictions.c.requested_at,
            predictions.c.as_of,
            predictions.c.target_date,
            predictions.c.predicted,
            AS_OF_CLOSE.label("as_of_close"),
            actual.c.close.label("actual"),
            naive.c.close.label("naive"),
        )
        .select_from(joined)
        .where(*conditions)
    )
    rows = connection.execute(query).all()
    return pd.DataFrame([tuple(row) for row in rows], columns=list(MATURED_COLUMNS))


def prices_between(
    connection: Connection, ticker: str, start: dt.date, end: dt.date
) -> pd.DataFrame:
    """date, close, volume of `ticker` for start <= date <= end, oldest first."""
    rows = connection.execute(
        select(prices.c.date, prices.c.close, prices.c.volume)
        .where(prices.c.ticker == ticker, prices.c.date >= start, prices.c.date <= end)
        .order_by(prices.c.date)
    ).all()
    return pd.DataFrame([tuple(row) for row in rows], columns=["date", "close", "volume"])


def last_prices(connection: Connection, ticker: str, end: dt.date, count: int) -> pd.DataFrame:
    """The last `count` price rows of `ticker` on or before `end`, oldest first."""
    rows = connection.execute(
        select(prices.c.date, prices.c.close, prices.c.volume)
        .where(prices.c.ticker == ticker, prices.c.date <= end)
        .order_by(prices.c.date.desc())
        .limit(count)
    ).all()
    frame = pd.DataFrame([tuple(row) for row in rows], columns=["date", "close", "volume"])
    return frame.iloc[::-1].reset_index(drop=True)
