"""The promotion gate: facts in, (decision, reasons) out. No clock, no I/O (tested by table)."""

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class ChampionComparison:
    """Both models scored (h1 MASE) on the same days that neither trained on."""

    champion_version: int
    candidate_mase: float
    champion_mase: float
    n_days: int
    all_eval_days: bool  # False: only the days after the champion's train_end were usable
    first_day: str | None = None


@dataclass(frozen=True)
class GateFacts:
    candidate_mase: float  # h1, on the candidate's whole evaluation holdout
    margin: float = 0.05
    naive_mase: float = 1.0  # the naive forecast's MASE on the same days (1 by definition)
    champion: ChampionComparison | None = None


@dataclass(frozen=True)
class GateDecision:
    promote: bool
    reasons: tuple[str, ...]

    @property
    def label(self) -> str:
        return "promote" if self.promote else "reject"


def decide_promotion(facts: GateFacts) -> GateDecision:
    reasons: list[str] = []
    ok = True
    limit = facts.naive_mase * (1.0 + facts.margin)
    if not math.isfinite(facts.candidate_mase):
        return GateDecision(False, ("candidate MASE is not a finite number",))
    if facts.candidate_mase <= limit:
        reasons.append(
            f"within naive margin: MASE {facts.candidate_mase:.4f} <= {limit:.4f} "
            f"(naive {facts.naive_mase:.2f} + {facts.margin:.0%})"
        )
    else:
        ok = False
        reasons.append(
            f"worse than naive beyond margin: MASE {facts.candidate_mase:.4f} > {limit:.4f} "
            f"(naive {facts.naive_mase:.2f} + {facts.margin:.0%})"
        )

    comparison = facts.champion
    if comparison is None:
        reasons.append("no champion yet")
        return GateDecision(ok, tuple(reasons))

    scope = (
        f"the same {comparison.n_days} evaluation days"
        if comparison.all_eval_days
        else f"{comparison.n_days} evaluation days after the champion's training range"
        + (f" (from {comparison.first_day})" if comparison.first_day else "")
    )
    if comparison.n_days == 0:
        ok = False
        reasons.append(
            f"no evaluation days unseen by both this candidate and champion "
            f"v{comparison.champion_version}: cannot compare fairly"
        )
    elif comparison.candidate_mase < comparison.champion_mase:
        reasons.append(
            f"beats champion v{comparison.champion_version} on {scope}: MASE "
            f"{comparison.candidate_mase:.6f} < {comparison.champion_mase:.6f}"
        )
    else:
        ok = False
        reasons.append(
            f"does not beat champion v{comparison.champion_version} on {scope}: MASE "
            f"{comparison.candidate_mase:.6f} >= {comparison.champion_mase:.6f}"
        )
    return GateDecision(ok, tuple(reasons))
