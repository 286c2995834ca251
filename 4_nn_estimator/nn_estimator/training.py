"""The training pipeline: load closes, fit (or fine-tune the champion), evaluate walk-forward
against the naive forecast, log and register in MLflow, then let the gate decide.

The alias and the `models` table only change in the last step, inside one database
transaction, so any failure before it leaves the current champion untouched."""

import logging
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import mlflow
import numpy as np
import torch
from sqlalchemy import Engine

from nn_estimator import plots, tracking
from nn_estimator.artifact import TORCHSCRIPT_DIR, ScriptedForecaster, export_torchscript
from nn_estimator.config import TrainConfig
from nn_estimator.data import CloseSeries, load_closes
from nn_estimator.errors import NoChampionError
from nn_estimator.evaluation import (
    Forecast,
    HorizonForecasts,
    flat_metrics,
    mase,
    metrics_document,
    walk_forward,
)
from nn_estimator.fitting import EpochCallback, build_model, fit
from nn_estimator.gate import ChampionComparison, GateDecision, GateFacts, decide_promotion
from nn_estimator.model import LSTMForecaster
from nn_estimator.models_table import record_version
from nn_estimator.registry import ChampionRef, champion, download_torchscript, model_name
from nn_estimator.windowing import chronological_split

log = logging.getLogger(__name__)


@dataclass
class TrainingOutcome:
    ticker: str
    model_name: str
    version: int
    run_id: str
    promoted: bool
    reasons: tuple[str, ...]
    metrics: dict[str, Any]
    config: TrainConfig
    fine_tune: bool
    seconds: float
    epochs_run: int
    previous_champion: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def eager_forecast(model: LSTMForecaster) -> Forecast:
    def forecast(windows: np.ndarray) -> np.ndarray:
        model.eval()
        with torch.no_grad():
            return model(torch.from_numpy(windows.astype(np.float32))).numpy().astype(np.float64)

    return forecast


def compare_with_champion(
    current: ChampionRef,
    champion_model: ScriptedForecaster,
    candidate_h1: HorizonForecasts,
    series: CloseSeries,
    eval_start: int,
) -> ChampionComparison:
    """Score both on the candidate's evaluation days that the champion did not train on."""
    champion_end = np.datetime64(champion_model.meta["train_end"], "D")
    unseen = series.dates[candidate_h1.target_index] > champion_end
    champion_h1 = walk_forward(
        champion_model.forecast, series.closes, eval_start, champion_model.input_length, (1,)
    )[1]
    n_days = int(unseen.sum())
    if n_days == 0:
        return ChampionComparison(current.version, float("nan"), float("nan"), 0, False)
    return ChampionComparison(
        champion_version=current.version,
        candidate_mase=mase(candidate_h1.subset(unseen)),
        champion_mase=mase(champion_h1.subset(unseen)),
        n_days=n_days,
        all_eval_days=bool(unseen.all()),
        first_day=str(series.dates[candidate_h1.target_index[unseen][0]]),
    )


