"""The training pipeline as named steps: load the closes and the champion, prepare the start
(a fine-tune warm-starts from the champion), fit, evaluate walk-forward against the naive
forecast, log the run, export and register the model, compare with the champion, let the gate
decide, record the decision and promote.

Every MLflow call goes through adapters/tracking.py (writes) or adapters/registry.py (reads).
The scoring steps (evaluate, compare, gate) write nothing and live in scoring.py.
The alias and the `models` table only change in the last step, inside one database
transaction, so any failure before it leaves the current champion untouched."""

import logging
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from nn_estimator.adapters import plots, tracking
from nn_estimator.adapters.artifact import (
    TORCHSCRIPT_DIR,
    TORCHSCRIPT_FILE,
    ScriptedForecaster,
    export_torchscript,
)
from nn_estimator.adapters.models_table import record_version
from nn_estimator.adapters.prices import load_closes
from nn_estimator.adapters.registry import ChampionRef, champion, download_torchscript, model_name
from nn_estimator.config import TrainConfig
from nn_estimator.domain.evaluation import HorizonForecasts, flat_metrics
from nn_estimator.domain.fitting import EpochCallback, FitResult, build_model, fit
from nn_estimator.domain.gate import GateDecision
from nn_estimator.domain.model import LSTMForecaster
from nn_estimator.domain.series import CloseSeries
from nn_estimator.domain.windowing import Split, chronological_split
from nn_estimator.errors import NoChampionError
from nn_estimator.usecases.scoring import Champion, compare_with_champion, evaluate, gate

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


@dataclass(frozen=True)
class Start:
    """Where fitting starts: the config in effect and, for a fine-tune, the champion's weights
    and the first day of its training range (the new version inherits both)."""

    config: TrainConfig
    warm_start: LSTMForecaster | None = None
    train_start: date | None = None


@dataclass(frozen=True)
class Candidate:
    """The version this run registers, as meta.json and the `models` row describe it."""

    ticker: str
    name: str
    run_id: str
    trained_at: datetime
    train_start: date
    train_end: date  # the last validation day: everything up to it shaped the model


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
    name = model_name(ticker)
    series, current = load_series_and_champion(ticker, engine, tracking_uri, fine_tune)

    with tempfile.TemporaryDirectory(prefix="nn_estimator-") as scratch:
        work = Path(scratch)
        incumbent = load_champion(current, tracking_uri, work)
        start = prepare_start(config or TrainConfig(), incumbent, tracking_uri, fine_tune)
        config = start.config
        split = chronological_split(ticker, len(series), config)
        experiment_id = tracking.ensure_experiment(name, tracking_uri)
        run_name = f"{'fine-tune' if fine_tune else 'train'}-{series.date_at(-1)}"
        with tracking.start_run(experiment_id, run_name) as run_id:
            tracking.log_params(run_params(series, start, incumbent, fine_tune))
            result = fit(
                series.closes, split, config, warm_start=start.warm_start, on_epoch=on_epoch
            )
            tracking.log_epoch_losses(result.train_losses, result.val_losses)
            forecasts, document = evaluate(result.model, series, split.eval_start, config)
            log_evaluation(result, forecasts, document, series, work)

            candidate = describe_candidate(series, split, start, name, run_id)
            version = export_and_register(result.model, candidate, config, work)

            comparison = compare_with_champion(incumbent, forecasts[1], series, split.eval_start)
            decision = gate(document, config, comparison)
            log.info("%s v%d: %s (%s)", name, version, decision.label, "; ".join(decision.reasons))
            record_decision_and_promote(
                engine, tracking_uri, candidate, version, decision, document
            )

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


def load_series_and_champion(
    ticker: str, engine: Engine, tracking_uri: str, fine_tune: bool
) -> tuple[CloseSeries, ChampionRef | None]:
    """Fail fast, before any work: an unreachable store, an unknown ticker, or a fine-tune
    without a champion to start from."""
    tracking.check_reachable(tracking_uri)
    series = load_closes(engine, ticker)
    current = champion(ticker, tracking_uri)
    if fine_tune and current is None:
        raise NoChampionError(ticker)
    return series, current


def load_champion(current: ChampionRef | None, tracking_uri: str, work: Path) -> Champion | None:
    if current is None:
        return None
    path = download_torchscript(current, tracking_uri, work / "champion")
    return Champion(current, ScriptedForecaster.load(path))


