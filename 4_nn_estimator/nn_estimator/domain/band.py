"""The prediction band: split-conformal quantiles of volatility-scaled errors, and its scores.

A forecast from origin t for step k misses by r = log(close[t+k] / point). The score
r / (sigma_t * sqrt(k)), with sigma_t the std of the daily log returns inside the input window
(`LSTMForecaster.band_scale`, the one definition of the scale), is close to scale-free: a calm
and a volatile year give similar scores, so quantiles calibrated on one validation year carry
over to a holdout whose volatility differs. The band is symmetric: the score is |r| / scale and
its split-conformal quantile q_k, the ceil((n + 1) * nominal)-th smallest of n validation scores,
gives point * exp(+-q_k * sigma_t * sqrt(k)). Symmetric because the point forecast already
carries the drift (errors are centred) and ~250 validation windows leave ~12 per tail for two
separate tail quantiles but ~25 for one quantile of |r|.

The naive band is the same recipe around the naive forecast (the origin close), with the same
scale and the same validation days, so the two bands compare like for like.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
import torch

from nn_estimator.domain.model import LSTMForecaster
from nn_estimator.domain.windowing import input_windows, target_returns, window_origins

if TYPE_CHECKING:  # evaluation.py imports this module for its band entries
    from nn_estimator.domain.evaluation import HorizonForecasts


def conformal_quantile(scores: np.ndarray, level: float) -> np.ndarray:
    """Per column of (n, H) scores: the ceil((n + 1) * level)-th smallest (split-conformal),
    so a new exchangeable score falls at or below it with probability >= level. With too few
    scores for that rank the largest is used (the guarantee then does not hold)."""
    n = scores.shape[0]
    rank = min(int(np.ceil((n + 1) * level)), n)
    result: np.ndarray = np.sort(scores, axis=0)[rank - 1]
    return result


def calibrate(scaled_errors: np.ndarray, interval: float) -> tuple[np.ndarray, np.ndarray]:
    """(n, H) scaled errors (actual - point log return, over sigma * sqrt(k)) -> per-step
    (lower, upper) multipliers of sigma * sqrt(k): -q_k and +q_k."""
    q = conformal_quantile(np.abs(scaled_errors), interval)
    return -q, q


def window_scale(model: LSTMForecaster, windows: np.ndarray) -> np.ndarray:
    """(N, L) closes -> (N, H) sigma * sqrt(k), computed by the model exactly as it serves."""
    with torch.no_grad():
        scale = model.band_scale(torch.from_numpy(windows.astype(np.float32)))
    return scale.numpy().astype(np.float64)


def naive_band_forecast(
    model: LSTMForecaster, closes: np.ndarray, val_start: int, eval_start: int, interval: float
) -> Callable[[np.ndarray], np.ndarray]:
    """The naive forecast (every step = the origin close) with a band calibrated like the
    model's: same scale, same validation windows (targets in closes[val_start:eval_start]).
    A walk-forward `Forecast`: (B, L) closes -> (B, H, 3) [lower, point, upper]."""
    L, H = model.input_length, model.max_horizon
    origins = window_origins(val_start, eval_start - 1, L, H)
    windows = input_windows(closes, origins, L)
    errors = np.cumsum(target_returns(closes, origins, H), axis=1)  # naive point: log change 0
    lower_q, upper_q = calibrate(errors / window_scale(model, windows), interval)

    def forecast(batch: np.ndarray) -> np.ndarray:
        last = batch[:, -1:]
        scale = window_scale(model, batch)
        point = np.repeat(last, H, axis=1)
        lower, upper = last * np.exp(lower_q * scale), last * np.exp(upper_q * scale)
        return np.stack([lower, point, upper], axis=-1)

    return forecast


def winkler(
    lower: np.ndarray, upper: np.ndarray, actual: np.ndarray, interval: float
) -> np.ndarray:
    """The interval score at level alpha = 1 - interval, in price units: the width, plus
    2 / alpha times the distance by which the actual falls outside. Lower is better."""
    alpha = 1.0 - interval
    below = np.maximum(lower - actual, 0.0)
    above = np.maximum(actual - upper, 0.0)
    result: np.ndarray = (upper - lower) + (2.0 / alpha) * (below + above)
    return result


def band_scores(
    lower: np.ndarray, upper: np.ndarray, actual: np.ndarray, interval: float
) -> dict[str, float]:
    """Coverage (share of days inside), mean width and mean Winkler score, both in percent of
    the actual close (like MAPE), so years at different price levels compare."""
    return {
        "coverage": float(np.mean((actual >= lower) & (actual <= upper))),
        "width_pct": float(np.mean((upper - lower) / actual) * 100.0),
        "winkler_pct": float(np.mean(winkler(lower, upper, actual, interval) / actual) * 100.0),
    }


def band_entries(
    f: "HorizonForecasts", naive: "HorizonForecasts | None", interval: float
) -> dict[str, Any]:
    """The `band` block of one horizon in the metrics document: the nominal coverage, the
    model's band and, when given, the equally calibrated naive band on the same days."""
    block: dict[str, Any] = {
        "nominal": interval,
        "lstm": band_scores(f.lower, f.upper, f.actual, interval),
    }
    if naive is not None:
        if not np.array_equal(naive.target_index, f.target_index):
            raise ValueError("the naive band must be scored on the model's evaluation days")
        block["naive"] = band_scores(naive.lower, naive.upper, naive.actual, interval)
    return block


def flat_band_metrics(horizon: str, block: dict[str, Any]) -> dict[str, float]:
    """MLflow names for one horizon's band block, e.g. h1_lstm_band_width_pct,
    h5_naive_band_winkler_pct, h1_band_nominal."""
    flat = {f"h{horizon}_band_nominal": float(block["nominal"])}
    for who in ("lstm", "naive"):
        for name, value in block.get(who, {}).items():
            flat[f"h{horizon}_{who}_band_{name}"] = value
    return flat
