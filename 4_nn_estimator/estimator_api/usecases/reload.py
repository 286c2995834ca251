"""The models being served, one per ticker, and their hot reload: a new champion is loaded and
validated beside the old one, then swapped in with one reference assignment, so a request in
flight finishes on the model it started with and no request ever sees a half-loaded model.

What may be served: the version holding the registry alias `champion` only if the `models`
table records it as the gate's champion (the registry has no authentication); when that version
is refused or cannot be loaded, the model already serving stays, and with none serving yet the
newest version the gate ever promoted that loads is served instead. Every such state is a note
per ticker, shown on /ready and /model."""

import asyncio
import contextlib
import datetime as dt
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any, TypeVar

import numpy as np

from estimator_api.adapters.model_loader import ModelLoader, is_unreachable
from estimator_api.adapters.price_cache import PriceCache
from estimator_api.domain.forecasting import check_output
from estimator_api.domain.serving import gate_refusal, ref_of, trial_windows
from estimator_api.metrics import ApiMetrics
from estimator_api.usecases.batching import Forward, MicroBatcher
from nn_estimator.adapters.artifact import ScriptedForecaster, forward_numpy
from nn_estimator.adapters.registry import CHAMPION_ALIAS, ChampionRef

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ServedModel:
    ticker: str
    ref: ChampionRef
    forecaster: ScriptedForecaster
    record: dict[str, Any] | None  # the version's `models` row, if any
    loaded_at: dt.datetime
    forward: Forward = field(compare=False)
    batcher: MicroBatcher | None = field(default=None, compare=False)

    @property
    def meta(self) -> dict[str, Any]:
        return self.forecaster.meta

    @property
    def input_length(self) -> int:
        return self.forecaster.input_length

    @property
    def max_horizon(self) -> int:
        return self.forecaster.max_horizon


@dataclass(frozen=True)
class ReloadResult:
    ticker: str
    # loaded | unchanged | no_champion | failed | refused | fallback | skipped_failed |
    # registry_error
    outcome: str
    version: int | None = None
    error: str | None = None


# How many formerly promoted versions are tried, newest first, when the champion cannot be served.
MAX_FALLBACK_ATTEMPTS = 5

T = TypeVar("T")


class ReloadBusyError(RuntimeError):
    """Another reload (the periodic poll) kept the lock longer than the caller would wait."""

    def __init__(self, waited: float) -> None:
        super().__init__(f"a reload is already running (waited {waited:g} s); try again shortly")


