"""The walk-forward evaluation as a day-by-day series (what a dashboard draws): at h = 1, one
point per evaluated day of the validation and holdout slices, with the actual close, the LSTM's
forecast and band, and the naive and drift forecasts of the same day.

Only forecasts made out of sample: the model is fixed and forecasts each day from the closes
up to the day before; no training window's target is a point. Validation days chose the epoch
and calibrated the band (so the band covers them about as often as nominal by construction);
holdout days touched nothing."""

import math
from typing import Any

import numpy as np

from nn_estimator.domain.evaluation import HorizonForecasts, drift_forecast

SERIES_HORIZON = 1
# Slice names as the pipeline uses them: train | validation | holdout (the evaluation days).
VALIDATION_SLICE = "validation"
HOLDOUT_SLICE = "holdout"


def _finite(value: float) -> float | None:
    return float(value) if math.isfinite(value) else None


def series_points(
    slices: dict[str, HorizonForecasts], dates: np.ndarray, mean_log_return: float
) -> list[dict[str, Any]]:
    """One point per target day of each slice's h = 1 forecasts, date-ascending:
    {date, slice, actual, lstm, naive, drift, lower, upper} (a non-finite value is None)."""
    points: list[dict[str, Any]] = []
    for name, f in slices.items():
        if f.horizon != SERIES_HORIZON:
            raise ValueError(f"the series is at h = {SERIES_HORIZON}, got h = {f.horizon}")
        drift = drift_forecast(f, mean_log_return)
        for i, target in enumerate(f.target_index):
            points.append(
                {
                    "date": str(dates[target]),
                    "slice": name,
                    "actual": float(f.actual[i]),
                    "lstm": float(f.point[i]),
                    "naive": float(f.last[i]),
                    "drift": _finite(drift[i]),
                    "lower": _finite(f.lower[i]),
                    "upper": _finite(f.upper[i]),
                }
            )
    points.sort(key=lambda point: str(point["date"]))
    dates_seen = [point["date"] for point in points]
    if len(set(dates_seen)) != len(dates_seen):
        raise ValueError("the slices overlap: a day would be two points")
    return points


def series_document(
    slices: dict[str, HorizonForecasts],
    dates: np.ndarray,
    mean_log_return: float,
    interval: float | None,
) -> dict[str, Any]:
    """`evaluation/walk_forward.json`: {horizon: 1, interval (the band's nominal coverage),
    points: [...]}."""
    return {
        "horizon": SERIES_HORIZON,
        "interval": interval,
        "points": series_points(slices, dates, mean_log_return),
    }
