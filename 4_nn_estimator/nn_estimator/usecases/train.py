"""The training pipeline as named steps: load the closes and the champion, prepare the start
(a fine-tune warm-starts from the champion), fit, evaluate walk-forward against the naive and
drift forecasts, log the run (with its lineage), export and register the model, score the
champion on the same days, let the gate decide, record the decision and promote.

Every MLflow call goes through adapters/tracking.py (writes) or adapters/registry.py (reads).
The scoring steps (evaluate, compare, gate) write nothing and live in scoring.py.
The alias and the `models` table only change in the last step, inside one database
transaction, so any failure before it leaves the current champion untouched."""

import hashlib
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
from nn_estimator.adapters.registry import (
    WALK_FORWARD_ARTIFACT,
    ChampionRef,
    champion,
    download_torchscript,
    model_name,
)
from nn_estimator.config import TrainConfig
from nn_estimator.domain.evaluation import drift_forecast, flat_metrics
from nn_estimator.domain.fitting import EpochCallback, FitResult, build_model, fit
from nn_estimator.domain.gate import GateDecision
from nn_estimator.domain.model import LSTMForecaster
from nn_estimator.domain.series import CloseSeries
from nn_estimator.domain.windowing import Split, chronological_split
from nn_estimator.errors import NoChampionError
from nn_estimator.usecases.scoring import (
    Champion,
    Evaluation,
    compare_with_champion,
    evaluate,
    gate,
    gate_policy,
)
from stock_db.numbers import without_non_finite

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
    train_end: date
    gate: dict[str, Any]  # the gate's record (GateDecision.document())
    previous_champion: int | None = None


@dataclass(frozen=True)
class Start:
    """Where fitting starts: the config in effect and, for a fine-tune, the champion's weights
    and its training range: the new version's train_start is the champion's, and its train_end
    at least the champion's (its weights saw everything the champion saw)."""

    config: TrainConfig
    warm_start: LSTMForecaster | None = None
    train_start: date | None = None
    inherited_train_end: date | None = None


