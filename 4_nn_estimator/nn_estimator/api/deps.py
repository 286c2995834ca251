"""Dependencies routes declare in their signatures."""

import secrets
from typing import Annotated

from fastapi import Depends, Header, HTTPException, Request, status

from nn_estimator.api.service import ForecastService


async def get_service(request: Request) -> ForecastService:
    # async: a plain `def` dependency would cost a threadpool hop on every request.
    service: ForecastService = request.app.state.service
    return service


ServiceDep = Annotated[ForecastService, Depends(get_service)]


async def require_admin(
    service: ServiceDep, authorization: Annotated[str | None, Header()] = None
) -> None:
    """Bearer ADMIN_TOKEN when one is configured; open when it is unset (local use)."""
    token = service.settings.admin_token
    if token is None:
        return
    scheme, _, given = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not secrets.compare_digest(given.encode(), token.encode()):
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            detail="missing or wrong bearer token (ADMIN_TOKEN)",
            headers={"WWW-Authenticate": "Bearer"},
        )


AdminDep = Depends(require_admin)
