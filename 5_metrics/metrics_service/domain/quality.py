"""Forecast quality against actual closes: pure functions over arrays and frames, no I/O.

Every figure stands beside two baselines scored on exactly the same rows:
- naive: the close at `as_of` ("tomorrow is today");
- drift: the close at `as_of` times exp(horizon x the mean daily log return of the champion's
  training window) (the random walk with drift).

Two ratios, each under its own name:
- rel_mae = MAE / naive MAE on the same days (a relative MAE);
- mase = MAE / the in-sample one-step naive MAE of the champion's training window (Hyndman's
  MASE; the scale is computed by `one_step_naive_mae` and stated beside it).

The model's forecast is scored in today's price basis: when the close at `as_of` was stored
with the prediction (`as_of_close`), the forecast is predicted / as_of_close x the close at
`as_of` read now, so a later dividend re-adjustment of the history moves it exactly as it
moves the naive forecast; old rows without it are scored as logged.

Rows holding a non-finite or non-positive value are skipped and counted (`valid_rows`);
non-finite results become None: a JSON answer never carries NaN.
"""

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from stock_db.numbers import finite_or_none

# Columns the quality functions expect in a frame of matured predictions.
MATURED_COLUMNS = (
    "id",
    "requested_at",
    "as_of",
    "target_date",
    "predicted",
    "as_of_close",  # the close at as_of stored with the prediction; None/NaN on old rows
    "actual",
    "naive",  # the close at as_of read now
)


@dataclass(frozen=True)
class ErrorMetrics:
    mse: float | None
    rmse: float | None
    mae: float | None
    mape: float | None  # percent: 1.5 means 1.5 %


NO_ERRORS = ErrorMetrics(None, None, None, None)


@dataclass(frozen=True)
class QualitySummary:
    n: int
    model: ErrorMetrics
    naive: ErrorMetrics
    drift: ErrorMetrics  # the drift forecast's; all None without a drift rate
    rel_mae: float | None  # MAE / naive MAE on the same days
    mase: float | None  # MAE / the training window's one-step naive MAE
    start: dt.date | None  # first target date in the window
    end: dt.date | None  # last target date in the window


