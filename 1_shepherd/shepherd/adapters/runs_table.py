"""The pipeline_runs table: one row per cycle, written when it starts (status 'running') and
when it ends. All of the shepherd's SQL on it lives here."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, func, insert, select, update

from shepherd.adapters.models_table import as_utc
from stock_db import pipeline_runs
from stock_db.jsonio import json_safe


@dataclass(frozen=True)
class RunRow:
    id: int
    ticker: str
    trigger: str
    started_at: datetime
    finished_at: datetime | None
    status: str
    reason: str | None
    rows_loaded: int | None
    model_version: int | None
    detail: dict[str, Any]


def start_run(
    engine: Engine, ticker: str, trigger: str, started_at: datetime, detail: dict[str, Any]
) -> int:
    statement = (
        insert(pipeline_runs)
        .values(
            ticker=ticker,
            trigger=trigger,
            started_at=started_at,
            status="running",
            detail=json_safe(detail),
        )
        .returning(pipeline_runs.c.id)
    )
    with engine.begin() as connection:
        return int(connection.execute(statement).scalar_one())


def finish_run(
    engine: Engine,
    run_id: int,
    *,
    finished_at: datetime,
    status: str,
    reason: str,
    rows_loaded: int | None,
    model_version: int | None,
    detail: dict[str, Any],
) -> None:
    statement = (
        update(pipeline_runs)
        .where(pipeline_runs.c.id == run_id)
        .values(
            finished_at=finished_at,
            status=status,
            reason=reason,
            rows_loaded=rows_loaded,
            model_version=model_version,
            detail=json_safe(detail),
        )
    )
    with engine.begin() as connection:
        connection.execute(statement)


def abandon_orphans(
    engine: Engine, ticker: str, started_before: datetime, finished_at: datetime
) -> int:
    """Rows of `ticker` still 'running' that started before `started_before`: their process
    died (the caller holds the ticker's lock, so nobody else is running a cycle). Marked
    failed so the history does not show them running forever. Returns how many."""
    statement = (
        update(pipeline_runs)
        .where(
            pipeline_runs.c.ticker == ticker,
            pipeline_runs.c.status == "running",
            pipeline_runs.c.started_at < started_before,
        )
        .values(
            status="failed",
            finished_at=finished_at,
            reason="failed: abandoned (the process running this cycle stopped before it ended)",
        )
    )
    with engine.begin() as connection:
        return int(connection.execute(statement).rowcount)


def recent_runs(engine: Engine, ticker: str | None, limit: int) -> list[RunRow]:
    """Newest first."""
    query = select(pipeline_runs)
    if ticker is not None:
        query = query.where(pipeline_runs.c.ticker == ticker)
    query = query.order_by(pipeline_runs.c.started_at.desc(), pipeline_runs.c.id.desc())
    with engine.connect() as connection:
        return [_row(row) for row in connection.execute(query.limit(limit)).mappings()]


def get_run(engine: Engine, run_id: int) -> RunRow | None:
    with engine.connect() as connection:
        row = (
            connection.execute(select(pipeline_runs).where(pipeline_runs.c.id == run_id))
            .mappings()
            .first()
        )
    return None if row is None else _row(row)


def last_started(engine: Engine, ticker: str, trigger: str) -> datetime | None:
    """When the newest cycle of `ticker` with `trigger` started (for the missed-run check)."""
    query = (
        select(pipeline_runs.c.started_at)
        .where(pipeline_runs.c.ticker == ticker, pipeline_runs.c.trigger == trigger)
        .order_by(pipeline_runs.c.started_at.desc())
        .limit(1)
    )
    with engine.connect() as connection:
        started = connection.scalar(query)
    return None if started is None else as_utc(started)


def _row(row: Any) -> RunRow:
    detail = row["detail"]
    return RunRow(
        id=int(row["id"]),
        ticker=row["ticker"],
        trigger=row["trigger"],
        started_at=as_utc(row["started_at"]),
        finished_at=None if row["finished_at"] is None else as_utc(row["finished_at"]),
        status=row["status"],
        reason=row["reason"],
        rows_loaded=row["rows_loaded"],
        model_version=row["model_version"],
        detail=detail if isinstance(detail, dict) else {},
    )


def last_finished_by_status(engine: Engine, statuses: tuple[str, ...]) -> dict[str, datetime]:
    """Per ticker, when its newest cycle with one of `statuses` finished."""
    query = (
        select(pipeline_runs.c.ticker, func.max(pipeline_runs.c.finished_at))
        .where(pipeline_runs.c.status.in_(statuses), pipeline_runs.c.finished_at.is_not(None))
        .group_by(pipeline_runs.c.ticker)
    )
    with engine.connect() as connection:
        return {ticker: as_utc(at) for ticker, at in connection.execute(query)}
