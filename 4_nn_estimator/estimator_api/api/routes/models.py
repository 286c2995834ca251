"""GET /model: what is being served for a ticker, with its evaluation metrics."""

from dataclasses import asdict

from fastapi import APIRouter

from estimator_api.api.deps import ServiceDep
from estimator_api.api.schemas import ModelResponse

router = APIRouter(tags=["model"])


@router.get(
    "/model",
    response_model=ModelResponse,
    responses={422: {"description": "Unknown ticker."}, 503: {"description": "No model yet."}},
)
async def get_model(service: ServiceDep, ticker: str | None = None) -> ModelResponse:
    """The model served for `ticker` (default: the first of TICKERS)."""
    return ModelResponse(**asdict(service.model_info(ticker)))
