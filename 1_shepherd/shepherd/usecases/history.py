"""The recorded cycles, as the dashboard shows them: the row's columns plus what `detail`
holds (outcome, action, gate decision and p-value, staleness, step timings) as fields."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine

from shepherd.adapters import runs_table
from shepherd.domain.outcome import Outcome, outcome_of_row


@dataclass(frozen=True)
class RunView:
    id: int
    ticker: str
    trigger: str  # as intended: schedule | manual | cron (the table says manual for cron)
    started_at: datetime
    finished_at: datetime | None
    duration_seconds: float | None
    status: str  # the table's: running | succeeded | failed | skipped
    outcome: Outcome  # finer: ... | nothing_to_do | locked | refused
    reason: str | None
    rows_loaded: int | None
    model_version: int | None
    action: str | None  # none | fine_tune | retrain (null: the cycle ended before deciding)
    gate_decision: str | None  # promote | reject
    gate_p_value: float | None
    force: bool
    step: str | None  # the last step reached (where a failure happened)
    staleness: dict[str, Any] | None
    facts: dict[str, Any] | None
    timings: dict[str, float]


def recent_runs(engine: Engine, ticker: str | None, limit: int) -> list[RunView]:
    return [view_of(row) for row in runs_table.recent_runs(engine, ticker, limit)]


def find_run(engine: Engine, run_id: int) -> RunView | None:
    row = runs_table.get_run(engine, run_id)
    return None if row is None else view_of(row)


def view_of(row: runs_table.RunRow) -> RunView:
    detail = row.detail
    gate = detail.get("gate")
    if not isinstance(gate, dict):
        gate = {}
    duration = (
        None
        if row.finished_at is None
        else round((row.finished_at - row.started_at).total_seconds(), 3)
    )
    p_value = gate.get("p_value")
    timings = detail.get("timings")
    return RunView(
        id=row.id,
        ticker=row.ticker,
        trigger=str(detail.get("trigger") or row.trigger),
        started_at=row.started_at,
        finished_at=row.finished_at,
        duration_seconds=duration,
        status=row.status,
        outcome=outcome_of_row(row.status, detail.get("outcome")),
        reason=row.reason,
        rows_loaded=row.rows_loaded,
        model_version=row.model_version,
        action=_text(detail.get("action")),
        gate_decision=_text(gate.get("decision")),
        gate_p_value=float(p_value) if isinstance(p_value, int | float) else None,
        force=bool(detail.get("force", False)),
        step=_text(detail.get("step")),
        staleness=_mapping(detail.get("staleness")),
        facts=_mapping(detail.get("facts")),
        timings=timings if isinstance(timings, dict) else {},
    )


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _mapping(value: object) -> dict[str, Any] | None:
    return value if isinstance(value, dict) else None
