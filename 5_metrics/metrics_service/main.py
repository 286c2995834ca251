"""Builds the metrics service app: settings, database engine, routes, error handlers."""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from sqlalchemy.engine import make_url

from metrics_service.api.errors import register_error_handlers
from metrics_service.api.responses import StrictJSONResponse
from metrics_service.api.routes import router
from metrics_service.config import Settings, get_settings
from stock_db import create_db_engine, ensure_schema, wait_for_database

log = logging.getLogger("metrics_service")


def configure_logging() -> None:
    # uvicorn configures only its own loggers; without a root handler our INFO lines vanish.
    # basicConfig does nothing when the root logger already has one (pytest, an embedding app).
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # else one line per Prometheus query


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        configure_logging()
        engine = create_db_engine(settings.database_url)
        app.state.engine = engine
        try:
            wait_for_database(engine, settings.database_wait_seconds)
            ensure_schema(engine)
        except Exception as error:
            # Serve anyway: /health says "down" and data routes answer 503 until it is back.
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
        default_response_class=StrictJSONResponse,
    )
    app.state.settings = settings
    app.include_router(router)
    register_error_handlers(app)
    return app


app = create_app()
