"""The training loop: seeded, deterministic, early-stopped on validation loss, then the band
is calibrated (split-conformal, volatility-scaled) on validation residuals. Pure torch/numpy;
no MLflow, no database."""

import copy
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import torch
from torch import nn

from nn_estimator.config import TrainConfig
from nn_estimator.domain import band
from nn_estimator.domain.model import LSTMForecaster
from nn_estimator.domain.windowing import (
    Split,
    input_windows,
    target_returns,
    training_return_stats,
    window_origins,
)

log = logging.getLogger(__name__)

EpochCallback = Callable[[int, int, float, float], None]  # epoch, total, train, validation


def make_deterministic(seed: int) -> None:
    """Same data + seed -> same weights -> same metrics (tested)."""
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True, warn_only=True)


@dataclass
class FitResult:
    model: LSTMForecaster
    train_losses: list[float] = field(default_factory=list)
    val_losses: list[float] = field(default_factory=list)
    best_epoch: int = 0
    n_train_windows: int = 0
    n_val_windows: int = 0


def build_model(config: TrainConfig) -> LSTMForecaster:
    return LSTMForecaster(
        input_length=config.input_length,
        max_horizon=config.max_horizon,
        hidden_size=config.hidden_size,
        num_layers=config.num_layers,
        dropout=config.dropout,
    )


def _tensors(
    closes: np.ndarray, origins: np.ndarray, config: TrainConfig, model: LSTMForecaster
) -> tuple[torch.Tensor, torch.Tensor]:
    x = input_windows(closes, origins, config.input_length)
    y = target_returns(closes, origins, config.max_horizon)
    mean, std = float(model.return_mean), float(model.return_std)
    return (
        torch.from_numpy(x.astype(np.float32)),
        torch.from_numpy(((y - mean) / std).astype(np.float32)),
    )


def fit(
    closes: np.ndarray,
    split: Split,
    config: TrainConfig,
    warm_start: LSTMForecaster | None = None,
    on_epoch: EpochCallback | None = None,
) -> FitResult:
    """Train on the training slice, early-stop and calibrate the band on the validation slice.

    With `warm_start` (fine-tune) the champion's weights and normaliser are kept, only the
    newest `fine_tune_days` of the training slice are used, for `fine_tune_epochs` epochs."""
    make_deterministic(config.seed)
    L, H = config.input_length, config.max_horizon
    if warm_start is None:
        model = build_model(config)
        model.set_normaliser(*training_return_stats(closes, split))
        first_train_target = split.train_start + L
        epochs, lr = config.max_epochs, config.learning_rate
    else:
        model = copy.deepcopy(warm_start)
        first_train_target = max(split.train_start + L, split.val_start - config.fine_tune_days)
        epochs = config.fine_tune_epochs
        lr = config.learning_rate * config.fine_tune_lr_factor

    train_origins = window_origins(first_train_target, split.val_start - 1, L, H)
    val_origins = window_origins(split.val_start, split.eval_start - 1, L, H)
    x_train, y_train = _tensors(closes, train_origins, config, model)
    x_val, y_val = _tensors(closes, val_origins, config, model)

    optimiser = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = nn.MSELoss()
    generator = torch.Generator().manual_seed(config.seed)
    result = FitResult(model=model, n_train_windows=len(x_train), n_val_windows=len(x_val))
    best_state, best_val, stale = copy.deepcopy(model.state_dict()), float("inf"), 0

    for epoch in range(1, epochs + 1):
        model.train()
        order = torch.randperm(len(x_train), generator=generator)
        total = 0.0
        for start in range(0, len(order), config.batch_size):
            batch = order[start : start + config.batch_size]
            optimiser.zero_grad()
            loss = loss_fn(model.normalised_returns(x_train[batch]), y_train[batch])
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimiser.step()
            total += loss.item() * len(batch)
        train_loss = total / len(order)
        val_loss = _loss(model, x_val, y_val)
        result.train_losses.append(train_loss)
        result.val_losses.append(val_loss)
        if on_epoch is not None:
            on_epoch(epoch, epochs, train_loss, val_loss)
        log.debug("epoch %d train %.5f val %.5f", epoch, train_loss, val_loss)
        if val_loss < best_val - 1e-6:
            best_val, best_state, stale, result.best_epoch = (
                val_loss,
                copy.deepcopy(model.state_dict()),
                0,
                epoch,
            )
        else:
            stale += 1
            if warm_start is None and stale >= config.patience:
                break

    model.load_state_dict(best_state)
    model.eval()
    calibrate_band(model, x_val, closes, val_origins, config)
    return result


def _loss(model: LSTMForecaster, x: torch.Tensor, y: torch.Tensor) -> float:
    model.eval()
    with torch.no_grad():
        return float(nn.functional.mse_loss(model.normalised_returns(x), y))


def calibrate_band(
    model: LSTMForecaster,
    x_val: torch.Tensor,
    closes: np.ndarray,
    val_origins: np.ndarray,
    config: TrainConfig,
) -> None:
    """Split-conformal band on the validation windows: per step k, the quantile of
    |actual - predicted cumulative log return| / (window sigma * sqrt(k)) (domain/band.py)."""
    with torch.no_grad():
        predicted = model.cumulative_log_returns(x_val).numpy().astype(np.float64)
        scale = model.band_scale(x_val).numpy().astype(np.float64)
    actual = np.cumsum(target_returns(closes, val_origins, config.max_horizon), axis=1)
    lower, upper = band.calibrate((actual - predicted) / scale, config.interval)
    model.set_band(
        torch.from_numpy(lower.astype(np.float32)), torch.from_numpy(upper.astype(np.float32))
    )
