"""Predictions land in the `predictions` table off the request path, none lost on shutdown,
on both backends."""

import asyncio
import datetime as dt
import math
from collections.abc import Callable, Iterator

import pandas as pd
import pytest
from prometheus_client import CollectorRegistry
from sqlalchemy import Engine, func, select

from estimator_api.adapters import prediction_log
from estimator_api.adapters.prediction_log import PredictionLog
from estimator_api.metrics import ApiMetrics
from stock_db import create_db_engine, predictions
from support.network import free_port, wait_for
from support.sample import TICKER
from support.trained import Store, app_client


def count_rows(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(predictions)).scalar_one())


def row(i: int) -> dict[str, object]:
    as_of = dt.date(2017, 11, 10)
    return {
        "ticker": TICKER,
        "model_version": 1,
        "requested_at": dt.datetime.now(dt.UTC),
        "as_of": as_of,
        "target_date": as_of + dt.timedelta(days=3 + i % 5),
        "horizon": 1 + i % 5,
        "predicted": 84.0,
        "lower": 83.0,
        "upper": 85.0,
        "latency_seconds": 0.0002,
    }


def test_everything_queued_is_written_on_stop(engine: Engine) -> None:
    metrics = ApiMetrics(CollectorRegistry())

    async def scenario() -> None:
        # A flush interval far longer than the test: only the stop can write these rows.
        log = PredictionLog(engine, metrics, flush_seconds=3600, batch_rows=10_000)
        log.start()
        for i in range(1234):
            log.enqueue([row(i)])
        await asyncio.sleep(0)
        assert count_rows(engine) == 0
        await log.stop()
        assert log.pending_rows == 0

    asyncio.run(scenario())
    assert count_rows(engine) == 1234
    assert metrics.predictions_logged._value.get() == 1234


def test_rows_read_back_exactly_as_queued(engine: Engine) -> None:
    # The writer goes below SQLAlchemy's statement layer (COPY, driver executemany): what it
    # stores must still read back through SQLAlchemy as the same values.
    queued = [row(i) for i in range(5)]

    async def scenario() -> None:
        log = PredictionLog(engine, ApiMetrics(CollectorRegistry()), flush_seconds=3600)
        log.enqueue(queued)
        await log.stop()

    asyncio.run(scenario())
    columns = [predictions.c[name] for name in queued[0]]
    with engine.connect() as connection:
        stored = [r._asdict() for r in connection.execute(select(*columns))]
    for written in stored:  # SQLite keeps no time zone; the api writes UTC
        at = written["requested_at"]
        written["requested_at"] = at if at.tzinfo else at.replace(tzinfo=dt.UTC)
    assert sorted(stored, key=lambda r: r["horizon"]) == queued


def test_full_batches_are_written_without_waiting_for_the_interval(engine: Engine) -> None:
    metrics = ApiMetrics(CollectorRegistry())

    async def scenario() -> int:
        log = PredictionLog(engine, metrics, flush_seconds=3600, batch_rows=100)
        log.start()
        log.enqueue([row(i) for i in range(250)])
        for _ in range(200):
            await asyncio.sleep(0.01)
            if count_rows(engine) >= 250:
                break
        written = count_rows(engine)
        await log.stop()
        return written

    assert asyncio.run(scenario()) == 250


def test_a_refused_batch_is_dropped_and_counted_not_retried_forever(engine: Engine) -> None:
    metrics = ApiMetrics(CollectorRegistry())
    bad = {**row(0), "lower": 90.0}  # violates lower <= predicted: the database refuses it

    async def scenario() -> None:
        log = PredictionLog(engine, metrics, flush_seconds=0.01, batch_rows=1)
        log.start()
        log.enqueue([bad, row(1)])
        await asyncio.sleep(0.3)
        await log.stop()

    asyncio.run(scenario())
    assert count_rows(engine) == 1
    assert metrics.predictions_dropped._value.get() == 1


def test_queue_overflow_drops_the_oldest_rows(engine: Engine) -> None:
    metrics = ApiMetrics(CollectorRegistry())

    async def scenario() -> None:
        log = PredictionLog(engine, metrics, flush_seconds=3600, max_queue_rows=10)
        log.enqueue([row(i) for i in range(15)])
        assert log.pending_rows == 10
        await log.stop()

    asyncio.run(scenario())
    assert count_rows(engine) == 10
    assert metrics.predictions_dropped._value.get() == 5


@pytest.fixture
def priced_database(database_url: str, store: Store, copy_to: Callable[[Store, str], None]) -> str:
    copy_to(store, database_url)  # the store's prices and models rows (what may be served)
    return database_url


def test_by_date_predictions_are_logged_and_none_lost_on_shutdown(
    store: Store, priced_database: str, engine: Engine
) -> None:
    settings = store.settings(database_url=priced_database, prediction_flush_seconds=3600)
    with app_client(settings) as client:
        for day in pd.bdate_range("2017-06-01", periods=40):
            body = {"ticker": TICKER, "date": day.date().isoformat(), "horizon": 5}
            assert client.post("/predict", json=body).status_code == 200
        history = {"ticker": TICKER, "history": [84.0 + i * 0.01 for i in range(30)]}
        assert client.post("/predict", json=history).status_code == 200  # not logged
        assert count_rows(engine) == 0  # still queued: nothing written on the request path
    assert count_rows(engine) == 40 * 5

    with engine.connect() as connection:
        first = connection.execute(
            select(predictions).order_by(predictions.c.as_of, predictions.c.horizon).limit(5)
        ).all()
    assert [r.horizon for r in first] == [1, 2, 3, 4, 5]
    assert {r.as_of for r in first} == {dt.date(2017, 6, 1)}
    assert [r.target_date for r in first] == [dt.date(2017, 6, d) for d in (2, 5, 6, 7, 8)]
    assert all(r.model_version == store.first_version for r in first)
    assert all(r.lower <= r.predicted <= r.upper and r.latency_seconds > 0 for r in first)


