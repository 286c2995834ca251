"""GET /health: the suite's liveness-plus-database check, and the scheduler's state."""

from fastapi import APIRouter, Response

from shepherd.api.deps import EngineDep, ScheduleDep, SettingsDep
from shepherd.api.schemas import HealthResponse
from stock_db.health import HEALTH_RESPONSES, check_health

router = APIRouter(tags=["health"])
RESPONSES = {code: {**answer, "model": HealthResponse} for code, answer in HEALTH_RESPONSES.items()}


@router.get("/health", response_model=HealthResponse, responses=RESPONSES)
def get_health(
    engine: EngineDep, settings: SettingsDep, schedule: ScheduleDep, response: Response
) -> HealthResponse:
    """200 with status 'ok', or 503 with status 'degraded' when the database does not answer."""
    shared = check_health(engine, response)
    if not schedule.enabled:
        state = "off"
    else:
        state = "running" if all(j.next_run_time for j in schedule.jobs) else "stopped"
    return HealthResponse(**shared.model_dump(), scheduler=state, tickers=settings.tickers)
