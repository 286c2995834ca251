"""How a candidate is scored, without writing anything: walk-forward on the holdout, against
the champion on the days neither trained on, and through the gate."""

from dataclasses import dataclass
from typing import Any

import numpy as np

from nn_estimator.adapters.artifact import ScriptedForecaster, forward_numpy
from nn_estimator.adapters.registry import ChampionRef
from nn_estimator.config import TrainConfig
from nn_estimator.domain.evaluation import (
    Forecast,
    HorizonForecasts,
    mase,
    metrics_document,
    walk_forward,
)
from nn_estimator.domain.gate import ChampionComparison, GateDecision, GateFacts, decide_promotion
from nn_estimator.domain.model import LSTMForecaster
from nn_estimator.domain.series import CloseSeries


@dataclass(frozen=True)
class Champion:
    """The version holding alias `champion` and its TorchScript file, loaded."""

    ref: ChampionRef
    model: ScriptedForecaster


def eager_forecast(model: LSTMForecaster) -> Forecast:
    """The eager model as a walk-forward Forecast: (B, L) closes -> (B, H, 3) float64 prices."""

    def forecast(windows: np.ndarray) -> np.ndarray:
        model.eval()
        return forward_numpy(model, windows).astype(np.float64)

    return forecast


def evaluate(
    model: LSTMForecaster, series: CloseSeries, eval_start: int, config: TrainConfig
) -> tuple[dict[int, HorizonForecasts], dict[str, Any]]:
    """Walk-forward on the holdout (h = 1 and 5), and the `models.metrics` document."""
    forecasts = walk_forward(eager_forecast(model), series.closes, eval_start, config.input_length)
    document = metrics_document(forecasts, series.dates, config.input_length, config.max_horizon)
    return forecasts, document


def compare_with_champion(
    incumbent: Champion | None,
    candidate_h1: HorizonForecasts,
    series: CloseSeries,
    eval_start: int,
) -> ChampionComparison | None:
    """Score both on the candidate's evaluation days that the champion did not train on
    (None without a champion)."""
    if incumbent is None:
        return None
    champion_model = incumbent.model
    champion_end = np.datetime64(champion_model.meta["train_end"], "D")
    unseen = series.dates[candidate_h1.target_index] > champion_end
    champion_h1 = walk_forward(
        champion_model.forecast, series.closes, eval_start, champion_model.input_length, (1,)
    )[1]
    n_days = int(unseen.sum())
    if n_days == 0:
        return ChampionComparison(incumbent.ref.version, float("nan"), float("nan"), 0, False)
    return ChampionComparison(
        champion_version=incumbent.ref.version,
        candidate_mase=mase(candidate_h1.subset(unseen)),
        champion_mase=mase(champion_h1.subset(unseen)),
        n_days=n_days,
        all_eval_days=bool(unseen.all()),
        first_day=str(series.dates[candidate_h1.target_index[unseen][0]]),
    )


def gate(
    document: dict[str, Any], config: TrainConfig, comparison: ChampionComparison | None
) -> GateDecision:
    """The pure gate on the candidate's h1 MASE over the whole holdout, the configured margin
    over naive and, when there is a champion, the comparison on days neither trained on."""
    return decide_promotion(
        GateFacts(
            candidate_mase=document["horizons"]["1"]["lstm"]["mase"],
            margin=config.gate_margin,
            champion=comparison,
        )
    )
