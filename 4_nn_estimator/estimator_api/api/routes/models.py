"""GET /model: what is being served for a ticker, with its evaluation metrics, and why it is not
the registry's champion when it is not."""

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Query

from estimator_api.api.deps import ServiceDep
from estimator_api.api.schemas import ModelResponse
from nn_estimator.adapters.registry import CHAMPION_ALIAS

router = APIRouter(tags=["model"])

TickerQuery = Annotated[
    str | None,
    Query(
        min_length=1,
        max_length=16,
        description="One of the served TICKERS, case-insensitive (default: the first).",
    ),
]


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
