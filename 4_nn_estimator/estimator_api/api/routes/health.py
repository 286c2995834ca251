"""Liveness (with the database), readiness (a model is loaded) and the Prometheus exposition."""

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from estimator_api.api.deps import EngineDep, ServiceDep
from estimator_api.api.schemas import ReadyResponse
from stock_db.health import HEALTH_RESPONSES, Health, check_health

router = APIRouter(tags=["operations"])


# A plain `def`: the database probe blocks, so it runs in the threadpool.
@router.get("/health", response_model=Health, responses=HEALTH_RESPONSES)
def health(engine: EngineDep, response: Response) -> Health:
    """Alive and the database answers (200 `ok`), or 503 `degraded`; a model is not needed
    (that is /ready)."""
    return check_health(engine, response)


@router.get(
    "/ready",
    response_model=ReadyResponse,
    responses={503: {"model": ReadyResponse, "description": "No model loaded at all yet."}},
)
async def ready(service: ServiceDep) -> JSONResponse:
    """Ready once at least one ticker has a model; 503 with ready=false before that.
    `degraded` names each ticker not served its registry champion, and why."""
    body = ReadyResponse(
        ready=service.models.ready,
        models={t: m.ref.version for t, m in service.models.served().items()},
        degraded=service.models.degraded(),
    )
    return JSONResponse(body.model_dump(), status_code=200 if body.ready else 503)


@router.get("/metrics", response_class=Response)
def metrics(request: Request) -> Response:
    """Prometheus text exposition of this app's registry."""
    registry = request.app.state.metrics.registry
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
