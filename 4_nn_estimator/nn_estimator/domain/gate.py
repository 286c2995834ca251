"""The promotion gate: facts in, decision out. No clock, no I/O (tested by a table of cases).

Every comparison is made on the judged days: the evaluation days after both the candidate's
and the champion's `train_end`, so neither model trained on them. A candidate is promoted when

1. against the naive forecast (h=1), it is not significantly worse: a one-sided Diebold-Mariano
   test on the per-day absolute errors (H1: the candidate's are larger) gives p >= p_level,
   and its relative MAE is at most 1 + margin;
2. with a champion, it is significantly better at h=1 (one-sided DM, H1: the candidate's
   errors are smaller, p < p_level) by at least `min_gain` relative MAE, and not
   significantly worse at h=5 (one-sided DM with lag 4, H1: larger, p >= p_level).

A first champion needs only (1). The drift forecast is reported beside naive, never decides.
Ties and noise-level gains keep the champion."""

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from nn_estimator.domain.significance import Alternative, diebold_mariano
from stock_db.numbers import finite_or_none

MIN_JUDGED_DAYS = 20  # fewer unseen days cannot show a significant difference


@dataclass(frozen=True)
class GatePolicy:
    p_level: float = 0.05  # significance level of every Diebold-Mariano test
    min_gain: float = 0.01  # relative h=1 MAE improvement over the champion required
    margin: float = 0.05  # relative MAE vs naive may exceed 1 by at most this


@dataclass(frozen=True)
class JudgedDays:
    """The evaluation days both models never trained on: every target day after `after`."""

    after: str  # the later of the two train_ends
    n: int
    start: str | None
    end: str | None
    candidate_train_end: str
    champion_train_end: str | None = None


@dataclass(frozen=True, eq=False)
class Errors:
    """Absolute errors of one forecast on the judged days, per horizon (h5 None when absent)."""

    h1: np.ndarray
    h5: np.ndarray | None = None


@dataclass(frozen=True, eq=False)
class ChampionErrors:
    version: int
    errors: Errors


@dataclass(frozen=True, eq=False)
class GateFacts:
    days: JudgedDays
    candidate: Errors
    naive: Errors
    drift: Errors | None = None
    champion: ChampionErrors | None = None
    policy: GatePolicy = field(default_factory=GatePolicy)


