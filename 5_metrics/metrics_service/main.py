"""Builds the metrics service app: settings, database engine, routers, error handlers.

Run with `uvicorn --factory metrics_service.main:create_app --port 8003` or
`python -m metrics_service serve`.
"""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from sqlalchemy.engine import make_url

from metrics_service.api.errors import register_error_handlers
from metrics_service.api.routes import exposition, health, metrics
from metrics_service.config import Settings
from stock_db import create_db_engine, ensure_schema, wait_for_database
from stock_db.jsonio import StrictJSONResponse
from stock_db.logs import configure_logging

log = logging.getLogger(__name__)


def create_app(settings: Settings | None = None) -> FastAPI:
    configure_logging(logging.INFO, "metrics_service")
    settings = settings or Settings()
    engine = create_db_engine(settings.database_url)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        try:
            wait_for_database(engine, settings.database_wait_seconds)
            ensure_schema(engine)
        except Exception as error:
            # Serve anyway: /health answers 503 and data routes 503 until the database is back.
            log.error("database not reachable at start-up: %s", error)
        log.info(
            "metrics service ready: database %s, prometheus %s, estimator %s",
            make_url(settings.database_url).render_as_string(hide_password=True),
            settings.prometheus_url or "(not configured)",
            settings.estimator_url or "(not configured)",
        )
        yield
        engine.dispose()

    app = FastAPI(
        title="5_metrics",
        summary="Forecast quality against actuals, data drift and inference latency",
        version="0.1.0",
        lifespan=lifespan,
        # Refuses NaN/inf instead of writing invalid JSON (and keeps FastAPI from nulling them).
        default_response_class=StrictJSONResponse,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.include_router(metrics.router)
    app.include_router(health.router)
    app.include_router(exposition.router)
    register_error_handlers(app)
    return app
