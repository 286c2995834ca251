"""Walk-forward evaluation: aligned days, the naive numbers checked from the raw closes, the
drift baseline and Hyndman's scale from the training slice, and direction as a table of cases."""

import math

import numpy as np
import pandas as pd
import pytest

from nn_estimator.domain.evaluation import (
    direction_score,
    drift_forecast,
    flat_metrics,
    horizon_metrics,
    metrics_document,
    training_reference,
    walk_forward,
)

EVAL_DAYS = 250


def naive_forecast(windows: np.ndarray) -> np.ndarray:
    last = np.repeat(windows[:, -1:, None], 5, axis=1)
    return np.concatenate([last * 0.99, last, last * 1.01], axis=2)


def test_naive_numbers_match_an_independent_computation(sample_frame: pd.DataFrame) -> None:
    closes = sample_frame["close"].to_numpy(dtype=np.float64)
    dates = sample_frame["date"].to_numpy().astype("datetime64[D]")
    eval_start = len(closes) - EVAL_DAYS
    forecasts = walk_forward(naive_forecast, closes, eval_start, 60)
    reference = training_reference(closes, dates, 0, eval_start - 250)
    document = metrics_document(forecasts, dates, 60, 5, reference)

    # Independently: the naive h-step error on the last 250 days is close[t] - close[t-h].
    series = pd.Series(closes)
    scale = series.iloc[: eval_start - 250].diff().abs().mean()
    for h in (1, 5):
        error = (series - series.shift(h)).iloc[-EVAL_DAYS:]
        actual = series.iloc[-EVAL_DAYS:]
        naive = document["horizons"][str(h)]["naive"]
        assert np.isclose(naive["mae"], error.abs().mean())
        assert np.isclose(naive["mse"], (error**2).mean())
        assert np.isclose(naive["rmse"], np.sqrt((error**2).mean()))
        assert np.isclose(naive["mape"], (error.abs() / actual).mean() * 100)
        assert naive["rel_mae"] == 1.0
        assert np.isclose(naive["mase"], error.abs().mean() / scale)
        moved = error != 0
        # A flat forecast counts as "up": naive scores the base rate on the days that moved.
        assert naive["direction_n"] == moved.sum()
        assert np.isclose(naive["direction_accuracy"], (error[moved] > 0).mean())
        assert naive["direction_always_up"] == naive["direction_accuracy"]
        assert naive["direction_pt_p_value"] is None  # it never says "down"
    assert document["n_eval_days"] == EVAL_DAYS
    assert document["eval_start"] == str(sample_frame["date"].iloc[-EVAL_DAYS])
    assert document["eval_end"] == str(sample_frame["date"].iloc[-1])
    assert document["mase_scale"]["value"] == pytest.approx(scale)
    assert document["mase_scale"]["n"] == eval_start - 250 - 1
    assert document["mase_scale"]["start"] == str(sample_frame["date"].iloc[0])


def test_training_reference_and_drift_by_hand() -> None:
    closes = np.array([1.0, 2.0, 4.0, 3.0, 9.0])
    dates = np.arange(5).astype("datetime64[D]")
    reference = training_reference(closes, dates, 0, 4)  # the last close is not training
    assert reference.mase_scale == pytest.approx((1 + 2 + 1) / 3)
    assert reference.mean_log_return == pytest.approx(math.log(3.0) / 3)
    assert (reference.start, reference.end, reference.n) == ("1970-01-01", "1970-01-04", 3)
    forecasts = walk_forward(naive_forecast, np.linspace(10, 20, 40), 30, 5)
    f = forecasts[5]
    np.testing.assert_allclose(drift_forecast(f, 0.01), f.last * math.exp(5 * 0.01))


def test_every_evaluation_day_is_a_target_for_each_horizon() -> None:
    closes = np.linspace(10, 20, 200)
    forecasts = walk_forward(naive_forecast, closes, 150, 20)
    for h, f in forecasts.items():
        np.testing.assert_array_equal(f.target_index, np.arange(150, 200))
        np.testing.assert_array_equal(f.last, closes[np.arange(150, 200) - h])


