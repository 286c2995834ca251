"""The promotion gate as a table of cases: facts in, (decision, reasons) out."""

import pytest

from nn_estimator.domain.gate import ChampionComparison, GateFacts, decide_promotion


def versus(candidate: float, champion: float, n: int = 250, all_days: bool = True):
    return ChampionComparison(3, candidate, champion, n, all_days, "2017-01-03")


CASES = [
    # (facts, promote, fragment of the reasons)
    (GateFacts(0.99), True, "no champion yet"),
    (GateFacts(1.04), True, "within naive margin"),
    (GateFacts(1.06), False, "worse than naive beyond margin"),
    (GateFacts(1.06, margin=0.10), True, "within naive margin"),
    (GateFacts(0.98, champion=versus(0.98, 0.99)), True, "beats champion v3 on the same 250"),
    (GateFacts(0.99, champion=versus(0.99, 0.98)), False, "does not beat champion v3"),
    (GateFacts(0.99, champion=versus(0.99, 0.99)), False, "does not beat"),  # ties keep champion
    (GateFacts(1.07, champion=versus(1.07, 1.10)), False, "worse than naive"),
    (
        GateFacts(0.97, champion=versus(0.96, 0.99, n=40, all_days=False)),
        True,
        "40 evaluation days after the champion's training range (from 2017-01-03)",
    ),
    (GateFacts(0.97, champion=versus(0.0, 0.0, n=0, all_days=False)), False, "cannot compare"),
    (GateFacts(float("nan")), False, "not a finite number"),
]


@pytest.mark.parametrize(("facts", "promote", "fragment"), CASES)
def test_gate_decisions(facts: GateFacts, promote: bool, fragment: str) -> None:
    decision = decide_promotion(facts)
    assert decision.promote is promote
    assert any(fragment in reason for reason in decision.reasons), decision.reasons
