"""The exception -> HTTP answer table of the service.

| exception | answer |
|---|---|
| InvalidField (e.g. a ticker not in TICKERS) | 422 shaped like FastAPI's own, naming the field |
| RunNotFound | 404 |
| SQLAlchemyError (the database does not answer) | 503 |
| HTTPException 405 | `Allow` lists every method of the path (Starlette: the first route's only) |
"""

import logging

from fastapi import FastAPI, Request, Response, status
from fastapi.exception_handlers import (
    http_exception_handler,
    request_validation_exception_handler,
)
from fastapi.exceptions import RequestValidationError
from sqlalchemy.exc import SQLAlchemyError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from stock_db.jsonio import StrictJSONResponse
from stock_db.rules import InvalidField

log = logging.getLogger(__name__)


class RunNotFound(LookupError):
    """No pipeline_runs row has this id."""


class BodyField(InvalidField):
    """An InvalidField about the request body (the others are query parameters)."""


async def _invalid_field(request: Request, error: Exception) -> Response:
    assert isinstance(error, InvalidField)  # registered for InvalidField only
    where = "body" if isinstance(error, BodyField) else "query"
    invalid = RequestValidationError(
        [{"type": "value_error", "loc": (where, error.field), "msg": error.message}]
    )
    return await request_validation_exception_handler(request, invalid)


async def _not_found(_request: Request, error: Exception) -> Response:
    return StrictJSONResponse({"detail": str(error)}, status_code=status.HTTP_404_NOT_FOUND)


async def _database_failed(_request: Request, error: Exception) -> Response:
    log.error("database error: %s", error)
    return StrictJSONResponse(
        {"detail": f"the database does not answer ({error.__class__.__name__})"},
        status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
    )


METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


async def _http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, StarletteHTTPException)  # registered for it only
    if error.status_code == status.HTTP_405_METHOD_NOT_ALLOWED:
        methods = [
            method
            for method in METHODS
            if any(
                route.matches({**request.scope, "method": method})[0] == Match.FULL
                for route in request.app.router.routes
            )
        ]
        if methods:
            error = StarletteHTTPException(
                error.status_code,
                error.detail,
                {**(error.headers or {}), "Allow": ", ".join(methods)},
            )
    return await http_exception_handler(request, error)


def register_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(InvalidField, _invalid_field)
    app.add_exception_handler(RunNotFound, _not_found)
    app.add_exception_handler(SQLAlchemyError, _database_failed)
