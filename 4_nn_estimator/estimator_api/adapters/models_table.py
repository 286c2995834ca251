"""The `models` table's history of a ticker, read only (what the gate recorded per version).
Raises SQLAlchemyError when the database does not answer."""

from typing import Any

from sqlalchemy import Engine, select

from stock_db import models


def recent_versions(engine: Engine, ticker: str, limit: int) -> list[dict[str, Any]]:
    """The ticker's newest `limit` rows, newest first (training time, then version)."""
    query = (
        select(models)
        .where(models.c.ticker == ticker)
        .order_by(models.c.trained_at.desc(), models.c.version.desc())
        .limit(limit)
    )
    with engine.connect() as connection:
        return [dict(row) for row in connection.execute(query).mappings()]
