"""GET /models: a ticker's recent versions as the `models` table records them (status, training
range, the evaluation metrics and the gate's decision), newest first."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine

from estimator_api.adapters.models_table import recent_versions

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


@dataclass(frozen=True)
class ModelVersion:
    version: int
    name: str
    status: str  # champion | retired | rejected
    trained_at: dt.datetime
    train_start: dt.date
    train_end: dt.date
    promoted_at: dt.datetime | None
    metrics: dict[str, Any] | None
    gate: dict[str, Any] | None  # as the gate stored it (null for versions before the record)


def _utc(moment: dt.datetime) -> dt.datetime:
    """SQLite hands back naive datetimes; the suite writes them in UTC."""
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


def _document(value: Any) -> dict[str, Any] | None:
    return value if isinstance(value, dict) else None


def model_versions(engine: Engine, ticker: str, limit: int) -> list[ModelVersion]:
    """The ticker's newest `limit` versions (an empty list when it has none). Raises
    SQLAlchemyError when the database does not answer."""
    return [
        ModelVersion(
            version=int(row["version"]),
            name=str(row["name"]),
            status=str(row["status"]),
            trained_at=_utc(row["trained_at"]),
            train_start=row["train_start"],
            train_end=row["train_end"],
            promoted_at=_utc(row["promoted_at"]) if row["promoted_at"] is not None else None,
            metrics=_document(row["metrics"]),
            gate=_document(row["gate"]),
        )
        for row in recent_versions(engine, ticker, limit)
    ]
