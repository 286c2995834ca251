"""Walk-forward evaluation against the naive forecast (tomorrow's close = today's close).

The model is fixed; at every origin t it sees closes up to t only. Every evaluation day is a
target for every horizon, so the LSTM and the naive forecast are scored on the same days."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from nn_estimator.domain.windowing import input_windows

Forecast = Callable[[np.ndarray], np.ndarray]  # (B, L) closes -> (B, H, 3)
REPORTED_HORIZONS = (1, 5)


@dataclass(frozen=True)
class HorizonForecasts:
    """Aligned arrays for one horizon h: one entry per evaluation (target) day."""

    horizon: int
    target_index: np.ndarray
    last: np.ndarray  # close at the origin t = target - h (also the naive forecast)
    actual: np.ndarray
    point: np.ndarray
    lower: np.ndarray
    upper: np.ndarray

    def subset(self, mask: np.ndarray) -> "HorizonForecasts":
        return HorizonForecasts(
            self.horizon,
            self.target_index[mask],
            self.last[mask],
            self.actual[mask],
            self.point[mask],
            self.lower[mask],
            self.upper[mask],
        )


def walk_forward(
    forecast: Forecast,
    closes: np.ndarray,
    eval_start: int,
    input_length: int,
    horizons: tuple[int, ...] = REPORTED_HORIZONS,
    eval_end: int | None = None,
) -> dict[int, HorizonForecasts]:
    """Forecast from every origin whose h-step target lies in closes[eval_start:eval_end]."""
    end = len(closes) if eval_end is None else eval_end
    max_h = max(horizons)
    first_origin = max(eval_start - max_h, input_length - 1)
    origins = np.arange(first_origin, end - 1)
    output = forecast(input_windows(closes, origins, input_length))
    result: dict[int, HorizonForecasts] = {}
    for h in horizons:
        keep = (origins + h >= eval_start) & (origins + h < end)
        t = origins[keep]
        step = output[keep, h - 1, :]
        result[h] = HorizonForecasts(
            horizon=h,
            target_index=t + h,
            last=closes[t],
            actual=closes[t + h],
            point=step[:, 1],
            lower=step[:, 0],
            upper=step[:, 2],
        )
    return result


def point_metrics(
    predicted: np.ndarray, actual: np.ndarray, last: np.ndarray, naive_mae: float
) -> dict[str, float]:
    """A flat forecast counts as "up": direction is (change >= 0) for forecast and actual
    alike, so the naive forecast's directional accuracy is the share of non-down days."""
    error = predicted - actual
    mse = float(np.mean(error**2))
    mae = float(np.mean(np.abs(error)))
    return {
        "mse": mse,
        "rmse": float(np.sqrt(mse)),
        "mae": mae,
        "mape": float(np.mean(np.abs(error) / np.abs(actual)) * 100.0),
        "mase": mae / naive_mae if naive_mae > 0 else float("nan"),
        "directional_accuracy": float(np.mean((predicted - last >= 0) == (actual - last >= 0))),
    }


def horizon_metrics(f: HorizonForecasts) -> dict[str, Any]:
    naive_mae = float(np.mean(np.abs(f.last - f.actual)))
    return {
        "lstm": point_metrics(f.point, f.actual, f.last, naive_mae),
        "naive": point_metrics(f.last, f.actual, f.last, naive_mae),
        "coverage": float(np.mean((f.actual >= f.lower) & (f.actual <= f.upper))),
    }


def mase(f: HorizonForecasts) -> float:
    naive_mae = float(np.mean(np.abs(f.last - f.actual)))
    return float(np.mean(np.abs(f.point - f.actual))) / naive_mae if naive_mae > 0 else float("nan")


def metrics_document(
    forecasts: dict[int, HorizonForecasts],
    dates: np.ndarray,
    input_length: int,
    max_horizon: int,
) -> dict[str, Any]:
    """The `models.metrics` JSON of the contract."""
    h1 = forecasts[1]
    return {
        "eval_start": str(dates[h1.target_index[0]]),
        "eval_end": str(dates[h1.target_index[-1]]),
        "n_eval_days": len(h1.target_index),
        "horizons": {str(h): horizon_metrics(f) for h, f in forecasts.items()},
        "input_length": input_length,
        "max_horizon": max_horizon,
    }


def flat_metrics(document: dict[str, Any]) -> dict[str, float]:
    """MLflow metric names, e.g. h1_lstm_mase, h5_naive_mae, h1_coverage."""
    flat: dict[str, float] = {"n_eval_days": float(document["n_eval_days"])}
    for h, block in document["horizons"].items():
        flat[f"h{h}_coverage"] = block["coverage"]
        for who in ("lstm", "naive"):
            for name, value in block[who].items():
                flat[f"h{h}_{who}_{name}"] = value
    return flat
