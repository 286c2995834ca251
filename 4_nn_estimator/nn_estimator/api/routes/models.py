"""GET /model: what is being served for a ticker, with its evaluation metrics."""

from fastapi import APIRouter

from nn_estimator.api.deps import ServiceDep
from nn_estimator.api.schemas import ModelResponse
from nn_estimator.registry import CHAMPION_ALIAS

router = APIRouter(tags=["model"])


def _iso(value: object) -> str | None:
    if value is None:
        return None
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


@router.get(
    "/model",
    response_model=ModelResponse,
    responses={422: {"description": "Unknown ticker."}, 503: {"description": "No model yet."}},
)
def get_model(service: ServiceDep, ticker: str | None = None) -> ModelResponse:
    """The model served for `ticker` (default: the first of TICKERS)."""
    name = (ticker or service.tickers[0]).strip().upper()
    model = service.served_model(name, location="query")
    meta, record = model.meta, model.record or {}
    return ModelResponse(
        ticker=name,
        name=model.ref.name,
        version=model.ref.version,
        alias=CHAMPION_ALIAS,
        run_id=model.ref.run_id,
        status=record.get("status"),
        trained_at=meta.get("trained_at") or _iso(record.get("trained_at")),
        train_start=meta.get("train_start") or _iso(record.get("train_start")),
        train_end=meta.get("train_end") or _iso(record.get("train_end")),
        input_length=model.input_length,
        max_horizon=model.max_horizon,
        interval=meta.get("interval"),
        loaded_at=model.loaded_at,
        metrics=record.get("metrics"),
    )
