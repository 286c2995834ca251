"""Dependencies routes declare in their signatures, read from app.state (set by main.py).
Bearer ADMIN_TOKEN is stock_db.auth.AdminDep."""

from typing import Annotated

from fastapi import Depends, Request

from estimator_api.usecases.forecast import ForecastService
from estimator_api.usecases.walk_forward import WalkForwardCache
from stock_db.deps import EngineDep, get_engine  # noqa: F401  (re-exported for routes)


# async: a plain `def` dependency would cost a threadpool hop on every request.
async def get_service(request: Request) -> ForecastService:
    service: ForecastService = request.app.state.service
    return service


ServiceDep = Annotated[ForecastService, Depends(get_service)]


async def get_walk_forward(request: Request) -> WalkForwardCache:
    cache: WalkForwardCache = request.app.state.walk_forward
    return cache


WalkForwardDep = Annotated[WalkForwardCache, Depends(get_walk_forward)]