@dataclass(frozen=True)
class Candidate:
    """The version this run registers, as meta.json and the `models` row describe it."""

    ticker: str
    name: str
    run_id: str
    trained_at: datetime
    train_start: date
    # The last validation day (everything up to it shaped the model); for a fine-tune the later
    # of that and the champion's train_end.
    train_end: date


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
            tracking.log_params(run_params(series, split, start, incumbent, fine_tune))
            result = fit(
                series.closes, split, config, warm_start=start.warm_start, on_epoch=on_epoch
            )
            tracking.log_epoch_losses(result.train_losses, result.val_losses)
            evaluation = evaluate(result.model, series, split, config)
            log_evaluation(result, evaluation, series, work)

            candidate = describe_candidate(series, split, start, name, run_id)
            version = export_and_register(result.model, candidate, config, work)

            champion_forecasts = compare_with_champion(incumbent, series, split.eval_start)
            decision = gate(
                evaluation, series, candidate.train_end, champion_forecasts, gate_policy(config)
            )
            log.info("%s v%d: %s (%s)", name, version, decision.label, " ".join(decision.reasons))
            record_decision_and_promote(
                engine, tracking_uri, candidate, version, decision, evaluation.document
            )

    return TrainingOutcome(
        ticker=ticker,
        model_name=name,
        version=version,
        run_id=run_id,
        promoted=decision.promote,
        reasons=decision.reasons,
        metrics=evaluation.document,
        config=config,
        fine_tune=fine_tune,
        seconds=time.perf_counter() - started,
        epochs_run=len(result.train_losses),
        train_end=candidate.train_end,
        gate=without_non_finite(decision.document()),
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
    the evaluation slices, the gate's settings, the band's interval and the seed."""
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
        gate_p=config.gate_p,
        gate_min_gain=config.gate_min_gain,
        interval=config.interval,
        seed=config.seed,
    )
    warm_start = build_model(tuned)
    warm_start.load_state_dict(incumbent.model.module.state_dict())
    return Start(
        tuned,
        warm_start,
        date.fromisoformat(incumbent.model.meta["train_start"]),
        incumbent.train_end,
    )


def rows_sha256(dates: Any, closes: Any) -> str:
    """sha256 of the rows' dates (datetime64[D] as int64) and closes (float64) bytes."""
    digest = hashlib.sha256()
    digest.update(dates.astype("datetime64[D]").astype("<i8").tobytes())
    digest.update(closes.astype("<f8").tobytes())
    return digest.hexdigest()


def run_params(
    series: CloseSeries, split: Split, start: Start, incumbent: Champion | None, fine_tune: bool
) -> dict[str, Any]:
    """Every hyper-parameter (a run is reproducible from its params), the data it saw and its
    lineage: the code's git commit and a hash of the rows it learnt from (train +
    validation slices)."""
    warm_start_version = (
        incumbent.ref.version if start.warm_start is not None and incumbent else "none"
    )
    rows = slice(split.train_start, split.train_end + 1)
    return {
        **start.config.as_params(),
        "ticker": series.ticker,
        "fine_tune": fine_tune,
        "warm_start_version": warm_start_version,
        "n_rows": len(series),
        "data_start": series.date_at(0),
        "data_end": series.date_at(-1),
        "git_commit": tracking.source_commit(),
        "train_rows_start": series.date_at(split.train_start),
        "train_rows_end": series.date_at(split.train_end),
        "train_rows_n": split.train_end + 1 - split.train_start,
        "train_rows_sha256": rows_sha256(series.dates[rows], series.closes[rows]),
    }


def log_evaluation(
    result: FitResult, evaluation: Evaluation, series: CloseSeries, work: Path
) -> None:
    """Metrics, the metrics document, the h = 1 day-by-day series of the validation and
    holdout days (what the api's GET /model/walk-forward serves) and the figures (loss curve,
    forecast vs actual per horizon, with naive and drift) on the active run."""
    tracking.log_metrics(
        {
            **flat_metrics(evaluation.document),
            "best_epoch": result.best_epoch,
            "n_train_windows": result.n_train_windows,
        }
    )
    tracking.log_json(evaluation.document, "evaluation/metrics.json")
    if evaluation.series is not None:
        tracking.log_json(without_non_finite(evaluation.series), WALK_FORWARD_ARTIFACT)
    figures = [plots.loss_curve(result.train_losses, result.val_losses, work / "loss.png")]
    for h, f in evaluation.forecasts.items():
        png = work / f"forecast_vs_actual_h{h}.png"
        drift = drift_forecast(f, evaluation.reference.mean_log_return)
        figures.append(plots.forecast_vs_actual(f, series.dates, series.ticker, png, drift))
    tracking.log_files(figures, "plots")


def describe_candidate(
    series: CloseSeries, split: Split, start: Start, name: str, run_id: str
) -> Candidate:
    """A fine-tune inherits the champion's train_start, and its train_end is the later of its
    own and the champion's: the gate then judges it only on days neither range covers."""
    train_start = start.train_start or date.fromisoformat(series.date_at(split.train_start))
    train_end = date.fromisoformat(series.date_at(split.train_end))
    if start.inherited_train_end is not None:
        train_end = max(train_end, start.inherited_train_end)
    return Candidate(
        ticker=series.ticker,
        name=name,
        run_id=run_id,
        trained_at=datetime.now(UTC),
        train_start=train_start,
        train_end=train_end,
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
    """The gate's tags on the run and the version; then the `models` row (with the gate's
    record) and the alias move together: if setting the alias fails, the transaction rolls
    back; if the insert fails, the alias is never touched."""
    record = without_non_finite(decision.document())
    tracking.record_decision(tracking_uri, candidate.name, version, candidate.run_id, record)
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
            metrics=without_non_finite(document),
            gate=record,
            decided_at=datetime.now(UTC),
        )
        if decision.promote:
            tracking.set_champion(tracking_uri, candidate.name, version)
