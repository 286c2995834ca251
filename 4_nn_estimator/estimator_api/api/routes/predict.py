"""POST /predict: forecasts by date (logged) or for an explicit history.

`handle_predict` is the one handler: it parses the raw body, maps every exception to its
response and serialises the answer. The ASGI lane (api/predict_lane.py, the default path) and
the FastAPI route below both call it, so the two cannot drift apart."""

from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from estimator_api.api import errors
from estimator_api.api.deps import ServiceDep
from estimator_api.api.errors import Answer
from estimator_api.api.schemas import (
    ErrorMessage,
    InputErrorResponse,
    ModelSummary,
    PredictionStep,
    PredictRequest,
    PredictResponse,
)
from estimator_api.domain.forecasting import PRICE_RANGE_MESSAGE, InputError
from estimator_api.usecases.forecast import Forecast, ForecastService, NoModelError

router = APIRouter(tags=["forecast"])

PATH = "/predict"
# The longest valid body is a 10,000-close history (~200 kB); a larger one is a 413.
MAX_BODY_BYTES = 1 << 20

RESPONSES: dict[int | str, dict[str, Any]] = {
    422: {
        "description": "Bad input, with the field named: unknown ticker, no prices, date "
        "before the first full window, horizon out of range, history too short or not "
        "positive prices inside float32's range, a string where a number belongs (bodies are "
        "parsed strictly), unknown fields, malformed date or JSON, a body not sent as JSON, "
        "closes whose forecast would not be finite.",
        "model": InputErrorResponse,
    },
    413: {
        "description": "Body larger than 1 MiB.",
        "content": {"text/plain": {"schema": {"type": "string"}}},
    },
    503: {
        "description": "No model loaded for the ticker yet (Retry-After set).",
        "model": ErrorMessage,
    },
}
# The route reads the raw body itself (see handle_predict), so FastAPI does not know its
# schema: declared here for /docs and /openapi.json (FastAPI's "custom OpenAPI path operation
# schema" recipe).
REQUEST_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": PredictRequest.model_json_schema()}},
    }
}


async def handle_predict(service: ForecastService, body: bytes, content_type: str | None) -> Answer:
    """The answer to a POST /predict with this raw body and Content-Type header."""
    if not errors.is_json_content_type(content_type):
        return errors.unprocessable(errors.not_json_detail(body))
    try:
        # pydantic-core parses and validates in one pass (no json.loads, no dict in between).
        request = PredictRequest.model_validate_json(body)
        if request.history is not None:
            forecast = await service.forecast_history(
                request.ticker, request.history, request.horizon
            )
        else:
            forecast = await service.forecast_by_date(request.ticker, request.date, request.horizon)
    except ValidationError as error:
        return errors.unprocessable(errors.validation_detail(_explained(error.errors()), "body"))
    except InputError as error:
        return errors.input_error(error)
    except NoModelError as error:
        return errors.no_model(error)
    # Serialised here, once: returning the model would make FastAPI validate it again.
    return Answer(200, to_response(forecast).model_dump_json().encode())


def _explained(details: list[ErrorDetails]) -> list[ErrorDetails]:
    """pydantic's messages, except for a history price outside the float32 range the schema
    allows, where its message would print the bound as 40 digits: say what the rule is."""
    for detail in details:
        loc = detail["loc"]
        if loc[:1] == ("history",) and len(loc) == 2 and detail["type"] in RANGE_ERRORS:
            price = detail.get("input")
            if isinstance(price, int | float) and price <= 0:
                detail["msg"] = "Input should be greater than 0"
            else:
                detail["msg"] = PRICE_RANGE_MESSAGE
    return details


RANGE_ERRORS = frozenset({"greater_than_equal", "less_than_equal"})


def to_response(forecast: Forecast) -> PredictResponse:
    meta = forecast.model.meta
    return PredictResponse(
        ticker=forecast.ticker,
        model=ModelSummary(
            name=forecast.model.ref.name,
            version=forecast.model.ref.version,
            trained_at=meta.get("trained_at"),
        ),
        as_of=forecast.as_of,
        interval=meta.get("interval"),
        predictions=[
            PredictionStep(step=s.step, date=s.date, close=s.close, lower=s.lower, upper=s.upper)
            for s in forecast.steps
        ],
    )


# `async def` on purpose: the forward pass (~0.2 ms) runs on the event loop, batched with the
# requests that arrive in the same turn, instead of a threadpool hand-off per request.
# With PREDICT_FAST_PATH on (the default) requests are answered by the lane before they reach
# this route; it stays as the documented contract and the path the lane is tested against.
@router.post(
    PATH,
    response_model=PredictResponse,
    responses=RESPONSES,
    openapi_extra=REQUEST_BODY,
    max_body_size=MAX_BODY_BYTES,
)
async def predict(request: Request, service: ServiceDep) -> Response:
    """Forecast the next 1..max_horizon closes of a served ticker, by date (steps are the next
    trading sessions, and the forecast is logged) or for an explicit history of closes."""
    answer = await handle_predict(
        service, await request.body(), request.headers.get("content-type")
    )
    return answer.response()
