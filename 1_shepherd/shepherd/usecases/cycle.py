"""One cycle for one ticker: lock -> staleness -> load -> decide -> train -> reload -> verify.

Every cycle is a `pipeline_runs` row, written at the start (status 'running') and at the end
(status, reason, rows loaded, model version, and in `detail` the outcome, action, staleness,
facts, the gate's decision and p-value, and per-step seconds). A step that fails ends the
cycle as 'failed' with a reason naming the step; what ran before stays (loaded rows are real
data), the champion moves only inside the training package's gate, and the next cycle retries.
"""

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any, Protocol

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from shepherd.adapters import runs_table
from shepherd.adapters.clock import Clock
from shepherd.adapters.estimator_client import ReloadReport
from shepherd.adapters.http import ServiceError
from shepherd.adapters.load_data_client import LoadReport
from shepherd.adapters.lock import ticker_lock
from shepherd.adapters.models_table import current_champion
from shepherd.adapters.prices_table import newest_close
from shepherd.adapters.trainer import TrainingFailed
from shepherd.domain.decision import Action, Decision, Drift, Policy, decide, facts_of
from shepherd.domain.outcome import (
    TABLE_STATUS,
    Outcome,
    TrainingReport,
    Verdict,
    serving_verdict,
    training_verdict,
)
from shepherd.domain.staleness import CalendarRangeError, Sessions, Staleness, staleness

log = logging.getLogger(__name__)
# Under the lock nobody else runs a cycle of the ticker, so an older 'running' row is a dead
# process's. The margin spares a loser's row in the milliseconds before it records "locked".
ORPHAN_MARGIN = timedelta(minutes=1)


class Trigger(StrEnum):
    SCHEDULE = "schedule"  # the scheduler (incl. a missed run caught up at start)
    MANUAL = "manual"  # POST /runs
    CRON = "cron"  # `python -m shepherd run-once` (system cron, a Kubernetes CronJob)


# pipeline_runs.trigger allows schedule|manual|bootstrap today: run-once is stored as
# 'manual' with detail.trigger 'cron' until the migration in README.md adds 'cron'.
TABLE_TRIGGER = {Trigger.SCHEDULE: "schedule", Trigger.MANUAL: "manual", Trigger.CRON: "cron"}


class Loader(Protocol):
    def load(self, ticker: str, start: date, end: date) -> LoadReport: ...


class Estimator(Protocol):
    def reload(self, ticker: str) -> ReloadReport: ...
    def served_version(self, ticker: str) -> int | None: ...


class DriftSource(Protocol):
    def drift(self, ticker: str) -> Drift: ...


class Trainer(Protocol):
    def train(self, ticker: str, fine_tune: bool) -> TrainingReport: ...


@dataclass(frozen=True)
class Shepherd:
    """What a cycle needs: the database, the calendar, the policy, the other services."""

    engine: Engine
    sessions: Sessions
    policy: Policy
    history_start: date
    loader: Loader
    estimator: Estimator
    metrics: DriftSource
    trainer: Trainer
    clock: Clock


@dataclass(frozen=True)
class CycleResult:
    run_id: int
    ticker: str
    outcome: Outcome
    reason: str
    rows_loaded: int | None
    model_version: int | None

    @property
    def status(self) -> str:
        return TABLE_STATUS[self.outcome]

    @property
    def ok(self) -> bool:
        """False only for a failure: refusals, "locked" and "nothing to do" are normal."""
        return self.outcome != Outcome.FAILED

    def summary(self) -> str:
        return f"{self.ticker}: {self.outcome.value} (run {self.run_id}) - {self.reason}"


def begin_cycle(shepherd: Shepherd, ticker: str, trigger: Trigger, force: bool) -> int:
    """The cycle's row, status 'running'; returns its id (POST /runs answers with it)."""
    detail = {"outcome": Outcome.RUNNING.value, "trigger": trigger.value, "force": force}
    return runs_table.start_run(
        shepherd.engine, ticker, TABLE_TRIGGER[trigger], shepherd.clock(), detail
    )


