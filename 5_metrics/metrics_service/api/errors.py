"""Exception handlers: unknown ticker 404, invalid range 422, database unreachable 503."""

import logging

from fastapi import FastAPI, Request
from sqlalchemy.exc import InterfaceError, OperationalError

from metrics_service.usecases.history import InvalidRange
from metrics_service.usecases.model_choice import UnknownTicker
from stock_db.jsonio import StrictJSONResponse

log = logging.getLogger(__name__)


async def unknown_ticker(_request: Request, error: Exception) -> StrictJSONResponse:
    return StrictJSONResponse(
        {"detail": f"unknown ticker {error}: no prices loaded for it"}, status_code=404
    )


async def invalid_range(_request: Request, error: Exception) -> StrictJSONResponse:
    return StrictJSONResponse({"detail": str(error)}, status_code=422)


async def database_unavailable(_request: Request, error: Exception) -> StrictJSONResponse:
    # OperationalError covers refused connections, timeouts and a server going away.
    log.warning("database unavailable: %s", error)
    reason = str(getattr(error, "orig", error)).strip().splitlines()[0]
    return StrictJSONResponse({"detail": f"database unavailable: {reason}"}, status_code=503)


def register_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(UnknownTicker, unknown_ticker)
    app.add_exception_handler(InvalidRange, invalid_range)
    app.add_exception_handler(OperationalError, database_unavailable)
    app.add_exception_handler(InterfaceError, database_unavailable)
