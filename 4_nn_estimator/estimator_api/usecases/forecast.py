"""The forecasting service: answers requests from memory (models, prices, calendar) and owns
the background work that keeps them current (registry polling, price refresh, prediction
logging). Answers are frozen dataclasses the api maps to its schemas."""

import asyncio
import datetime as dt
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np

from estimator_api.adapters.prediction_log import PredictionLog
from estimator_api.adapters.price_cache import PriceCache, last_date
from estimator_api.domain.forecasting import (
    InputError,
    Step,
    build_steps,
    check_horizon,
    window_for_date,
    window_from_history,
)
from estimator_api.domain.trading_calendar import CalendarRangeError, TradingCalendar
from estimator_api.metrics import ApiMetrics
from estimator_api.usecases.batching import run_inline
from estimator_api.usecases.reload import ModelHolder, ReloadResult, ServedModel
from nn_estimator.adapters.registry import CHAMPION_ALIAS
from nn_estimator.domain.series import CloseSeries

log = logging.getLogger(__name__)

# A by-date request for a day after the newest cached close asks the database whether newer
# closes arrived (POST /load, then POST /predict for the new day): at most this often per
# ticker, and a request waits at most CATCH_UP_WAIT_SECONDS for the answer (a slow database
# must not hold requests: they are then answered from the cache).
CATCH_UP_INTERVAL_SECONDS = 1.0
CATCH_UP_WAIT_SECONDS = 2.0


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
    as_of_close: float | None = None  # the close forecast from (by date), stored with the rows


@dataclass(frozen=True)
class ModelInfo:
    """What is served for a ticker: registry reference, artifact meta and `models` row."""

    ticker: str
    name: str
    version: int
    alias: str
    run_id: str
    status: str | None
    trained_at: str | None
    train_start: str | None
    train_end: str | None
    input_length: int
    max_horizon: int
    interval: float | None
    loaded_at: dt.datetime
    metrics: dict[str, Any] | None


@dataclass(frozen=True)
class Schedule:
    """How often the background work runs (seconds; 0 turns a periodic task off)."""

    reload_poll_seconds: float
    price_refresh_seconds: float


