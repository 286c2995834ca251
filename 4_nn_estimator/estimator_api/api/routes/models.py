"""GET /model: what is being served for a ticker, with its evaluation metrics, and why it is not
the registry's champion when it is not; GET /model/walk-forward: the served model's
out-of-sample series day by day; GET /models: a ticker's recent versions and the gate's
decision on each."""

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Query

from estimator_api.api.deps import EngineDep, ServiceDep, WalkForwardDep
from estimator_api.api.schemas import (
    ErrorMessage,
    InputErrorResponse,
    ModelResponse,
    ModelVersionOut,
    ModelVersionsResponse,
    SeriesPoint,
    WalkForwardResponse,
)
from estimator_api.usecases.model_versions import DEFAULT_LIMIT, MAX_LIMIT, model_versions
from nn_estimator.adapters.registry import CHAMPION_ALIAS
from stock_db.rules import TICKER_DESCRIPTION, Ticker

router = APIRouter(tags=["model"])

TickerQuery = Annotated[
    str | None,
    Query(
        min_length=1,
        max_length=16,
        description="One of the served TICKERS, case-insensitive (default: the first).",
    ),
]
RequiredTicker = Annotated[Ticker, Query(description=TICKER_DESCRIPTION, examples=["MSFT"])]

BAD_TICKER: dict[str, Any] = {
    "model": InputErrorResponse,
    "description": "Not a ticker symbol (or a bad parameter), naming the parameter.",
}
DATABASE_DOWN: dict[str, Any] = {
    "model": ErrorMessage,
    "description": "The database does not answer (Retry-After set).",
}


@router.get(
    "/model",
    response_model=ModelResponse,
    responses={
        422: {"description": "Empty or unknown ticker."},
        503: {"description": "No model yet."},
    },
)
async def get_model(service: ServiceDep, ticker: TickerQuery = None) -> ModelResponse:
    """The model served for `ticker` (default: the first of TICKERS)."""
    info = asdict(service.model_info(ticker))
    champion = service.models.champion_version(info["ticker"])
    info["alias"] = CHAMPION_ALIAS if champion == info["version"] else None
    return ModelResponse(
        **info, champion_version=champion, serving_reason=service.models.note(info["ticker"])
    )


@router.get(
    "/model/walk-forward",
    response_model=WalkForwardResponse,
    responses={
        404: {
            "model": ErrorMessage,
            "description": "The ticker is not served here, or the served version's run has no "
            "walk-forward series (trained before they were logged: retrain to get it).",
        },
        422: BAD_TICKER,
        503: {
            "model": ErrorMessage,
            "description": "No model loaded for the ticker yet, or MLflow did not answer while "
            "the series was read (Retry-After set).",
        },
    },
)
async def get_walk_forward(
    service: ServiceDep, cache: WalkForwardDep, ticker: RequiredTicker
) -> WalkForwardResponse:
    """The served model's h = 1 walk-forward forecasts on its validation and holdout days,
    beside the actual close, naive and drift, as its training run logged them. Read from MLflow
    on the first request for a version, then from memory."""
    series = await cache.series(service, ticker)
    return WalkForwardResponse(
        ticker=series.ticker,
        version=series.version,
        horizon=series.horizon,
        interval=series.interval,
        points=[SeriesPoint(**asdict(point)) for point in series.points],
    )


# A plain `def`: the query blocks, so it runs in the threadpool.
@router.get(
    "/models",
    response_model=ModelVersionsResponse,
    responses={422: BAD_TICKER, 503: DATABASE_DOWN},
)
def get_models(
    engine: EngineDep,
    ticker: RequiredTicker,
    limit: Annotated[
        int, Query(ge=1, le=MAX_LIMIT, description=f"At most this many (1..{MAX_LIMIT}).")
    ] = DEFAULT_LIMIT,
) -> ModelVersionsResponse:
    """The ticker's most recent versions, newest first, as the `models` table records them:
    status, training range, evaluation metrics and the gate's decision. Any ticker symbol is
    accepted (an empty list when it has no versions)."""
    versions = model_versions(engine, ticker, limit)
    return ModelVersionsResponse(
        ticker=ticker, versions=[ModelVersionOut(**asdict(v)) for v in versions]
    )
