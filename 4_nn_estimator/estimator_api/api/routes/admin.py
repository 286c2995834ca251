"""POST /admin/reload: load the current champions now (bearer ADMIN_TOKEN when set)."""

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, HTTPException, Request, status

from estimator_api.api.deps import ServiceDep
from estimator_api.api.errors import RETRY_AFTER_SECONDS
from estimator_api.api.schemas import ReloadOutcome, ReloadResponse
from estimator_api.usecases.reload import ReloadBusyError
from stock_db.auth import AUTH_RESPONSES, AdminDep

router = APIRouter(prefix="/admin", tags=["admin"])

RESPONSES: dict[int | str, dict[str, Any]] = {
    **AUTH_RESPONSES,
    503: {
        "description": "Nothing was reloaded: the database is unreachable, the MLflow registry "
        "could not be reached for any ticker, or a reload is already running (Retry-After set)."
    },
}


def unavailable(detail: str) -> HTTPException:
    return HTTPException(
        status.HTTP_503_SERVICE_UNAVAILABLE, detail, {"Retry-After": RETRY_AFTER_SECONDS}
    )


@router.post("/reload", response_model=ReloadResponse, dependencies=[AdminDep], responses=RESPONSES)
async def reload(request: Request, service: ServiceDep) -> ReloadResponse:
    """Refresh prices, then load each ticker's champion if it changed (retrying versions that
    failed or were refused before). A version the `models` table does not record as the gate's
    champion is refused; a failed load leaves the old model serving; see `outcome` per ticker."""
    wait: float = request.app.state.settings.admin_reload_wait_seconds
    try:
        results = await service.reload(wait=wait)
    except ReloadBusyError as error:
        raise unavailable(str(error)) from error
    if results and all(r.outcome == "registry_error" for r in results):
        raise unavailable(
            f"the MLflow registry could not be reached; nothing was reloaded ({results[0].error})"
        )
    return ReloadResponse(results=[ReloadOutcome(**asdict(r)) for r in results])
