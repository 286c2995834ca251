"""What routes need, as `Annotated` dependencies: settings, engine, sources, the admin check."""

import secrets
from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine

from load_data.config import Settings
from load_data.sources import PriceSource

SourceFactory = Callable[[str], PriceSource]


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def get_source_factory(request: Request) -> SourceFactory:
    factory: SourceFactory = request.app.state.source_factory
    return factory


SettingsDep = Annotated[Settings, Depends(get_settings)]
EngineDep = Annotated[Engine, Depends(get_engine)]
SourceFactoryDep = Annotated[SourceFactory, Depends(get_source_factory)]

_bearer = HTTPBearer(auto_error=False, description="ADMIN_TOKEN, when the service has one")


def require_admin(
    settings: SettingsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    """State-changing routes need `Authorization: Bearer <ADMIN_TOKEN>` when a token is set."""
    if settings.admin_token is None:
        return
    expected = settings.admin_token.get_secret_value()
    if credentials is None or not secrets.compare_digest(
        credentials.credentials.encode(), expected.encode()
    ):
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail="this action needs 'Authorization: Bearer <ADMIN_TOKEN>'",
            headers={"WWW-Authenticate": "Bearer"},
        )


AdminDep = Depends(require_admin)