def run_cycle(
    shepherd: Shepherd, ticker: str, trigger: Trigger, force: bool = False
) -> CycleResult:
    run_id = begin_cycle(shepherd, ticker, trigger, force)
    return continue_cycle(shepherd, run_id, ticker, trigger, force)


def continue_cycle(
    shepherd: Shepherd, run_id: int, ticker: str, trigger: Trigger, force: bool = False
) -> CycleResult:
    """Everything after the row exists; never raises (a failure is the result)."""
    cycle = _Cycle(shepherd, run_id, ticker, trigger, force)
    try:
        with ticker_lock(shepherd.engine, ticker) as held:
            verdict = cycle.steps() if held else cycle.locked()
    except (ServiceError, TrainingFailed, CalendarRangeError) as error:
        verdict = Verdict(Outcome.FAILED, f"failed at {cycle.step}: {error}")
    except SQLAlchemyError as error:
        log.warning("cycle %d of %s: database error at %s: %s", run_id, ticker, cycle.step, error)
        verdict = Verdict(
            Outcome.FAILED, f"failed at {cycle.step}: database error {error.__class__.__name__}"
        )
    except Exception as error:  # a bug: still a recorded, failed cycle, never a dead thread
        log.exception("cycle %d of %s failed unexpectedly at %s", run_id, ticker, cycle.step)
        verdict = Verdict(
            Outcome.FAILED, f"failed at {cycle.step}: {error.__class__.__name__}: {error}"
        )
    return cycle.finish(verdict)


