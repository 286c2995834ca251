"""The promotion gate as a table of cases: facts (per-day absolute errors on the judged days)
in, decision and reasons out."""

from typing import Any

import numpy as np
import pytest

from nn_estimator.domain.gate import (
    ChampionErrors,
    Errors,
    GateFacts,
    GatePolicy,
    JudgedDays,
    decide_promotion,
)

N = 250
RNG = np.random.default_rng(11)
NAIVE = np.abs(RNG.normal(0, 1, N))  # a naive forecast's absolute errors
NOISE = RNG.normal(0, 1, N)


def days(n: int = N) -> JudgedDays:
    return JudgedDays("2016-11-14", n, "2016-11-15", "2017-11-10", "2016-11-14", "2016-11-14")


def facts(
    candidate: np.ndarray,
    champion: np.ndarray | None = None,
    *,
    candidate_h5: np.ndarray | None = None,
    champion_h5: np.ndarray | None = None,
    naive: np.ndarray = NAIVE,
    policy: GatePolicy | None = None,
) -> GateFacts:
    n = len(candidate)
    h5 = candidate_h5 if candidate_h5 is not None else candidate * 2.2
    return GateFacts(
        days=days(n),
        candidate=Errors(candidate, h5),
        naive=Errors(naive[:n]),
        drift=Errors(naive[:n] * 0.999),
        champion=None
        if champion is None
        else ChampionErrors(
            3, Errors(champion, champion_h5 if champion_h5 is not None else champion * 2.2)
        ),
        policy=policy or GatePolicy(),
    )


# Two seeds of one configuration: errors that differ by noise far below the day-to-day spread
# (the seeds 42 and 45: h=1 MASE 0.99426 vs 0.99433, DM p = 0.48).
SEED_42 = NAIVE * 0.9943
SEED_45 = SEED_42 * (1 + 0.002 * NOISE)
# "Fed the true next return" through a test double: it misses only by a little noise.
ORACLE = 0.05 * np.abs(NOISE)

CASES: list[tuple[str, GateFacts, bool, str]] = [
    ("first champion level with naive", facts(NAIVE * 0.995), True, "No champion yet"),
    (
        "first champion not significantly worse",
        facts(NAIVE * (1 + 0.3 * NOISE).clip(0)),
        True,
        "Not significantly worse than the naive forecast",
    ),
    (
        "first champion significantly worse than naive",
        facts(NAIVE * 1.2),
        False,
        "Significantly worse than the naive forecast at h=1",
    ),
    (
        "worse than naive beyond the margin, not significantly (25 days)",
        facts(NAIVE[:25] * (1.1 + 0.3 * np.random.default_rng(3).normal(0, 1, 25))),
        False,
        "beyond the 5% margin",
    ),
    (
        "two seeds of one configuration",
        facts(SEED_45, SEED_42),
        False,
        "Not significantly better than champion v3",
    ),
    (
        "identical to the champion (a tie)",
        facts(SEED_42, SEED_42.copy()),
        False,
        "Not significantly better",
    ),
    (
        "a deliberately better model",
        facts(ORACLE, SEED_42),
        True,
        "Significantly better than champion v3 at h=1",
    ),
    (
        "significant but below the minimum gain",
        facts(SEED_42 * 0.995, SEED_42),
        False,
        "by less than required",
    ),
    (
        "the same gain passes with a lower minimum",
        facts(SEED_42 * 0.995, SEED_42, policy=GatePolicy(min_gain=0.001)),
        True,
        "Significantly better than champion v3 at h=1",
    ),
    (
        "better at h=1 but significantly worse at h=5",
        facts(ORACLE, SEED_42, candidate_h5=SEED_42 * 2.5, champion_h5=SEED_42 * 2.2),
        False,
        "Significantly worse than champion v3 at h=5",
    ),
    (
        "better at h=1, no significant loss at h=5",
        facts(
            ORACLE,
            SEED_42,
            candidate_h5=SEED_42 * 2.2 * (1 + 0.01 * NOISE),
            champion_h5=SEED_42 * 2.2,
        ),
        True,
        "No significant loss against champion v3 at h=5",
    ),
    ("too few unseen days", facts(ORACLE[:5], SEED_42[:5]), False, "Only 5 evaluation days"),
    ("no unseen day at all", facts(ORACLE[:0], SEED_42[:0]), False, "Only 0 evaluation days"),
    ("non-finite forecasts", facts(np.full(N, np.nan)), False, "not all finite"),
]


@pytest.mark.parametrize(
    ("facts_", "promote", "fragment"), [case[1:] for case in CASES], ids=[c[0] for c in CASES]
)
def test_gate_decisions(facts_: GateFacts, promote: bool, fragment: str) -> None:
    decision = decide_promotion(facts_)
    assert decision.promote is promote, decision.reasons
    assert any(fragment in reason for reason in decision.reasons), decision.reasons
    assert all(reason.endswith(".") for reason in decision.reasons)  # sentences


def test_the_record_carries_every_statistic_and_the_decisive_p_value() -> None:
    decision = decide_promotion(facts(SEED_45, SEED_42))
    record: dict[str, Any] = decision.document()
    assert record["decision"] == "reject" and record["reasons"] == list(decision.reasons)
    assert record["days"] == {
        "after": "2016-11-14",
        "n": N,
        "start": "2016-11-15",
        "end": "2017-11-10",
        "candidate_train_end": "2016-11-14",
        "champion_train_end": "2016-11-14",
    }
    assert record["policy"] == {"p_level": 0.05, "min_gain": 0.01, "margin": 0.05}
    assert set(record["naive"]["h1"]) == {"rel_mae", "dm_statistic", "p_worse"}
    assert set(record["drift"]["h1"]) == {"mae_ratio", "dm_statistic", "p_better"}
    h1, h5 = record["champion"]["h1"], record["champion"]["h5"]
    assert set(h1) == {"candidate_mae", "champion_mae", "gain", "dm_statistic", "p_better"}
    assert set(h5) == {"candidate_mae", "champion_mae", "dm_statistic", "p_worse"}
    assert record["champion"]["version"] == 3
    # Against a champion the p-value is the h=1 test "candidate better": the seeds differ by noise.
    assert record["p_value"] == h1["p_better"] and h1["p_better"] > 0.05
    assert abs(h1["gain"]) < 0.001
    assert "smaller than champion v3's" in record["p_value_test"]


def test_a_first_champion_reports_the_naive_test_p_value() -> None:
    decision = decide_promotion(facts(NAIVE * 0.995))
    assert decision.p_value == decision.statistics["naive"]["h1"]["p_worse"]
    assert "larger than the naive forecast's" in decision.p_value_test
    assert decision.statistics["champion"] is None
    assert decision.label == "promote"


def test_without_five_step_forecasts_only_h1_decides() -> None:
    case = facts(ORACLE, SEED_42)
    no_h5 = GateFacts(
        case.days,
        Errors(ORACLE),
        case.naive,
        case.drift,
        ChampionErrors(3, Errors(SEED_42)),
    )
    decision = decide_promotion(no_h5)
    assert decision.promote and any("No comparison at h=5" in r for r in decision.reasons)
