"""The retrain decision: a pure predicate, facts in, (action, reason) out, as a table."""

from datetime import UTC, date, datetime

import pytest

from shepherd.domain.decision import Action, Champion, Drift, Facts, Policy, decide, facts_of
from shepherd.domain.staleness import Sessions

POLICY = Policy(fine_tune_after_sessions=20, retrain_after_days=180)
NO_DRIFT = Drift(False, "ks p_value 0.4")
DRIFT = Drift(True, "ks p_value 0.001")
UNKNOWN = Drift(None, "metrics unavailable: connection refused")


def facts(
    champion: int | None = 3,
    new: int = 0,
    age: int | None = 10,
    drift: Drift = NO_DRIFT,
    force: bool = False,
) -> Facts:
    return Facts(champion, new, age if champion else None, drift, force)


CASES = [
    # name, facts, action, words the reason must hold
    ("fresh: nothing new", facts(new=0), Action.NONE, "0 new session(s)"),
    ("stale by one session", facts(new=1), Action.NONE, "(< 20)"),
    ("just below the period", facts(new=19), Action.NONE, "no training"),
    ("the period reached", facts(new=20), Action.FINE_TUNE, "(>= 20)"),
    ("well past the period", facts(new=60), Action.FINE_TUNE, "fine-tune"),
    ("drift detected", facts(new=1, drift=DRIFT), Action.RETRAIN, "drift detected"),
    ("drift wins over fine-tune", facts(new=60, drift=DRIFT), Action.RETRAIN, "full retrain"),
    ("no champion", facts(champion=None), Action.RETRAIN, "no champion"),
    ("no champion, drift", facts(champion=None, drift=DRIFT), Action.RETRAIN, "no champion"),
    ("drift unknown: not detected", facts(new=1, drift=UNKNOWN), Action.NONE, "drift unknown"),
    ("drift unknown, stale", facts(new=25, drift=UNKNOWN), Action.FINE_TUNE, "treated as not"),
    ("champion too old", facts(new=3, age=180), Action.RETRAIN, "trained 180 days ago"),
    ("champion not yet too old", facts(new=3, age=179), Action.NONE, "no training"),
    ("forced", facts(new=2, force=True), Action.FINE_TUNE, "forced"),
    ("forced, past the period", facts(new=30, force=True), Action.FINE_TUNE, "(>= 20)"),
    ("forced, no champion", facts(champion=None, force=True), Action.RETRAIN, "no champion"),
]


@pytest.mark.parametrize(
    ("given", "action", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_decide(given: Facts, action: Action, words: str) -> None:
    decision = decide(given, POLICY)
    assert decision.action == action
    assert words in decision.reason


def test_the_reason_names_the_champion_and_the_drift_evidence() -> None:
    reason = decide(facts(new=20), POLICY).reason
    assert "champion v3" in reason and "ks p_value 0.4" in reason


def test_facts_count_sessions_on_the_calendar(sessions: Sessions) -> None:
    champion = Champion(3, datetime(2024, 11, 1, tzinfo=UTC), data_end=date(2024, 11, 22))
    now = datetime(2024, 11, 30, tzinfo=UTC)
    found = facts_of(champion, date(2024, 11, 29), now, sessions, NO_DRIFT)
    # 25, 26, 27, (Thanksgiving), 29
    assert (found.new_sessions, found.days_since_training) == (4, 29)
    assert found.champion_version == 3


def test_facts_without_a_champion(sessions: Sessions) -> None:
    found = facts_of(None, date(2024, 11, 29), datetime(2024, 11, 30, tzinfo=UTC), sessions, DRIFT)
    assert (found.champion_version, found.new_sessions, found.days_since_training) == (
        None,
        0,
        None,
    )
