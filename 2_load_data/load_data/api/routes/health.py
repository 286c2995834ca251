"""GET /health: alive, and whether the database answers."""

import logging

from fastapi import APIRouter, Response, status
from sqlalchemy.exc import SQLAlchemyError

from load_data import repository
from load_data.api.deps import EngineDep, SettingsDep
from load_data.api.schemas import HealthResponse

router = APIRouter(tags=["health"])
log = logging.getLogger(__name__)


@router.get(
    "/health",
    response_model=HealthResponse,
    responses={503: {"model": HealthResponse, "description": "The database does not answer"}},
)
def get_health(engine: EngineDep, settings: SettingsDep, response: Response) -> HealthResponse:
    try:
        repository.ping(engine)
    except SQLAlchemyError as error:
        log.warning("health: database unreachable: %s", error.__class__.__name__)
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
        return HealthResponse(
            status="degraded",
            database=f"unreachable ({error.__class__.__name__})",
            price_source=settings.price_source,
        )
    return HealthResponse(status="ok", database="ok", price_source=settings.price_source)
