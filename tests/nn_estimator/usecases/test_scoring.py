"""Scoring without writing anything: the gate on real fitted models. Two seeds of one
configuration differ by noise (refused); a candidate fed the true next closes through a test
double is promoted; only the days after both train_ends are judged."""

from collections.abc import Callable
from datetime import date

import numpy as np
import pytest

from nn_estimator.config import TrainConfig
from nn_estimator.domain.evaluation import Forecast, walk_forward
from nn_estimator.domain.fitting import FitResult
from nn_estimator.domain.gate import GatePolicy
from nn_estimator.domain.series import CloseSeries
from nn_estimator.domain.windowing import chronological_split
from nn_estimator.usecases.scoring import ChampionForecasts, Evaluation, evaluate, gate

TICKER = "MSFT"


def series_of(closes: np.ndarray) -> CloseSeries:
    dates = np.datetime64("2014-01-01") + np.arange(len(closes))  # one close a calendar day
    return CloseSeries(TICKER, dates.astype("datetime64[D]"), closes)


def train_end(series: CloseSeries, config: TrainConfig) -> date:
    split = chronological_split(TICKER, len(series), config)
    return date.fromisoformat(series.date_at(split.train_end))


def as_champion(evaluation: Evaluation, end: date) -> ChampionForecasts:
    return ChampionForecasts(1, end, evaluation.forecasts)


def scored(result: FitResult, series: CloseSeries, config: TrainConfig) -> Evaluation:
    return evaluate(result.model, series, chronological_split(TICKER, len(series), config), config)


def test_two_seeds_of_one_configuration_are_refused(
    tiny_fit: FitResult,
    fit_recent: Callable[[TrainConfig], FitResult],
    recent_closes: np.ndarray,
    tiny: TrainConfig,
) -> None:
    series = series_of(recent_closes)
    seed_45 = tiny.with_overrides(seed=45)
    champion = as_champion(scored(tiny_fit, series, tiny), train_end(series, tiny))
    candidate = scored(fit_recent(seed_45), series, seed_45)

    decision = gate(candidate, series, train_end(series, seed_45), champion, GatePolicy())
    assert not decision.promote
    assert any("Not significantly better than champion v1" in r for r in decision.reasons)
    assert decision.p_value is not None and decision.p_value >= 0.05


def test_a_candidate_fed_the_true_next_closes_is_promoted(
    tiny_fit: FitResult, recent_closes: np.ndarray, tiny: TrainConfig, oracle: Forecast
) -> None:
    series = series_of(recent_closes)
    end = train_end(series, tiny)
    champion_evaluation = scored(tiny_fit, series, tiny)
    split = chronological_split(TICKER, len(series), tiny)
    forecasts = walk_forward(oracle, series.closes, split.eval_start, tiny.input_length)
    candidate = Evaluation(forecasts, champion_evaluation.reference, {})

    decision = gate(candidate, series, end, as_champion(champion_evaluation, end), GatePolicy())
    assert decision.promote, decision.reasons
    assert decision.p_value is not None and decision.p_value < 0.001
    assert decision.statistics["champion"]["h5"]["p_worse"] > 0.5


def test_only_days_after_both_train_ends_are_judged(
    tiny_fit: FitResult, recent_closes: np.ndarray, tiny: TrainConfig
) -> None:
    series = series_of(recent_closes)
    evaluation = scored(tiny_fit, series, tiny)
    end = train_end(series, tiny)
    later = date.fromisoformat(series.date_at(len(series) - 26))  # the champion saw 34 more

    decision = gate(evaluation, series, end, as_champion(evaluation, later), GatePolicy())
    days = decision.statistics["days"]
    assert (days["n"], days["after"], days["start"]) == (
        25,
        later.isoformat(),
        series.date_at(len(series) - 25),
    )
    assert (days["candidate_train_end"], days["champion_train_end"]) == (
        end.isoformat(),
        later.isoformat(),
    )
    assert decision.reasons[0].startswith("Judged on the 25 evaluation days")


def test_the_series_covers_the_validation_and_holdout_days_and_agrees_with_the_metrics(
    tiny_fit: FitResult, recent_closes: np.ndarray, tiny: TrainConfig
) -> None:
    series = series_of(recent_closes)
    split = chronological_split(TICKER, len(series), tiny)
    evaluation = scored(tiny_fit, series, tiny)
    assert evaluation.series is not None
    points = evaluation.series["points"]
    assert (evaluation.series["horizon"], evaluation.series["interval"]) == (1, tiny.interval)
    # Out of sample only: every validation and holdout day once, no training day.
    assert [p["date"] for p in points] == [str(d) for d in series.dates[split.val_start :]]
    assert [p["slice"] for p in points] == ["validation"] * tiny.val_days + [
        "holdout"
    ] * tiny.eval_days
    # The holdout points are the forecasts the metrics document scored.
    holdout = [p for p in points if p["slice"] == "holdout"]
    h1 = evaluation.document["horizons"]["1"]
    for who in ("lstm", "naive", "drift"):
        mae = np.mean([abs(p[who] - p["actual"]) for p in holdout])
        assert mae == pytest.approx(h1[who]["mae"], rel=1e-9), who
    inside = np.mean([p["lower"] <= p["actual"] <= p["upper"] for p in holdout])
    assert inside == pytest.approx(h1["coverage"])
