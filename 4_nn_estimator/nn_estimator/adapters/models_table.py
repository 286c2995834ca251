"""Adapter: the shared `models` table (one row per registered version)."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, insert, update

from stock_db import models


def record_version(
    connection: Connection,
    *,
    ticker: str,
    name: str,
    version: int,
    run_id: str,
    promoted: bool,
    trained_at: datetime,
    train_start: date,
    train_end: date,
    metrics: dict[str, Any],
    gate: dict[str, Any],
    decided_at: datetime,
) -> None:
    """Insert the new version's row (with the gate's record: decision, reasons, the judged
    days, every statistic and p-value); on promotion, retire the previous champion first.
    Runs inside the caller's transaction so the table and the alias move together."""
    if promoted:
        connection.execute(
            update(models)
            .where(models.c.name == name, models.c.status == "champion")
            .values(status="retired")
        )
    connection.execute(
        insert(models).values(
            ticker=ticker,
            name=name,
            version=version,
            run_id=run_id,
            status="champion" if promoted else "rejected",
            trained_at=trained_at,
            train_start=train_start,
            train_end=train_end,
            metrics=metrics,
            gate=gate,
            promoted_at=decided_at if promoted else None,
        )
    )
