"""When cycles run by themselves: an APScheduler 3.x BackgroundScheduler with one cron job per
ticker (fixed id `cycle-<TICKER>`, replace_existing, max_instances=1, coalescing, a misfire
grace period), in the exchange's time zone.

APScheduler's in-memory job store forgets everything when the process stops, so a run missed
while the shepherd was down would be lost: at start, if a scheduled time fell within the grace
period before now and no scheduled cycle of the ticker has started since, the job's first run
is now (once: coalesced). The cycle itself is idempotent, so a catch-up costs at most a
staleness check.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger

from shepherd.adapters.clock import Clock, system_clock

log = logging.getLogger(__name__)
JOB_PREFIX = "cycle-"


def check_crontab(expression: str) -> str:
    """A valid 5-field crontab, or ValueError saying what to fix.

    Days of the week must be names (mon-fri): APScheduler 3 numbers them from Monday = 0 where
    cron counts from Sunday = 0, so `1-5` would silently mean Tuesday to Saturday."""
    fields = expression.split()
    if len(fields) != 5:
        raise ValueError(
            f"SHEPHERD_SCHEDULE must be 5 crontab fields (minute hour day month day-of-week) "
            f"or 'off', got {expression!r}"
        )
    if any(character.isdigit() for character in fields[4]):
        raise ValueError(
            f"SHEPHERD_SCHEDULE: write days of the week as names (e.g. mon-fri), not numbers "
            f"({fields[4]!r}): APScheduler 3 counts Monday as 0, cron counts Sunday as 0"
        )
    CronTrigger.from_crontab(expression, timezone="UTC")  # raises ValueError on a bad field
    return expression


def job_id(ticker: str) -> str:
    return f"{JOB_PREFIX}{ticker}"


def missed_fire_time(trigger: CronTrigger, now: datetime, grace: timedelta) -> datetime | None:
    """The newest time `trigger` fired (or should have) within `grace` before `now`."""
    fire = trigger.get_next_fire_time(None, now - grace)
    missed = None
    while fire is not None and fire <= now:
        missed = fire
        fire = trigger.get_next_fire_time(fire, fire + timedelta(microseconds=1))
    return missed


@dataclass(frozen=True)
class JobView:
    id: str
    ticker: str
    next_run_time: datetime | None


@dataclass(frozen=True)
class ScheduleView:
    enabled: bool
    expression: str
    timezone: str
    misfire_grace_seconds: int
    jobs: list[JobView]


class CycleScheduler:
    """Runs `job(ticker)` for every ticker on `expression`; cycles run one after another on a
    single worker thread (training is CPU-bound), the scheduler's own thread stays free."""

    def __init__(
        self,
        tickers: list[str],
        expression: str,
        timezone: str,
        misfire_grace_seconds: int,
        job: Callable[[str], object],
        last_started: Callable[[str], datetime | None],
        clock: Clock = system_clock,
    ) -> None:
        self.tickers = tickers
        self.expression = expression
        self.timezone = timezone
        self.grace = misfire_grace_seconds
        self.job = job
        self.last_started = last_started
        self.clock = clock
        self.scheduler = BackgroundScheduler(
            timezone=timezone,
            executors={"default": ThreadPoolExecutor(max_workers=1)},
            job_defaults={
                "coalesce": True,
                "max_instances": 1,
                "misfire_grace_time": misfire_grace_seconds,
            },
        )

    def trigger(self) -> CronTrigger:
        return CronTrigger.from_crontab(self.expression, timezone=self.timezone)

    def start(self) -> None:
        for ticker in self.tickers:
            trigger = self.trigger()
            options = {}
            if self.missed_run(trigger, ticker):
                options["next_run_time"] = system_clock()  # the scheduler runs in real time
            self.scheduler.add_job(
                self._run,
                trigger=trigger,
                args=[ticker],
                id=job_id(ticker),
                name=f"cycle {ticker}",
                replace_existing=True,
                max_instances=1,
                coalesce=True,
                misfire_grace_time=self.grace,
                **options,
            )
        self.scheduler.start()
        log.info("schedule %r (%s): %s", self.expression, self.timezone, self.view().jobs)

    def missed_run(self, trigger: CronTrigger, ticker: str) -> bool:
        now = self.clock()
        missed = missed_fire_time(trigger, now, timedelta(seconds=self.grace))
        if missed is None:
            return False
        started = self.last_started(ticker)
        if started is not None and started >= missed:
            return False
        log.warning("%s: the run of %s was missed; running it now", ticker, missed.isoformat())
        return True

    def _run(self, ticker: str) -> None:
        try:
            self.job(ticker)
        except Exception:  # recorded by the cycle where it can be; never kill the worker
            log.exception("scheduled cycle of %s failed", ticker)

    def shutdown(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)

    def view(self) -> ScheduleView:
        jobs = []
        for ticker in self.tickers:
            job = self.scheduler.get_job(job_id(ticker))
            next_run = getattr(job, "next_run_time", None) if job is not None else None
            jobs.append(JobView(job_id(ticker), ticker, next_run))
        return ScheduleView(True, self.expression, self.timezone, self.grace, jobs)


def disabled_view(timezone: str) -> ScheduleView:
    return ScheduleView(False, "off", timezone, 0, [])
