"""GET /metrics/history: per-day quality and drift over a date range, for charts.

- quality: one row per matured target date in the range (same selection rule as /metrics:
  one model version, latest request per target date), with the absolute errors of the model
  and of the naive forecast and rolling MAE / RMSE / naive MAE / MASE over the last
  `rolling_window` matured days, warmed up with the days just before the range;
- drift: one row per trading day in the range: the last `drift_window` daily log returns up
  to that day against the champion's training window (and the volume verdict beside it).
"""

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import Connection

from metrics_service.adapters import database
from metrics_service.domain import drift, quality
from metrics_service.usecases.drift_report import DateSpan, date_span, signals
from metrics_service.usecases.model_choice import choose_model, require_coverage
from stock_db.numbers import finite_or_none

DEFAULT_RANGE_DAYS = 180
MAX_RANGE_DAYS = 731  # two years of per-day drift tests is about a second of work


class InvalidRange(ValueError):
    """start_date after end_date, or a range too long to compute per day."""


@dataclass(frozen=True)
class DayQuality:
    date: dt.date
    as_of: dt.date
    predicted: float
    actual: float
    naive: float
    abs_error: float
    naive_abs_error: float
    rolling_mae: float | None
    rolling_rmse: float | None
    rolling_naive_mae: float | None
    rolling_mase: float | None
    rolling_n: int


@dataclass(frozen=True)
class DayDrift:
    date: dt.date
    method: str | None
    statistic: float | None
    p_value: float | None
    psi: float | None
    wasserstein: float | None
    threshold: float | None
    drift_detected: bool | None
    volume_drift_detected: bool | None
    current_n: int  # returns in the current window ending that day


@dataclass(frozen=True)
class History:
    ticker: str
    horizon: int
    model_version: int | None
    start_date: dt.date
    end_date: dt.date
    rolling_window: int
    drift_window: int
    drift_reference: DateSpan | None
    drift_rule: str
    quality: list[DayQuality]
    drift: list[DayDrift]
    reason: str | None


def daily_quality_rows(
    connection: Connection,
    ticker: str,
    horizon: int,
    version: int,
    start: dt.date,
    end: dt.date,
    rolling_window: int,
) -> list[DayQuality]:
    warm_up_start = None
    if rolling_window > 1:
        warm_up_start = database.window_start(
            connection, ticker, horizon, version, rolling_window - 1, start - dt.timedelta(days=1)
        )
    rows = database.matured_predictions(
        connection, ticker, horizon, version, warm_up_start or start, end
    )
    if rows.empty:
        return []
    daily = quality.daily_quality(quality.latest_per_target(rows), rolling_window)
    daily = daily[daily["date"] >= start]
    return [
        DayQuality(
            date=row["date"],
            as_of=row["as_of"],
            predicted=float(row["predicted"]),
            actual=float(row["actual"]),
            naive=float(row["naive"]),
            abs_error=float(row["abs_error"]),
            naive_abs_error=float(row["naive_abs_error"]),
            rolling_mae=finite_or_none(row["rolling_mae"]),
            rolling_rmse=finite_or_none(row["rolling_rmse"]),
            rolling_naive_mae=finite_or_none(row["rolling_naive_mae"]),
            rolling_mase=finite_or_none(row["rolling_mase"]),
            rolling_n=int(row["rolling_n"]),
        )
        for row in daily.to_dict("records")
    ]


def daily_drift_rows(
    prices: pd.DataFrame,
    start: dt.date,
    reference_returns: np.ndarray,
    reference_volume: np.ndarray,
    drift_window: int,
    rule: drift.DriftRule,
) -> list[DayDrift]:
    """`prices` holds the range plus `drift_window` earlier rows, oldest first."""
    returns, volume, days = signals(prices)
    rows = []
    for index, day in enumerate(days):
        if day < start:
            continue
        first = max(0, index + 1 - drift_window)
        result = drift.compare(reference_returns, returns[first : index + 1], rule)
        volume_result = drift.compare(reference_volume, volume[first : index + 1], rule)
        decision = result.decision
        rows.append(
            DayDrift(
                date=day,
                method=decision.method if decision else None,
                statistic=decision.statistic if decision else None,
                p_value=result.ks_p_value,
                psi=result.psi,
                wasserstein=result.wasserstein,
                threshold=decision.threshold if decision else None,
                drift_detected=decision.drift_detected if decision else None,
                volume_drift_detected=(
                    volume_result.decision.drift_detected if volume_result.decision else None
                ),
                current_n=index + 1 - first,
            )
        )
    return rows


def checked_range(
    start_date: dt.date | None, end_date: dt.date | None, last_price_date: dt.date
) -> tuple[dt.date, dt.date]:
    """The range asked for, defaults filled in (the 180 days up to the last close)."""
    end = end_date or last_price_date
    start = start_date or end - dt.timedelta(days=DEFAULT_RANGE_DAYS)
    if start > end:
        raise InvalidRange(f"start_date {start} is after end_date {end}")
    if (end - start).days > MAX_RANGE_DAYS:
        raise InvalidRange(f"range {start}..{end} is longer than {MAX_RANGE_DAYS} days")
    return start, end


def build_history_report(
    connection: Connection,
    rule: drift.DriftRule,
    ticker: str,
    horizon: int,
    start_date: dt.date | None,
    end_date: dt.date | None,
    rolling_window: int,
    drift_window: int,
) -> History:
    _, last_price_date = require_coverage(connection, ticker)
    start, end = checked_range(start_date, end_date, last_price_date)
    choice = choose_model(connection, ticker)
    reasons = []

    quality_rows: list[DayQuality] = []
    if choice.version is None:
        reasons.append(f"no model yet for {ticker}: no champion and no logged predictions")
    else:
        quality_rows = daily_quality_rows(
            connection, ticker, horizon, choice.version, start, end, rolling_window
        )
        if not quality_rows:
            reasons.append(
                f"no matured predictions for {ticker} horizon {horizon} from model version "
                f"{choice.version} between {start} and {end}"
            )

    drift_rows: list[DayDrift] = []
    reference_range = None
    if choice.champion is None:
        reasons.append("no champion model yet: no training window to compare drift against")
    else:
        reference = database.prices_between(
            connection, ticker, choice.champion.train_start, choice.champion.train_end
        )
        reference_returns, reference_volume, reference_days = signals(reference)
        reference_range = date_span(reference_days)
        before = database.last_prices(
            connection, ticker, start - dt.timedelta(days=1), drift_window
        )
        in_range = database.prices_between(connection, ticker, start, end)
        prices = pd.concat([before, in_range], ignore_index=True)
        drift_rows = daily_drift_rows(
            prices, start, reference_returns, reference_volume, drift_window, rule
        )

    return History(
        ticker=ticker,
        horizon=horizon,
        model_version=choice.version,
        start_date=start,
        end_date=end,
        rolling_window=rolling_window,
        drift_window=drift_window,
        drift_reference=reference_range,
        drift_rule=rule.describe(),
        quality=quality_rows,
        drift=drift_rows,
        reason="; ".join(reasons) or None,
    )
