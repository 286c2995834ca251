"""Data drift of returns and volume against the champion's training window, as reported by
GET /metrics (the last `drift_window` trading days) and, day by day, by its history."""

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import Connection

from metrics_service.adapters import database
from metrics_service.domain import drift
from metrics_service.usecases.training_window import (
    DateSpan,
    TrainingWindow,
    date_span,
    signals,
)

RETURNS_SIGNAL = "daily log returns"
VOLUME_SIGNAL = "daily volume"


@dataclass(frozen=True, kw_only=True)
class SignalDrift:
    """One signal's statistics and the rule's verdict (None fields: see `reason`)."""

    signal: str
    method: str | None = None
    statistic: float | None = None
    p_value: float | None = None
    ks_statistic: float | None = None
    psi: float | None = None
    wasserstein: float | None = None
    threshold: float | None = None
    drift_detected: bool | None = None
    reference: DateSpan = field(default_factory=DateSpan)
    current: DateSpan = field(default_factory=DateSpan)
    reason: str | None = None


@dataclass(frozen=True, kw_only=True)
class DataDrift(SignalDrift):
    """The returns' drift, with the rule that decided it and the volume's drift beside it."""

    rule: str
    thresholds: dict[str, float]
    volume: SignalDrift | None = None


def signal_drift(
    signal: str,
    reference: np.ndarray,
    current: np.ndarray,
    reference_days: list[dt.date],
    current_days: list[dt.date],
    rule: drift.DriftRule,
) -> SignalDrift:
    result = drift.compare(reference, current, rule)
    decision = result.decision
    return SignalDrift(
        signal=signal,
        method=decision.method if decision else None,
        statistic=decision.statistic if decision else None,
        p_value=result.ks_p_value,
        ks_statistic=result.ks_statistic,
        psi=result.psi,
        wasserstein=result.wasserstein,
        threshold=decision.threshold if decision else None,
        drift_detected=decision.drift_detected if decision else None,
        reference=date_span(reference_days),
        current=date_span(current_days),
        reason=result.reason,
    )


def data_drift(
    connection: Connection,
    ticker: str,
    training: TrainingWindow,
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
    if training.champion is None:
        return DataDrift(
            signal=RETURNS_SIGNAL,
            rule=rule.describe(),
            thresholds=thresholds,
            reason="no champion model yet: no training window to compare against",
        )
    current = database.last_prices(connection, ticker, end, drift_window + 1)
    ref_returns, ref_volume, ref_days = training.returns, training.volume, training.days
    cur_returns, cur_volume, cur_days = signals(current)
    returns = signal_drift(RETURNS_SIGNAL, ref_returns, cur_returns, ref_days, cur_days, rule)
    volume = signal_drift(VOLUME_SIGNAL, ref_volume, cur_volume, ref_days, cur_days, rule)
    return DataDrift(**vars(returns), rule=rule.describe(), thresholds=thresholds, volume=volume)
