"""POST /admin/reload: load the current champions now (bearer ADMIN_TOKEN when set)."""

from dataclasses import asdict

from fastapi import APIRouter

from estimator_api.api.deps import ServiceDep
from estimator_api.api.schemas import ReloadOutcome, ReloadResponse
from stock_db.auth import AUTH_RESPONSES, AdminDep

router = APIRouter(prefix="/admin", tags=["admin"])


@router.post(
    "/reload", response_model=ReloadResponse, dependencies=[AdminDep], responses=AUTH_RESPONSES
)
async def reload(service: ServiceDep) -> ReloadResponse:
    """Refresh prices, then load each ticker's champion if it changed (retrying versions that
    failed before). A failed load leaves the old model serving; see `outcome` per ticker."""
    results = await service.reload()
    return ReloadResponse(results=[ReloadOutcome(**asdict(r)) for r in results])
