"""The band: split-conformal quantiles scaled by the window's volatility keep their coverage
when the volatility changes; a fixed band does not. Plus the scores it is reported with."""

import numpy as np
import pytest
import torch

from nn_estimator.config import TrainConfig
from nn_estimator.domain.band import (
    band_entries,
    band_scores,
    calibrate,
    conformal_quantile,
    flat_band_metrics,
    naive_band_forecast,
    winkler,
)
from nn_estimator.domain.evaluation import HorizonForecasts, walk_forward
from nn_estimator.domain.fitting import build_model, calibrate_band
from nn_estimator.domain.model import LSTMForecaster
from nn_estimator.domain.windowing import input_windows, target_returns, window_origins

CONFIG = TrainConfig(input_length=20, max_horizon=5, interval=0.9)
CALM, VOLATILE = 0.01, 0.03  # daily log-return std of the two regimes
REGIME_DAYS = 1500
CALIBRATION_DAYS = 1000  # the last calm days before the switch, like a (long) validation slice


def regime_switching_walk(seed: int = 11) -> np.ndarray:
    """Closes of a driftless random walk: calm, then volatile, then calm again."""
    rng = np.random.default_rng(seed)
    stds = np.repeat([CALM, VOLATILE, CALM], REGIME_DAYS)
    return 50.0 * np.exp(np.concatenate([[0.0], np.cumsum(rng.normal(0.0, stds))]))


def drift_model(config: TrainConfig) -> LSTMForecaster:
    """An untrained model: its zero head forecasts the (zero) mean return, i.e. the naive point,
    so the test is about the band alone."""
    model = build_model(config)
    model.set_normaliser(0.0, CALM)
    return model.eval()


def calibrated_on(model: LSTMForecaster, closes: np.ndarray, first: int, last: int) -> None:
    origins = window_origins(first, last, CONFIG.input_length, CONFIG.max_horizon)
    windows = torch.from_numpy(input_windows(closes, origins, CONFIG.input_length))
    calibrate_band(model, windows.float(), closes, origins, CONFIG)


def lstm_forecasts(
    model: LSTMForecaster, closes: np.ndarray, start: int, end: int
) -> dict[int, HorizonForecasts]:
    def forecast(windows: np.ndarray) -> np.ndarray:
        with torch.no_grad():
            return model(torch.from_numpy(windows.astype(np.float32))).numpy().astype(np.float64)

    return walk_forward(forecast, closes, start, CONFIG.input_length, eval_end=end)


def fixed_band_coverage(closes: np.ndarray, first: int, last: int, f: HorizonForecasts) -> float:
    """The band before: quantiles of the unscaled validation errors, whatever the volatility."""
    h = f.horizon
    origins = window_origins(first, last, CONFIG.input_length, CONFIG.max_horizon)
    errors = np.cumsum(target_returns(closes, origins, CONFIG.max_horizon), axis=1)[:, h - 1]
    q = conformal_quantile(np.abs(errors)[:, None], CONFIG.interval)[0]
    return float(np.mean(np.abs(np.log(f.actual / f.point)) <= q))


@pytest.mark.parametrize("horizon", [1, 5])
def test_the_adaptive_band_keeps_its_coverage_when_the_volatility_switches(horizon: int) -> None:
    closes = regime_switching_walk()
    model = drift_model(CONFIG)
    calibrated_on(model, closes, REGIME_DAYS - CALIBRATION_DAYS, REGIME_DAYS - 1)
    settle = CONFIG.input_length + CONFIG.max_horizon  # windows entirely inside one regime
    regimes = {
        "volatile": (REGIME_DAYS + settle, 2 * REGIME_DAYS),
        "calm again": (2 * REGIME_DAYS + settle, 3 * REGIME_DAYS),
    }
    for name, (start, end) in regimes.items():
        f = lstm_forecasts(model, closes, start, end)[horizon]
        coverage = band_scores(f.lower, f.upper, f.actual, CONFIG.interval)["coverage"]
        assert coverage == pytest.approx(CONFIG.interval, abs=0.03), name
        fixed = fixed_band_coverage(closes, REGIME_DAYS - CALIBRATION_DAYS, REGIME_DAYS - 1, f)
        if name == "volatile":  # the calm days' fixed band covers under half of this regime
            assert fixed < CONFIG.interval - 0.25
        else:
            assert fixed == pytest.approx(CONFIG.interval, abs=0.05)