class _Cycle:
    def __init__(
        self, shepherd: Shepherd, run_id: int, ticker: str, trigger: Trigger, force: bool
    ) -> None:
        self.s = shepherd
        self.run_id = run_id
        self.ticker = ticker
        self.force = force
        self.step = "lock"
        self.rows_loaded: int | None = None
        self.model_version: int | None = None
        self.timings: dict[str, float] = {}
        self.detail: dict[str, Any] = {"trigger": trigger.value, "force": force}

    @contextmanager
    def timed(self, step: str) -> Iterator[None]:
        self.step = step
        began = time.perf_counter()
        try:
            yield
        finally:
            self.timings[step] = round(time.perf_counter() - began, 3)

    def locked(self) -> Verdict:
        return Verdict(
            Outcome.LOCKED,
            f"locked: another cycle of {self.ticker} holds the lock; this one did nothing",
        )

    def steps(self) -> Verdict:
        now = self.s.clock()
        runs_table.abandon_orphans(self.s.engine, self.ticker, now - ORPHAN_MARGIN, now)
        with self.timed("staleness"):
            stale = self.measure(now)
        if stale.fresh and not self.force:
            return Verdict(Outcome.NOTHING_TO_DO, stale.describe())
        loaded = ""
        if not stale.fresh:
            with self.timed("load"):
                loaded = self.load(stale)
        with self.timed("decide"):
            decision = self.decide(now)
        if decision.action == Action.NONE:
            outcome = Outcome.SUCCEEDED if self.rows_loaded else Outcome.NOTHING_TO_DO
            return Verdict(outcome, _join(loaded, decision.reason))
        with self.timed("train"):
            report = self.s.trainer.train(self.ticker, decision.action == Action.FINE_TUNE)
            self.record_training(report)
        refused = training_verdict(report)
        if refused is not None:
            return Verdict(refused.outcome, _join(refused.reason, decision.reason, loaded))
        with self.timed("reload"):
            reload = self.s.estimator.reload(self.ticker)
            self.detail["reload"] = {
                "outcome": reload.outcome,
                "version": reload.version,
                "error": reload.error,
            }
        with self.timed("verify"):
            served = self.s.estimator.served_version(self.ticker)
            self.detail["served_version"] = served
        verdict = serving_verdict(report.version, reload.outcome, reload.error, served)
        return Verdict(verdict.outcome, _join(verdict.reason, decision.reason, loaded))

    def measure(self, now: datetime) -> Staleness:
        newest = newest_close(self.s.engine, self.ticker)
        stale = staleness(newest, now, self.s.sessions, self.s.history_start)
        self.detail["staleness"] = {
            "newest_stored": _iso(stale.newest_stored),
            "last_completed": _iso(stale.last_completed),
            "missing_sessions": stale.missing,
            "first_missing": _iso(stale.first_missing),
            "last_missing": _iso(stale.last_missing),
            "as_of": now.isoformat(),
        }
        return stale

    def load(self, stale: Staleness) -> str:
        assert stale.first_missing is not None and stale.last_missing is not None
        report = self.s.loader.load(self.ticker, stale.first_missing, stale.last_missing)
        self.rows_loaded = report.rows
        self.detail["load"] = report.as_detail()
        newest = newest_close(self.s.engine, self.ticker)
        self.detail["newest_stored_after_load"] = _iso(newest)
        if newest is None or (stale.newest_stored is not None and newest <= stale.newest_stored):
            raise ServiceError(
                "2_load_data",
                f"no rows for the {stale.missing} missing session(s) "
                f"{stale.first_missing}..{stale.last_missing} from source {report.source} "
                f"(fetched {report.fetched}); the next cycle tries again",
            )
        behind = self.s.sessions.count_between(newest, stale.last_missing)
        partly = f", still {behind} session(s) behind" if behind else ""
        return f"loaded {report.rows} row(s) up to {newest} from {report.source}{partly}"

    def decide(self, now: datetime) -> Decision:
        champion = current_champion(self.s.engine, self.ticker)
        newest = newest_close(self.s.engine, self.ticker)
        drift = (
            self.s.metrics.drift(self.ticker)
            if champion is not None
            else Drift(None, "not asked: no champion")
        )
        facts = facts_of(champion, newest, now, self.s.sessions, drift, self.force)
        decision = decide(facts, self.s.policy)
        self.detail["facts"] = {
            "champion_version": facts.champion_version,
            "champion_data_end": _iso(champion.data_end) if champion else None,
            "new_sessions": facts.new_sessions,
            "days_since_training": facts.days_since_training,
            "drift_detected": facts.drift.detected,
            "drift_note": facts.drift.note,
            "fine_tune_after_sessions": self.s.policy.fine_tune_after_sessions,
            "retrain_after_days": self.s.policy.retrain_after_days,
        }
        self.detail["action"] = decision.action.value
        self.detail["decision_reason"] = decision.reason
        log.info("cycle %d of %s: %s", self.run_id, self.ticker, decision.reason)
        return decision

    def record_training(self, report: TrainingReport) -> None:
        self.model_version = report.version
        self.detail["model"] = {
            "name": report.model_name,
            "version": report.version,
            "promoted": report.promoted,
        }
        self.detail["gate"] = {
            "decision": report.gate_decision or ("promote" if report.promoted else "reject"),
            "p_value": report.gate_p_value,
            "reasons": list(report.reasons),
        }

    def finish(self, verdict: Verdict) -> CycleResult:
        self.detail.update(outcome=verdict.outcome.value, step=self.step, timings=self.timings)
        result = CycleResult(
            run_id=self.run_id,
            ticker=self.ticker,
            outcome=verdict.outcome,
            reason=verdict.reason,
            rows_loaded=self.rows_loaded,
            model_version=self.model_version,
        )
        try:
            runs_table.finish_run(
                self.s.engine,
                self.run_id,
                finished_at=self.s.clock(),
                status=result.status,
                reason=result.reason,
                rows_loaded=self.rows_loaded,
                model_version=self.model_version,
                detail=self.detail,
            )
        except SQLAlchemyError as error:
            log.error(
                "cycle %d of %s: could not record its end: %s", self.run_id, self.ticker, error
            )
        log.info("cycle %s", result.summary())
        return result


def _join(*parts: str) -> str:
    return "; ".join(part for part in parts if part)


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()