class ForecastService:
    def __init__(
        self,
        tickers: list[str],
        prices: PriceCache,
        models: ModelHolder,
        prediction_log: PredictionLog,
        load_calendar: Callable[[], TradingCalendar],
        metrics: ApiMetrics,
        schedule: Schedule,
    ) -> None:
        self.tickers = list(tickers)
        self.prices = prices
        self.models = models
        self.prediction_log = prediction_log
        self.metrics = metrics
        self.calendar: TradingCalendar | None = None
        self._load_calendar = load_calendar
        self._schedule = schedule
        self._tasks: list[asyncio.Task[None]] = []
        # Per ticker: when the last catch-up probe started (monotonic), and the one running.
        self._caught_up_at: dict[str, float] = {}
        self._catching_up: dict[str, asyncio.Task[bool]] = {}

    # --- life cycle -------------------------------------------------------------------------

    async def start(self) -> None:
        """Calendar, prices, then the champions. A missing champion or an unreachable registry
        does not stop the service: /ready says no, and the poll picks the model up later."""
        self.calendar = await asyncio.to_thread(self._load_calendar)
        await self.refresh_prices()
        results = await self.models.reload(force=True)
        log.info("start-up models: %s", ", ".join(f"{r.ticker}={r.outcome}" for r in results))
        self.prediction_log.start()
        if self._schedule.reload_poll_seconds > 0:
            self._every(self._schedule.reload_poll_seconds, self._poll_registry, "registry poll")
        if self._schedule.price_refresh_seconds > 0:
            self._every(self._schedule.price_refresh_seconds, self.refresh_prices, "price refresh")

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self.prediction_log.stop()  # drains the queue: no prediction lost on shutdown

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

    async def reload(self, wait: float | None = None) -> list[ReloadResult]:
        """Admin reload: newest prices first (the new model is validated on them), then models;
        `wait` bounds the wait for a reload already running (ReloadBusyError)."""
        await self.refresh_prices()
        return await self.models.reload(force=True, wait=wait)

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

    def model_info(self, ticker: str | None) -> ModelInfo:
        """The model served for `ticker` (default: the first of TICKERS); the artifact's meta
        wins over the `models` row, which a trainer may not have written."""
        name = (ticker or self.tickers[0]).strip().upper()
        model = self.served_model(name, location="query")
        meta, record = model.meta, model.record or {}
        return ModelInfo(
            ticker=name,
            name=model.ref.name,
            version=model.ref.version,
            alias=CHAMPION_ALIAS,
            run_id=model.ref.run_id,
            status=record.get("status"),
            trained_at=meta.get("trained_at") or _iso(record.get("trained_at")),
            train_start=meta.get("train_start") or _iso(record.get("train_start")),
            train_end=meta.get("train_end") or _iso(record.get("train_end")),
            input_length=model.input_length,
            max_horizon=model.max_horizon,
            interval=meta.get("interval"),
            loaded_at=model.loaded_at,
            metrics=record.get("metrics"),
        )

    async def forecast_by_date(self, ticker: str, day: dt.date | None, horizon: int) -> Forecast:
        """Forecast the `horizon` sessions after the last close on or before `day` (default:
        the newest close). Logged to the predictions table."""
        model = self.served_model(ticker)
        check_horizon(horizon, model.max_horizon)
        series = self.prices.get(ticker)
        # A day the cache covers pays one dict look-up and one date comparison here; a day after
        # the newest cached close with a trading session in between asks the database first
        # (at most once a second per ticker).
        if day is not None:
            newest = self.prices.newest(ticker)
            if newest is None or (day > newest and self._session_between(newest, day)):
                series = await self._catch_up(ticker)
        if series is None:
            raise InputError("ticker", f"no prices stored for {ticker} yet", "no_prices")
        as_of, window = window_for_date(series, day or last_date(series), model.input_length)
        assert self.calendar is not None, "start() loads the calendar"
        try:
            dates = self.calendar.sessions_after(as_of, horizon)
        except CalendarRangeError as error:
            raise InputError("date", str(error), "calendar_range") from error
        output, seconds = await self._infer(model, window)
        steps = build_steps(output, horizon, dates, field="date")
        forecast = Forecast(ticker, model, as_of, steps, seconds, as_of_close=float(window[-1]))
        self._log(forecast)
        return forecast

    def _session_between(self, last: dt.date, day: dt.date) -> bool:
        """Whether a trading session lies in (last, day]: only then can a newer close exist
        (a weekend or holiday after the newest close needs no look)."""
        assert self.calendar is not None, "start() loads the calendar"
        try:
            return self.calendar.sessions_after(last, 1)[0] <= day
        except CalendarRangeError:
            return True  # past the calendar's end: ask the database

    async def _catch_up(self, ticker: str) -> CloseSeries | None:
        """The ticker's closes after asking the database for newer ones: one probe (a worker
        thread) at a time per ticker, shared by the requests waiting for it, and none within
        CATCH_UP_INTERVAL_SECONDS of the last. A failing or slow database answers from the
        cache (the periodic refresh keeps trying)."""
        running = self._catching_up.get(ticker)
        if running is None:
            now = time.monotonic()
            if now - self._caught_up_at.get(ticker, -CATCH_UP_INTERVAL_SECONDS) < (
                CATCH_UP_INTERVAL_SECONDS
            ):
                return self.prices.get(ticker)
            self._caught_up_at[ticker] = now
            running = asyncio.create_task(asyncio.to_thread(self.prices.refresh_ticker, ticker))
            self._catching_up[ticker] = running
            running.add_done_callback(partial(self._caught_up, ticker))
        try:
            await asyncio.wait_for(asyncio.shield(running), CATCH_UP_WAIT_SECONDS)
        except TimeoutError:
            log.warning(
                "price catch-up for %s: no answer within %ss", ticker, CATCH_UP_WAIT_SECONDS
            )
        except Exception as error:
            log.warning("price catch-up for %s failed: %s", ticker, error)
        return self.prices.get(ticker)

    def _caught_up(self, ticker: str, task: "asyncio.Task[bool]") -> None:
        if self._catching_up.get(ticker) is task:
            del self._catching_up[ticker]
        if not task.cancelled():
            task.exception()  # retrieved: the requests that waited log it, asyncio need not

    async def forecast_history(self, ticker: str, history: list[float], horizon: int) -> Forecast:
        """Forecast an explicit series: steps have no calendar dates and are not logged."""
        model = self.served_model(ticker)
        check_horizon(horizon, model.max_horizon)
        window = window_from_history(history, model.input_length)
        output, seconds = await self._infer(model, window)
        steps = build_steps(output, horizon, None, field="history")
        return Forecast(ticker, model, None, steps, seconds)

    async def _infer(self, model: ServedModel, window: np.ndarray) -> tuple[np.ndarray, float]:
        # On the event loop: the forward takes ~0.2 ms, less than a thread hand-off, and a
        # threadpool running torch made serving throughput bimodal when measured.
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
                    "as_of_close": forecast.as_of_close,
                }
                for step in forecast.steps
            ]
        )


def _iso(value: object) -> str | None:
    if value is None:
        return None
    return value.isoformat() if hasattr(value, "isoformat") else str(value)
