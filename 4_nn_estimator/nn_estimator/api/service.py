"""The forecasting service: answers requests from memory (models, prices, calendar) and owns
the background work (registry polling, price refresh, prediction logging)."""

import asyncio
import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import numpy as np
from sqlalchemy import Engine

from nn_estimator.api.config import Settings
from nn_estimator.api.forecasting import (
    InputError,
    Step,
    build_steps,
    check_horizon,
    window_for_date,
    window_from_history,
)
from nn_estimator.api.inference import run_inline
from nn_estimator.api.metrics import ApiMetrics
from nn_estimator.api.model_holder import ModelHolder, ReloadResult, ServedModel
from nn_estimator.api.model_loader import ModelLoader
from nn_estimator.api.prediction_log import PredictionLog
from nn_estimator.api.price_cache import PriceCache, last_date
from nn_estimator.api.trading_calendar import CalendarRangeError, TradingCalendar
from stock_db import create_db_engine, ensure_schema, wait_for_database

log = logging.getLogger(__name__)


class NoModelError(LookupError):
    """No model is loaded for the ticker yet (a 503: try again after the first training)."""

    def __init__(self, ticker: str) -> None:
        super().__init__(f"no model for ticker {ticker} yet")
        self.ticker = ticker


@dataclass(frozen=True)
class Forecast:
    ticker: str
    model: ServedModel
    as_of: dt.date | None
    steps: list[Step]
    inference_seconds: float


class ForecastService:
    def __init__(self, settings: Settings, metrics: ApiMetrics, engine: Engine) -> None:
        self.settings = settings
        self.metrics = metrics
        self.engine = engine
        self.tickers = settings.ticker_list
        self.calendar: TradingCalendar | None = None
        self.prices = PriceCache(engine, self.tickers)
        self.models = ModelHolder(
            self.tickers,
            ModelLoader(settings.mlflow_tracking_uri, engine, settings.model_download_dir),
            self.prices,
            metrics,
            micro_batching=settings.micro_batching,
        )
        self.prediction_log = PredictionLog(
            engine,
            metrics,
            flush_seconds=settings.prediction_flush_seconds,
            batch_rows=settings.prediction_batch_rows,
            max_queue_rows=settings.prediction_queue_max_rows,
        )
        self._tasks: list[asyncio.Task[None]] = []

    @classmethod
    def from_settings(cls, settings: Settings, metrics: ApiMetrics) -> "ForecastService":
        return cls(settings, metrics, create_db_engine(settings.database_url))

    # --- life cycle -------------------------------------------------------------------------

    async def start(self) -> None:
        """Start-up: database, calendar, prices, then the champions. A missing champion or an
        unreachable registry does not stop the service: /health answers, /ready says no, and
        the poll picks the model up later."""
        await asyncio.to_thread(wait_for_database, self.engine)
        await asyncio.to_thread(ensure_schema, self.engine)
        s = self.settings
        self.calendar = await asyncio.to_thread(
            TradingCalendar.load, s.exchange_calendar, s.calendar_start
        )
        await asyncio.to_thread(self.prices.refresh)
        results = await self.models.reload(force=True)
        log.info("start-up models: %s", ", ".join(f"{r.ticker}={r.outcome}" for r in results))
        self.prediction_log.start()
        if s.reload_poll_seconds > 0:
            self._every(s.reload_poll_seconds, self._poll_registry, "registry poll")
        if s.price_refresh_seconds > 0:
            self._every(s.price_refresh_seconds, self.refresh_prices, "price refresh")

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self.prediction_log.stop()  # drains the queue: no prediction lost on shutdown
        self.engine.dispose()

    def _every(self, seconds: float, action: Callable[[], Awaitable[object]], name: str) -> None:
        async def loop() -> None:
            while True:
                await asyncio.sleep(seconds)
                try:
                    await action()
                except Exception:
                    log.exception("%s failed", name)

        self._tasks.append(asyncio.create_task(loop(), name=name))

    async def _poll_registry(self) -> None:
        await self.models.reload(force=False)

    async def refresh_prices(self) -> list[str]:
        return await asyncio.to_thread(self.prices.refresh)

    async def reload(self) -> list[ReloadResult]:
        """Admin reload: newest prices first (the new model is validated on them), then models."""
        await self.refresh_prices()
        return await self.models.reload(force=True)

    # --- requests ---------------------------------------------------------------------------

    def served_model(self, ticker: str, location: str = "body") -> ServedModel:
        if ticker not in self.tickers:
            raise InputError(
                "ticker",
                f"unknown ticker {ticker!r}; this service serves {', '.join(self.tickers)}",
                "unknown_ticker",
                location,
            )
        model = self.models.get(ticker)
        if model is None:
            raise NoModelError(ticker)
        return model

    async def forecast_by_date(self, ticker: str, day: dt.date | None, horizon: int) -> Forecast:
        """Forecast the `horizon` sessions after the last close on or before `day` (default:
        the newest close). Logged to the predictions table."""
        model = self.served_model(ticker)
        check_horizon(horizon, model.max_horizon)
        series = self.prices.get(ticker)
        if series is None:
            raise InputError("ticker", f"no prices stored for {ticker} yet", "no_prices")
        as_of, window = window_for_date(series, day or last_date(series), model.input_length)
        assert self.calendar is not None, "start() loads the calendar"
        try:
            dates = self.calendar.sessions_after(as_of, horizon)
        except CalendarRangeError as error:
            raise InputError("date", str(error), "calendar_range") from error
        output, seconds = await self._infer(model, window)
        forecast = Forecast(ticker, model, as_of, build_steps(output, horizon, dates), seconds)
        self._log(forecast)
        return forecast

    async def forecast_history(self, ticker: str, history: list[float], horizon: int) -> Forecast:
        """Forecast an explicit series: steps have no calendar dates and are not logged."""
        model = self.served_model(ticker)
        check_horizon(horizon, model.max_horizon)
        window = window_from_history(history, model.input_length)
        output, seconds = await self._infer(model, window)
        return Forecast(ticker, model, None, build_steps(output, horizon, None), seconds)

    async def _infer(self, model: ServedModel, window: np.ndarray) -> tuple[np.ndarray, float]:
        # Runs on the event loop: the forward takes ~0.2 ms, less than a thread hand-off, and a
        # threadpool with torch measured bimodal here (see NOTES.md).
        if model.batcher is not None:
            output, seconds = await model.batcher.run(window)
        else:
            output, seconds = run_inline(model.forward, window)
        self.metrics.inference_seconds.labels(ticker=model.ticker).observe(seconds)
        return output, seconds

    def _log(self, forecast: Forecast) -> None:
        requested_at = dt.datetime.now(dt.UTC)
        self.prediction_log.enqueue(
            [
                {
                    "ticker": forecast.ticker,
                    "model_version": forecast.model.ref.version,
                    "requested_at": requested_at,
                    "as_of": forecast.as_of,
                    "target_date": step.date,
                    "horizon": step.step,
                    "predicted": step.close,
                    "lower": step.lower,
                    "upper": step.upper,
                    "latency_seconds": forecast.inference_seconds,
                }
                for step in forecast.steps
            ]
        )
