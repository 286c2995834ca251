"""How a candidate is scored, without writing anything: walk-forward on the holdout against the
naive and drift baselines (and at h = 1 on the validation slice too, for the day-by-day series),
the champion's forecasts on the same days, and the gate on the days neither model trained on."""

from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from nn_estimator.adapters.artifact import ScriptedForecaster, forward_numpy
from nn_estimator.adapters.registry import ChampionRef
from nn_estimator.config import TrainConfig
from nn_estimator.domain.band import naive_band_forecast
from nn_estimator.domain.evaluation import (
    REPORTED_HORIZONS,
    Forecast,
    HorizonForecasts,
    TrainingReference,
    metrics_document,
    point_forecasts,
    training_reference,
    walk_forward,
)
from nn_estimator.domain.gate import (
    ChampionErrors,
    Errors,
    GateDecision,
    GateFacts,
    GatePolicy,
    JudgedDays,
    decide_promotion,
)
from nn_estimator.domain.model import LSTMForecaster
from nn_estimator.domain.series import CloseSeries
from nn_estimator.domain.walk_forward_series import (
    HOLDOUT_SLICE,
    SERIES_HORIZON,
    VALIDATION_SLICE,
    series_document,
)
from nn_estimator.domain.windowing import Split


@dataclass(frozen=True)
class Champion:
    """The version holding alias `champion` and its TorchScript file, loaded."""

    ref: ChampionRef
    model: ScriptedForecaster

    @property
    def train_end(self) -> date:
        return date.fromisoformat(self.model.meta["train_end"])


@dataclass(frozen=True)
class Evaluation:
    """The candidate's walk-forward forecasts, the training reference (drift, MASE scale), the
    `models.metrics` document built from them and the h = 1 day-by-day series over the
    validation and holdout slices (`evaluation/walk_forward.json`)."""

    forecasts: dict[int, HorizonForecasts]
    reference: TrainingReference
    document: dict[str, Any]
    series: dict[str, Any] | None = None


@dataclass(frozen=True)
class ChampionForecasts:
    """The champion's walk-forward on the candidate's holdout (h = 1 and, when it forecasts
    that far, 5)."""

    version: int
    train_end: date
    forecasts: dict[int, HorizonForecasts]


def eager_forecast(model: LSTMForecaster) -> Forecast:
    """The eager model as a walk-forward Forecast: (B, L) closes -> (B, H, 3) float64 prices."""

    def forecast(windows: np.ndarray) -> np.ndarray:
        model.eval()
        return forward_numpy(model, windows).astype(np.float64)

    return forecast


def evaluate(
    model: LSTMForecaster, series: CloseSeries, split: Split, config: TrainConfig
) -> Evaluation:
    """Walk-forward on the holdout (h = 1 and 5) beside naive and drift (the training slice's
    mean log return, which also gives the MASE scale), the naive band calibrated like the
    model's, the `models.metrics` document, and the h = 1 series of the validation and
    holdout days."""
    L = config.input_length
    forecast = eager_forecast(model)
    forecasts = walk_forward(forecast, series.closes, split.eval_start, L)
    validation = walk_forward(
        forecast, series.closes, split.val_start, L, (SERIES_HORIZON,), split.eval_start
    )
    naive_band = naive_band_forecast(
        model, series.closes, split.val_start, split.eval_start, config.interval
    )
    naive_bands = walk_forward(naive_band, series.closes, split.eval_start, L)
    reference = training_reference(series.closes, series.dates, split.train_start, split.val_start)
    document = metrics_document(
        forecasts, series.dates, L, config.max_horizon, reference, naive_bands, config.interval
    )
    slices = {
        VALIDATION_SLICE: validation[SERIES_HORIZON],
        HOLDOUT_SLICE: forecasts[SERIES_HORIZON],
    }
    day_by_day = series_document(slices, series.dates, reference.mean_log_return, config.interval)
    return Evaluation(forecasts, reference, document, day_by_day)


def compare_with_champion(
    incumbent: Champion | None, series: CloseSeries, eval_start: int
) -> ChampionForecasts | None:
    """The champion's forecasts on the candidate's evaluation days (None without one)."""
    if incumbent is None:
        return None
    model = incumbent.model
    horizons = tuple(h for h in REPORTED_HORIZONS if h <= model.max_horizon)
    forecasts = walk_forward(
        model.forecast, series.closes, eval_start, model.input_length, horizons
    )
    return ChampionForecasts(incumbent.ref.version, incumbent.train_end, forecasts)


def gate_policy(config: TrainConfig) -> GatePolicy:
    """The gate's level, minimum gain and naive margin from the config."""
    return GatePolicy(
        p_level=config.gate_p, min_gain=config.gate_min_gain, margin=config.gate_margin
    )


def judged_days(
    series: CloseSeries,
    target_index: np.ndarray,
    candidate_train_end: date,
    champion_train_end: date | None,
) -> tuple[np.ndarray, JudgedDays]:
    """The mask of evaluation days after both train_ends, and their description."""
    after = max(candidate_train_end, champion_train_end or candidate_train_end)
    dates = series.dates[target_index]
    mask = dates > np.datetime64(after, "D")
    kept = dates[mask]
    return mask, JudgedDays(
        after=after.isoformat(),
        n=int(mask.sum()),
        start=str(kept[0]) if len(kept) else None,
        end=str(kept[-1]) if len(kept) else None,
        candidate_train_end=candidate_train_end.isoformat(),
        champion_train_end=champion_train_end.isoformat() if champion_train_end else None,
    )


def _errors(forecasts: dict[int, np.ndarray], actual: dict[int, np.ndarray]) -> Errors:
    h5 = np.abs(forecasts[5] - actual[5]) if 5 in forecasts else None
    return Errors(np.abs(forecasts[1] - actual[1]), h5)


def gate(
    evaluation: Evaluation,
    series: CloseSeries,
    candidate_train_end: date,
    champion: ChampionForecasts | None,
    policy: GatePolicy,
) -> GateDecision:
    """The pure gate on the evaluation days after both train_ends: the candidate against
    naive (and drift, reported) and, when there is one, against the champion."""
    h1 = evaluation.forecasts[1]
    mask, days = judged_days(
        series, h1.target_index, candidate_train_end, champion.train_end if champion else None
    )
    judged = {h: f.subset(mask) for h, f in evaluation.forecasts.items()}
    actual = {h: f.actual for h, f in judged.items()}
    by_model: dict[str, dict[int, np.ndarray]] = {}
    for h, f in judged.items():
        for who, forecast in point_forecasts(f, evaluation.reference).items():
            by_model.setdefault(who, {})[h] = forecast
    champion_errors = None
    if champion is not None:
        theirs = {}
        for h, f in champion.forecasts.items():
            if h in judged:
                if not np.array_equal(f.target_index, evaluation.forecasts[h].target_index):
                    raise ValueError("the champion must be scored on the candidate's days")
                theirs[h] = f.subset(mask).point
        champion_errors = ChampionErrors(champion.version, _errors(theirs, actual))
    return decide_promotion(
        GateFacts(
            days=days,
            candidate=_errors(by_model["lstm"], actual),
            naive=_errors(by_model["naive"], actual),
            drift=_errors(by_model["drift"], actual),
            champion=champion_errors,
            policy=policy,
        )
    )
