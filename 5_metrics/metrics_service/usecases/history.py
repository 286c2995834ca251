"""GET /metrics/history: per-day quality and drift over a date range, for charts.

- quality: one row per matured out-of-sample target date in the range (same selection rule
  as /metrics: one model version, as_of after the champion's train_end, latest request per
  target date, rows holding a non-finite value skipped), with the absolute errors of the
  model, of the naive and of the drift forecast, and rolling MAE / RMSE / naive MAE / drift
  MAE / rel_mae / MASE over the last `rolling_window` valid days, warmed up with the days
  just before the range;
- drift: one row per trading day in the range: the last `drift_window` daily log returns up
  to that day against the champion's training window (and the volume verdict beside it).

The work is bounded (domain.limits): at most 731 days, and drift_window x days at most
MAX_DRIFT_VALUES; the training window is read and prepared once per request (sorted, its
PSI bins and Wasserstein norm), not once per day.
"""

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Connection

from metrics_service.adapters import database
from metrics_service.domain import drift, limits, quality
from metrics_service.usecases.model_choice import ModelChoice, choose_model, require_coverage
from metrics_service.usecases.report import exclusions
from metrics_service.usecases.training_window import (
    DateSpan,
    TrainingWindow,
    WindowFigure,
    signals,
    training_window,
)
from stock_db.numbers import finite_or_none


@dataclass(frozen=True)
class DayQuality:
    date: dt.date
    as_of: dt.date
    predicted: float  # the model's forecast in today's price basis (the one scored)
    predicted_logged: float  # as stored in predictions
    actual: float
    naive: float
    drift_forecast: float | None
    abs_error: float
    naive_abs_error: float
    drift_forecast_abs_error: float | None
    rolling_mae: float | None
    rolling_rmse: float | None
    rolling_naive_mae: float | None
    rolling_drift_forecast_mae: float | None
    rolling_rel_mae: float | None
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
    mase_scale: WindowFigure
    drift_rate: WindowFigure
    n_in_sample: int
    n_invalid: int
    quality: list[DayQuality]
    drift: list[DayDrift]
    reason: str | None


@dataclass(frozen=True)
class QualityRows:
    rows: list[DayQuality]
    n_in_sample: int
    n_invalid: int


def daily_quality_rows(
    connection: Connection,
    ticker: str,
    horizon: int,
    choice: ModelChoice,
    training: TrainingWindow,
    start: dt.date,
    end: dt.date,
    rolling_window: int,
) -> QualityRows:
    version = choice.version
    assert version is not None  # the caller checks
    train_end = choice.champion.train_end if choice.champion else None
    n_in_sample = 0
    if train_end is not None:
        n_in_sample = database.in_sample_count(
            connection, ticker, horizon, version, train_end, start, end
        )
    warm_up_start = None
    if rolling_window > 1:
        warm_up_start = database.window_start(
            connection,
            ticker,
            horizon,
            version,
            rolling_window - 1,
            start - dt.timedelta(days=1),
            after=train_end,
        )
    rows = database.matured_predictions(
        connection, ticker, horizon, version, warm_up_start or start, end, after=train_end
    )
    if rows.empty:
        return QualityRows([], n_in_sample, 0)
    latest = quality.latest_per_target(rows)
    valid, invalid = quality.valid_rows(quality.scored(latest, horizon, training.drift_rate.value))
    n_invalid = int((invalid["target_date"] >= start).sum()) if len(invalid) else 0
    if valid.empty:
        return QualityRows([], n_in_sample, n_invalid)
    daily = quality.daily_quality(valid, rolling_window, training.mase_scale.value)
    daily = daily[daily["date"] >= start]
    return QualityRows(
        [
            DayQuality(
                date=row["date"],
                as_of=row["as_of"],
                predicted=float(row["predicted"]),
                predicted_logged=float(row["predicted_logged"]),
                actual=float(row["actual"]),
                naive=float(row["naive"]),
                drift_forecast=finite_or_none(row["drift_forecast"]),
                abs_error=float(row["abs_error"]),
                naive_abs_error=float(row["naive_abs_error"]),
                drift_forecast_abs_error=finite_or_none(row["drift_forecast_abs_error"]),
                rolling_mae=finite_or_none(row["rolling_mae"]),
                rolling_rmse=finite_or_none(row["rolling_rmse"]),
                rolling_naive_mae=finite_or_none(row["rolling_naive_mae"]),
                rolling_drift_forecast_mae=finite_or_none(row["rolling_drift_forecast_mae"]),
                rolling_rel_mae=finite_or_none(row["rolling_rel_mae"]),
                rolling_mase=finite_or_none(row["rolling_mase"]),
                rolling_n=int(row["rolling_n"]),
            )
            for row in daily.to_dict("records")
        ],
        n_in_sample,
        n_invalid,
    )


def daily_drift_rows(
    prices: pd.DataFrame,
    start: dt.date,
    training: TrainingWindow,
    drift_window: int,
    rule: drift.DriftRule,
) -> list[DayDrift]:
    """`prices` holds the range plus `drift_window` earlier rows, oldest first. The training
    window is prepared once (drift.Reference) and compared with each day's window."""
    reference_returns = drift.Reference.of(training.returns, rule.psi_bins)
    reference_volume = drift.Reference.of(training.volume, rule.psi_bins)
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


def build_history_report(
    connection: Connection,
    rule: drift.DriftRule,
    ticker: str,
    horizon: int,
    start_date: dt.date | None,
    end_date: dt.date | None,
    rolling_window: int,
    drift_window: int,
    max_drift_values: int = limits.MAX_DRIFT_VALUES,
) -> History:
    """Raises stock_db.rules.InvalidField (a 422 naming the parameter) for a reversed or
    too long range, or drift work above `max_drift_values`."""
    _, last_price_date = require_coverage(connection, ticker)
    start, end = limits.history_range(start_date, end_date, last_price_date)
    limits.check_drift_budget(start, end, drift_window, max_drift_values)
    choice = choose_model(connection, ticker)
    training = training_window(connection, ticker, choice.champion)
    reasons = []

    found = QualityRows([], 0, 0)
    if choice.version is None:
        reasons.append(f"no model yet for {ticker}: no champion and no logged predictions")
    else:
        found = daily_quality_rows(
            connection, ticker, horizon, choice, training, start, end, rolling_window
        )
        if not found.rows:
            reasons.append(
                f"no matured out-of-sample predictions for {ticker} horizon {horizon} from "
                f"model version {choice.version} between {start} and {end}"
            )
        train_end = choice.champion.train_end if choice.champion else None
        reasons += exclusions(found.n_in_sample, found.n_invalid, train_end, choice.version)

    drift_rows: list[DayDrift] = []
    reference_range = None
    if choice.champion is None:
        reasons.append("no champion model yet: no training window to compare drift against")
    else:
        reference_range = training.span
        before = database.last_prices(
            connection, ticker, start - dt.timedelta(days=1), drift_window
        )
        in_range = database.prices_between(connection, ticker, start, end)
        prices = pd.concat([before, in_range], ignore_index=True)
        drift_rows = daily_drift_rows(prices, start, training, drift_window, rule)

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
        mase_scale=training.mase_scale,
        drift_rate=training.drift_rate,
        n_in_sample=found.n_in_sample,
        n_invalid=found.n_invalid,
        quality=found.rows,
        drift=drift_rows,
        reason="; ".join(reasons) or None,
    )
