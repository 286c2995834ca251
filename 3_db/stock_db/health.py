"""GET /health means the same in every service: the process is alive and the database
answers. 200 `{"status": "ok", "database": "ok"}`, or 503 `{"status": "degraded", "database":
"unreachable (<error>)"}`; services add their own fields beside these."""

import logging
from typing import Any

from fastapi import Response, status
from pydantic import BaseModel, Field
from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

log = logging.getLogger(__name__)


class Health(BaseModel):
    status: str = Field(description="'ok', or 'degraded' when the database does not answer")
    database: str = Field(description="'ok' or 'unreachable (<error class>)'")


HEALTH_RESPONSES: dict[int | str, dict[str, Any]] = {
    503: {"description": "The database does not answer (status 'degraded')"}
}


def database_status(engine: Engine) -> str:
    """'ok', or 'unreachable (<error class>)' when the database does not answer."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        log.warning("health: database unreachable: %s", error.__class__.__name__)
        return f"unreachable ({error.__class__.__name__})"
    return "ok"


def check_health(engine: Engine, response: Response) -> Health:
    """The shared fields; sets the response's status to 503 when the database is down."""
    database = database_status(engine)
    if database != "ok":
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
        return Health(status="degraded", database=database)
    return Health(status="ok", database=database)
