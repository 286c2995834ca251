"""Walk-forward evaluation: aligned days, and the naive numbers checked from the raw closes."""

import numpy as np
import pandas as pd

from nn_estimator.domain.evaluation import horizon_metrics, metrics_document, walk_forward

EVAL_DAYS = 250


def naive_forecast(windows: np.ndarray) -> np.ndarray:
    last = np.repeat(windows[:, -1:, None], 5, axis=1)
    return np.concatenate([last * 0.99, last, last * 1.01], axis=2)


def test_naive_numbers_match_an_independent_computation(sample_frame: pd.DataFrame) -> None:
    closes = sample_frame["close"].to_numpy(dtype=np.float64)
    dates = sample_frame["date"].to_numpy().astype("datetime64[D]")
    forecasts = walk_forward(naive_forecast, closes, len(closes) - EVAL_DAYS, 60)
    document = metrics_document(forecasts, dates, 60, 5)

    # Independently: the naive h-step error on the last 250 days is close[t] - close[t-h].
    series = pd.Series(closes)
    for h in (1, 5):
        error = (series - series.shift(h)).iloc[-EVAL_DAYS:]
        actual = series.iloc[-EVAL_DAYS:]
        naive = document["horizons"][str(h)]["naive"]
        assert np.isclose(naive["mae"], error.abs().mean())
        assert np.isclose(naive["mse"], (error**2).mean())
        assert np.isclose(naive["rmse"], np.sqrt((error**2).mean()))
        assert np.isclose(naive["mape"], (error.abs() / actual).mean() * 100)
        assert np.isclose(naive["mase"], 1.0)
        assert np.isclose(naive["directional_accuracy"], (error >= 0).mean())
    assert document["n_eval_days"] == EVAL_DAYS
    assert document["eval_start"] == str(sample_frame["date"].iloc[-EVAL_DAYS])
    assert document["eval_end"] == str(sample_frame["date"].iloc[-1])


def test_every_evaluation_day_is_a_target_for_each_horizon() -> None:
    closes = np.linspace(10, 20, 200)
    forecasts = walk_forward(naive_forecast, closes, 150, 20)
    for h, f in forecasts.items():
        np.testing.assert_array_equal(f.target_index, np.arange(150, 200))
        np.testing.assert_array_equal(f.last, closes[np.arange(150, 200) - h])


def test_a_perfect_forecast_scores_zero_error_and_full_coverage() -> None:
    closes = 100 * np.exp(np.cumsum(np.random.default_rng(3).normal(0, 0.01, 100)))
    forecasts = walk_forward(naive_forecast, closes, 80, 10)
    f = forecasts[1]
    perfect = type(f)(1, f.target_index, f.last, f.actual, f.actual, f.actual, f.actual)
    metrics = horizon_metrics(perfect)
    assert metrics["lstm"]["mae"] == 0 and metrics["lstm"]["mase"] == 0
    assert metrics["lstm"]["directional_accuracy"] == 1.0
    assert metrics["coverage"] == 1.0