def test_a_perfect_forecast_scores_zero_error_full_coverage_and_beats_both_baselines() -> None:
    closes = 100 * np.exp(np.cumsum(np.random.default_rng(3).normal(0, 0.01, 100)))
    dates = np.arange(100).astype("datetime64[D]")
    forecasts = walk_forward(naive_forecast, closes, 80, 10)
    f = forecasts[1]
    perfect = type(f)(1, f.target_index, f.last, f.actual, f.actual, f.actual, f.actual)
    metrics = horizon_metrics(perfect, reference=training_reference(closes, dates, 0, 60))
    lstm = metrics["lstm"]
    assert lstm["mae"] == 0 and lstm["rel_mae"] == 0 and lstm["mase"] == 0
    assert lstm["direction_accuracy"] == 1.0 and lstm["direction_pt_p_value"] < 1e-3
    assert metrics["coverage"] == 1.0
    assert lstm["dm_vs_naive_p_better"] < 1e-6 and lstm["dm_vs_drift_p_better"] < 1e-6
    assert set(metrics) >= {"lstm", "naive", "drift", "coverage"}
    assert metrics["drift"]["dm_vs_naive_p_better"] is not None
    # Each model's block is flat: one number (or null) per name.
    assert all(
        not isinstance(v, dict)
        for block in ("lstm", "naive", "drift")
        for v in metrics[block].values()
    )


def test_without_a_training_reference_there_is_no_drift_and_no_mase() -> None:
    forecasts = walk_forward(naive_forecast, np.linspace(10, 20, 100), 80, 10)
    metrics = horizon_metrics(forecasts[1])
    assert "drift" not in metrics and metrics["lstm"]["mase"] is None
    assert metrics["lstm"]["rel_mae"] == 1.0 and "dm_vs_drift_p_better" not in metrics["lstm"]


UP, DOWN = 11.0, 9.0
DIRECTION_CASES = [
    # (predicted, actual, last = 10 each day) -> accuracy, moved days, always-up rate
    ("flat forecast = up", [10, 10, 10, 10], [UP, DOWN, 10, UP], 2 / 3, 3, 2 / 3),
    ("perfect", [UP, DOWN, 10, UP], [UP, DOWN, 10, UP], 1.0, 3, 2 / 3),
    ("always down", [DOWN] * 4, [UP, DOWN, 10, UP], 1 / 3, 3, 2 / 3),
    ("unchanged days excluded", [DOWN, UP, UP], [10, 10, UP], 1.0, 1, 1.0),
    ("no day moved", [UP, DOWN], [10, 10], None, 0, None),
]


@pytest.mark.parametrize(
    ("predicted", "actual", "accuracy", "n", "always_up"),
    [case[1:] for case in DIRECTION_CASES],
    ids=[case[0] for case in DIRECTION_CASES],
)
def test_direction_is_scored_on_days_that_moved(
    predicted: list[float],
    actual: list[float],
    accuracy: float | None,
    n: int,
    always_up: float | None,
) -> None:
    last = np.full(len(actual), 10.0)
    score = direction_score(np.array(predicted), np.array(actual), last)
    assert score["n"] == n
    assert score["accuracy"] == (pytest.approx(accuracy) if accuracy is not None else None)
    assert score["always_up"] == (pytest.approx(always_up) if always_up is not None else None)


def test_flat_metrics_names_every_number_and_skips_the_missing() -> None:
    closes = 100 * np.exp(np.cumsum(np.random.default_rng(5).normal(0, 0.01, 300)))
    dates = np.arange(300).astype("datetime64[D]")
    forecasts = walk_forward(naive_forecast, closes, 250, 20)
    document = metrics_document(forecasts, dates, 20, 5, training_reference(closes, dates, 0, 200))
    flat = flat_metrics(document)
    for name in (
        "h1_lstm_rel_mae",
        "h1_lstm_mase",
        "h5_drift_mae",
        "h1_lstm_direction_accuracy",
        "h1_lstm_direction_always_up",
        "h1_lstm_dm_vs_naive_p_better",
        "h5_lstm_dm_vs_drift_p_better",
        "h1_drift_dm_vs_naive_p_worse",
        "h1_coverage",
        "mase_scale",
    ):
        assert name in flat, name
    assert "h1_naive_direction_pt_p_value" not in flat  # None: naive never says "down"
    assert all(isinstance(v, float) and math.isfinite(v) for v in flat.values())
