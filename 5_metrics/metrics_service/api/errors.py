"""The exception -> HTTP answer table of the service:

- UnknownTicker (no prices for it): 404 `{"detail": "unknown ticker ..."}`;
- InvalidField (a date out of bounds, a reversed or too long range, drift work above the
  limit): 422 shaped like FastAPI's own, its `loc` naming the query parameter;
- any SQLAlchemyError (unreachable, not a database, a failed query): 503
  `{"detail": "database unavailable: ..."}`.
"""

import logging

from fastapi import FastAPI, Request
from sqlalchemy.exc import SQLAlchemyError

from metrics_service.usecases.model_choice import UnknownTicker
from stock_db.jsonio import StrictJSONResponse
from stock_db.rules import InvalidField

log = logging.getLogger(__name__)


async def unknown_ticker(_request: Request, error: Exception) -> StrictJSONResponse:
    return StrictJSONResponse(
        {"detail": f"unknown ticker {error}: no prices loaded for it"}, status_code=404
    )


async def invalid_parameter(request: Request, error: Exception) -> StrictJSONResponse:
    """A 422 like FastAPI's own validation errors, naming the query parameter."""
    assert isinstance(error, InvalidField)  # registered for it only
    value = request.query_params.get(error.field)
    detail = {"type": "value_error", "loc": ["query", error.field], "msg": error.message}
    return StrictJSONResponse({"detail": [detail | {"input": value}]}, status_code=422)


async def database_unavailable(_request: Request, error: Exception) -> StrictJSONResponse:
    # Every SQLAlchemy error: refused connections, timeouts, a server going away, a file that
    # is not a database, a schema the query does not match. The database is what failed.
    log.warning("database unavailable: %s: %s", type(error).__name__, error)
    lines = str(getattr(error, "orig", None) or error).strip().splitlines()
    reason = lines[0] if lines else type(error).__name__
    return StrictJSONResponse(
        {"detail": f"database unavailable: {reason} ({type(error).__name__})"}, status_code=503
    )


def register_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(UnknownTicker, unknown_ticker)
    app.add_exception_handler(InvalidField, invalid_parameter)
    app.add_exception_handler(SQLAlchemyError, database_unavailable)
