"""Walk-forward evaluation against two baselines: naive (tomorrow's close = today's close) and
drift (the origin close x exp(h x the mean training log return)).

The model is fixed; at every origin t it sees closes up to t only. Every evaluation day is a
target for every horizon, so the LSTM and both baselines are scored on the same days.

Names, so that none of them means two things: `rel_mae` is MAE / the naive forecast's MAE on the
same days; `mase` is Hyndman's, MAE / the in-sample one-step naive MAE (mean |close[t] -
close[t-1]| over the training slice, stated in the document as `mase_scale`). `direction_*`
is scored only on days whose close moved (a flat forecast counts as "up"), beside the
"always up" base rate and a Pesaran-Timmermann p-value. `dm_vs_naive_*` / `dm_vs_drift_*` are
one-sided Diebold-Mariano p-values on the per-day absolute errors (domain/significance.py).
Each model's block is flat (name -> number or null), so readers can treat it as one row."""

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from nn_estimator.domain.band import band_entries, flat_band_metrics
from nn_estimator.domain.significance import diebold_mariano, pesaran_timmermann
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


@dataclass(frozen=True)
class TrainingReference:
    """What the baselines and the MASE scale take from the training slice closes[start:stop]:
    the mean daily log return (the drift) and Hyndman's scale, the mean absolute one-step
    change. For a full train the mean is the model's normaliser mean (model.return_mean)."""

    mean_log_return: float
    mase_scale: float
    start: str
    end: str
    n: int  # one-step changes in the slice

    def as_document(self) -> dict[str, Any]:
        return {
            "mase_scale": {
                "value": self.mase_scale,
                "start": self.start,
                "end": self.end,
                "n": self.n,
                "definition": "mean |close[t] - close[t-1]| over the training slice "
                "(Hyndman's in-sample one-step naive MAE)",
            },
            "drift_mean_log_return": self.mean_log_return,
        }


def training_reference(
    closes: np.ndarray, dates: np.ndarray, start: int, stop: int
) -> TrainingReference:
    segment = closes[start:stop]
    return TrainingReference(
        mean_log_return=float(np.mean(np.log(segment[1:] / segment[:-1]))),
        mase_scale=float(np.mean(np.abs(np.diff(segment)))),
        start=str(dates[start]),
        end=str(dates[stop - 1]),
        n=len(segment) - 1,
    )


def drift_forecast(f: HorizonForecasts, mean_log_return: float) -> np.ndarray:
    """The origin close x exp(h x mean training log return): the drift baseline."""
    return f.last * math.exp(f.horizon * mean_log_return)


def point_forecasts(
    f: HorizonForecasts, reference: TrainingReference | None = None
) -> dict[str, np.ndarray]:
    """Each scored forecast of the horizon by name: lstm, naive and (given the training
    reference) drift."""
    forecasts = {"lstm": f.point, "naive": f.last}
    if reference is not None:
        forecasts["drift"] = drift_forecast(f, reference.mean_log_return)
    return forecasts


def _prefixed(prefix: str, values: dict[str, Any]) -> dict[str, Any]:
    return {f"{prefix}_{name}": value for name, value in values.items()}


def _ratio(numerator: float, denominator: float | None) -> float | None:
    if denominator is None or not denominator > 0 or not math.isfinite(numerator):
        return None
    return numerator / denominator


def direction_score(
    predicted: np.ndarray, actual: np.ndarray, last: np.ndarray
) -> dict[str, float | int | None]:
    """Direction on the days the close moved (actual != origin close); a flat forecast counts
    as "up". `always_up` is the accuracy of always saying "up" on the same days (the base rate
    a forecast that nearly always says "up" scores); `pt_p_value` is Pesaran-Timmermann's
    one-sided p-value (None when the forecast or the actual never changes direction)."""
    moved = actual != last
    actual_up = actual[moved] > last[moved]
    predicted_up = predicted[moved] >= last[moved]
    test = pesaran_timmermann(predicted_up, actual_up)
    return {
        "accuracy": test.accuracy,
        "n": int(moved.sum()),
        "always_up": float(actual_up.mean()) if moved.any() else None,
        "pt_statistic": test.statistic,
        "pt_p_value": test.p_value,
    }


def point_metrics(
    predicted: np.ndarray,
    actual: np.ndarray,
    last: np.ndarray,
    naive_mae: float,
    mase_scale: float | None = None,
) -> dict[str, Any]:
    """Errors of one forecast: mse, rmse, mae, mape (%), rel_mae (vs naive on the same days),
    mase (None without a training scale) and the direction score (direction_accuracy,
    direction_n, direction_always_up, direction_pt_statistic, direction_pt_p_value)."""
    error = predicted - actual
    mse = float(np.mean(error**2))
    mae = float(np.mean(np.abs(error)))
    return {
        "mse": mse,
        "rmse": float(np.sqrt(mse)),
        "mae": mae,
        "mape": float(np.mean(np.abs(error) / np.abs(actual)) * 100.0),
        "rel_mae": _ratio(mae, naive_mae),
        "mase": _ratio(mae, mase_scale),
        **_prefixed("direction", direction_score(predicted, actual, last)),
    }