async def in_daemon_thread(function: Callable[..., T], *args: Any) -> T:
    """Run blocking registry and artifact work in a daemon thread. Unlike asyncio.to_thread,
    nothing waits for it when the process stops: a cancelled reload stuck on a silent MLflow
    server cannot hold the shutdown (the executor's threads are joined at exit)."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()

    def settle(outcome: Callable[[], None]) -> None:
        if not future.done():
            outcome()

    def work() -> None:
        try:
            result = function(*args)
        except BaseException as error:  # handed to the awaiting task
            answer = partial(settle, partial(future.set_exception, error))
        else:
            answer = partial(settle, partial(future.set_result, result))
        # RuntimeError: the loop closed while this ran, so nobody waits any more.
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(answer)

    threading.Thread(target=work, name=f"reload-{function.__name__}", daemon=True).start()
    return await future


def warm_up(forward: Forward, window: np.ndarray) -> None:
    """TorchScript profiles and optimises its first calls (the very first took ~80 ms here):
    pay that before the swap, for the batch sizes micro-batching produces."""
    for _ in range(3):
        for batch in (1, 2, 4, 8, 16, 32, 64):
            forward(np.repeat(window[np.newaxis, :], batch, axis=0))


def version_error(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"


class ModelHolder:
    def __init__(
        self,
        tickers: list[str],
        loader: ModelLoader,
        prices: PriceCache,
        metrics: ApiMetrics,
        micro_batching: bool = True,
    ) -> None:
        self._tickers = list(tickers)
        self._loader = loader
        self._prices = prices
        self._metrics = metrics
        self._micro_batching = micro_batching
        # Replaced as a whole on every swap: readers take one consistent snapshot.
        self._models: dict[str, ServedModel] = {}
        # Versions that failed to load: the poll does not retry them.
        self._failed: set[tuple[str, int]] = set()
        # Versions refused by the gate check: the poll checks them again (the table may record
        # them later) but reports each refusal once.
        self._refused: set[tuple[str, int]] = set()
        # Why a ticker is not served its champion (None/absent: it is), for /ready and /model.
        self._notes: dict[str, str] = {}
        # The version the alias named at the last successful look-up.
        self._champions: dict[str, int | None] = {}
        self._lock = asyncio.Lock()

    def get(self, ticker: str) -> ServedModel | None:
        return self._models.get(ticker)

    @property
    def ready(self) -> bool:
        return bool(self._models)

    def served(self) -> dict[str, ServedModel]:
        return self._models

    def degraded(self) -> dict[str, str]:
        """Per ticker not served its registry champion: what is served instead, and why."""
        return dict(self._notes)

    def note(self, ticker: str) -> str | None:
        return self._notes.get(ticker)

    def champion_version(self, ticker: str) -> int | None:
        """The version the alias `champion` named at the last successful registry look-up."""
        return self._champions.get(ticker)

    async def reload(self, force: bool = False, wait: float | None = None) -> list[ReloadResult]:
        """Bring every ticker to its current champion. `force` retries versions that failed
        before and reports refusals again (the admin endpoint); the periodic poll skips known
        failures to avoid a failure loop. `wait` bounds the wait for a reload already running
        (ReloadBusyError). Once the registry proves unreachable, the remaining tickers are not
        looked up (each would wait for the same timeout). SQLAlchemyError propagates."""
        if wait is None:
            await self._lock.acquire()
        else:
            try:
                async with asyncio.timeout(wait):
                    await self._lock.acquire()
            except TimeoutError:
                raise ReloadBusyError(wait) from None
        try:
            results: list[ReloadResult] = []
            unreachable: str | None = None
            for ticker in self._tickers:
                if unreachable is not None:
                    results.append(ReloadResult(ticker, "registry_error", error=unreachable))
                    continue
                try:
                    ref = await in_daemon_thread(self._loader.champion, ticker)
                except Exception as error:
                    message = f"MLflow registry: {version_error(error)}"
                    log.warning("registry look-up for %s failed: %s", ticker, message)
                    if is_unreachable(error):
                        unreachable = message
                    results.append(ReloadResult(ticker, "registry_error", error=message))
                    continue
                results.append(await self._reload_ticker(ticker, ref, force))
            return results
        finally:
            self._lock.release()

    async def _reload_ticker(
        self, ticker: str, ref: ChampionRef | None, force: bool
    ) -> ReloadResult:
        current = self._models.get(ticker)
        self._champions[ticker] = ref.version if ref is not None else None
        if ref is None:
            return ReloadResult(ticker, "no_champion", current.ref.version if current else None)
        if current is not None and current.ref == ref:
            self._notes.pop(ticker, None)
            return ReloadResult(ticker, "unchanged", ref.version)
        if not force and (ref.name, ref.version) in self._failed:
            return ReloadResult(ticker, "skipped_failed", ref.version)

        record = await in_daemon_thread(self._loader.record, ref)
        refusal = gate_refusal(ref, record)
        if refusal is not None:
            reason, message = refusal
            why = f"champion v{ref.version} refused: {message}"
            if not force and (ref.name, ref.version) in self._refused:
                # Re-checked every poll (the table may record it later), reported once.
                return ReloadResult(ticker, "skipped_failed", ref.version, error=why)
            self._refused.add((ref.name, ref.version))
            self._metrics.model_refusals.labels(ticker=ticker, reason=reason).inc()
            log.error(
                "refusing %s version %s (alias %s): %s; still serving version %s",
                ref.name,
                ref.version,
                CHAMPION_ALIAS,
                message,
                current.ref.version if current else "none",
            )
            return await self._not_served(ticker, ref, "refused", why, force)

        try:
            candidate = await in_daemon_thread(self._prepare, ticker, ref, record)
        except Exception as error:
            self._count_failure(ticker, ref, error, current)
            why = f"champion v{ref.version} failed to load: {version_error(error)}"
            return await self._not_served(ticker, ref, "failed", why, force)

        self._swap(ticker, candidate, note=None)
        return ReloadResult(ticker, "loaded", ref.version)

    async def _not_served(
        self, ticker: str, ref: ChampionRef, outcome: str, why: str, force: bool
    ) -> ReloadResult:
        """The champion cannot be served: keep what serves, or else fall back to the newest
        version the gate promoted that loads."""
        current = self._models.get(ticker)
        if current is not None:
            self._notes[ticker] = f"serving v{current.ref.version}: {why}"
            return ReloadResult(ticker, outcome, ref.version, error=why)
        fallback = await self._fall_back(ticker, ref, force)
        if fallback is None:
            self._notes[ticker] = f"no model: {why}; no formerly promoted version could be loaded"
            return ReloadResult(ticker, outcome, ref.version, error=why)
        self._swap(ticker, fallback, note=f"serving v{fallback.ref.version}: {why}")
        return ReloadResult(ticker, "fallback", fallback.ref.version, error=why)

    async def _fall_back(
        self, ticker: str, refused: ChampionRef, force: bool
    ) -> ServedModel | None:
        records = await in_daemon_thread(self._loader.promoted, ticker)
        attempts = 0
        for record in records:
            ref = ref_of(record)
            if ref.version == refused.version:
                continue
            if not force and (ref.name, ref.version) in self._failed:
                continue
            if attempts == MAX_FALLBACK_ATTEMPTS:
                break
            attempts += 1
            try:
                return await in_daemon_thread(self._prepare, ticker, ref, record)
            except Exception as error:
                self._count_failure(ticker, ref, error, None)
        return None

    def _count_failure(
        self, ticker: str, ref: ChampionRef, error: BaseException, current: ServedModel | None
    ) -> None:
        self._failed.add((ref.name, ref.version))
        self._metrics.model_reloads.labels(ticker=ticker, outcome="failure").inc()
        log.error(
            "loading %s version %s failed (%s); still serving version %s",
            ref.name,
            ref.version,
            version_error(error),
            current.ref.version if current else "none",
            exc_info=error,
        )

    def _swap(self, ticker: str, candidate: ServedModel, note: str | None) -> None:
        current = self._models.get(ticker)
        ref = candidate.ref
        self._models = {**self._models, ticker: candidate}  # the atomic swap
        self._failed.discard((ref.name, ref.version))
        self._refused.discard((ref.name, ref.version))
        if note is None:
            self._notes.pop(ticker, None)
        else:
            self._notes[ticker] = note
            log.error("%s: %s", ticker, note)
        self._metrics.set_served_version(
            ticker, current.ref.version if current else None, ref.version
        )
        self._metrics.model_reloads.labels(ticker=ticker, outcome="success").inc()
        log.info(
            "serving %s version %s for %s (was %s)",
            ref.name,
            ref.version,
            ticker,
            current.ref.version if current else "none",
        )

    def _prepare(self, ticker: str, ref: ChampionRef, record: dict[str, Any] | None) -> ServedModel:
        """Load and try the version off the event loop; raises if it is unfit to serve. It is
        tried on synthetic price paths and on the newest stored windows only when those hold
        plausible prices: a bad stored close must not make a good model unservable."""
        forecaster = self._loader.load(ref)
        if str(forecaster.meta.get("ticker", ticker)).upper() != ticker:
            raise ValueError(f"artifact is for ticker {forecaster.meta.get('ticker')!r}")
        series = self._prices.get(ticker)
        windows = trial_windows(
            series.closes if series is not None else None, forecaster.input_length
        )
        # The forward requests are served with (no checks: requests are validated before it).
        forward: Forward = partial(forward_numpy, forecaster.module)
        check_output(forward(windows), len(windows), forecaster.max_horizon)
        warm_up(forward, windows[0])

        def observe(batch_size: int, seconds: float) -> None:
            self._metrics.inference_batch_size.labels(ticker=ticker).observe(batch_size)

        batcher = MicroBatcher(forward, observe) if self._micro_batching else None
        return ServedModel(
            ticker=ticker,
            ref=ref,
            forecaster=forecaster,
            record=record,
            loaded_at=dt.datetime.now(dt.UTC),
            forward=forward,
            batcher=batcher,
        )