def test_predictions_land_while_the_service_runs(
    store: Store, priced_database: str, engine: Engine
) -> None:
    settings = store.settings(database_url=priced_database, prediction_flush_seconds=0.05)
    with app_client(settings) as client:
        assert client.post("/predict", json={"ticker": TICKER, "horizon": 3}).status_code == 200
        assert wait_for(lambda: count_rows(engine) == 3)


# --- a bad row costs that row only (issue 10) -----------------------------------------------


def queue_rows(metrics: ApiMetrics) -> float | None:
    return metrics.registry.get_sample_value("nn_estimator_prediction_queue_rows")


@pytest.mark.parametrize(
    "poison",
    [
        {"predicted": float("nan")},  # SQLite stores NaN as NULL: NOT NULL failed the batch
        {"predicted": float("inf"), "upper": float("inf")},  # Postgres stored Inf
        {"lower": None},
        {"target_date": dt.date(2017, 11, 10)},  # not after as_of
    ],
    ids=["nan", "inf", "null", "target-not-after-as-of"],
)
def test_a_poisoned_row_costs_only_itself(
    engine: Engine, poison: dict[str, object], caplog: pytest.LogCaptureFixture
) -> None:
    # The probe of issue 10: one poisoned forecast among 105 acknowledged rows of a batch.
    metrics = ApiMetrics(CollectorRegistry())
    rows = [row(i) for i in range(105)]
    rows.insert(50, {**row(0), **poison})

    async def scenario() -> None:
        log = PredictionLog(engine, metrics, flush_seconds=3600, batch_rows=2000)
        log.enqueue(rows)
        await log.stop()

    asyncio.run(scenario())
    assert count_rows(engine) == 105
    assert metrics.predictions_logged._value.get() == 105
    assert metrics.predictions_dropped._value.get() == 1
    assert "dropped a prediction row the table would refuse" in caplog.text
    with engine.connect() as connection:
        stored = connection.execute(
            select(predictions.c.predicted, predictions.c.lower, predictions.c.upper)
        ).all()
    assert all(math.isfinite(v) for r in stored for v in r)


def test_rows_the_database_still_refuses_are_dropped_alone(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # Rows the check lets through but the database refuses (here: with the check turned off)
    # fail their batch; the batch is written again by halves and only they are dropped.
    monkeypatch.setattr(prediction_log, "prediction_row_problem", lambda row: None)
    metrics = ApiMetrics(CollectorRegistry())
    rows = [row(i) for i in range(2000)]
    rows[7] = {**rows[7], "horizon": 0}  # ck_predictions_horizon_positive
    rows[1234] = {**rows[1234], "predicted": 99.0}  # ck_predictions_band_ordered

    async def scenario() -> None:
        log = PredictionLog(engine, metrics, flush_seconds=3600, batch_rows=2000)
        log.enqueue(rows)
        await log.stop()

    asyncio.run(scenario())
    assert count_rows(engine) == 1998
    assert metrics.predictions_logged._value.get() == 1998
    assert metrics.predictions_dropped._value.get() == 2
    refused = [r for r in caplog.records if "row the database refused" in r.getMessage()]
    assert len(refused) == 2
    assert any("horizon_positive" in r.getMessage() for r in refused)
    assert any("band_ordered" in r.getMessage() for r in refused)


@pytest.fixture
def unreachable_postgres() -> Iterator[Engine]:
    """An engine to a port nobody listens on: every write fails at connect (an outage)."""
    engine = create_db_engine(f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/none")
    yield engine
    engine.dispose()


def test_rows_wait_out_an_outage_and_the_gauge_counts_them(unreachable_postgres: Engine) -> None:
    metrics = ApiMetrics(CollectorRegistry())

    async def scenario() -> None:
        log = PredictionLog(unreachable_postgres, metrics, flush_seconds=0.01, batch_rows=4)
        log.enqueue([row(i) for i in range(10)])
        assert queue_rows(metrics) == 10
        log.start()
        for _ in range(30):  # many failed attempts: every batch put back, none lost or doubled
            await asyncio.sleep(0.02)
            assert queue_rows(metrics) == 10
        assert log.pending_rows == 10
        log.enqueue([row(10)])
        assert queue_rows(metrics) == 11
        await log.stop()  # the final drain cannot write them: dropped and counted
        assert queue_rows(metrics) == 0

    asyncio.run(scenario())
    assert metrics.predictions_logged._value.get() == 0
    assert metrics.predictions_dropped._value.get() == 11


def test_the_gauge_counts_the_batch_being_written(engine: Engine) -> None:
    metrics = ApiMetrics(CollectorRegistry())
    seen: list[float | None] = []

    async def scenario() -> None:
        log = PredictionLog(engine, metrics, flush_seconds=3600, batch_rows=3)
        insert = log._insert

        def observed_insert(rows: list[dict[str, object]]) -> None:
            seen.append(queue_rows(metrics))  # read while the rows are being written
            insert(rows)

        log._insert = observed_insert  # type: ignore[method-assign]
        log.enqueue([row(i) for i in range(7)])
        await log.stop()

    asyncio.run(scenario())
    assert seen == [7, 4, 1]
    assert queue_rows(metrics) == 0
