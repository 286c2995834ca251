"""What routes need, as `Annotated` dependencies read from app.state: settings, engine, the
factory of price sources and the clock. The admin check is the suite's (stock_db.auth.AdminDep),
behind load_data.api.guard, which checks the token before a body is read."""

from collections.abc import Callable
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request

from load_data.adapters.sources import PriceSource
from load_data.config import Settings
from stock_db.deps import EngineDep, get_engine  # noqa: F401  (re-exported for routes)

# A source setting ("yahoo", "sample", "csv:PATH") -> the source, with the service's retries.
SourceFactory = Callable[[str], PriceSource]


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_source_factory(request: Request) -> SourceFactory:
    factory: SourceFactory = request.app.state.source_factory
    return factory


def get_now(request: Request) -> datetime:
    """The time of the request, from the app's clock (tests inject one)."""
    clock: Callable[[], datetime] = request.app.state.clock
    return clock()


SettingsDep = Annotated[Settings, Depends(get_settings)]
SourceFactoryDep = Annotated[SourceFactory, Depends(get_source_factory)]
NowDep = Annotated[datetime, Depends(get_now)]
