"""Fixtures for the shepherd tests: the real XNYS calendar, and a Shepherd on the real database
(both backends) whose other services are fakes that behave like them: the loader writes
sample rows into `prices`, the trainer writes a `models` row as the training package does, the
api serves whatever the `models` table names champion after a reload."""

import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from types import SimpleNamespace
from typing import Any, cast

import pandas as pd
import pytest
from sqlalchemy import Engine, func, insert, select, update

from shepherd.adapters.calendar import ExchangeCalendar, load_calendar
from shepherd.adapters.estimator_client import ReloadReport
from shepherd.adapters.http import ServiceError
from shepherd.adapters.load_data_client import LoadReport
from shepherd.adapters.models_table import current_champion
from shepherd.domain.decision import Drift, Policy
from shepherd.domain.outcome import TrainingReport
from shepherd.domain.staleness import Sessions
from shepherd.usecases.cycle import Shepherd
from stock_db import models, prices
from support.sample import TICKER

# Travel to the end of the bundled sample: its last session, 2017-11-10 (a Friday), closed at
# 16:00 New York time = 21:00 UTC.
AFTER_LAST_SAMPLE_CLOSE = datetime(2017, 11, 10, 22, 0, tzinfo=UTC)
POLICY = Policy(fine_tune_after_sessions=5, retrain_after_days=180)


@pytest.fixture(scope="session")
def xnys() -> ExchangeCalendar:
    return load_calendar("XNYS")


@pytest.fixture(scope="session")
def sessions(xnys: ExchangeCalendar) -> Sessions:
    return xnys.sessions


def store_prices(engine: Engine, frame: pd.DataFrame, ticker: str = TICKER) -> int:
    rows = frame.assign(ticker=ticker, source="sample", loaded_at=datetime(2024, 1, 1, tzinfo=UTC))
    records = cast(list[dict[str, Any]], rows.to_dict("records"))
    if records:
        with engine.begin() as connection:
            connection.execute(insert(prices), records)
    return len(records)


def store_champion(
    engine: Engine,
    version: int,
    data_end: date,
    trained_at: datetime = AFTER_LAST_SAMPLE_CLOSE,
    status: str = "champion",
) -> None:
    """A `models` row as the training package writes it (its `metrics.eval_end` is the newest
    close it saw)."""
    with engine.begin() as connection:
        connection.execute(
            insert(models),
            {
                "ticker": TICKER,
                "name": f"lstm-{TICKER}",
                "version": version,
                "run_id": f"run{version}",
                "status": status,
                "trained_at": trained_at,
                "train_start": date(2010, 1, 4),
                "train_end": date(2016, 11, 14),
                "metrics": {"eval_end": data_end.isoformat()},
                "promoted_at": trained_at if status == "champion" else None,
            },
        )


class FakeLoader:
    """2_load_data over the bundled sample: stores the sample's rows in the asked range."""

    def __init__(self, engine: Engine, sample: pd.DataFrame, error: Exception | None = None):
        self.engine = engine
        self.sample = sample
        self.error = error
        self.calls: list[tuple[str, date, date]] = []

    def load(self, ticker: str, start: date, end: date) -> LoadReport:
        self.calls.append((ticker, start, end))
        if self.error is not None:
            raise self.error
        rows = self.sample[(self.sample["date"] >= start) & (self.sample["date"] <= end)]
        with self.engine.connect() as connection:
            stored = set(
                connection.scalars(
                    select(prices.c.date).where(prices.c.ticker == ticker, prices.c.date >= start)
                )
            )
        new = rows[~rows["date"].isin(stored)]
        inserted = store_prices(self.engine, new, ticker)
        return LoadReport(
            source="sample",
            fetched=len(rows),
            inserted=inserted,
            updated=0,
            rejected=0,
            first_date=rows["date"].min() if len(rows) else None,
            last_date=rows["date"].max() if len(rows) else None,
        )


