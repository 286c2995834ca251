"""What routes need, as `Annotated` dependencies read from app.state: settings, engine and
the factory of price sources. The admin check is the suite's (stock_db.auth.AdminDep)."""

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Engine

from load_data.adapters.sources import PriceSource
from load_data.config import Settings

# A source setting ("yahoo", "sample", "csv:PATH") -> the source, with the service's retries.
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
