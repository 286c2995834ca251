"""POST /predict: forecasts by date (logged) or for an explicit history."""

from fastapi import APIRouter, Response

from nn_estimator.api.deps import ServiceDep
from nn_estimator.api.schemas import ModelSummary, PredictionStep, PredictRequest, PredictResponse
from nn_estimator.api.service import Forecast, ForecastService

router = APIRouter(tags=["forecast"])

# The longest valid body is a 10,000-close history (~200 kB); a larger one is a 413.
MAX_BODY_BYTES = 1 << 20

ERRORS = {
    422: {
        "description": "Bad input, with the field named: unknown ticker, no prices, date "
        "before the first full window, horizon out of range, history too short or not finite "
        "positive prices, malformed date."
    },
    413: {"description": "Body larger than 1 MiB."},
    503: {"description": "No model loaded for the ticker yet (Retry-After set)."},
}


# `async def` on purpose: the forward pass (~0.2 ms) runs on the event loop, batched with the
# requests that arrive in the same turn, instead of a threadpool hand-off per request.
# With PREDICT_FAST_PATH on (the default) requests are answered by PredictLane before they
# reach this route; it stays as the documented contract and the reference the lane is tested
# against.
@router.post(
    "/predict",
    response_model=PredictResponse,
    responses=ERRORS,  # type: ignore[arg-type]
    max_body_size=MAX_BODY_BYTES,
)
async def predict(request: PredictRequest, service: ServiceDep) -> Response:
    return Response(await answer(service, request), media_type="application/json")


async def answer(service: ForecastService, request: PredictRequest) -> bytes:
    """The forecast as the JSON body of a 200; raises InputError / NoModelError."""
    if request.history is not None:
        forecast = await service.forecast_history(request.ticker, request.history, request.horizon)
    else:
        forecast = await service.forecast_by_date(request.ticker, request.date, request.horizon)
    # Serialised here, once: returning the model would make FastAPI validate it again.
    return to_response(forecast).model_dump_json().encode()


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
