"""Chronological splits and supervised windows, written so that look-ahead is impossible:
a window ending at day t only holds closes[t-L+1 .. t], its targets are the returns of days
t+1 .. t+H, and a split only keeps windows whose targets all fall inside it."""

from dataclasses import dataclass

import numpy as np

from nn_estimator.config import TrainConfig
from nn_estimator.errors import TooFewRowsError

MIN_TRAIN_WINDOWS = 20


@dataclass(frozen=True)
class Split:
    """Index ranges into the close series, end-exclusive: train | validation | evaluation."""

    train_start: int
    val_start: int
    eval_start: int
    end: int

    @property
    def train_end(self) -> int:
        """Last index the model may learn from (train + validation), inclusive."""
        return self.eval_start - 1


def chronological_split(ticker: str, n_rows: int, config: TrainConfig) -> Split:
    eval_start = n_rows - config.eval_days
    val_start = eval_start - config.val_days
    needed = (
        config.input_length
        + config.max_horizon
        + MIN_TRAIN_WINDOWS
        + config.val_days
        + config.eval_days
    )
    if n_rows < config.input_length + 1:
        raise TooFewRowsError(
            ticker, n_rows, needed, f"not even one window of {config.input_length} closes"
        )
    if n_rows < needed:
        raise TooFewRowsError(
            ticker,
            n_rows,
            needed,
            f"window {config.input_length} + horizon {config.max_horizon} + "
            f"{MIN_TRAIN_WINDOWS} training windows + {config.val_days} validation + "
            f"{config.eval_days} evaluation days",
        )
    train_start = 0
    if config.max_train_days is not None:
        train_start = max(0, val_start - config.max_train_days)
    return Split(train_start=train_start, val_start=val_start, eval_start=eval_start, end=n_rows)


def window_origins(
    first_target: int, last_target: int, input_length: int, horizon: int
) -> np.ndarray:
    """Indices t of the last close of each window whose targets t+1..t+horizon all lie in
    [first_target, last_target] and whose input has input_length closes."""
    lowest = max(first_target - 1, input_length - 1)
    highest = last_target - horizon
    return np.arange(lowest, highest + 1, dtype=np.int64)


def input_windows(closes: np.ndarray, origins: np.ndarray, input_length: int) -> np.ndarray:
    """(N, L) closes; row i ends at origins[i] inclusive."""
    offsets = np.arange(-input_length + 1, 1)
    return closes[origins[:, None] + offsets[None, :]]


def target_returns(closes: np.ndarray, origins: np.ndarray, horizon: int) -> np.ndarray:
    """(N, H) daily log returns of days t+1..t+H after each origin t."""
    steps = np.arange(1, horizon + 1)
    after = closes[origins[:, None] + steps[None, :]]
    before = closes[origins[:, None] + steps[None, :] - 1]
    return np.log(after / before)


def training_return_stats(closes: np.ndarray, split: Split) -> tuple[float, float]:
    """Mean and std of the daily log returns inside the training slice only."""
    segment = closes[split.train_start : split.val_start]
    returns = np.log(segment[1:] / segment[:-1])
    return float(returns.mean()), float(returns.std())
