"""Whether to train, as a pure predicate in the spirit of darts' `retrain` callable: facts in,
`(action, reason)` out, no clock and no I/O (the cycle gathers the facts).

Rules, first match wins:
1. no champion                                  -> retrain (nothing to fine-tune from)
2. drift detected by 5_metrics                  -> retrain (the old weights learnt another regime)
3. champion trained >= retrain_after_days ago   -> retrain (e.g. fine-tunes refused for months)
4. new sessions >= fine_tune_after_sessions     -> fine_tune
5. forced (run-once --force, POST /runs force)  -> fine_tune
6. otherwise                                    -> none

Drift that is unknown (5_metrics down, too little data) counts as not detected, and the reason
says so, so an outage of the metrics service never triggers a full retrain by itself.
"""

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from shepherd.domain.staleness import Sessions


class Action(StrEnum):
    NONE = "none"
    FINE_TUNE = "fine_tune"
    RETRAIN = "retrain"


@dataclass(frozen=True)
class Policy:
    fine_tune_after_sessions: int  # new sessions the champion never saw before a fine-tune
    retrain_after_days: int  # age of the champion (calendar days) that asks for a full retrain


@dataclass(frozen=True)
class Drift:
    """What 5_metrics said about the ticker's data drift: detected True/False, or None when it
    could not say (unreachable, too few days); `note` is the evidence or why it is unknown."""

    detected: bool | None
    note: str = ""


@dataclass(frozen=True)
class Facts:
    champion_version: int | None  # None: no champion at all
    new_sessions: int  # stored sessions after the newest close the champion saw
    days_since_training: int | None  # None without a champion
    drift: Drift
    force: bool = False


@dataclass(frozen=True)
class Champion:
    """The model holding alias `champion`, as the `models` table describes it."""

    version: int
    trained_at: datetime  # aware
    data_end: date  # the newest close it saw: its walk-forward holdout's last day


@dataclass(frozen=True)
class Decision:
    action: Action
    reason: str


def decide(facts: Facts, policy: Policy) -> Decision:
    """The action for these facts under `policy`, and a reason a person can read."""
    if facts.champion_version is None:
        return Decision(Action.RETRAIN, "no champion yet: full training")
    champion = f"champion v{facts.champion_version}"
    if facts.drift.detected:
        return Decision(Action.RETRAIN, f"data drift detected ({facts.drift.note}): full retrain")
    age = facts.days_since_training
    if age is not None and age >= policy.retrain_after_days:
        return Decision(
            Action.RETRAIN,
            f"{champion} trained {age} days ago (>= {policy.retrain_after_days}): full retrain",
        )
    drift = _drift_words(facts.drift)
    if facts.new_sessions >= policy.fine_tune_after_sessions:
        return Decision(
            Action.FINE_TUNE,
            f"{facts.new_sessions} new session(s) since {champion}'s data "
            f"(>= {policy.fine_tune_after_sessions}); {drift}: fine-tune",
        )
    if facts.force:
        return Decision(
            Action.FINE_TUNE,
            f"forced: fine-tune although only {facts.new_sessions} new session(s) since "
            f"{champion}'s data (< {policy.fine_tune_after_sessions}); {drift}",
        )
    return Decision(
        Action.NONE,
        f"{facts.new_sessions} new session(s) since {champion}'s data "
        f"(< {policy.fine_tune_after_sessions}); {drift}; no training",
    )


def _drift_words(drift: Drift) -> str:
    if drift.detected is None:
        return f"drift unknown ({drift.note or 'no report'}), treated as not detected"
    return f"no drift ({drift.note})" if drift.note else "no drift"


def facts_of(
    champion: Champion | None,
    newest_stored: date | None,
    now: datetime,
    sessions: Sessions,
    drift: Drift,
    force: bool = False,
) -> Facts:
    """The facts `decide` needs, from what the cycle read: sessions are counted on the
    exchange calendar from the champion's `data_end` to the newest stored close."""
    if champion is None:
        return Facts(None, 0, None, drift, force)
    return Facts(
        champion_version=champion.version,
        new_sessions=sessions.count_between(champion.data_end, newest_stored),
        days_since_training=max(0, (now - champion.trained_at).days),
        drift=drift,
        force=force,
    )
