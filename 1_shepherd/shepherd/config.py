"""Settings of the shepherd: the suite's (DATABASE_URL, TICKERS, ADMIN_TOKEN) plus where the
other services are, when to run, when to train, and how hard to try. README.md has the table."""

import shlex
from datetime import date

from pydantic import Field, field_validator

from stock_db.settings import SuiteSettings

SCHEDULE_OFF = "off"
# 18:00 New York time, Monday to Friday: two hours after the 16:00 close, when Yahoo's daily
# bar is final (after-hours prints and the adjusted close settle within about an hour). Half
# days (13:00 closes) are long done by then; holidays find nothing missing and do nothing.
DEFAULT_SCHEDULE = "0 18 * * mon-fri"


class Settings(SuiteSettings):
    load_data_url: str = "http://127.0.0.1:8001"
    estimator_url: str = "http://127.0.0.1:8002"
    metrics_url: str = "http://127.0.0.1:8003"
    # Handed to the training child process (it registers there).
    mlflow_tracking_uri: str = "sqlite:///var/mlflow.db"

    # A 5-field crontab in the exchange's time zone, or `off` (run-once and POST /runs only).
    shepherd_schedule: str = DEFAULT_SCHEDULE
    # A run missed while the shepherd was down (or busy) still happens, once, if it comes
    # back within this many seconds of the scheduled time.
    shepherd_misfire_grace_seconds: int = Field(default=6 * 3600, ge=1)
    exchange_calendar: str = "XNYS"
    # Where loading starts when a ticker has no rows at all (MSFT's history begins in 1986).
    history_start: date = date(1986, 1, 1)

    # Fine-tune once the champion has not seen this many sessions. A placeholder: README.md
    # ("When to train") explains how it is to be derived from the gate's power.
    fine_tune_after_sessions: int = Field(default=20, ge=1)
    # A champion this old (calendar days) is replaced by a full retrain, not fine-tuned again.
    retrain_after_days: int = Field(default=180, ge=1)

    # HTTP to the other services: per-request timeout, and bounded retries with backoff for
    # connection errors and 5xx (every call the shepherd makes is idempotent).
    http_timeout_seconds: float = Field(default=30.0, gt=0)
    load_timeout_seconds: float = Field(default=300.0, gt=0)  # a Yahoo load with its retries
    http_attempts: int = Field(default=3, ge=1, le=10)
    http_backoff_seconds: float = Field(default=1.0, ge=0)
    http_backoff_max_seconds: float = Field(default=20.0, ge=0)

    # The training child process: killed after this long; SHEPHERD_TRAIN_ARGS are extra
    # options for `python -m nn_estimator train` (e.g. "--epochs 5"), split like a shell does.
    train_timeout_seconds: float = Field(default=1800.0, gt=0)
    shepherd_train_args: str = ""

    @field_validator("shepherd_schedule")
    @classmethod
    def _check_schedule(cls, value: str) -> str:
        # Imported here: the schedule module imports APScheduler, which a route test or the
        # run-once command need not load.
        from shepherd.usecases.schedule import check_crontab

        value = " ".join(value.split())
        return SCHEDULE_OFF if value.lower() == SCHEDULE_OFF else check_crontab(value)

    @field_validator("shepherd_train_args")
    @classmethod
    def _check_train_args(cls, value: str) -> str:
        shlex.split(value)  # unbalanced quotes fail here, at start-up, not at the first training
        return value

    @property
    def train_args(self) -> list[str]:
        return shlex.split(self.shepherd_train_args)

    @property
    def schedule_enabled(self) -> bool:
        return self.shepherd_schedule != SCHEDULE_OFF