def prepare_start(
    config: TrainConfig, incumbent: Champion | None, tracking_uri: str, fine_tune: bool
) -> Start:
    """A full train starts from `config`. A fine-tune takes the architecture and normaliser
    (and weights) from the champion; the caller's config only chooses the fine-tune schedule,
    the evaluation slices, the gate margin and the seed."""
    if not fine_tune or incumbent is None:
        return Start(config)
    stored = tracking.champion_config(incumbent.ref.run_id, tracking_uri)
    tuned = stored.with_overrides(
        fine_tune_epochs=config.fine_tune_epochs,
        fine_tune_days=config.fine_tune_days,
        fine_tune_lr_factor=config.fine_tune_lr_factor,
        eval_days=config.eval_days,
        val_days=config.val_days,
        gate_margin=config.gate_margin,
        seed=config.seed,
    )
    warm_start = build_model(tuned)
    warm_start.load_state_dict(incumbent.model.module.state_dict())
    return Start(tuned, warm_start, date.fromisoformat(incumbent.model.meta["train_start"]))


def run_params(
    series: CloseSeries, start: Start, incumbent: Champion | None, fine_tune: bool
) -> dict[str, Any]:
    """Every hyper-parameter (a run is reproducible from its params) plus the data it saw."""
    warm_start_version = (
        incumbent.ref.version if start.warm_start is not None and incumbent else "none"
    )
    return {
        **start.config.as_params(),
        "ticker": series.ticker,
        "fine_tune": fine_tune,
        "warm_start_version": warm_start_version,
        "n_rows": len(series),
        "data_start": series.date_at(0),
        "data_end": series.date_at(-1),
    }


def log_evaluation(
    result: FitResult,
    forecasts: dict[int, HorizonForecasts],
    document: dict[str, Any],
    series: CloseSeries,
    work: Path,
) -> None:
    """Metrics, the metrics document and the figures (loss curve, forecast vs actual per
    horizon) on the active run."""
    tracking.log_metrics(
        {
            **flat_metrics(document),
            "best_epoch": result.best_epoch,
            "n_train_windows": result.n_train_windows,
        }
    )
    tracking.log_json(document, "evaluation/metrics.json")
    figures = [plots.loss_curve(result.train_losses, result.val_losses, work / "loss.png")]
    for h, f in forecasts.items():
        png = work / f"forecast_vs_actual_h{h}.png"
        figures.append(plots.forecast_vs_actual(f, series.dates, series.ticker, png))
    tracking.log_files(figures, "plots")


def describe_candidate(
    series: CloseSeries, split: Split, start: Start, name: str, run_id: str
) -> Candidate:
    train_start = start.train_start or date.fromisoformat(series.date_at(split.train_start))
    return Candidate(
        ticker=series.ticker,
        name=name,
        run_id=run_id,
        trained_at=datetime.now(UTC),
        train_start=train_start,
        train_end=date.fromisoformat(series.date_at(split.train_end)),
    )


def artifact_meta(candidate: Candidate, config: TrainConfig) -> dict[str, Any]:
    """meta.json inside the TorchScript file: what the api needs to serve it."""
    return {
        "ticker": candidate.ticker,
        "input_length": config.input_length,
        "max_horizon": config.max_horizon,
        "interval": config.interval,
        "trained_at": candidate.trained_at.isoformat(),
        "train_start": candidate.train_start.isoformat(),
        "train_end": candidate.train_end.isoformat(),
        "model_name": candidate.name,
        "run_id": candidate.run_id,
    }


def export_and_register(
    model: LSTMForecaster, candidate: Candidate, config: TrainConfig, work: Path
) -> int:
    """The TorchScript file the api serves, as an artifact of the run; then the pytorch flavour
    registered as a new version of the candidate's name (no alias yet). Returns the version."""
    path = work / TORCHSCRIPT_DIR / TORCHSCRIPT_FILE
    scripted = export_torchscript(model, artifact_meta(candidate, config), path)
    tracking.log_files([scripted], TORCHSCRIPT_DIR)
    return tracking.register_pytorch_model(model, candidate.name)


def record_decision_and_promote(
    engine: Engine,
    tracking_uri: str,
    candidate: Candidate,
    version: int,
    decision: GateDecision,
    document: dict[str, Any],
) -> None:
    """The gate's tags on the run and the version; then the `models` row and the alias move
    together: if setting the alias fails, the transaction rolls back; if the insert fails, the
    alias is never touched."""
    tracking.record_decision(
        tracking_uri, candidate.name, version, candidate.run_id, decision.promote, decision.reasons
    )
    with engine.begin() as connection:
        record_version(
            connection,
            ticker=candidate.ticker,
            name=candidate.name,
            version=version,
            run_id=candidate.run_id,
            promoted=decision.promote,
            trained_at=candidate.trained_at,
            train_start=candidate.train_start,
            train_end=candidate.train_end,
            metrics=document,
            decided_at=datetime.now(UTC),
        )
        if decision.promote:
            tracking.set_champion(tracking_uri, candidate.name, version)
