"""GET /health: the suite's liveness-plus-database check, and the configured price source."""

from fastapi import APIRouter, Response

from load_data.api.deps import EngineDep, SettingsDep
from load_data.api.schemas import HealthResponse
from stock_db.health import HEALTH_RESPONSES, check_health

router = APIRouter(tags=["health"])
# The shared 503 answer, documented with this service's body.
RESPONSES = {code: {**answer, "model": HealthResponse} for code, answer in HEALTH_RESPONSES.items()}


@router.get(
    "/health",
    response_model=HealthResponse,
    responses=RESPONSES,
)
def get_health(engine: EngineDep, settings: SettingsDep, response: Response) -> HealthResponse:
    """200 with status 'ok', or 503 with status 'degraded' when the database does not answer."""
    shared = check_health(engine, response)
    return HealthResponse(**shared.model_dump(), price_source=settings.price_source)
