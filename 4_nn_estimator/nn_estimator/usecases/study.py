"""A small hyper-parameter study: one MLflow experiment `lstm-<TICKER>-study`, one run per
configuration. Configurations are ranked by VALIDATION relative MAE (h1: MAE / the naive
forecast's MAE on the same validation days; not Hyndman's MASE, whose training-slice scale would
differ between training starts); the holdout numbers are reported beside them but never used to
choose, so the README's holdout table stays honest.
Every MLflow call goes through adapters/tracking.py; nothing is registered."""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Engine

from nn_estimator.adapters import tracking
from nn_estimator.adapters.prices import load_closes
from nn_estimator.config import TrainConfig
from nn_estimator.domain.evaluation import horizon_metrics, walk_forward
from nn_estimator.domain.fitting import FitResult, fit
from nn_estimator.domain.series import CloseSeries
from nn_estimator.domain.windowing import Split, chronological_split
from nn_estimator.usecases.scoring import eager_forecast

log = logging.getLogger(__name__)

TRADING_DAYS_PER_YEAR = 252
# Where training starts: all history, or the last 20 / 15 / 10 years before the validation slice.
# The sample's 1986-90 closes are heavily quantised (47% of daily returns exactly zero) and
# inflate the normaliser's std; a later start may serve the model better. None = all.
TRAINING_STARTS: tuple[dict[str, Any], ...] = tuple(
    {"max_train_days": None if years is None else years * TRADING_DAYS_PER_YEAR}
    for years in (None, 20, 15, 10)
)

# Small enough for a few minutes on 2 cores: one axis at a time around a base configuration.
# A configuration equal to one already run (e.g. the base's own training start) runs once.
STUDY_GRID: tuple[dict[str, Any], ...] = (
    {},
    *TRAINING_STARTS,
    {"input_length": 60},
    {"input_length": 120},
    {"hidden_size": 64},
    {"num_layers": 2, "dropout": 0.0},
    {"num_layers": 2, "dropout": 0.2},
    {"learning_rate": 3e-3},
    {"learning_rate": 3e-4},
)


@dataclass(frozen=True)
class StudyRow:
    config: TrainConfig
    train_start: str  # first day of the training slice
    val_rel_mae_h1: float  # the ranking key
    eval_rel_mae_h1: float
    eval_rel_mae_h5: float
    eval_coverage_h1: float
    eval_coverage_h5: float
    epochs: int
    seconds: float
    run_id: str

    def as_metrics(self) -> dict[str, float]:
        """The run's MLflow metrics."""
        return {
            "val_h1_rel_mae": self.val_rel_mae_h1,
            "h1_lstm_rel_mae": self.eval_rel_mae_h1,
            "h5_lstm_rel_mae": self.eval_rel_mae_h5,
            "h1_coverage": self.eval_coverage_h1,
            "h5_coverage": self.eval_coverage_h5,
            "seconds": self.seconds,
        }


def run_study(
    ticker: str,
    engine: Engine,
    tracking_uri: str,
    base: TrainConfig | None = None,
    grid: tuple[dict[str, Any], ...] = STUDY_GRID,
    on_config: Callable[[int, int, TrainConfig], None] | None = None,
) -> list[StudyRow]:
    base = base or TrainConfig()
    ticker = ticker.upper()
    tracking.check_reachable(tracking_uri)
    series = load_closes(engine, ticker)
    experiment_id = tracking.ensure_experiment(f"lstm-{ticker}-study", tracking_uri)
    configs = distinct_configs(base, grid)
    rows: list[StudyRow] = []
    for number, (label, config) in enumerate(configs, start=1):
        if on_config is not None:
            on_config(number, len(configs), config)
        split = chronological_split(ticker, len(series), config)
        started = time.perf_counter()
        with tracking.start_run(experiment_id, label) as run_id:
            tracking.log_params(config.as_params())
            result = fit(series.closes, split, config)
            tracking.log_epoch_losses(result.train_losses, result.val_losses)
            row = score(result, series, split, config, run_id, started)
            tracking.log_metrics(row.as_metrics())
        rows.append(row)
        log.info("study %s: validation relative MAE %.4f", label, row.val_rel_mae_h1)
    return sorted(rows, key=lambda r: r.val_rel_mae_h1)


def distinct_configs(
    base: TrainConfig, grid: tuple[dict[str, Any], ...]
) -> list[tuple[str, TrainConfig]]:
    """(run label, config) per grid entry applied to `base`, each distinct config once. The
    entries replace fields outright, so `{"max_train_days": None}` means all history."""
    configs: list[tuple[str, TrainConfig]] = []
    for overrides in grid:
        config = replace(base, **overrides)
        if all(config != seen for _, seen in configs):
            label = ",".join(f"{k}={v}" for k, v in overrides.items()) or "base"
            configs.append((label, config))
    return configs


def score(
    result: FitResult,
    series: CloseSeries,
    split: Split,
    config: TrainConfig,
    run_id: str,
    started: float,
) -> StudyRow:
    """Validation relative MAE (h1: the ranking key) and the holdout numbers beside it."""
    forecast = eager_forecast(result.model)
    validation = walk_forward(
        forecast, series.closes, split.val_start, config.input_length, (1,), split.eval_start
    )
    holdout = walk_forward(forecast, series.closes, split.eval_start, config.input_length)
    val_h1 = horizon_metrics(validation[1])
    h1, h5 = horizon_metrics(holdout[1]), horizon_metrics(holdout[5])
    return StudyRow(
        config=config,
        train_start=series.date_at(split.train_start),
        val_rel_mae_h1=val_h1["lstm"]["rel_mae"],
        eval_rel_mae_h1=h1["lstm"]["rel_mae"],
        eval_rel_mae_h5=h5["lstm"]["rel_mae"],
        eval_coverage_h1=h1["coverage"],
        eval_coverage_h5=h5["coverage"],
        epochs=len(result.train_losses),
        seconds=time.perf_counter() - started,
        run_id=run_id,
    )