def train_and_register(
    ticker: str,
    engine: Engine,
    tracking_uri: str,
    config: TrainConfig | None = None,
    fine_tune: bool = False,
    on_epoch: EpochCallback | None = None,
) -> TrainingOutcome:
    """Train (or fine-tune) a model for `ticker`, register it as `lstm-<TICKER>` and promote
    it to alias `champion` only if the gate says so. Raises ForecasterError subclasses for
    an unknown ticker, too few rows, an unreachable tracking store or a missing champion."""
    started = time.perf_counter()
    ticker = ticker.upper()
    config = config or TrainConfig()
    tracking.check_reachable(tracking_uri)
    series = load_closes(engine, ticker)
    name = model_name(ticker)
    current = champion(ticker, tracking_uri)
    if fine_tune and current is None:
        raise NoChampionError(ticker)

    with tempfile.TemporaryDirectory(prefix="nn_estimator-") as scratch:
        work = Path(scratch)
        champion_model = (
            ScriptedForecaster.load(download_torchscript(current, tracking_uri, work / "champion"))
            if current is not None
            else None
        )
        warm_start = None
        train_start_date = None
        if fine_tune and current is not None and champion_model is not None:
            # Architecture and normaliser come from the champion; the caller's config only
            # chooses the fine-tune schedule.
            stored = tracking.champion_config(current.run_id, tracking_uri)
            config = stored.with_overrides(
                fine_tune_epochs=config.fine_tune_epochs,
                fine_tune_days=config.fine_tune_days,
                fine_tune_lr_factor=config.fine_tune_lr_factor,
                eval_days=config.eval_days,
                val_days=config.val_days,
                gate_margin=config.gate_margin,
                seed=config.seed,
            )
            warm_start = build_model(config)
            warm_start.load_state_dict(champion_model.module.state_dict())
            train_start_date = date.fromisoformat(champion_model.meta["train_start"])

        split = chronological_split(ticker, len(series), config)
        experiment_id = tracking.ensure_experiment(name, tracking_uri)
        run_name = f"{'fine-tune' if fine_tune else 'train'}-{series.date_at(-1)}"
        with mlflow.start_run(experiment_id=experiment_id, run_name=run_name) as run:
            run_id = run.info.run_id
            mlflow.log_params(config.as_params())
            mlflow.log_params(
                {
                    "ticker": ticker,
                    "fine_tune": fine_tune,
                    "warm_start_version": (
                        current.version if warm_start is not None and current else "none"
                    ),
                    "n_rows": len(series),
                    "data_start": series.date_at(0),
                    "data_end": series.date_at(-1),
                }
            )
            result = fit(series.closes, split, config, warm_start=warm_start, on_epoch=on_epoch)
            model = result.model
            tracking.log_epoch_losses(result.train_losses, result.val_losses)

            forecasts = walk_forward(
                eager_forecast(model), series.closes, split.eval_start, config.input_length
            )
            document = metrics_document(
                forecasts, series.dates, config.input_length, config.max_horizon
            )
            mlflow.log_metrics(flat_metrics(document))
            mlflow.log_metrics(
                {"best_epoch": result.best_epoch, "n_train_windows": result.n_train_windows}
            )
            mlflow.log_dict(document, "evaluation/metrics.json")
            mlflow.log_artifact(
                str(plots.loss_curve(result.train_losses, result.val_losses, work / "loss.png")),
                "plots",
            )
            for h, f in forecasts.items():
                png = work / f"forecast_vs_actual_h{h}.png"
                mlflow.log_artifact(
                    str(plots.forecast_vs_actual(f, series.dates, ticker, png)), "plots"
                )

            trained_at = datetime.now(UTC)
            train_start = train_start_date or date.fromisoformat(series.date_at(split.train_start))
            train_end = date.fromisoformat(series.date_at(split.train_end))
            meta = {
                "ticker": ticker,
                "input_length": config.input_length,
                "max_horizon": config.max_horizon,
                "interval": config.interval,
                "trained_at": trained_at.isoformat(),
                "train_start": train_start.isoformat(),
                "train_end": train_end.isoformat(),
                "model_name": name,
                "run_id": run_id,
            }
            scripted = export_torchscript(model, meta, work / TORCHSCRIPT_DIR / "model.pt")
            mlflow.log_artifact(str(scripted), TORCHSCRIPT_DIR)
            version = tracking.register_pytorch_model(model, name)

            comparison = None
            if current is not None and champion_model is not None:
                comparison = compare_with_champion(
                    current, champion_model, forecasts[1], series, split.eval_start
                )
            decision: GateDecision = decide_promotion(
                GateFacts(
                    candidate_mase=document["horizons"]["1"]["lstm"]["mase"],
                    margin=config.gate_margin,
                    champion=comparison,
                )
            )
            log.info("%s v%d: %s (%s)", name, version, decision.label, "; ".join(decision.reasons))
            tracking.record_decision(
                tracking_uri, name, version, run_id, decision.promote, decision.reasons
            )
            # The table row and the alias move together: if setting the alias fails, the
            # transaction rolls back; if the insert fails, the alias is never touched.
            with engine.begin() as connection:
                record_version(
                    connection,
                    ticker=ticker,
                    name=name,
                    version=version,
                    run_id=run_id,
                    promoted=decision.promote,
                    trained_at=trained_at,
                    train_start=train_start,
                    train_end=train_end,
                    metrics=document,
                    decided_at=datetime.now(UTC),
                )
                if decision.promote:
                    tracking.set_champion(tracking_uri, name, version)

    return TrainingOutcome(
        ticker=ticker,
        model_name=name,
        version=version,
        run_id=run_id,
        promoted=decision.promote,
        reasons=decision.reasons,
        metrics=document,
        config=config,
        fine_tune=fine_tune,
        seconds=time.perf_counter() - started,
        epochs_run=len(result.train_losses),
        previous_champion=current.version if current is not None else None,
    )
