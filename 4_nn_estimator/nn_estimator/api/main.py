"""Wires the api: settings, metrics, the forecasting service, routes and error handlers.

Run: `uvicorn nn_estimator.api.main:app --host 127.0.0.1 --port 8002` (one worker: the
models, prices and prediction queue live in the process)."""

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import torch
from fastapi import FastAPI
from fastapi.routing import APIRoute
from prometheus_client import CollectorRegistry, PlatformCollector, ProcessCollector

from nn_estimator.api.config import Settings
from nn_estimator.api.errors import install_error_handlers
from nn_estimator.api.metrics import ApiMetrics
from nn_estimator.api.predict_lane import PATH, PredictLane
from nn_estimator.api.request_metrics import RequestMetrics
from nn_estimator.api.routes import admin, health, models, predict
from nn_estimator.api.service import ForecastService


def create_app(
    settings: Settings | None = None, registry: CollectorRegistry | None = None
) -> FastAPI:
    settings = settings or Settings()
    if registry is None:
        registry = CollectorRegistry()
        ProcessCollector(registry=registry)  # RSS, CPU, open fds of the api process
        PlatformCollector(registry=registry)
    torch.set_num_threads(1)
    metrics = ApiMetrics(registry)
    service = ForecastService.from_settings(settings, metrics)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await service.start()
        # torch, mlflow and pandas leave millions of long-lived objects; without this every
        # full collection walks them all (pauses of ~200 ms measured under load).
        gc.collect()
        gc.freeze()
        try:
            yield
        finally:
            await service.stop()

    app = FastAPI(
        title="nn_estimator api",
        description="Forecasts of daily closes by each ticker's champion LSTM.",
        version="1.0.0",
        lifespan=lifespan,
    )
    app.state.service = service
    app.state.metrics = metrics
    install_error_handlers(app)
    for module in (predict, models, health, admin):
        app.include_router(module.router)
    if settings.predict_fast_path:
        predict_route = next(
            r for r in predict.router.routes if isinstance(r, APIRoute) and r.path == PATH
        )
        app.add_middleware(PredictLane, service=service, route=predict_route)
    app.add_middleware(  # added last: the outermost, so it also times the lane
        RequestMetrics,
        requests=metrics.http_requests,
        duration=metrics.http_request_duration_seconds,
        excluded_handlers=["/metrics"],
    )
    return app


_app: FastAPI | None = None


def __getattr__(name: str) -> Any:
    # `main:app` is built on first access rather than at import, so importing create_app (tests,
    # tools) opens no database and reads no environment.
    global _app
    if name != "app":
        raise AttributeError(name)
    if _app is None:
        _app = create_app()
    return _app
