"""GET /metrics: quality vs actuals, the champion's offline metrics, data drift, inference
latency, computed now.

Which predictions count (documented in the README too): only the chosen model version's
(usecases.model_choice); matured ones (the target date has a close in `prices`, and as_of has
one, for the naive value); one per target date (when the same (target_date, horizon) was
forecast several times by that version, the latest request wins; ties: the later insert);
the last `window` such target dates.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from metrics_service.adapters import database
from metrics_service.adapters.database import ChampionRow
from metrics_service.config import Settings
from metrics_service.domain import quality
from metrics_service.usecases.drift_report import DataDrift, data_drift
from metrics_service.usecases.latency import InferenceLatency, inference_latency
from metrics_service.usecases.model_choice import choose_model, require_coverage
from stock_db.numbers import without_non_finite

NO_ERRORS = quality.ErrorMetrics(None, None, None, None)


@dataclass(frozen=True)
class OfflineEvaluation:
    """The champion's walk-forward evaluation as recorded at training time (models.metrics)."""

    model_version: int
    horizon: int
    eval_start: str | None
    eval_end: str | None
    n_eval_days: int | None
    lstm: dict[str, float | None] | None
    naive: dict[str, float | None] | None
    coverage: float | None


@dataclass(frozen=True)
class Report:
    ticker: str
    horizon: int
    window: int
    model_version: int | None
    n: int
    start: dt.date | None
    end: dt.date | None
    mse: float | None
    rmse: float | None
    mae: float | None
    mape: float | None
    mase: float | None
    naive: quality.ErrorMetrics
    reason: str | None
    offline: OfflineEvaluation | None
    data_drift: DataDrift
    inference: InferenceLatency
    generated_at: dt.datetime


def offline_evaluation(champion: ChampionRow | None, horizon: int) -> OfflineEvaluation | None:
    if champion is None:
        return None
    document: dict[str, Any] = without_non_finite(champion.metrics)
    per_horizon = (document.get("horizons") or {}).get(str(horizon)) or {}
    return OfflineEvaluation(
        model_version=champion.version,
        horizon=horizon,
        eval_start=document.get("eval_start"),
        eval_end=document.get("eval_end"),
        n_eval_days=document.get("n_eval_days"),
        lstm=per_horizon.get("lstm"),
        naive=per_horizon.get("naive"),
        coverage=per_horizon.get("coverage"),
    )


def live_quality(
    connection: Connection, ticker: str, horizon: int, version: int | None, window: int
) -> tuple[quality.QualitySummary | None, str | None]:
    """The quality of the last `window` matured predictions of `version`, or why there is none."""
    if version is None:
        return None, f"no model yet for {ticker}: no champion and no logged predictions"
    start = database.window_start(connection, ticker, horizon, version, window)
    if start is None:
        return None, (
            f"no matured predictions for {ticker} horizon {horizon} from model version "
            f"{version}: none logged yet, or no target date has a close yet"
        )
    rows = database.matured_predictions(connection, ticker, horizon, version, start)
    matured = quality.last_trading_days(quality.latest_per_target(rows), window)
    return quality.summarise(matured), None


def build_metrics_report(
    connection: Connection,
    settings: Settings,
    ticker: str,
    horizon: int,
    window: int,
    drift_window: int,
    inference_window: str,
) -> Report:
    _, last_price_date = require_coverage(connection, ticker)
    choice = choose_model(connection, ticker)
    summary, reason = live_quality(connection, ticker, horizon, choice.version, window)
    latency = inference_latency(
        settings.prometheus_url,
        settings.estimator_url,
        ticker,
        inference_window,
        settings.http_timeout_seconds,
    )
    model = summary.model if summary else NO_ERRORS
    return Report(
        ticker=ticker,
        horizon=horizon,
        window=window,
        model_version=choice.version,
        n=summary.n if summary else 0,
        start=summary.start if summary else None,
        end=summary.end if summary else None,
        mse=model.mse,
        rmse=model.rmse,
        mae=model.mae,
        mape=model.mape,
        mase=summary.mase if summary else None,
        naive=summary.naive if summary else NO_ERRORS,
        reason=reason,
        offline=offline_evaluation(choice.champion, horizon),
        data_drift=data_drift(
            connection,
            ticker,
            choice.champion,
            last_price_date,
            drift_window,
            settings.drift_rule(),
        ),
        inference=latency,
        generated_at=dt.datetime.now(dt.UTC),
    )
