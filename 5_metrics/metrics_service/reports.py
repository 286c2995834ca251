"""Assembles GET /metrics: quality vs actuals, offline metrics, data drift, inference latency.

Which predictions count (documented in the README too):
- model version: the champion's (models.status = 'champion'); without a champion row, the
  version of the most recent logged prediction;
- matured: the target date has a close in `prices` (and as_of has one, for the naive value);
- one per target date: when the same (target_date, horizon) was forecast several times by
  that version, the latest request wins (ties: the later insert);
- window: the last `window` such target dates.
"""

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import Connection

from metrics_service.adapters import database
from metrics_service.adapters.database import ChampionRow
from metrics_service.config import Settings
from metrics_service.domain import drift, quality
from metrics_service.inference import inference_latency
from metrics_service.schemas import (
    DataDrift,
    DateRange,
    DistributionDrift,
    Inference,
    MetricsReport,
    NaiveMetrics,
    OfflineMetrics,
    without_non_finite,
)

RETURNS_SIGNAL = "daily log returns"
VOLUME_SIGNAL = "daily volume"


class UnknownTicker(Exception):
    """The ticker has no rows in `prices`."""


@dataclass(frozen=True)
class ModelChoice:
    version: int | None
    champion: ChampionRow | None


def drift_rule(settings: Settings) -> drift.DriftRule:
    return drift.DriftRule(
        method=settings.drift_method,
        ks_p_threshold=settings.drift_ks_p_threshold,
        wasserstein_threshold=settings.drift_wasserstein_threshold,
        psi_threshold=settings.drift_psi_threshold,
        auto_ks_max_reference_rows=settings.drift_auto_ks_max_reference_rows,
        psi_bins=settings.drift_psi_bins,
    )


def require_coverage(connection: Connection, ticker: str) -> tuple[dt.date, dt.date]:
    coverage = database.price_coverage(connection, ticker)
    if coverage is None:
        raise UnknownTicker(ticker)
    return coverage


def choose_model(connection: Connection, ticker: str) -> ModelChoice:
    champion = database.champion(connection, ticker)
    if champion is not None:
        return ModelChoice(champion.version, champion)
    return ModelChoice(database.latest_predicted_version(connection, ticker), None)


def offline_metrics(champion: ChampionRow | None, horizon: int) -> OfflineMetrics | None:
    """The champion's walk-forward evaluation as recorded at training time, if it has one."""
    if champion is None:
        return None
    document = without_non_finite(champion.metrics)
    per_horizon = (document.get("horizons") or {}).get(str(horizon)) or {}
    return OfflineMetrics(
        model_version=champion.version,
        horizon=horizon,
        eval_start=document.get("eval_start"),
        eval_end=document.get("eval_end"),
        n_eval_days=document.get("n_eval_days"),
        lstm=per_horizon.get("lstm"),
        naive=per_horizon.get("naive"),
        coverage=per_horizon.get("coverage"),
    )


def signals(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, list[dt.date]]:
    """Log returns, the volumes of the same days, and those days (the first close has none)."""
    returns = drift.log_returns(frame["close"].to_numpy(dtype=float))
    return returns, frame["volume"].to_numpy(dtype=float)[1:], list(frame["date"].iloc[1:])


def date_range(days: list[dt.date]) -> DateRange:
    return DateRange(start=days[0] if days else None, end=days[-1] if days else None, n=len(days))


def distribution_drift(
    signal: str,
    reference: np.ndarray,
    current: np.ndarray,
    reference_days: list[dt.date],
    current_days: list[dt.date],
    rule: drift.DriftRule,
) -> DistributionDrift:
    result = drift.compare(reference, current, rule)
    decision = result.decision
    return DistributionDrift(
        signal=signal,
        method=decision.method if decision else None,
        statistic=decision.statistic if decision else None,
        p_value=result.ks_p_value,
        ks_statistic=result.ks_statistic,
        psi=result.psi,
        wasserstein=result.wasserstein,
        threshold=decision.threshold if decision else None,
        drift_detected=decision.drift_detected if decision else None,
        reference=date_range(reference_days),
        current=date_range(current_days),
        reason=result.reason,
    )


def data_drift(
    connection: Connection,
    ticker: str,
    champion: ChampionRow | None,
    end: dt.date,
    drift_window: int,
    rule: drift.DriftRule,
) -> DataDrift:
    """Returns and volume of the last `drift_window` trading days up to `end` against the
    champion's training window."""
    thresholds = {
        "ks_p_value": rule.ks_p_threshold,
        "wasserstein": rule.wasserstein_threshold,
        "psi": rule.psi_threshold,
    }
    if champion is None:
        return DataDrift(
            signal=RETURNS_SIGNAL,
            rule=rule.describe(),
            thresholds=thresholds,
            reason="no champion model yet: no training window to compare against",
        )
    reference = database.prices_between(
        connection, ticker, champion.train_start, champion.train_end
    )
    current = database.last_prices(connection, ticker, end, drift_window + 1)
    ref_returns, ref_volume, ref_days = signals(reference)
    cur_returns, cur_volume, cur_days = signals(current)
    returns_result = distribution_drift(
        RETURNS_SIGNAL, ref_returns, cur_returns, ref_days, cur_days, rule
    )
    volume_result = distribution_drift(
        VOLUME_SIGNAL, ref_volume, cur_volume, ref_days, cur_days, rule
    )
    return DataDrift(
        **returns_result.model_dump(),
        rule=rule.describe(),
        thresholds=thresholds,
        volume=volume_result,
    )


def build_metrics_report(
    connection: Connection,
    settings: Settings,
    ticker: str,
    horizon: int,
    window: int,
    drift_window: int,
    inference_window: str,
) -> MetricsReport:
    _, last_price_date = require_coverage(connection, ticker)
    choice = choose_model(connection, ticker)
    summary: quality.QualitySummary | None = None
    reason: str | None = None
    if choice.version is None:
        reason = f"no model yet for {ticker}: no champion and no logged predictions"
    else:
        start = database.window_start(connection, ticker, horizon, choice.version, window)
        if start is None:
            reason = (
                f"no matured predictions for {ticker} horizon {horizon} from model version "
                f"{choice.version}: none logged yet, or no target date has a close yet"
            )
        else:
            rows = database.matured_predictions(connection, ticker, horizon, choice.version, start)
            matured = quality.last_trading_days(quality.latest_per_target(rows), window)
            summary = quality.summarise(matured)

    latency = inference_latency(
        settings.prometheus_url,
        settings.estimator_url,
        ticker,
        inference_window,
        settings.http_timeout_seconds,
    )
    model = summary.model if summary else quality.ErrorMetrics(None, None, None, None)
    naive = summary.naive if summary else quality.ErrorMetrics(None, None, None, None)
    return MetricsReport(
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
        naive=NaiveMetrics(mse=naive.mse, rmse=naive.rmse, mae=naive.mae, mape=naive.mape),
        reason=reason,
        offline=offline_metrics(choice.champion, horizon),
        data_drift=data_drift(
            connection,
            ticker,
            choice.champion,
            last_price_date,
            drift_window,
            drift_rule(settings),
        ),
        inference=Inference(**vars(latency)),
        generated_at=dt.datetime.now(dt.UTC),
    )
