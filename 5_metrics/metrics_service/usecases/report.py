"""GET /metrics: quality vs actuals, the champion's offline metrics, data drift, inference
latency, computed now.

Which predictions count (documented in the README too): only the chosen model version's
(usecases.model_choice); out of sample only (as_of after the champion's train_end; the
in-sample ones are counted in `n_in_sample`); matured ones (the target date has a close in
`prices`, and as_of has one, for the naive value); one per target date (when the same
(target_date, horizon) was forecast several times by that version, the latest request wins;
ties: the later insert); the last `window` such target dates; a row holding a non-finite
value is skipped and counted in `n_invalid`.
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
from metrics_service.usecases.model_choice import ModelChoice, choose_model, require_coverage
from metrics_service.usecases.training_window import (
    TrainingWindow,
    WindowFigure,
    training_window,
)
from stock_db.numbers import without_non_finite

NO_ERRORS = quality.NO_ERRORS


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
    drift: dict[str, float | None] | None
    coverage: float | None
    band: dict[str, Any] | None


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
    rel_mae: float | None
    mase: float | None
    mase_scale: WindowFigure
    naive: quality.ErrorMetrics
    drift: quality.ErrorMetrics
    drift_rate: WindowFigure
    n_in_sample: int
    n_invalid: int
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
        drift=per_horizon.get("drift"),
        coverage=per_horizon.get("coverage"),
        band=per_horizon.get("band"),
    )


@dataclass(frozen=True)
class LiveQuality:
    summary: quality.QualitySummary | None
    n_in_sample: int
    n_invalid: int
    reasons: list[str]


def exclusions(
    n_in_sample: int, n_invalid: int, train_end: object | None, version: int | None
) -> list[str]:
    """What was left out of the figures, in words (an empty list when nothing was)."""
    notes = []
    if n_in_sample:
        notes.append(
            f"{n_in_sample} matured forecasts made inside the training window (as_of <= "
            f"train_end {train_end}) are in-sample and not counted (n_in_sample)"
        )
    if n_invalid:
        notes.append(
            f"{n_invalid} forecasts holding a non-finite or non-positive value were skipped "
            "(n_invalid)"
        )
    if version is not None and train_end is None:
        notes.append(
            f"model version {version} has no models row: its train_end is unknown, so every "
            "matured forecast is counted (in-sample ones cannot be told apart)"
        )
    return notes


def live_quality(
    connection: Connection,
    ticker: str,
    horizon: int,
    choice: ModelChoice,
    training: TrainingWindow,
    window: int,
) -> LiveQuality:
    """The quality of the last `window` matured out-of-sample predictions of the chosen
    version, or why there is none."""
    version = choice.version
    if version is None:
        reason = f"no model yet for {ticker}: no champion and no logged predictions"
        return LiveQuality(None, 0, 0, [reason])
    train_end = choice.champion.train_end if choice.champion else None
    # In-sample forecasts are counted over the same span as the live window (the last `window`
    # matured target dates), not over all history: that would scan every logged prediction.
    span_start = (
        database.window_start(connection, ticker, horizon, version, window)
        if train_end is not None
        else None
    )
    n_in_sample = (
        database.in_sample_count(connection, ticker, horizon, version, train_end, span_start)
        if train_end is not None and span_start is not None
        else 0
    )
    start = database.window_start(connection, ticker, horizon, version, window, after=train_end)
    if start is None:
        reason = (
            f"no matured predictions for {ticker} horizon {horizon} from model version "
            f"{version}: none logged yet, or no target date has a close yet"
        )
        if train_end is not None:
            reason = (
                f"no matured out-of-sample predictions (as_of after train_end {train_end}) "
                f"for {ticker} horizon {horizon} from model version {version}"
            )
        notes = exclusions(n_in_sample, 0, train_end, version)
        return LiveQuality(None, n_in_sample, 0, [reason, *notes])
    rows = database.matured_predictions(
        connection, ticker, horizon, version, start, after=train_end
    )
    latest = quality.last_trading_days(quality.latest_per_target(rows), window)
    valid, invalid = quality.valid_rows(quality.scored(latest, horizon, training.drift_rate.value))
    reasons = exclusions(n_in_sample, len(invalid), train_end, version)
    if valid.empty:
        reasons.insert(0, f"no valid matured predictions for {ticker} horizon {horizon}")
        return LiveQuality(None, n_in_sample, len(invalid), reasons)
    summary = quality.summarise(valid, training.mase_scale.value)
    return LiveQuality(summary, n_in_sample, len(invalid), reasons)


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
    training = training_window(connection, ticker, choice.champion)
    live = live_quality(connection, ticker, horizon, choice, training, window)
    summary = live.summary
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
        rel_mae=summary.rel_mae if summary else None,
        mase=summary.mase if summary else None,
        mase_scale=training.mase_scale,
        naive=summary.naive if summary else NO_ERRORS,
        drift=summary.drift if summary else NO_ERRORS,
        drift_rate=training.drift_rate,
        n_in_sample=live.n_in_sample,
        n_invalid=live.n_invalid,
        reason="; ".join(live.reasons) or None,
        offline=offline_evaluation(choice.champion, horizon),
        data_drift=data_drift(
            connection,
            ticker,
            training,
            last_price_date,
            drift_window,
            settings.drift_rule(),
        ),
        inference=latency,
        generated_at=dt.datetime.now(dt.UTC),
    )
