"""Training: determinism, and the band calibrated on validation then measured on the holdout."""

from collections.abc import Callable

import numpy as np
import torch

from nn_estimator.config import TrainConfig
from nn_estimator.domain.evaluation import flat_metrics, metrics_document, walk_forward
from nn_estimator.domain.fitting import FitResult
from nn_estimator.domain.windowing import (
    chronological_split,
    input_windows,
    target_returns,
    window_origins,
)
from nn_estimator.usecases.scoring import eager_forecast


def holdout_metrics(result: FitResult, closes: np.ndarray, config: TrainConfig) -> dict[str, float]:
    split = chronological_split("MSFT", len(closes), config)
    forecasts = walk_forward(
        eager_forecast(result.model), closes, split.eval_start, config.input_length
    )
    dates = np.arange(len(closes)).astype("datetime64[D]")
    document = metrics_document(forecasts, dates, config.input_length, config.max_horizon)
    return flat_metrics(document)


def test_same_data_and_seed_give_the_same_metrics(
    tiny_fit: FitResult,
    fit_recent: Callable[[TrainConfig], FitResult],
    recent_closes: np.ndarray,
    tiny: TrainConfig,
) -> None:
    first = holdout_metrics(tiny_fit, recent_closes, tiny)
    again = fit_recent(tiny)
    assert holdout_metrics(again, recent_closes, tiny) == first
    assert again.train_losses == tiny_fit.train_losses
    other_seed = tiny.with_overrides(seed=7)
    assert holdout_metrics(fit_recent(other_seed), recent_closes, other_seed) != first


def test_band_is_calibrated_to_the_nominal_interval_on_validation(
    tiny_fit: FitResult, recent_closes: np.ndarray, tiny: TrainConfig
) -> None:
    model = tiny_fit.model
    assert bool((model.band_lower <= 0).all()) and bool((model.band_upper >= 0).all())
    split = chronological_split("MSFT", len(recent_closes), tiny)
    L, H = tiny.input_length, tiny.max_horizon
    origins = window_origins(split.val_start, split.eval_start - 1, L, H)
    windows = torch.from_numpy(input_windows(recent_closes, origins, L).astype(np.float32))
    with torch.no_grad():
        predicted = model.cumulative_log_returns(windows).numpy()
        scale = model.band_scale(windows).numpy()
    residuals = np.cumsum(target_returns(recent_closes, origins, H), axis=1) - predicted
    scaled = residuals / scale
    inside = (scaled >= model.band_lower.numpy()) & (scaled <= model.band_upper.numpy())
    # Split-conformal: the ceil((n + 1) * 0.9)-th smallest |scaled residual| of these very
    # windows, so at least 90% of them are inside and at most one window more than that rank.
    n = len(origins)
    assert (inside.mean(axis=0) >= tiny.interval).all()
    assert (inside.mean(axis=0) <= np.ceil((n + 1) * tiny.interval) / n + 1e-9).all()
    np.testing.assert_allclose(model.band_lower.numpy(), -model.band_upper.numpy())


def test_holdout_coverage_of_the_tiny_model_on_the_fixed_seed(
    tiny_fit: FitResult, recent_closes: np.ndarray, tiny: TrainConfig
) -> None:
    metrics = holdout_metrics(tiny_fit, recent_closes, tiny)
    # Days of the 60-day holdout inside the band: a pinned value for seed 42 (the band is
    # measured, not assumed: 57/60 at h1 and 53/60 at h5, both within 1.5 binomial standard
    # deviations of the nominal 54 on 60 days).
    assert round(metrics["h1_coverage"] * tiny.eval_days) == 57
    assert round(metrics["h5_coverage"] * tiny.eval_days) == 53