def error_metrics(actual: np.ndarray, predicted: np.ndarray) -> ErrorMetrics:
    """MSE, RMSE, MAE and MAPE (percent) of `predicted` against `actual`; all None when empty."""
    actual = np.asarray(actual, dtype=float)
    predicted = np.asarray(predicted, dtype=float)
    if actual.size == 0:
        return NO_ERRORS
    errors = predicted - actual
    mse = float(np.mean(errors**2))
    # Rows reaching here have positive closes (valid_rows), so the percentage is defined.
    mape = float(np.mean(np.abs(errors) / np.abs(actual)) * 100.0)
    return ErrorMetrics(
        mse=finite_or_none(mse),
        rmse=finite_or_none(math.sqrt(mse)) if math.isfinite(mse) else None,
        mae=finite_or_none(np.mean(np.abs(errors))),
        mape=finite_or_none(mape),
    )


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    """numerator / denominator, None when either is missing or the denominator is 0."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return finite_or_none(numerator / denominator)


def one_step_naive_mae(closes: np.ndarray) -> float | None:
    """Hyndman's MASE scale: the mean absolute one-step change of consecutive closes (the
    in-sample naive forecast's MAE). Pairs with a non-finite or non-positive close are left
    out; None when no pair remains."""
    closes = np.asarray(closes, dtype=float)
    if closes.size < 2:
        return None
    changes = np.diff(closes)
    usable = np.isfinite(changes) & (closes[1:] > 0) & (closes[:-1] > 0)
    if not usable.any():
        return None
    return finite_or_none(float(np.mean(np.abs(changes[usable]))))


def mean_log_return(closes: np.ndarray) -> float | None:
    """The mean daily log return of consecutive closes (the drift forecast's rate); pairs
    with a non-finite or non-positive close are left out; None when no pair remains."""
    closes = np.asarray(closes, dtype=float)
    if closes.size < 2:
        return None
    usable = np.isfinite(closes[1:]) & np.isfinite(closes[:-1]) & (closes[1:] > 0)
    usable &= closes[:-1] > 0
    if not usable.any():
        return None
    return finite_or_none(np.mean(np.log(closes[1:][usable] / closes[:-1][usable])))


def rebased_forecast(
    predicted: np.ndarray, as_of_close: np.ndarray, close_now: np.ndarray
) -> np.ndarray:
    """The forecast in today's price basis: predicted / as_of_close x close_now where the
    close at as_of was stored with it (not NaN), else predicted as logged."""
    predicted = np.asarray(predicted, dtype=float)
    as_of_close = np.asarray(as_of_close, dtype=float)
    close_now = np.asarray(close_now, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        rebased = predicted / as_of_close * close_now
    return np.where(np.isnan(as_of_close), predicted, rebased)


def drift_forecast(close_now: np.ndarray, horizon: int, rate: float | None) -> np.ndarray:
    """close x exp(horizon x rate): the random walk with drift; NaN without a rate."""
    close_now = np.asarray(close_now, dtype=float)
    if rate is None:
        return np.full(close_now.shape, np.nan)
    with np.errstate(over="ignore"):
        return close_now * math.exp(horizon * rate)


def _positive_finite(values: pd.Series) -> pd.Series:
    numbers = values.astype(float)
    return pd.Series(np.isfinite(numbers) & (numbers > 0), index=values.index)


def scored(matured: pd.DataFrame, horizon: int, drift_rate: float | None) -> pd.DataFrame:
    """The frame with `forecast` (the model's, in today's basis), `drift_forecast` and `valid`
    (every value needed to score the row is finite and positive, as a close must be)."""
    frame = matured.copy()
    as_of_close = pd.to_numeric(frame["as_of_close"], errors="coerce").to_numpy(dtype=float)
    predicted = frame["predicted"].to_numpy(dtype=float)
    close_now = frame["naive"].to_numpy(dtype=float)
    frame["forecast"] = rebased_forecast(predicted, as_of_close, close_now)
    frame["drift_forecast"] = drift_forecast(close_now, horizon, drift_rate)
    logged = np.isnan(as_of_close) | (np.isfinite(as_of_close) & (as_of_close > 0))
    frame["valid"] = (
        np.isfinite(frame["predicted"].astype(float))
        & np.isfinite(frame["forecast"].astype(float))
        & _positive_finite(frame["actual"])
        & _positive_finite(frame["naive"])
        & logged
    )
    return frame


def valid_rows(scored_frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the rows that can be scored, the ones that cannot)."""
    valid = scored_frame["valid"].astype(bool)
    return (
        scored_frame[valid].reset_index(drop=True),
        scored_frame[~valid].reset_index(drop=True),
    )


def latest_per_target(matured: pd.DataFrame) -> pd.DataFrame:
    """One prediction per target date: the most recently requested one.

    The frame holds one model version and one horizon, so (target_date) is the key. When the
    same forecast was requested several times (the dashboard refreshing, say), the latest
    request wins: it is what the service answered last for that day. Ties on requested_at are
    broken by the larger id (the later insert). Sorted by target date.
    """
    if matured.empty:
        return matured
    ordered = matured.sort_values(["target_date", "requested_at", "id"])
    latest = ordered.drop_duplicates(subset=["target_date"], keep="last")
    return latest.reset_index(drop=True)


def last_trading_days(matured: pd.DataFrame, window: int) -> pd.DataFrame:
    """The rows of the last `window` target dates (frame already one row per target date)."""
    return matured.sort_values("target_date").tail(window).reset_index(drop=True)


def summarise(frame: pd.DataFrame, mase_scale: float | None) -> QualitySummary:
    """Quality of a deduplicated window of valid scored rows (see `scored`)."""
    actual = frame["actual"].to_numpy(dtype=float)
    model = error_metrics(actual, frame["forecast"].to_numpy(dtype=float))
    naive = error_metrics(actual, frame["naive"].to_numpy(dtype=float))
    drift_values = frame["drift_forecast"].to_numpy(dtype=float)
    has_drift = drift_values.size > 0 and bool(np.isfinite(drift_values).all())
    return QualitySummary(
        n=len(frame),
        model=model,
        naive=naive,
        drift=error_metrics(actual, drift_values) if has_drift else NO_ERRORS,
        rel_mae=ratio(model.mae, naive.mae),
        mase=ratio(model.mae, mase_scale),
        start=frame["target_date"].iloc[0] if len(frame) else None,
        end=frame["target_date"].iloc[-1] if len(frame) else None,
    )


def daily_quality(
    frame: pd.DataFrame, rolling_window: int, mase_scale: float | None
) -> pd.DataFrame:
    """Per target date: absolute errors of the model, the naive and the drift forecast, and
    rolling MAE, RMSE, naive MAE, drift MAE, rel_mae and MASE over the last `rolling_window`
    valid days (fewer at the start: `rolling_n` says how many). Expects valid scored rows
    (see `scored`), one per target date."""
    frame = frame.sort_values("target_date").reset_index(drop=True)
    actual = frame["actual"].astype(float)
    abs_error = (frame["forecast"].astype(float) - actual).abs()
    naive_abs_error = (frame["naive"].astype(float) - actual).abs()
    drift_abs_error = (frame["drift_forecast"].astype(float) - actual).abs()

    def rolling(values: pd.Series) -> "pd.api.typing.Rolling":
        return values.rolling(rolling_window, min_periods=1)

    rolling_mae = rolling(abs_error).mean()
    rolling_naive_mae = rolling(naive_abs_error).mean()
    # A zero denominator (flat prices) leaves a ratio undefined: inf/NaN, nulled on output.
    scale = mase_scale if mase_scale else np.nan
    return pd.DataFrame(
        {
            "date": frame["target_date"],
            "as_of": frame["as_of"],
            "predicted": frame["forecast"],
            "predicted_logged": frame["predicted"],
            "actual": actual,
            "naive": frame["naive"],
            "drift_forecast": frame["drift_forecast"],
            "abs_error": abs_error,
            "naive_abs_error": naive_abs_error,
            "drift_forecast_abs_error": drift_abs_error,
            "rolling_mae": rolling_mae,
            "rolling_rmse": np.sqrt(rolling(abs_error**2).mean()),
            "rolling_naive_mae": rolling_naive_mae,
            "rolling_drift_forecast_mae": rolling(drift_abs_error).mean(),
            "rolling_rel_mae": rolling_mae / rolling_naive_mae,
            "rolling_mase": rolling_mae / scale,
            "rolling_n": rolling(abs_error).count().astype(int),
        }
    )