@dataclass(frozen=True)
class GateDecision:
    promote: bool
    reasons: tuple[str, ...]
    p_value: float | None = None  # of the decisive test (see p_value_test)
    p_value_test: str = ""
    statistics: dict[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return "promote" if self.promote else "reject"

    def document(self) -> dict[str, Any]:
        """The gate's record: what the `models.gate` column, the tags and `--json` carry."""
        return {
            "decision": self.label,
            "p_value": self.p_value,
            "p_value_test": self.p_value_test,
            "reasons": list(self.reasons),
            **self.statistics,
        }


def _p(value: float) -> str:
    return f"{value:.2g}" if value >= 0.01 else f"{value:.1e}"


def _mean_ratio(a: np.ndarray, b: np.ndarray) -> float | None:
    denominator = float(np.mean(b))
    return float(np.mean(a)) / denominator if denominator > 0 else None


def _dm(a: np.ndarray, b: np.ndarray, h: int, alternative: Alternative) -> dict[str, Any]:
    test = diebold_mariano(a, b, h, alternative)
    return {"dm_statistic": finite_or_none(test.statistic), "p_value": test.p_value}


def decide_promotion(facts: GateFacts) -> GateDecision:
    policy, days = facts.policy, facts.days
    statistics: dict[str, Any] = {
        "policy": asdict(policy),
        "days": asdict(days),
        "naive": None,
        "drift": None,
        "champion": None,
    }

    def refuse(*reasons: str) -> GateDecision:
        return GateDecision(False, reasons, None, "", statistics)

    scope = f"candidate trained to {days.candidate_train_end}" + (
        f", champion v{facts.champion.version} to {days.champion_train_end}"
        if facts.champion is not None and days.champion_train_end
        else ""
    )
    if days.n < MIN_JUDGED_DAYS:
        return refuse(
            f"Only {days.n} evaluation days fall after both training ranges ({scope}); at "
            f"least {MIN_JUDGED_DAYS} are needed to judge the candidate fairly."
        )
    if not np.all(np.isfinite(facts.candidate.h1)):
        return refuse("The candidate's forecasts are not all finite numbers.")
    reasons = [f"Judged on the {days.n} evaluation days {days.start}..{days.end} ({scope})."]
    promote = True

    # 1. Against the baselines.
    rel_mae = _mean_ratio(facts.candidate.h1, facts.naive.h1)
    worse = _dm(facts.candidate.h1, facts.naive.h1, 1, "greater")
    statistics["naive"] = {"h1": {"rel_mae": rel_mae, **_rename(worse, "p_worse")}}
    rel_text = f"relative MAE {rel_mae:.4f}" if rel_mae is not None else "naive MAE is zero"
    if worse["p_value"] < policy.p_level:
        promote = False
        reasons.append(
            f"Significantly worse than the naive forecast at h=1: {rel_text}, one-sided "
            f"Diebold-Mariano p = {_p(worse['p_value'])} < {policy.p_level:g}."
        )
    elif rel_mae is not None and rel_mae > 1.0 + policy.margin:
        promote = False
        reasons.append(
            f"Worse than the naive forecast beyond the {policy.margin:.0%} margin at h=1: "
            f"relative MAE {rel_mae:.4f} > {1.0 + policy.margin:.4f}."
        )
    else:
        reasons.append(
            f"Not significantly worse than the naive forecast at h=1: {rel_text}, one-sided "
            f"Diebold-Mariano p = {_p(worse['p_value'])} (refused below {policy.p_level:g})."
        )
    if facts.drift is not None:
        ratio = _mean_ratio(facts.candidate.h1, facts.drift.h1)
        better = _dm(facts.candidate.h1, facts.drift.h1, 1, "less")
        statistics["drift"] = {"h1": {"mae_ratio": ratio, **_rename(better, "p_better")}}
        ratio_text = f"MAE ratio {ratio:.4f}" if ratio is not None else "drift MAE is zero"
        reasons.append(
            f"Beside the drift forecast (last close x mean training return) at h=1: "
            f"{ratio_text}, p = {_p(better['p_value'])} that the candidate is better "
            f"(reported, not a condition)."
        )

    if facts.champion is None:
        reasons.append("No champion yet: the baseline test alone decides.")
        return GateDecision(
            promote,
            tuple(reasons),
            worse["p_value"],
            "one-sided Diebold-Mariano at h=1, H1: the candidate's absolute errors are larger "
            "than the naive forecast's (refused below p_level)",
            statistics,
        )

    # 2. Against the champion.
    champion = facts.champion
    name = f"champion v{champion.version}"
    candidate_mae = float(np.mean(facts.candidate.h1))
    champion_mae = float(np.mean(champion.errors.h1))
    gain = 1.0 - candidate_mae / champion_mae if champion_mae > 0 else 0.0
    better = _dm(facts.candidate.h1, champion.errors.h1, 1, "less")
    h1_block = {
        "candidate_mae": candidate_mae,
        "champion_mae": champion_mae,
        "gain": gain,
        **_rename(better, "p_better"),
    }
    statistics["champion"] = {"version": champion.version, "h1": h1_block, "h5": None}
    numbers = (
        f"MAE {candidate_mae:.5f} vs {champion_mae:.5f} (gain {gain:+.2%}, at least "
        f"{policy.min_gain:.0%} required), one-sided Diebold-Mariano p = {_p(better['p_value'])}"
    )
    if better["p_value"] >= policy.p_level:
        promote = False
        reasons.append(
            f"Not significantly better than {name} at h=1: {numbers} (needs below "
            f"{policy.p_level:g})."
        )
    elif gain < policy.min_gain:
        promote = False
        reasons.append(f"Better than {name} at h=1, but by less than required: {numbers}.")
    else:
        reasons.append(f"Significantly better than {name} at h=1: {numbers}.")

    candidate_h5, champion_h5 = facts.candidate.h5, champion.errors.h5
    if candidate_h5 is None or champion_h5 is None:
        reasons.append("No comparison at h=5: one of the models does not forecast 5 days ahead.")
    else:
        worse5 = _dm(candidate_h5, champion_h5, 5, "greater")
        h5_numbers = (
            f"MAE {float(np.mean(candidate_h5)):.5f} vs {float(np.mean(champion_h5)):.5f}, "
            f"one-sided Diebold-Mariano p = {_p(worse5['p_value'])}"
        )
        statistics["champion"]["h5"] = {
            "candidate_mae": float(np.mean(candidate_h5)),
            "champion_mae": float(np.mean(champion_h5)),
            **_rename(worse5, "p_worse"),
        }
        if worse5["p_value"] < policy.p_level:
            promote = False
            reasons.append(f"Significantly worse than {name} at h=5: {h5_numbers}.")
        else:
            reasons.append(
                f"No significant loss against {name} at h=5: {h5_numbers} (refused below "
                f"{policy.p_level:g})."
            )
    return GateDecision(
        promote,
        tuple(reasons),
        better["p_value"],
        f"one-sided Diebold-Mariano at h=1, H1: the candidate's absolute errors are smaller "
        f"than {name}'s (promoted only below p_level)",
        statistics,
    )


def _rename(test: dict[str, Any], p_name: str) -> dict[str, Any]:
    return {"dm_statistic": test["dm_statistic"], p_name: test["p_value"]}
