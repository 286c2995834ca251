"""Builds the load_data app: settings, database engine, sources, routers and error handlers.

Run with `uvicorn --factory load_data.main:create_app --port 8001` or `python -m load_data serve`.
"""

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from functools import partial

from fastapi import FastAPI
from sqlalchemy.exc import OperationalError

from load_data.adapters.sources import DownloadFunction, source_for_settings
from load_data.api.errors import register_error_handlers
from load_data.api.routes import health, loads, prices
from load_data.config import Settings
from stock_db import create_db_engine, ensure_schema
from stock_db.guard import guard_state_changes
from stock_db.logs import configure_logging

log = logging.getLogger(__name__)

# A LoadRequest is well under 1 KiB; anything past this is refused (413) while it is read.
MAX_REQUEST_BODY_BYTES = 16 * 1024


def utc_now() -> datetime:
    return datetime.now(UTC)


def create_app(
    settings: Settings | None = None,
    yahoo_download: DownloadFunction | None = None,
    clock: Callable[[], datetime] | None = None,
) -> FastAPI:
    """`yahoo_download` replaces `yfinance.download` (tests hand in yfinance-shaped frames);
    `clock` (time-zone aware, default the real UTC now) decides which sessions have closed."""
    configure_logging(logging.INFO, "load_data")
    settings = settings or Settings()
    engine = create_db_engine(settings.database_url)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        try:
            ensure_schema(engine)  # a database that is down is reported by /health
        except OperationalError as error:
            log.warning("database not reachable at start-up: %s", error.__class__.__name__)
        yield
        engine.dispose()

    app = FastAPI(
        title="load_data",
        version="0.1.0",
        description="Daily prices from Yahoo, the bundled sample or a CSV, into the database.",
        lifespan=lifespan,
    )
    app.state.settings = settings  # also where stock_db.auth.AdminDep finds ADMIN_TOKEN
    app.state.engine = engine
    app.state.clock = clock or utc_now
    app.state.source_factory = partial(source_for_settings, settings, yahoo_download)
    for module in (loads, prices, health):
        app.include_router(module.router)
    register_error_handlers(app)
    # Below FastAPI, which parses a body before any dependency runs: token, type and size first.
    guard_state_changes(app, MAX_REQUEST_BODY_BYTES)
    return app
