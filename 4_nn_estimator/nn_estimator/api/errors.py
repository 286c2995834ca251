"""Error responses: every bad input is a 422 naming its field, in FastAPI's own shape
({"detail": [{"type", "loc", "msg"}]}), and never a 500."""

import json
import math
from collections.abc import Iterable
from typing import Any

from fastapi import FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from nn_estimator.api.forecasting import InputError
from nn_estimator.api.service import NoModelError

RETRY_AFTER_SECONDS = "30"


def _json_safe(value: Any) -> Any:
    """NaN/inf inputs echoed back would make the error response itself unencodable (a 500)."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, bytes):  # the raw body, echoed for a malformed JSON document
        return value.decode("utf-8", errors="replace")
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def json_bytes(content: Any) -> bytes:
    """JSON as Starlette's JSONResponse encodes it, for responses sent without one."""
    return json.dumps(
        content, ensure_ascii=False, allow_nan=False, indent=None, separators=(",", ":")
    ).encode("utf-8")


def validation_detail(errors: Iterable[Any]) -> list[dict[str, Any]]:
    """pydantic's errors in FastAPI's 422 shape: type, loc (from "body"/"query"), msg, input."""
    return [
        {
            "type": error.get("type"),
            "loc": list(error.get("loc", ())),
            "msg": error.get("msg"),
            "input": _json_safe(error.get("input")),
        }
        for error in errors
    ]


def input_error_detail(exc: InputError) -> list[dict[str, Any]]:
    return [{"type": exc.kind, "loc": [exc.location, exc.field], "msg": exc.message}]


async def validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    detail = validation_detail(exc.errors())
    if not is_json_content_type(request.headers.get("content-type")):
        # FastAPI reads a body it was not told is JSON as raw text, and pydantic then says
        # "Input should be a valid dictionary": name the actual problem (e.g. `curl -d` alone).
        for error in detail:
            if error["loc"] == ["body"] and error["type"] == "model_attributes_type":
                error["msg"] = NOT_JSON_MESSAGE
    return JSONResponse({"detail": detail}, status_code=status.HTTP_422_UNPROCESSABLE_CONTENT)


NOT_JSON_MESSAGE = "send the body as JSON, with the header Content-Type: application/json"


def is_json_content_type(value: str | None) -> bool:
    """Whether a Content-Type header names JSON (application/json or a +json type)."""
    media_type = (value or "").split(";", 1)[0].strip().lower()
    return media_type == "application/json" or media_type.endswith("+json")


async def input_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, InputError)
    return JSONResponse(
        {"detail": input_error_detail(exc)}, status_code=status.HTTP_422_UNPROCESSABLE_CONTENT
    )


async def no_model(_: Request, exc: Exception) -> JSONResponse:
    return JSONResponse(
        {"detail": str(exc)},
        status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
        headers={"Retry-After": RETRY_AFTER_SECONDS},
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(InputError, input_error)
    app.add_exception_handler(NoModelError, no_model)
