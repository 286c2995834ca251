"""Writes served predictions to the `predictions` table off the request path: requests append
rows to an in-memory queue; a background task writes them in batches (every flush interval or
once a batch is full) and drains the queue completely when the service stops."""

import asyncio
import contextlib
import logging
from typing import Any

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError, OperationalError

from estimator_api.metrics import ApiMetrics
from stock_db import copy_rows, predictions

log = logging.getLogger(__name__)

PredictionRow = dict[str, Any]


class PredictionLog:
    def __init__(
        self,
        engine: Engine,
        metrics: ApiMetrics,
        flush_seconds: float = 0.5,
        batch_rows: int = 2000,
        max_queue_rows: int = 200_000,
    ) -> None:
        self._engine = engine
        self._metrics = metrics
        self._flush_seconds = flush_seconds
        self._batch_rows = batch_rows
        self._max_queue_rows = max_queue_rows
        # Only touched from the event loop thread, so a plain list needs no lock.
        self._pending: list[PredictionRow] = []
        self._wakeup = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None

    @property
    def pending_rows(self) -> int:
        return len(self._pending)

    def enqueue(self, rows: list[PredictionRow]) -> None:
        """O(1) on the request path: no I/O, no await."""
        self._pending.extend(rows)
        overflow = len(self._pending) - self._max_queue_rows
        if overflow > 0:
            # The database has been failing for long: keep the newest rows, count the rest.
            del self._pending[:overflow]
            self._metrics.predictions_dropped.inc(overflow)
            log.error("prediction queue full: dropped the %d oldest rows", overflow)
        if len(self._pending) >= self._batch_rows:
            self._wakeup.set()

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="prediction-log-writer")

    async def stop(self) -> None:
        """Stop the writer after everything queued so far has been written."""
        self._stopping = True
        self._wakeup.set()
        if self._task is not None:
            await self._task
        else:
            await self._write_pending(drain=True)

    async def _run(self) -> None:
        while not self._stopping:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wakeup.wait(), timeout=self._flush_seconds)
            self._wakeup.clear()
            await self._write_pending(drain=False)
        await self._write_pending(drain=True)

    async def _write_pending(self, drain: bool) -> None:
        while self._pending:
            batch = self._pending[: self._batch_rows]
            del self._pending[: len(batch)]
            self._metrics.prediction_queue_rows.set(len(self._pending))
            try:
                await asyncio.to_thread(self._insert, batch)
            except OperationalError as error:
                # Likely transient (database restarting): put the rows back and retry later,
                # unless this is the final drain, where there is no later.
                if drain:
                    self._give_up(batch + self._pending, error)
                    self._pending = []
                else:
                    self._pending[:0] = batch
                    log.warning("prediction write failed, will retry: %s", error)
                return
            except DBAPIError as error:
                self._give_up(batch, error)
                continue
            self._metrics.predictions_logged.inc(len(batch))
        self._metrics.prediction_queue_rows.set(len(self._pending))

    def _give_up(self, rows: list[PredictionRow], error: Exception) -> None:
        self._metrics.predictions_dropped.inc(len(rows))
        log.error("dropped %d prediction rows the database refused: %s", len(rows), error)

    def _insert(self, rows: list[PredictionRow]) -> None:
        values = [tuple(r[name] for name in COLUMNS) for r in rows]
        with self._engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                copy_rows(connection, "predictions", COLUMNS, PG_TYPES, values)
            else:
                _executemany(connection, values)


# Below SQLAlchemy's statement layer on purpose: at a few thousand forecasts a second its
# per-row parameter processing took a fifth of the api's CPU (bench/bench_api.py, by date).
COLUMNS = [c.name for c in predictions.columns if c.name != "id"]
PG_TYPES = ["varchar", "int4", "timestamptz", "date", "date", "int4"] + ["float8"] * 4


def _executemany(connection: Connection, values: list[tuple[Any, ...]]) -> None:
    """SQLite: the driver's executemany, with dates converted by SQLAlchemy's own processors
    (so the stored text is what SQLAlchemy reads back)."""
    processors = [
        predictions.c[name].type.dialect_impl(connection.dialect).bind_processor(connection.dialect)
        for name in COLUMNS
    ]
    converting = [(i, p) for i, p in enumerate(processors) if p is not None]
    rows = []
    for row in values:
        converted = list(row)
        for i, process in converting:
            converted[i] = process(converted[i])
        rows.append(tuple(converted))
    marks = ", ".join("?" for _ in COLUMNS)
    connection.exec_driver_sql(
        f"INSERT INTO predictions ({', '.join(COLUMNS)}) VALUES ({marks})", rows
    )
