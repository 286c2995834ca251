"""POST /admin/reload: load the current champions now (bearer ADMIN_TOKEN when set)."""

from dataclasses import asdict

from fastapi import APIRouter

from nn_estimator.api.deps import AdminDep, ServiceDep
from nn_estimator.api.schemas import ReloadOutcome, ReloadResponse

router = APIRouter(prefix="/admin", tags=["admin"])


@router.post(
    "/reload",
    response_model=ReloadResponse,
    dependencies=[AdminDep],
    responses={401: {"description": "Missing or wrong bearer token."}},
)
async def reload(service: ServiceDep) -> ReloadResponse:
    """Refresh prices, then load each ticker's champion if it changed (retrying versions that
    failed before). A failed load leaves the old model serving; see `outcome` per ticker."""
    results = await service.reload()
    return ReloadResponse(results=[ReloadOutcome(**asdict(r)) for r in results])
