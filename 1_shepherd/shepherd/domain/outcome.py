"""How a cycle ends: its outcome, the reason, and the `pipeline_runs.status` it is stored as.

Each outcome has its status (migration 0004 added 'locked' and 'refused'); "nothing to do" is
stored as 'skipped'. 'failed' is kept for errors, which are what someone must look at; the
reason starts with the outcome's word.
"""

from dataclasses import dataclass
from enum import StrEnum


class Outcome(StrEnum):
    RUNNING = "running"
    SUCCEEDED = "succeeded"  # data loaded and/or a new champion is served
    NOTHING_TO_DO = "nothing_to_do"  # fresh data, or new data too little to train on
    LOCKED = "locked"  # another cycle of the ticker holds the lock
    REFUSED = "refused"  # the gate kept the champion
    FAILED = "failed"  # a step failed; the champion and the data are as they were


TABLE_STATUS: dict[Outcome, str] = {
    Outcome.RUNNING: "running",
    Outcome.SUCCEEDED: "succeeded",
    Outcome.NOTHING_TO_DO: "skipped",
    Outcome.LOCKED: "locked",
    Outcome.REFUSED: "refused",
    Outcome.FAILED: "failed",
}


def outcome_of_row(status: str, detail_outcome: object) -> Outcome:
    """The outcome of a stored row: `detail.outcome` when it names one, else the status."""
    if isinstance(detail_outcome, str) and detail_outcome in {o.value for o in Outcome}:
        return Outcome(detail_outcome)
    fallback = {"running": Outcome.RUNNING, "succeeded": Outcome.SUCCEEDED}
    return fallback.get(status, Outcome.FAILED if status == "failed" else Outcome.NOTHING_TO_DO)


@dataclass(frozen=True)
class TrainingReport:
    """What the training child process reported (its one JSON line)."""

    model_name: str
    version: int
    promoted: bool
    reasons: tuple[str, ...]
    gate_decision: str | None  # 'promote' | 'reject'
    gate_p_value: float | None


@dataclass(frozen=True)
class Verdict:
    outcome: Outcome
    reason: str


def training_verdict(report: TrainingReport) -> Verdict | None:
    """None when the candidate was promoted (the cycle goes on to the reload); a refusal
    otherwise, with the gate's reasons."""
    if report.promoted:
        return None
    why = "; ".join(report.reasons) or "no reason given"
    p_value = "" if report.gate_p_value is None else f" (p={report.gate_p_value:.3g})"
    return Verdict(
        Outcome.REFUSED,
        f"refused: the gate kept the champion; {report.model_name} v{report.version} "
        f"rejected{p_value}: {why}",
    )


def serving_verdict(
    version: int, reload_outcome: str | None, reload_error: str | None, served: int | None
) -> Verdict:
    """Whether the api serves `version` after the reload: success only when GET /model says so."""
    if served == version:
        return Verdict(Outcome.SUCCEEDED, f"v{version} promoted and served by the api")
    said = reload_outcome or "no answer for the ticker"
    if reload_error:
        said += f" ({reload_error})"
    now_serving = "nothing" if served is None else f"v{served}"
    return Verdict(
        Outcome.FAILED,
        f"failed at verify: v{version} was promoted but the api serves {now_serving} after "
        f"the reload (reload: {said}); it will load it at its next poll",
    )
