"""A small hyper-parameter study: one MLflow experiment `lstm-<TICKER>-study`, one run per
configuration. Configurations are ranked by VALIDATION MASE (h1); the holdout numbers are
reported beside them but never used to choose, so the README's holdout table stays honest.
Every MLflow call goes through adapters/tracking.py; nothing is registered."""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
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

# Small enough for a few minutes on 2 cores: one axis at a time around a base configuration.
STUDY_GRID: tuple[dict[str, Any], ...] = (
    {},
    {"input_length": 20},
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
    val_mase_h1: float
    eval_mase_h1: float
    eval_mase_h5: float
    eval_coverage_h1: float
    epochs: int
    seconds: float
    run_id: str

    def as_metrics(self) -> dict[str, float]:
        """The run's MLflow metrics."""
        return {
            "val_h1_mase": self.val_mase_h1,
            "h1_lstm_mase": self.eval_mase_h1,
            "h5_lstm_mase": self.eval_mase_h5,
            "h1_coverage": self.eval_coverage_h1,
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
    rows: list[StudyRow] = []
    for number, overrides in enumerate(grid, start=1):
        config = base.with_overrides(**overrides)
        if on_config is not None:
            on_config(number, len(grid), config)
        split = chronological_split(ticker, len(series), config)
        started = time.perf_counter()
        label = ",".join(f"{k}={v}" for k, v in overrides.items()) or "base"
        with tracking.start_run(experiment_id, label) as run_id:
            tracking.log_params(config.as_params())
            result = fit(series.closes, split, config)
            tracking.log_epoch_losses(result.train_losses, result.val_losses)
            row = score(result, series, split, config, run_id, started)
            tracking.log_metrics(row.as_metrics())
        rows.append(row)
        log.info("study %s: val MASE %.4f", label, row.val_mase_h1)
    return sorted(rows, key=lambda r: r.val_mase_h1)


def score(
    result: FitResult,
    series: CloseSeries,
    split: Split,
    config: TrainConfig,
    run_id: str,
    started: float,
) -> StudyRow:
    """Validation MASE (h1: the ranking key) and the holdout numbers reported beside it."""
    forecast = eager_forecast(result.model)
    validation = walk_forward(
        forecast, series.closes, split.val_start, config.input_length, (1,), split.eval_start
    )
    holdout = walk_forward(forecast, series.closes, split.eval_start, config.input_length)
    val_h1 = horizon_metrics(validation[1])
    h1, h5 = horizon_metrics(holdout[1]), horizon_metrics(holdout[5])
    return StudyRow(
        config=config,
        val_mase_h1=val_h1["lstm"]["mase"],
        eval_mase_h1=h1["lstm"]["mase"],
        eval_mase_h5=h5["lstm"]["mase"],
        eval_coverage_h1=h1["coverage"],
        epochs=len(result.train_losses),
        seconds=time.perf_counter() - started,
        run_id=run_id,
    )