def dm_versus(errors: np.ndarray, baseline_errors: np.ndarray, h: int) -> dict[str, float | None]:
    """One-sided Diebold-Mariano p-values on absolute errors against a baseline: `p_better`
    for "lower expected error than the baseline", `p_worse` for "higher" (None with too few
    days for the test)."""
    try:
        better = diebold_mariano(errors, baseline_errors, h, "less")
        worse = diebold_mariano(errors, baseline_errors, h, "greater")
    except ValueError:
        return {"statistic": None, "p_better": None, "p_worse": None}
    statistic = better.statistic if math.isfinite(better.statistic) else None
    return {"statistic": statistic, "p_better": better.p_value, "p_worse": worse.p_value}


def point_blocks(
    f: HorizonForecasts, reference: TrainingReference | None = None
) -> dict[str, dict[str, Any]]:
    """lstm, naive and (given the training reference) drift on the same days, each with its
    errors; the lstm (and drift) with Diebold-Mariano p-values against the baselines
    (dm_vs_naive_statistic, dm_vs_naive_p_better, dm_vs_naive_p_worse, dm_vs_drift_...)."""
    naive_mae = float(np.mean(np.abs(f.last - f.actual)))
    scale = reference.mase_scale if reference is not None else None
    forecasts = point_forecasts(f, reference)
    errors = {who: np.abs(forecast - f.actual) for who, forecast in forecasts.items()}
    blocks = {
        who: point_metrics(forecast, f.actual, f.last, naive_mae, scale)
        for who, forecast in forecasts.items()
    }
    for who in [w for w in ("lstm", "drift") if w in errors]:
        blocks[who].update(
            _prefixed("dm_vs_naive", dm_versus(errors[who], errors["naive"], f.horizon))
        )
    if "drift" in errors:
        blocks["lstm"].update(
            _prefixed("dm_vs_drift", dm_versus(errors["lstm"], errors["drift"], f.horizon))
        )
    return blocks


def horizon_metrics(
    f: HorizonForecasts,
    naive_band: HorizonForecasts | None = None,
    interval: float | None = None,
    *,
    reference: TrainingReference | None = None,
) -> dict[str, Any]:
    """With `interval` (the nominal coverage the band was calibrated for) a `band` block is
    added: coverage, width and Winkler score of the model's band and of `naive_band` (the
    equally calibrated band around the naive forecast, domain/band.py) on the same days."""
    metrics = {
        **point_blocks(f, reference),
        "coverage": float(np.mean((f.actual >= f.lower) & (f.actual <= f.upper))),
    }
    if interval is not None:
        metrics["band"] = band_entries(f, naive_band, interval)
    return metrics


def rel_mae(f: HorizonForecasts) -> float | None:
    """The point forecast's MAE / the naive forecast's MAE on the same days."""
    naive_mae = float(np.mean(np.abs(f.last - f.actual)))
    return _ratio(float(np.mean(np.abs(f.point - f.actual))), naive_mae)


def metrics_document(
    forecasts: dict[int, HorizonForecasts],
    dates: np.ndarray,
    input_length: int,
    max_horizon: int,
    reference: TrainingReference | None = None,
    naive_bands: dict[int, HorizonForecasts] | None = None,
    interval: float | None = None,
) -> dict[str, Any]:
    """The `models.metrics` JSON of the contract: per horizon lstm, naive and drift (with the
    training `reference`), the band block (with `interval`), and the reference stated."""
    h1 = forecasts[1]
    horizons = {
        str(h): horizon_metrics(
            f,
            naive_bands.get(h) if naive_bands else None,
            interval,
            reference=reference,
        )
        for h, f in forecasts.items()
    }
    return {
        "eval_start": str(dates[h1.target_index[0]]),
        "eval_end": str(dates[h1.target_index[-1]]),
        "n_eval_days": len(h1.target_index),
        "horizons": horizons,
        **(reference.as_document() if reference is not None else {}),
        "input_length": input_length,
        "max_horizon": max_horizon,
    }


def _flatten(prefix: str, value: Any, into: dict[str, float]) -> None:
    if isinstance(value, dict):
        for name, inner in value.items():
            _flatten(f"{prefix}_{name}", inner, into)
    elif isinstance(value, bool | int | float) and math.isfinite(value):
        into[prefix] = float(value)


def flat_metrics(document: dict[str, Any]) -> dict[str, float]:
    """MLflow metric names, e.g. h1_lstm_rel_mae, h1_lstm_mase, h5_naive_mae,
    h1_lstm_direction_accuracy, h1_lstm_dm_vs_naive_p_better, h1_coverage (None skipped)."""
    flat: dict[str, float] = {"n_eval_days": float(document["n_eval_days"])}
    for h, block in document["horizons"].items():
        flat[f"h{h}_coverage"] = block["coverage"]
        for who in ("lstm", "naive", "drift"):
            if who in block:
                _flatten(f"h{h}_{who}", block[who], flat)
        if "band" in block:
            flat.update(flat_band_metrics(h, block["band"]))
    scale = document.get("mase_scale")
    if scale is not None:
        _flatten("mase_scale", scale["value"], flat)
    return flat
