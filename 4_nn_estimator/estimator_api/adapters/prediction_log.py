"""Writes served predictions to the `predictions` table off the request path: requests append
rows to an in-memory queue; a background task writes them in batches (every flush interval or
once a batch is full) and drains the queue completely when the service stops.

A bad row costs that row only: each batch is checked before it is written (rows the table would
refuse are dropped, counted and logged with the reason), and a batch the database still refuses
for a data reason is written again by halves, so only the rows it refuses are dropped. While
the database is unreachable rows wait (put back at the head of the queue) and are retried.
`nn_estimator_prediction_queue_rows` is computed when scraped: queued plus being written."""

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, InterfaceError, OperationalError

from estimator_api.domain.forecasting import prediction_row_problem
from estimator_api.metrics import ApiMetrics
from stock_db import copy_rows, predictions

log = logging.getLogger(__name__)

PredictionRow = dict[str, Any]
# DB-API exception classes (any driver) meaning "this data", not "this connection".
DATA_ERROR_NAMES = frozenset({"IntegrityError", "DataError"})


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
        self._in_flight = 0  # rows of the batch being written (not in _pending meanwhile)
        self._wakeup = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None
        # Read at scrape time: true at every moment, and nothing to keep in step on the way.
        metrics.prediction_queue_rows.set_function(self._unwritten_rows)

    @property
    def pending_rows(self) -> int:
        return len(self._pending)

    def _unwritten_rows(self) -> float:
        return len(self._pending) + self._in_flight

    def enqueue(self, rows: list[PredictionRow]) -> None:
        """O(1) on the request path: no I/O, no await, no per-row work (rows are checked by
        the writer, off the request path)."""
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
            self._in_flight = len(batch)
            try:
                outcome = await asyncio.to_thread(self._write, batch)
            except Exception:  # a bug, not the database: count the rows, do not spin on them
                log.exception("prediction writer failed; dropped %d rows", len(batch))
                outcome = _Outcome(dropped=len(batch))
            if outcome.unwritten and not drain:
                self._pending[:0] = outcome.unwritten  # back before the in-flight count goes
            self._in_flight = 0
            self._metrics.predictions_logged.inc(outcome.written)
            if outcome.outage is not None:
                if drain:  # the final drain: there is no later
                    lost = len(outcome.unwritten) + len(self._pending)
                    self._pending = []
                    self._metrics.predictions_dropped.inc(outcome.dropped + lost)
                    log.error(
                        "database unreachable at shutdown: dropped %d prediction rows: %s",
                        lost,
                        outcome.outage,
                    )
                    return
                self._metrics.predictions_dropped.inc(outcome.dropped)
                log.warning(
                    "prediction write failed (database unreachable), %d rows wait: %s",
                    self._unwritten_rows(),
                    outcome.outage,
                )
                return
            self._metrics.predictions_dropped.inc(outcome.dropped)

    def _write(self, batch: list[PredictionRow]) -> "_Outcome":
        """In a worker thread: check the rows, write the good ones (by halves where the
        database refuses a part for a data reason); stop at the first sign of an outage and
        return the rows not yet written."""
        outcome = _Outcome()
        valid = []
        for row in batch:
            problem = prediction_row_problem(row)
            if problem is None:
                valid.append(row)
            else:
                outcome.dropped += 1
                log.error("dropped a prediction row the table would refuse (%s): %r", problem, row)
        parts = [valid] if valid else []  # a stack: the earliest rows on top
        while parts:
            part = parts.pop()
            if outcome.outage is not None:
                outcome.unwritten += part
                continue
            try:
                self._insert(part)
            except DBAPIError as error:
                if _is_outage(error):
                    outcome.outage = error
                    outcome.unwritten += part
                elif not _is_data_error(error):
                    outcome.dropped += len(part)
                    log.error(
                        "dropped %d prediction rows the database refused: %s", len(part), error
                    )
                elif len(part) == 1:
                    outcome.dropped += 1
                    log.error(
                        "dropped a prediction row the database refused (%s): %r",
                        _reason(error),
                        part[0],
                    )
                else:
                    log.warning(
                        "the database refused a batch of %d prediction rows (%s): writing it "
                        "by halves to drop only the rows it refuses",
                        len(part),
                        _reason(error),
                    )
                    middle = len(part) // 2
                    parts += [part[middle:], part[:middle]]  # the first half is written first
            else:
                outcome.written += len(part)
        return outcome

    def _insert(self, rows: list[PredictionRow]) -> None:
        values = [tuple(r.get(name) for name in COLUMNS) for r in rows]
        with self._engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                copy_rows(connection, "predictions", COLUMNS, PG_TYPES, values)
            else:
                _executemany(connection, values)


@dataclass
class _Outcome:
    written: int = 0
    dropped: int = 0
    outage: Exception | None = None
    unwritten: list[PredictionRow] = field(default_factory=list)  # to retry after an outage


def _is_outage(error: DBAPIError) -> bool:
    """The connection, not the rows: the same rows may well be written later."""
    return isinstance(error, OperationalError | InterfaceError) or bool(
        error.connection_invalidated
    )


def _is_data_error(error: DBAPIError) -> bool:
    """A constraint or a value the database refuses (stock_db.copy_rows raises the driver's
    errors as a plain DBAPIError: look at the driver's class too)."""
    if isinstance(error, IntegrityError | DataError):
        return True
    return any(cls.__name__ in DATA_ERROR_NAMES for cls in type(error.orig).__mro__)


def _reason(error: DBAPIError) -> str:
    return str(error.orig).strip().splitlines()[0] if error.orig is not None else str(error)


# Below SQLAlchemy's statement layer on purpose: at a few thousand forecasts a second its
# per-row parameter processing took a fifth of the api's CPU (bench/bench_api.py, by date).
COLUMNS = [c.name for c in predictions.columns if c.name != "id"]
PG_TYPES = ["varchar", "int4", "timestamptz", "date", "date", "int4"] + ["float8"] * 5


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
