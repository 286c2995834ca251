"""Cycles started from HTTP (`POST /runs`, the dashboard's "run now"): the row is written
before answering, so the 202 carries the run's id, and the cycle runs on a worker thread."""

import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol

from shepherd.usecases.cycle import Shepherd, Trigger, begin_cycle, continue_cycle

log = logging.getLogger(__name__)


class CycleStarter(Protocol):
    def start(self, ticker: str, force: bool) -> int: ...
    def shutdown(self) -> None: ...


class BackgroundCycles:
    """Two workers: a run-now beside a scheduled cycle is fine; a second cycle of the same
    ticker ends as "locked" at once, whatever the thread."""

    def __init__(self, shepherd: Shepherd, workers: int = 2) -> None:
        self.shepherd = shepherd
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="shepherd-run")

    def start(self, ticker: str, force: bool) -> int:
        run_id = begin_cycle(self.shepherd, ticker, Trigger.MANUAL, force)
        self.pool.submit(continue_cycle, self.shepherd, run_id, ticker, Trigger.MANUAL, force)
        log.info("run %d of %s started (force=%s)", run_id, ticker, force)
        return run_id

    def shutdown(self) -> None:
        # Waiting would hold the process for a whole training; a cycle cut short is left
        # 'running' and marked abandoned by the next cycle of its ticker.
        self.pool.shutdown(wait=False, cancel_futures=True)
