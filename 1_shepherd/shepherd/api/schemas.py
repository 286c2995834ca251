"""Request and response bodies of the HTTP API (separate from the table and the use cases'
dataclasses, so internals stay in)."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from shepherd.usecases.history import RunView
from shepherd.usecases.schedule import ScheduleView
from stock_db.health import Health
from stock_db.rules import TICKER_DESCRIPTION, Ticker


class RunOut(BaseModel):
    id: int
    ticker: str
    trigger: str = Field(description="schedule | manual (POST /runs) | cron (run-once)")
    started_at: datetime
    finished_at: datetime | None
    duration_seconds: float | None
    status: str = Field(
        description="The table's status: running | succeeded | failed | skipped | locked | refused"
    )
    outcome: str = Field(
        description="running | succeeded | nothing_to_do | locked | refused | failed "
        "(status skipped is nothing_to_do)"
    )
    reason: str | None = Field(description="Why it ended so; starts with the outcome's word")
    rows_loaded: int | None = Field(description="Price rows inserted or updated by the load")
    model_version: int | None = Field(description="The version this cycle trained, if any")
    action: str | None = Field(description="none | fine_tune | retrain (null: ended before)")
    gate_decision: str | None = Field(description="promote | reject")
    gate_p_value: float | None
    force: bool
    step: str | None = Field(description="The last step reached: where a failure happened")
    staleness: dict[str, Any] | None
    facts: dict[str, Any] | None = Field(description="What the retrain decision was given")
    timings: dict[str, float] = Field(description="Seconds per step")

    @classmethod
    def of(cls, run: RunView) -> "RunOut":
        return cls(
            id=run.id,
            ticker=run.ticker,
            trigger=run.trigger,
            started_at=run.started_at,
            finished_at=run.finished_at,
            duration_seconds=run.duration_seconds,
            status=run.status,
            outcome=run.outcome.value,
            reason=run.reason,
            rows_loaded=run.rows_loaded,
            model_version=run.model_version,
            action=run.action,
            gate_decision=run.gate_decision,
            gate_p_value=run.gate_p_value,
            force=run.force,
            step=run.step,
            staleness=run.staleness,
            facts=run.facts,
            timings=run.timings,
        )


class RunsResponse(BaseModel):
    runs: list[RunOut] = Field(description="Newest first")


class RunRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"ticker": "MSFT", "force": False}]}
    )

    ticker: Ticker = Field(description=TICKER_DESCRIPTION + "; one of TICKERS")
    force: bool = Field(
        default=False,
        strict=True,  # JSON true/false only: 0, "yes" or "false" are refused, not guessed
        description="Go on when nothing is stale, and fine-tune even below the threshold",
    )


class RunAccepted(BaseModel):
    run_id: int
    ticker: str
    status: str = Field(description="Always 'running': follow it at GET /runs/{run_id}")


class JobOut(BaseModel):
    id: str
    ticker: str
    next_run_time: datetime | None


class ScheduleResponse(BaseModel):
    enabled: bool
    expression: str = Field(description="SHEPHERD_SCHEDULE, a crontab, or 'off'")
    timezone: str = Field(description="Where the expression is read: the exchange's zone")
    misfire_grace_seconds: int
    jobs: list[JobOut]

    @classmethod
    def of(cls, view: ScheduleView) -> "ScheduleResponse":
        return cls(
            enabled=view.enabled,
            expression=view.expression,
            timezone=view.timezone,
            misfire_grace_seconds=view.misfire_grace_seconds,
            jobs=[
                JobOut(id=j.id, ticker=j.ticker, next_run_time=j.next_run_time) for j in view.jobs
            ],
        )


class HealthResponse(Health):
    """The suite's /health fields, plus the scheduler's state and the tickers it keeps."""

    scheduler: str = Field(description="'running', 'stopped' or 'off' (SHEPHERD_SCHEDULE=off)")
    tickers: list[str]


class ErrorMessage(BaseModel):
    detail: str
