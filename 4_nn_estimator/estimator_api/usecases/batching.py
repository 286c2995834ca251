"""Running the model on the request path, on the event loop (no threadpool hop: the forward
takes ~0.2 ms, less than a thread hand-off).

Micro-batching: windows of requests that reach the model in the same event-loop turn run as
one forward pass. An LSTM forward over 16 windows costs little more than over one, so under
concurrency the model stops being one forward per request; alone, a request waits for nothing
but a single loop turn."""

import asyncio
import time
from collections.abc import Callable

import numpy as np

# (B, L) closes -> (B, H, 3) [lower, point, upper] prices.
Forward = Callable[[np.ndarray], np.ndarray]
# (batch size, seconds) of each forward pass, for the metrics.
BatchObserver = Callable[[int, float], None]


class MicroBatcher:
    def __init__(self, forward: Forward, observe: BatchObserver | None = None) -> None:
        self._forward = forward
        self._observe = observe
        self._pending: list[tuple[np.ndarray, asyncio.Future[tuple[np.ndarray, float]]]] = []

    async def run(self, window: np.ndarray) -> tuple[np.ndarray, float]:
        """One window (L,) -> (its output (H, 3), seconds of the forward pass it shared)."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[tuple[np.ndarray, float]] = loop.create_future()
        self._pending.append((window, future))
        if len(self._pending) == 1:
            # Runs after the callbacks already ready in this turn, which may add their windows.
            loop.call_soon(self._flush)
        return await future

    def _flush(self) -> None:
        batch, self._pending = self._pending, []
        started = time.perf_counter()
        try:
            outputs = self._forward(np.stack([window for window, _ in batch]))
        except Exception as error:
            for _, future in batch:
                if not future.done():
                    future.set_exception(error)
            return
        seconds = time.perf_counter() - started
        if self._observe is not None:
            self._observe(len(batch), seconds)
        for (_, future), output in zip(batch, outputs, strict=True):
            if not future.done():  # the request may have been cancelled (client gone)
                future.set_result((output, seconds))


def run_inline(forward: Forward, window: np.ndarray) -> tuple[np.ndarray, float]:
    """The unbatched path: one forward for one window, on the caller's thread."""
    started = time.perf_counter()
    output = forward(window[np.newaxis, :])[0]
    return output, time.perf_counter() - started
