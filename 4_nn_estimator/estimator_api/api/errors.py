"""The exception -> HTTP table: every bad input is a 422 naming its field, in FastAPI's own
shape ({"detail": [{"type", "loc", "msg", "input"}]}), a served ticker without a model is a 503
with Retry-After, a database that does not answer (any SQLAlchemyError reaching a route) is a
503 naming the database, a walk-forward series that does not exist is a 404 saying why and one
MLflow could not hand over a 503, and none is ever a 500.

`Answer` is a response as status, JSON body and extra headers: POST /predict's one handler
(routes/predict.py) returns it to both the ASGI lane and the FastAPI route; the exception
handlers registered here give the other routes (GET /model) the same bodies."""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI, Request, Response, status
from sqlalchemy.exc import SQLAlchemyError

from estimator_api.domain.forecasting import InputError
from estimator_api.usecases.forecast import NoModelError
from estimator_api.usecases.walk_forward import SeriesNotFoundError, SeriesUnavailableError
from stock_db.jsonio import json_bytes, json_safe

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = "30"
NOT_JSON_MESSAGE = "send the body as JSON, with the header Content-Type: application/json"
JSON_MEDIA_TYPE = "application/json"


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    body: bytes  # JSON
    headers: tuple[tuple[str, str], ...] = ()  # besides Content-Type

    def response(self) -> Response:
        return Response(self.body, self.status, dict(self.headers), media_type=JSON_MEDIA_TYPE)


def is_json_content_type(value: str | None) -> bool:
    """Whether a Content-Type header names JSON (application/json or a +json type)."""
    media_type = (value or "").split(";", 1)[0].strip().lower()
    return media_type == JSON_MEDIA_TYPE or media_type.endswith("+json")


def validation_detail(errors: Iterable[Any], location: str) -> list[dict[str, Any]]:
    """pydantic's errors in FastAPI's 422 shape, each loc prefixed with `location` ("body")."""
    return [
        {
            "type": error["type"],
            "loc": [location, *error["loc"]],
            "msg": error["msg"],
            "input": json_safe(error.get("input")),
        }
        for error in errors
    ]


def not_json_detail(body: bytes) -> list[dict[str, Any]]:
    """A body sent without a JSON Content-Type (e.g. `curl -d` alone): FastAPI would read it
    as text and say "Input should be a valid dictionary"; name the actual problem instead."""
    if not body:
        return [{"type": "missing", "loc": ["body"], "msg": "Field required", "input": None}]
    return [
        {
            "type": "model_attributes_type",
            "loc": ["body"],
            "msg": NOT_JSON_MESSAGE,
            "input": json_safe(body),
        }
    ]


def unprocessable(detail: list[dict[str, Any]]) -> Answer:
    return Answer(status.HTTP_422_UNPROCESSABLE_CONTENT, json_bytes({"detail": detail}))


def input_error(error: InputError) -> Answer:
    return unprocessable(
        [{"type": error.kind, "loc": [error.location, error.field], "msg": error.message}]
    )


def no_model(error: NoModelError) -> Answer:
    return Answer(
        status.HTTP_503_SERVICE_UNAVAILABLE,
        json_bytes({"detail": str(error)}),
        (("Retry-After", RETRY_AFTER_SECONDS),),
    )


async def _input_error(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, InputError)
    return input_error(exc).response()


async def _no_model(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, NoModelError)
    return no_model(exc).response()


def database_unavailable(error: SQLAlchemyError) -> Answer:
    return Answer(
        status.HTTP_503_SERVICE_UNAVAILABLE,
        json_bytes(
            {"detail": f"the database is unavailable ({type(error).__name__}); try again later"}
        ),
        (("Retry-After", RETRY_AFTER_SECONDS),),
    )


async def _database_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, SQLAlchemyError)
    log.warning("%s %s: database error: %s", request.method, request.url.path, exc)
    return database_unavailable(exc).response()


async def _series_not_found(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, SeriesNotFoundError)
    return Answer(status.HTTP_404_NOT_FOUND, json_bytes({"detail": str(exc)})).response()


async def _series_unavailable(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, SeriesUnavailableError)
    log.warning("%s %s: %s", request.method, request.url.path, exc)
    return Answer(
        status.HTTP_503_SERVICE_UNAVAILABLE,
        json_bytes({"detail": str(exc)}),
        (("Retry-After", RETRY_AFTER_SECONDS),),
    ).response()


def register_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(InputError, _input_error)
    app.add_exception_handler(NoModelError, _no_model)
    app.add_exception_handler(SQLAlchemyError, _database_error)
    app.add_exception_handler(SeriesNotFoundError, _series_not_found)
    app.add_exception_handler(SeriesUnavailableError, _series_unavailable)