class FakeTrainer:
    """Registers version n+1 in the `models` table, promoted or rejected as told; can fail, or
    wait for `release` (to hold a cycle inside its lock)."""

    def __init__(
        self,
        engine: Engine,
        promote: bool = True,
        error: Exception | None = None,
        release: threading.Event | None = None,
    ) -> None:
        self.engine = engine
        self.promote = promote
        self.error = error
        self.release = release
        self.entered = threading.Event()
        self.calls: list[tuple[str, bool]] = []

    def train(self, ticker: str, fine_tune: bool) -> TrainingReport:
        self.calls.append((ticker, fine_tune))
        self.entered.set()
        if self.release is not None:
            self.release.wait(timeout=30)
        if self.error is not None:
            raise self.error
        with self.engine.connect() as connection:
            version = (connection.scalar(select(func.max(models.c.version))) or 0) + 1
            newest = connection.scalar(select(func.max(prices.c.date)))
        if self.promote:
            with self.engine.begin() as connection:
                connection.execute(
                    update(models).where(models.c.status == "champion").values(status="retired")
                )
        store_champion(
            self.engine, version, newest, status="champion" if self.promote else "rejected"
        )
        return TrainingReport(
            model_name=f"lstm-{ticker}",
            version=version,
            promoted=self.promote,
            reasons=("candidate beats the champion",)
            if self.promote
            else ("candidate MASE 1.02 > champion 0.99",),
            gate_decision="promote" if self.promote else "reject",
            gate_p_value=0.012 if self.promote else 0.41,
        )


class FakeEstimator:
    """The api: after a reload it serves the `models` champion, unless `stuck`."""

    def __init__(self, engine: Engine, stuck: bool = False, down: bool = False) -> None:
        self.engine = engine
        self.stuck = stuck
        self.down = down
        self.served: int | None = None
        self.reloads = 0

    def reload(self, ticker: str) -> ReloadReport:
        self.reloads += 1
        if self.down:
            raise ServiceError("estimator api", "POST /admin/reload failed: ConnectError")
        champion = current_champion(self.engine, ticker)
        if self.stuck or champion is None:
            return ReloadReport("failed", None, "artifact unreadable")
        self.served = champion.version
        return ReloadReport("loaded", champion.version, None)

    def served_version(self, ticker: str) -> int | None:
        return self.served


class FakeMetrics:
    def __init__(self, drift: Drift | None = None) -> None:
        self.value = drift or Drift(False, "ks statistic 0.05, p_value 0.4")

    def drift(self, ticker: str) -> Drift:
        return self.value


ShepherdFactory = Callable[..., Shepherd]


@pytest.fixture
def fakes() -> SimpleNamespace:
    """The fake services, for tests that configure one (test modules cannot import conftest)."""
    return SimpleNamespace(
        Loader=FakeLoader, Trainer=FakeTrainer, Estimator=FakeEstimator, Metrics=FakeMetrics
    )


@pytest.fixture
def add_prices(engine: Engine, sample_frame: pd.DataFrame) -> Callable[[date], int]:
    """Stores the sample's last 300 rows up to `last` (enough history, quick to insert)."""

    def add(last: date) -> int:
        return store_prices(engine, sample_frame[sample_frame["date"] <= last].tail(300))

    return add


@pytest.fixture
def add_champion(engine: Engine) -> Callable[..., None]:
    """store_champion on the test database: (version, data_end, trained_at=, status=)."""

    def add(version: int, data_end: date, **options: Any) -> None:
        store_champion(engine, version, data_end, **options)

    return add


@pytest.fixture
def make_shepherd(
    engine: Engine, sessions: Sessions, sample_frame: pd.DataFrame
) -> Iterator[ShepherdFactory]:
    """A Shepherd on the test database at AFTER_LAST_SAMPLE_CLOSE unless `now` is given;
    any part can be replaced by keyword."""

    def factory(now: datetime = AFTER_LAST_SAMPLE_CLOSE, **parts: Any) -> Shepherd:
        base = Shepherd(
            engine=engine,
            sessions=sessions,
            policy=POLICY,
            history_start=date(2017, 1, 1),
            loader=FakeLoader(engine, sample_frame),
            estimator=FakeEstimator(engine),
            metrics=FakeMetrics(),
            trainer=FakeTrainer(engine),
            clock=lambda: now,
        )
        return replace(base, **parts)

    yield factory
