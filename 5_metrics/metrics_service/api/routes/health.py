"""GET /health: the process is alive and the database answers (the suite's one meaning)."""

from fastapi import APIRouter, Response

from metrics_service.api.deps import EngineDep
from stock_db.health import HEALTH_RESPONSES, Health, check_health

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health, responses=HEALTH_RESPONSES)
def health(engine: EngineDep, response: Response) -> Health:
    """200 `ok`, or 503 `degraded` while the database does not answer (data routes then
    answer 503 too)."""
    return check_health(engine, response)
