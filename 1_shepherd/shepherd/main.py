"""Builds the shepherd: its app (the HTTP face on port 8004) and, in the app's lifespan, the
scheduler; `build_shepherd` wires what one cycle needs (also for `run-once`).

Run with `python -m shepherd serve` or `uvicorn --factory shepherd.main:create_app --port 8004`.
"""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from shepherd.adapters import runs_table
from shepherd.adapters.calendar import ExchangeCalendar, load_calendar
from shepherd.adapters.clock import Clock, system_clock
from shepherd.adapters.estimator_client import EstimatorClient
from shepherd.adapters.http import HttpPolicy, ServiceClient
from shepherd.adapters.load_data_client import LoadDataClient
from shepherd.adapters.metrics_client import MetricsClient
from shepherd.adapters.trainer import ChildProcessTrainer
from shepherd.api.errors import register_error_handlers
from shepherd.api.routes import exposition, health, runs, schedule
from shepherd.config import Settings
from shepherd.domain.decision import Policy
from shepherd.usecases.background import BackgroundCycles, CycleStarter
from shepherd.usecases.cycle import Shepherd, Trigger, run_cycle
from shepherd.usecases.schedule import CycleScheduler
from stock_db import create_db_engine, ensure_schema
from stock_db.guard import guard_state_changes
from stock_db.jsonio import StrictJSONResponse
from stock_db.logs import configure_logging

log = logging.getLogger(__name__)


def build_shepherd(
    settings: Settings, engine: Engine, calendar: ExchangeCalendar, clock: Clock = system_clock
) -> Shepherd:
    token = settings.admin_token.get_secret_value() if settings.admin_token else None
    policy = HttpPolicy(
        timeout_seconds=settings.http_timeout_seconds,
        attempts=settings.http_attempts,
        backoff_seconds=settings.http_backoff_seconds,
        backoff_max_seconds=settings.http_backoff_max_seconds,
    )
    return Shepherd(
        engine=engine,
        sessions=calendar.sessions,
        policy=Policy(settings.fine_tune_after_sessions, settings.retrain_after_days),
        history_start=settings.history_start,
        loader=LoadDataClient(
            ServiceClient("2_load_data", settings.load_data_url, policy, token),
            settings.load_timeout_seconds,
        ),
        estimator=EstimatorClient(
            ServiceClient("estimator api", settings.estimator_url, policy, token)
        ),
        metrics=MetricsClient(ServiceClient("5_metrics", settings.metrics_url, policy)),
        trainer=ChildProcessTrainer(
            settings.database_url,
            settings.mlflow_tracking_uri,
            settings.train_args,
            settings.train_timeout_seconds,
        ),
        clock=clock,
    )


# POST /runs takes {"ticker", "force"}: a few dozen bytes.
MAX_REQUEST_BODY_BYTES = 4 * 1024


def create_app(
    settings: Settings | None = None,
    clock: Clock | None = None,
    runner: CycleStarter | None = None,
) -> FastAPI:
    """`clock` replaces the wall clock (tests travel in time); `runner` replaces the thread
    pool that POST /runs starts cycles on."""
    configure_logging(logging.INFO, "shepherd")
    settings = settings or Settings()
    engine = create_db_engine(settings.database_url)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            ensure_schema(engine)
        except OperationalError as error:  # /health reports it; cycles fail and say so
            log.warning("database not reachable at start-up: %s", error.__class__.__name__)
        calendar = load_calendar(settings.exchange_calendar)
        shepherd = build_shepherd(settings, engine, calendar, clock or system_clock)
        app.state.timezone = calendar.timezone
        app.state.runner = runner or BackgroundCycles(shepherd)
        app.state.scheduler = None
        if settings.schedule_enabled:
            app.state.scheduler = CycleScheduler(
                settings.tickers,
                settings.shepherd_schedule,
                calendar.timezone,
                settings.shepherd_misfire_grace_seconds,
                job=lambda ticker: run_cycle(shepherd, ticker, Trigger.SCHEDULE),
                last_started=lambda ticker: runs_table.last_started(engine, ticker, "schedule"),
                clock=clock or system_clock,
            )
            app.state.scheduler.start()
        yield
        if app.state.scheduler is not None:
            app.state.scheduler.shutdown()
        app.state.runner.shutdown()
        engine.dispose()

    app = FastAPI(
        title="1_shepherd",
        summary="Keeps every ticker fresh: load, fine-tune or retrain, promote, reload",
        version="0.1.0",
        lifespan=lifespan,
        default_response_class=StrictJSONResponse,
    )
    app.state.settings = settings  # also where stock_db.auth.AdminDep finds ADMIN_TOKEN
    app.state.engine = engine
    for module in (runs, schedule, health, exposition):
        app.include_router(module.router)
    register_error_handlers(app)
    # Below FastAPI, which parses a body before any dependency runs: token, type and size first.
    guard_state_changes(app, MAX_REQUEST_BODY_BYTES)
    return app
