"""Forecast quality against actual closes: pure functions over arrays and frames, no I/O.

Every figure is reported beside the naive forecast (the close at `as_of`, i.e. "tomorrow is
today") computed on exactly the same rows, so MASE = MAE / naive MAE is a like-for-like ratio.
Non-finite results become None: a JSON answer never carries NaN.
"""

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from stock_db.numbers import finite_or_none

# Columns the quality functions expect in a frame of matured predictions.
MATURED_COLUMNS = ("id", "requested_at", "as_of", "target_date", "predicted", "actual", "naive")


@dataclass(frozen=True)
class ErrorMetrics:
    mse: float | None
    rmse: float | None
    mae: float | None
    mape: float | None  # percent: 1.5 means 1.5 %


@dataclass(frozen=True)
class QualitySummary:
    n: int
    model: ErrorMetrics
    naive: ErrorMetrics
    mase: float | None
    start: dt.date | None  # first target date in the window
    end: dt.date | None  # last target date in the window


def error_metrics(actual: np.ndarray, predicted: np.ndarray) -> ErrorMetrics:
    """MSE, RMSE, MAE and MAPE (percent) of `predicted` against `actual`; all None when empty."""
    actual = np.asarray(actual, dtype=float)
    predicted = np.asarray(predicted, dtype=float)
    if actual.size == 0:
        return ErrorMetrics(None, None, None, None)
    errors = predicted - actual
    mse = float(np.mean(errors**2))
    # Closes are positive (a database constraint), so the percentage is always defined.
    mape = float(np.mean(np.abs(errors) / np.abs(actual)) * 100.0)
    return ErrorMetrics(
        mse=finite_or_none(mse),
        rmse=finite_or_none(math.sqrt(mse)),
        mae=finite_or_none(np.mean(np.abs(errors))),
        mape=finite_or_none(mape),
    )


def mase(model_mae: float | None, naive_mae: float | None) -> float | None:
    """MAE relative to the naive forecast's MAE on the same days; None when undefined."""
    if model_mae is None or naive_mae is None or naive_mae == 0:
        return None
    return finite_or_none(model_mae / naive_mae)


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


def summarise(matured: pd.DataFrame) -> QualitySummary:
    """Quality of a deduplicated window of matured predictions."""
    actual = matured["actual"].to_numpy(dtype=float)
    model = error_metrics(actual, matured["predicted"].to_numpy(dtype=float))
    naive = error_metrics(actual, matured["naive"].to_numpy(dtype=float))
    return QualitySummary(
        n=len(matured),
        model=model,
        naive=naive,
        mase=mase(model.mae, naive.mae),
        start=matured["target_date"].iloc[0] if len(matured) else None,
        end=matured["target_date"].iloc[-1] if len(matured) else None,
    )


def daily_quality(matured: pd.DataFrame, rolling_window: int) -> pd.DataFrame:
    """Per target date: absolute errors of the model and of the naive forecast, and rolling
    MAE, RMSE, naive MAE and MASE over the last `rolling_window` matured days (fewer at the
    start: `rolling_n` says how many). Expects one row per target date, sorted."""
    frame = matured.sort_values("target_date").reset_index(drop=True)
    abs_error = (frame["predicted"] - frame["actual"]).abs()
    naive_abs_error = (frame["naive"] - frame["actual"]).abs()

    def rolling(values: pd.Series) -> "pd.api.typing.Rolling":
        return values.rolling(rolling_window, min_periods=1)

    rolling_mae = rolling(abs_error).mean()
    rolling_naive_mae = rolling(naive_abs_error).mean()
    result = pd.DataFrame(
        {
            "date": frame["target_date"],
            "as_of": frame["as_of"],
            "predicted": frame["predicted"],
            "actual": frame["actual"],
            "naive": frame["naive"],
            "abs_error": abs_error,
            "naive_abs_error": naive_abs_error,
            "rolling_mae": rolling_mae,
            "rolling_rmse": np.sqrt(rolling(abs_error**2).mean()),
            "rolling_naive_mae": rolling_naive_mae,
            # A zero naive MAE (flat prices) leaves MASE undefined: inf/NaN, nulled on output.
            "rolling_mase": rolling_mae / rolling_naive_mae,
            "rolling_n": rolling(abs_error).count().astype(int),
        }
    )
    return result
