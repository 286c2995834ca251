"""Wires the api: settings, engine, adapters, the forecasting service, routes, error handlers,
the /predict lane, request metrics and the lifespan. Nothing happens at import time.

Run: `uvicorn --factory estimator_api.main:create_app --host 127.0.0.1 --port 8002` (one
worker: the models, prices and prediction queue live in the process)."""

import asyncio
import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial

from fastapi import FastAPI
from fastapi.routing import APIRoute
from prometheus_client import CollectorRegistry, PlatformCollector, ProcessCollector

from estimator_api.adapters.exchange_calendar import load_calendar
from estimator_api.adapters.model_loader import ModelLoader, bound_mlflow_requests
from estimator_api.adapters.prediction_log import PredictionLog
from estimator_api.adapters.price_cache import PriceCache
from estimator_api.api.errors import register_error_handlers
from estimator_api.api.predict_lane import PredictLane
from estimator_api.api.request_metrics import RequestMetrics
from estimator_api.api.routes import admin, health, models, predict
from estimator_api.config import Settings
from estimator_api.metrics import ApiMetrics
from estimator_api.usecases.forecast import ForecastService, Schedule
from estimator_api.usecases.reload import ModelHolder
from estimator_api.usecases.walk_forward import WalkForwardCache
from nn_estimator.adapters.artifact import use_one_inference_thread
from stock_db import create_db_engine, ensure_schema, wait_for_database


def create_app(
    settings: Settings | None = None, registry: CollectorRegistry | None = None
) -> FastAPI:
    settings = settings or Settings()
    if registry is None:
        registry = CollectorRegistry()
        ProcessCollector(registry=registry)  # RSS, CPU, open fds of the api process
        PlatformCollector(registry=registry)
    use_one_inference_thread()
    # Every MLflow call gives up within seconds (its defaults retry for minutes, which held
    # /admin/reload and the shutdown behind a silent registry).
    bound_mlflow_requests(settings.mlflow_timeout_seconds, settings.mlflow_retries)
    metrics = ApiMetrics(registry)
    engine = create_db_engine(settings.database_url)
    prices = PriceCache(engine, settings.tickers)
    loader = ModelLoader(settings.mlflow_tracking_uri, engine, settings.model_download_dir)
    service = ForecastService(
        tickers=settings.tickers,
        prices=prices,
        models=ModelHolder(
            settings.tickers,
            loader,
            prices,
            metrics,
            micro_batching=settings.micro_batching,
        ),
        prediction_log=PredictionLog(
            engine,
            metrics,
            flush_seconds=settings.prediction_flush_seconds,
            batch_rows=settings.prediction_batch_rows,
            max_queue_rows=settings.prediction_queue_max_rows,
        ),
        load_calendar=partial(load_calendar, settings.exchange_calendar, settings.calendar_start),
        metrics=metrics,
        schedule=Schedule(settings.reload_poll_seconds, settings.price_refresh_seconds),
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await asyncio.to_thread(wait_for_database, engine)
        await asyncio.to_thread(ensure_schema, engine)
        await service.start()
        # torch, mlflow and pandas leave millions of long-lived objects; without this every
        # full collection walks them all (pauses of ~200 ms measured under load).
        gc.collect()
        gc.freeze()
        try:
            yield
        finally:
            # Cancels the poll and refresh at once (registry work runs in daemon threads that
            # nothing waits for), then drains the prediction queue.
            await service.stop()
            engine.dispose()

    app = FastAPI(
        title="nn_estimator api",
        description="Forecasts of daily closes by each ticker's champion LSTM.",
        version="1.0.0",
        lifespan=lifespan,
    )
    app.state.settings = settings  # stock_db.auth.AdminDep reads ADMIN_TOKEN here
    app.state.engine = engine
    app.state.service = service
    app.state.walk_forward = WalkForwardCache(loader.walk_forward)
    app.state.metrics = metrics
    register_error_handlers(app)
    for module in (predict, models, health, admin):
        app.include_router(module.router)
    if settings.predict_fast_path:
        route = next(
            r for r in predict.router.routes if isinstance(r, APIRoute) and r.path == predict.PATH
        )
        app.add_middleware(PredictLane, service=service, route=route)
    app.add_middleware(  # added last: the outermost, so it also times the lane
        RequestMetrics,
        requests=metrics.http_requests,
        duration=metrics.http_request_duration_seconds,
        excluded_handlers=["/metrics"],
    )
    return app
