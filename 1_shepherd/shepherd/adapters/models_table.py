"""The models table, read only: the ticker's champion as the training package recorded it
(the same transaction moves the MLflow alias, so the two agree)."""

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Engine, select

from shepherd.domain.decision import Champion
from stock_db import models


def current_champion(engine: Engine, ticker: str) -> Champion | None:
    query = (
        select(models.c.version, models.c.trained_at, models.c.train_end, models.c.metrics)
        .where(models.c.ticker == ticker, models.c.status == "champion")
        .order_by(models.c.trained_at.desc(), models.c.version.desc())
        .limit(1)
    )
    with engine.connect() as connection:
        row = connection.execute(query).first()
    if row is None:
        return None
    return Champion(
        version=int(row.version),
        trained_at=as_utc(row.trained_at),
        data_end=data_end(row.metrics, row.train_end),
    )


def data_end(metrics: Any, train_end: date) -> date:
    """The newest close the model saw: the last day of its walk-forward holdout (`eval_end` in
    its metrics). `train_end` is the last *validation* day, a whole holdout (250 sessions by
    default) earlier, so counting new sessions from it would call every model stale."""
    if isinstance(metrics, dict) and isinstance(metrics.get("eval_end"), str):
        try:
            return date.fromisoformat(metrics["eval_end"])
        except ValueError:
            pass
    return train_end


def as_utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; the suite writes them in UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
