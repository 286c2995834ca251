"""Dependencies routes declare in their signatures, read from app.state (set by main.py).
Bearer ADMIN_TOKEN is stock_db.auth.AdminDep."""

from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Engine

from estimator_api.usecases.forecast import ForecastService


# async: a plain `def` dependency would cost a threadpool hop on every request.
async def get_service(request: Request) -> ForecastService:
    service: ForecastService = request.app.state.service
    return service


async def get_engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


ServiceDep = Annotated[ForecastService, Depends(get_service)]
EngineDep = Annotated[Engine, Depends(get_engine)]
