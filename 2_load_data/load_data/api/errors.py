"""The exception -> HTTP answer table of the service, and 422s that name a request field.

| exception | answer |
|---|---|
| RequestValidationError (FastAPI's, or an InvalidField) | 422, the input echoed JSON-safe |
| TickerNotInSource (e.g. the sample has no AAPL) | 422 on `body.ticker` |
| TickerNotFoundUpstream (Yahoo knows no such ticker) | 404 |
| any other SourceError (source failed or unreadable) | 502 |
| NothingStored (GET /prices of an unknown ticker) | 404 |
| SQLAlchemyError (the transaction rolled back) | 503 |
"""

import logging
from typing import Any

from fastapi import FastAPI, Request, Response, status
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import SQLAlchemyError

from load_data.adapters.sources import SourceError, TickerNotFoundUpstream, TickerNotInSource
from load_data.usecases.read import NothingStored
from stock_db.jsonio import json_safe
from stock_db.rules import InvalidField

log = logging.getLogger(__name__)


def field_error(
    location: str, field: str, message: str, value: Any = None
) -> RequestValidationError:
    """A 422 shaped like FastAPI's own validation errors, naming the field."""
    return RequestValidationError(
        [{"type": "value_error", "loc": (location, field), "msg": message, "input": value}]
    )


def invalid_field(location: str, error: InvalidField, value: Any = None) -> RequestValidationError:
    return field_error(location, error.field, error.message, value)


async def _invalid_request(_request: Request, error: Exception) -> Response:
    """FastAPI's 422, but the echoed input may hold NaN or Infinity (JSON bodies may carry
    those tokens) or bytes: it goes through json_safe so the answer itself stays JSON."""
    assert isinstance(error, RequestValidationError)  # registered for it only
    errors = json_safe(jsonable_encoder(error.errors()))
    return JSONResponse(
        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT, content={"detail": errors}
    )


async def _source_failed(request: Request, error: Exception) -> Response:
    assert isinstance(error, SourceError)  # registered for SourceError only
    if isinstance(error, TickerNotInSource):
        invalid = field_error("body", "ticker", error.message, error.ticker)
        return await _invalid_request(request, invalid)
    # Anything but "no such ticker" (UpstreamUnavailable, a configured CSV file that cannot be
    # read) fails on the far side of this service; nothing was written.
    code = (
        status.HTTP_404_NOT_FOUND
        if isinstance(error, TickerNotFoundUpstream)
        else status.HTTP_502_BAD_GATEWAY
    )
    return JSONResponse(status_code=code, content={"detail": error.message})


async def _nothing_stored(_request: Request, error: Exception) -> Response:
    return JSONResponse(status_code=status.HTTP_404_NOT_FOUND, content={"detail": str(error)})


async def _database_failed(_request: Request, error: Exception) -> Response:
    """Any database error: the transaction rolled back, so say that instead of a bare 500."""
    log.error("database error: %s", error)
    return JSONResponse(
        status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
        content={
            "detail": f"the database failed ({error.__class__.__name__}); nothing was written"
        },
    )


def register_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(SourceError, _source_failed)
    app.add_exception_handler(NothingStored, _nothing_stored)
    app.add_exception_handler(SQLAlchemyError, _database_failed)
