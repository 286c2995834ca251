"""Translation of domain and source failures into HTTP answers."""

import logging
from typing import Any

from fastapi import HTTPException, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from load_data.domain.validation import InvalidField
from load_data.sources import (
    SourceError,
    TickerNotFoundUpstream,
    TickerNotInSource,
)

log = logging.getLogger(__name__)


def field_error(location: str, field: str, message: str, value: Any = None) -> Exception:
    """A 422 shaped like FastAPI's own validation errors, naming the field."""
    return RequestValidationError(
        [{"type": "value_error", "loc": (location, field), "msg": message, "input": value}]
    )


def invalid_field(location: str, error: InvalidField) -> Exception:
    return field_error(location, error.field, error.message)


def source_failure(error: SourceError, ticker: str) -> Exception:
    if isinstance(error, TickerNotInSource):
        return field_error("body", "ticker", error.message, ticker)
    if isinstance(error, TickerNotFoundUpstream):
        return HTTPException(status.HTTP_404_NOT_FOUND, error.message)
    # UpstreamUnavailable, or a configured source that cannot be read (e.g. a missing CSV
    # file): either way the failure is on the far side of this service.
    return HTTPException(status.HTTP_502_BAD_GATEWAY, error.message)


async def database_failed(_request: Request, error: Exception) -> JSONResponse:
    """Any database error: the transaction rolled back, so say that instead of a bare 500."""
    log.error("database error: %s", error)
    return JSONResponse(
        status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
        content={
            "detail": f"the database failed ({error.__class__.__name__}); nothing was written"
        },
    )
