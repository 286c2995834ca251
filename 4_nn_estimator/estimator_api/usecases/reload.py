"""The models being served, one per ticker, and their hot reload: a new champion is loaded and
validated beside the old one, then swapped in with one reference assignment, so a request in
flight finishes on the model it started with and no request ever sees a half-loaded model."""

import asyncio
import datetime as dt
import logging
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import numpy as np

from estimator_api.adapters.model_loader import ModelLoader
from estimator_api.adapters.price_cache import PriceCache
from estimator_api.domain.forecasting import check_output, validation_windows
from estimator_api.metrics import ApiMetrics
from estimator_api.usecases.batching import Forward, MicroBatcher
from nn_estimator.adapters.artifact import ScriptedForecaster, forward_numpy
from nn_estimator.adapters.registry import ChampionRef

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
    # loaded | unchanged | no_champion | failed | skipped_failed | registry_error
    outcome: str
    version: int | None = None
    error: str | None = None


def warm_up(forward: Forward, window: np.ndarray) -> None:
    """TorchScript profiles and optimises its first calls (the very first took ~80 ms here):
    pay that before the swap, for the batch sizes micro-batching produces."""
    for _ in range(3):
        for batch in (1, 2, 4, 8, 16, 32, 64):
            forward(np.repeat(window[np.newaxis, :], batch, axis=0))


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
        self._failed: set[tuple[str, int]] = set()
        self._lock = asyncio.Lock()

    def get(self, ticker: str) -> ServedModel | None:
        return self._models.get(ticker)

    @property
    def ready(self) -> bool:
        return bool(self._models)

    def served(self) -> dict[str, ServedModel]:
        return self._models

    async def reload(self, force: bool = False) -> list[ReloadResult]:
        """Bring every ticker to its current champion. `force` retries versions that failed
        before (the admin endpoint); the periodic poll skips them to avoid a failure loop."""
        async with self._lock:
            return [await self._reload_ticker(ticker, force) for ticker in self._tickers]

    async def _reload_ticker(self, ticker: str, force: bool) -> ReloadResult:
        try:
            ref = await asyncio.to_thread(self._loader.champion, ticker)
        except Exception as error:
            log.warning("registry lookup for %s failed: %s", ticker, error)
            return ReloadResult(ticker, "registry_error", error=str(error))
        current = self._models.get(ticker)
        if ref is None:
            return ReloadResult(ticker, "no_champion", current.ref.version if current else None)
        if current is not None and current.ref == ref:
            return ReloadResult(ticker, "unchanged", ref.version)
        if not force and (ref.name, ref.version) in self._failed:
            return ReloadResult(ticker, "skipped_failed", ref.version)

        try:
            candidate = await asyncio.to_thread(self._prepare, ticker, ref)
        except Exception as error:
            self._failed.add((ref.name, ref.version))
            self._metrics.model_reloads.labels(ticker=ticker, outcome="failure").inc()
            log.exception(
                "loading %s version %s failed; still serving version %s",
                ref.name,
                ref.version,
                current.ref.version if current else "none",
            )
            return ReloadResult(
                ticker, "failed", ref.version, error=f"{type(error).__name__}: {error}"
            )

        self._models = {**self._models, ticker: candidate}  # the atomic swap
        self._failed.discard((ref.name, ref.version))
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
        return ReloadResult(ticker, "loaded", ref.version)

    def _prepare(self, ticker: str, ref: ChampionRef) -> ServedModel:
        """Load and try the new version off the event loop; raises if it is unfit to serve."""
        forecaster = self._loader.load(ref)
        if str(forecaster.meta.get("ticker", ticker)).upper() != ticker:
            raise ValueError(f"artifact is for ticker {forecaster.meta.get('ticker')!r}")
        series = self._prices.get(ticker)
        windows = validation_windows(
            series.closes if series is not None else None, forecaster.input_length
        )
        # The forward requests are served with (no checks: requests are validated before it).
        forward: Forward = partial(forward_numpy, forecaster.module)
        check_output(forward(windows), len(windows), forecaster.max_horizon)
        warm_up(forward, windows[0])
        record = self._loader.record(ref)

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
