"""Windowing and splits: no window ever contains its target day, and nothing after the
training slice shapes the model's inputs."""

import numpy as np
import pytest

from nn_estimator.config import TrainConfig
from nn_estimator.domain.evaluation import walk_forward
from nn_estimator.domain.windowing import (
    chronological_split,
    input_windows,
    target_returns,
    training_return_stats,
    window_origins,
)
from nn_estimator.errors import TooFewRowsError

CONFIG = TrainConfig(input_length=10, max_horizon=5, eval_days=30, val_days=30)


def test_a_window_never_contains_its_target_days() -> None:
    n = 200
    days = np.arange(n, dtype=np.float64) + 1.0  # close i identifies day i
    origins = window_origins(11, n - 1, CONFIG.input_length, CONFIG.max_horizon)
    windows = input_windows(days, origins, CONFIG.input_length)
    for origin, window in zip(origins, windows, strict=True):
        assert window[-1] == origin + 1  # the window ends at its origin day...
        assert window.max() < origin + 2  # ...and holds nothing after it
        targets = origin + np.arange(1, CONFIG.max_horizon + 1)
        assert not set(window - 1).intersection(targets)


def test_targets_are_the_returns_after_the_origin() -> None:
    closes = np.exp(np.arange(50) * 0.01 + np.sin(np.arange(50)))
    origins = np.array([20, 30])
    returns = target_returns(closes, origins, 3)
    for row, t in zip(returns, origins, strict=True):
        expected = [np.log(closes[t + k] / closes[t + k - 1]) for k in (1, 2, 3)]
        np.testing.assert_allclose(row, expected)


def test_split_slices_are_chronological_and_targets_stay_inside() -> None:
    split = chronological_split("T", 300, CONFIG)
    assert split.train_start < split.val_start < split.eval_start < split.end == 300
    assert split.end - split.eval_start == CONFIG.eval_days
    train = window_origins(split.train_start + 10, split.val_start - 1, 10, 5)
    assert (train + 5).max() <= split.val_start - 1
    val = window_origins(split.val_start, split.eval_start - 1, 10, 5)
    assert (val + 1).min() >= split.val_start
    assert (val + 5).max() <= split.eval_start - 1


def test_normaliser_ignores_everything_after_the_training_slice() -> None:
    rng = np.random.default_rng(0)
    closes = 100 * np.exp(np.cumsum(rng.normal(0, 0.01, 300)))
    split = chronological_split("T", 300, CONFIG)
    changed = closes.copy()
    changed[split.val_start :] *= rng.uniform(0.5, 2.0, 300 - split.val_start)
    assert training_return_stats(closes, split) == training_return_stats(changed, split)


def test_walk_forward_forecasts_do_not_depend_on_future_closes() -> None:
    rng = np.random.default_rng(1)
    closes = 50 * np.exp(np.cumsum(rng.normal(0, 0.01, 120)))

    def forecast(windows: np.ndarray) -> np.ndarray:  # any function of the window only
        point = windows.mean(axis=1, keepdims=True) + windows[:, -1:] * 0.1
        steps = np.repeat(point[:, :, None], 5, axis=1)
        return np.concatenate([steps - 1, steps, steps + 1], axis=2)

    base = walk_forward(forecast, closes, 100, 10)[1]
    cut = 110
    future_changed = closes.copy()
    future_changed[cut:] *= 3.0
    other = walk_forward(forecast, future_changed, 100, 10)[1]
    before = base.target_index <= cut  # forecast made at origin <= cut - 1
    np.testing.assert_array_equal(base.point[before], other.point[before])


@pytest.mark.parametrize(
    ("rows", "fragment"),
    [(5, "not even one window"), (90, "validation")],
)
def test_too_few_rows_is_a_clear_error(rows: int, fragment: str) -> None:
    with pytest.raises(TooFewRowsError, match=fragment) as caught:
        chronological_split("T", rows, CONFIG)
    assert "'T' has" in str(caught.value)
