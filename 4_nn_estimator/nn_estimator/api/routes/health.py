"""Liveness, readiness and the Prometheus exposition."""

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from nn_estimator.api.deps import ServiceDep
from nn_estimator.api.schemas import ReadyResponse

router = APIRouter(tags=["operations"])


@router.get("/health")
async def health() -> dict[str, str]:
    """Alive: answers as soon as the process serves HTTP, model or not."""
    return {"status": "ok"}


@router.get(
    "/ready",
    response_model=ReadyResponse,
    responses={503: {"model": ReadyResponse, "description": "No model loaded at all yet."}},
)
async def ready(service: ServiceDep) -> JSONResponse:
    """Ready once at least one ticker has a model; 503 with ready=false before that."""
    body = ReadyResponse(
        ready=service.models.ready,
        models={t: m.ref.version for t, m in service.models.served().items()},
    )
    return JSONResponse(body.model_dump(), status_code=200 if body.ready else 503)


@router.get("/metrics", response_class=Response)
def metrics(request: Request) -> Response:
    """Prometheus text exposition of this app's registry."""
    registry = request.app.state.metrics.registry
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