def test_the_band_is_three_times_wider_in_the_three_times_more_volatile_regime() -> None:
    closes = regime_switching_walk()
    model = drift_model(CONFIG)
    calibrated_on(model, closes, REGIME_DAYS - 250, REGIME_DAYS - 1)
    calm = lstm_forecasts(model, closes, 500, REGIME_DAYS)[1]
    volatile = lstm_forecasts(model, closes, REGIME_DAYS + 25, 2 * REGIME_DAYS)[1]
    ratio = (
        band_scores(volatile.lower, volatile.upper, volatile.actual, 0.9)["width_pct"]
        / band_scores(calm.lower, calm.upper, calm.actual, 0.9)["width_pct"]
    )
    assert ratio == pytest.approx(VOLATILE / CALM, rel=0.15)


def test_lower_point_upper_stay_ordered_and_a_constant_series_gets_a_narrow_band() -> None:
    closes = regime_switching_walk()
    model = drift_model(CONFIG)
    calibrated_on(model, closes, 200, 1400)
    windows = torch.from_numpy(input_windows(closes, np.arange(19, 4400, 7), 20)).float()
    flat = torch.full((1, 20), 80.0)
    with torch.no_grad():
        out, constant = model(windows), model(flat)
    assert bool((out[..., 0] <= out[..., 1]).all()) and bool((out[..., 1] <= out[..., 2]).all())
    assert torch.isfinite(constant).all()
    width = (constant[0, :, 2] - constant[0, :, 0]) / constant[0, :, 1]
    assert float(width.max()) < 1e-3  # the volatility floor keeps it narrow, not zero, not NaN


def test_the_naive_band_uses_the_same_recipe_around_the_origin_close() -> None:
    closes = regime_switching_walk()
    model = drift_model(CONFIG)
    calibrated_on(model, closes, REGIME_DAYS - 250, REGIME_DAYS - 1)
    naive = naive_band_forecast(model, closes, REGIME_DAYS - 250, REGIME_DAYS, 0.9)
    windows = input_windows(closes, np.arange(REGIME_DAYS, 2 * REGIME_DAYS, 10), 20)
    banded = naive(windows)
    np.testing.assert_allclose(banded[:, :, 1], np.repeat(windows[:, -1:], 5, axis=1))
    # The drift model's point is the origin close too, so both bands coincide.
    with torch.no_grad():
        lstm = model(torch.from_numpy(windows.astype(np.float32))).numpy()
    np.testing.assert_allclose(banded, lstm, rtol=1e-5)


def test_conformal_quantile_takes_the_ceil_n_plus_1_rank() -> None:
    scores = np.arange(1.0, 20.0)[:, None]  # n = 19
    assert conformal_quantile(scores, 0.9)[0] == 18.0  # ceil(20 * 0.9) = 18th smallest
    assert conformal_quantile(scores[:9], 0.9)[0] == 9.0  # ceil(10 * 0.9) = 9 = n
    assert conformal_quantile(scores[:5], 0.9)[0] == 5.0  # rank beyond n: the largest
    lower, upper = calibrate(np.array([[-3.0], [1.0], [2.0]]), 0.5)
    assert (lower[0], upper[0]) == (-2.0, 2.0)  # symmetric: |errors| 1, 2, 3 -> rank 2


@pytest.mark.parametrize(
    ("actual", "expected"),
    [(100.0, 10.0), (95.0, 10.0), (93.0, 10.0 + 20 * 2.0), (108.0, 10.0 + 20 * 3.0)],
)
def test_winkler_is_the_width_plus_2_over_alpha_times_the_miss(
    actual: float, expected: float
) -> None:
    score = winkler(np.array([95.0]), np.array([105.0]), np.array([actual]), 0.9)
    assert score[0] == pytest.approx(expected)


def test_band_scores_and_their_mlflow_names() -> None:
    actual = np.array([100.0, 100.0, 100.0, 100.0])
    lower, upper = np.full(4, 98.0), np.array([102.0, 102.0, 102.0, 99.0])
    scores = band_scores(lower, upper, actual, 0.5)
    assert scores["coverage"] == 0.75
    assert scores["width_pct"] == pytest.approx((4 + 4 + 4 + 1) / 4)
    assert scores["winkler_pct"] == pytest.approx((4 + 4 + 4 + 1 + 4 * 1) / 4)

    index = np.arange(4)
    f = HorizonForecasts(1, index, actual, actual, actual, lower, upper)
    block = band_entries(f, f, 0.5)
    assert block["nominal"] == 0.5 and block["lstm"] == block["naive"] == scores
    flat = flat_band_metrics("1", block)
    assert flat["h1_band_nominal"] == 0.5
    assert flat["h1_lstm_band_winkler_pct"] == flat["h1_naive_band_winkler_pct"]
    assert set(band_entries(f, None, 0.5)) == {"nominal", "lstm"}
    with pytest.raises(ValueError, match="evaluation days"):
        band_entries(f, f.subset(index < 3), 0.5)
