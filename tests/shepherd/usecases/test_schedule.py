"""The scheduler: crontab checks, the missed-run rule, and a real BackgroundScheduler."""

import threading
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from apscheduler.triggers.cron import CronTrigger
from pydantic import ValidationError

from shepherd.config import DEFAULT_SCHEDULE, Settings
from shepherd.usecases.schedule import CycleScheduler, check_crontab, missed_fire_time
from support.network import wait_for

NEW_YORK = ZoneInfo("America/New_York")


@pytest.mark.parametrize(
    "expression", ["0 18 * * mon-fri", "*/15 * * * *", "30 17 * * MON,WED,FRI", "0 6 1 * *"]
)
def test_valid_crontabs(expression: str) -> None:
    assert check_crontab(expression) == expression


@pytest.mark.parametrize(
    ("expression", "words"),
    [
        ("0 18 * * 1-5", "as names"),
        ("0 18 * *", "5 crontab fields"),
        ("61 18 * * mon-fri", "61"),
        ("0 18 * * someday", "someday"),
    ],
)
def test_invalid_crontabs(expression: str, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        check_crontab(expression)


def test_settings_take_off_and_refuse_numbers() -> None:
    assert Settings(shepherd_schedule=" OFF ").schedule_enabled is False
    assert Settings().shepherd_schedule == DEFAULT_SCHEDULE
    with pytest.raises(ValidationError, match="mon-fri"):
        Settings(shepherd_schedule="0 18 * * 1-5")
    with pytest.raises(ValidationError):
        Settings(shepherd_train_args="--epochs 'unbalanced")
    assert Settings(shepherd_train_args="--epochs 1 --hidden 8").train_args == [
        "--epochs",
        "1",
        "--hidden",
        "8",
    ]


TRIGGER = CronTrigger.from_crontab(DEFAULT_SCHEDULE, timezone="America/New_York")


@pytest.mark.parametrize(
    ("now", "grace_hours", "missed"),
    [
        (datetime(2024, 11, 26, 19, 0, tzinfo=NEW_YORK), 6, datetime(2024, 11, 26, 18, 0)),
        (datetime(2024, 11, 26, 17, 0, tzinfo=NEW_YORK), 6, None),  # Monday's is 23 h ago
        (datetime(2024, 11, 30, 10, 0, tzinfo=NEW_YORK), 24, datetime(2024, 11, 29, 18, 0)),
        (datetime(2024, 11, 30, 10, 0, tzinfo=NEW_YORK), 6, None),
        (datetime(2024, 11, 26, 18, 0, tzinfo=NEW_YORK), 1, datetime(2024, 11, 26, 18, 0)),
    ],
)
def test_missed_fire_time(now: datetime, grace_hours: int, missed: datetime | None) -> None:
    found = missed_fire_time(TRIGGER, now, timedelta(hours=grace_hours))
    expected = None if missed is None else missed.replace(tzinfo=NEW_YORK)
    assert found == expected


def scheduler(
    clock: datetime, last: datetime | None, calls: list[str], done: threading.Event
) -> CycleScheduler:
    def job(ticker: str) -> None:
        calls.append(ticker)
        done.set()

    return CycleScheduler(
        ["MSFT"],
        DEFAULT_SCHEDULE,
        "America/New_York",
        misfire_grace_seconds=6 * 3600,
        job=job,
        last_started=lambda ticker: last,
        clock=lambda: clock,
    )


def test_jobs_have_fixed_ids_and_the_options() -> None:
    calls: list[str] = []
    cycles = scheduler(
        datetime(2024, 11, 26, 12, 0, tzinfo=NEW_YORK), None, calls, threading.Event()
    )
    cycles.start()
    try:
        job = cycles.scheduler.get_job("cycle-MSFT")
        assert (job.max_instances, job.coalesce, job.misfire_grace_time) == (1, True, 21600)
        view = cycles.view()
        assert [j.id for j in view.jobs] == ["cycle-MSFT"]
        next_run = view.jobs[0].next_run_time
        assert next_run is not None and next_run > datetime.now(UTC)
        assert next_run.astimezone(NEW_YORK).hour == 18
        assert next_run.astimezone(NEW_YORK).weekday() < 5
    finally:
        cycles.shutdown()
    assert calls == []


def test_a_run_missed_while_down_happens_once_at_start() -> None:
    calls: list[str] = []
    done = threading.Event()
    cycles = scheduler(datetime(2024, 11, 26, 19, 0, tzinfo=NEW_YORK), None, calls, done)
    cycles.start()
    try:
        assert done.wait(timeout=10)
        assert not wait_for(lambda: len(calls) > 1, timeout=0.5)
    finally:
        cycles.shutdown()
    assert calls == ["MSFT"]


def test_no_catch_up_when_the_run_happened() -> None:
    calls: list[str] = []
    ran = datetime(2024, 11, 26, 18, 0, 5, tzinfo=NEW_YORK)
    cycles = scheduler(
        datetime(2024, 11, 26, 19, 0, tzinfo=NEW_YORK), ran, calls, threading.Event()
    )
    cycles.start()
    try:
        assert not wait_for(lambda: bool(calls), timeout=1)
    finally:
        cycles.shutdown()
