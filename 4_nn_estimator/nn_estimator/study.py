"""A small hyper-parameter study: one MLflow experiment `lstm-<TICKER>-study`, one run per
configuration. Configurations are ranked by VALIDATION MASE (h1); the holdout numbers are
reported beside them but never used to choose, so the README's holdout table stays honest."""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import mlflow
from sqlalchemy import Engine

from nn_estimator import tracking
from nn_estimator.config import TrainConfig
from nn_estimator.data import load_closes
from nn_estimator.evaluation import horizon_metrics, walk_forward
from nn_estimator.fitting import fit
from nn_estimator.training import eager_forecast
from nn_estimator.windowing import chronological_split

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
        with mlflow.start_run(experiment_id=experiment_id, run_name=label) as run:
            mlflow.log_params(config.as_params())
            result = fit(series.closes, split, config)
            tracking.log_epoch_losses(result.train_losses, result.val_losses)
            forecast = eager_forecast(result.model)
            validation = walk_forward(
                forecast,
                series.closes,
                split.val_start,
                config.input_length,
                (1,),
                eval_end=split.eval_start,
            )
            holdout = walk_forward(forecast, series.closes, split.eval_start, config.input_length)
            val_block = horizon_metrics(validation[1])
            h1, h5 = horizon_metrics(holdout[1]), horizon_metrics(holdout[5])
            row = StudyRow(
                config=config,
                val_mase_h1=val_block["lstm"]["mase"],
                eval_mase_h1=h1["lstm"]["mase"],
                eval_mase_h5=h5["lstm"]["mase"],
                eval_coverage_h1=h1["coverage"],
                epochs=len(result.train_losses),
                seconds=time.perf_counter() - started,
                run_id=run.info.run_id,
            )
            mlflow.log_metrics(
                {
                    "val_h1_mase": row.val_mase_h1,
                    "h1_lstm_mase": row.eval_mase_h1,
                    "h5_lstm_mase": row.eval_mase_h5,
                    "h1_coverage": row.eval_coverage_h1,
                    "seconds": row.seconds,
                }
            )
        rows.append(row)
        log.info("study %s: val MASE %.4f", label, row.val_mase_h1)
    return sorted(rows, key=lambda r: r.val_mase_h1)
